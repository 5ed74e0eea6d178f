package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type policyKey struct{}

// checkRetry is the retry policy. Idempotent requests retry on connection
// errors and on 429, 500, 502, 503 and 504. Requests that create work (a run,
// a thread without an id, a copy, a state update) retry only on 429, which
// means the server did nothing, and on errors that show the request never
// left the client; a 5xx or a reset connection may hide work already done.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, perr := policy(ctx, resp, err)
	c, ok := ctx.Value(callKey{}).(*callState)
	if ok && c.attempts > c.maxRetries {
		retry = false // the request's own limit
	}
	if retry {
		noteRetry(ctx, resp, err)
	}
	if ok && c.obs != nil {
		observeAttempt(c, resp, err, retry)
	}
	return retry, perr
}

func policy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	idempotent, _ := ctx.Value(policyKey{}).(bool)
	if err != nil {
		if permanent(err) {
			return false, nil
		}
		return idempotent || neverSent(err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent, nil
	}
	return false, nil
}

// permanent reports transport errors that a retry cannot fix.
func permanent(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var hookErr *hookError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &hookErr) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		msg := ue.Err.Error()
		for _, s := range []string{"unsupported protocol scheme", "stopped after", "invalid header", "net/http: invalid"} {
			if strings.Contains(msg, s) {
				return true
			}
		}
	}
	return false
}

// neverSent reports errors raised before a connection existed (dialing,
// resolving), so the server cannot have seen the request.
func neverSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Op == "dial" || opErr.Op == "proxyconnect"
	}
	return false
}

// backoff waits exponentially longer between attempts, with jitter, and
// honours a Retry-After (seconds or HTTP date) on 429 and 503 up to maxRA.
func (b *Backend) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := RetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, b.maxRA)
		}
	}
	return Backoff(minWait, maxWait, attempt)
}

// Backoff returns a wait for the given attempt (0 first): minWait·2^attempt
// capped at maxWait, then drawn uniformly from its upper half.
func Backoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	d := maxWait
	if attempt < 30 {
		if e := minWait << attempt; e > 0 && e < maxWait {
			d = e
		}
	}
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// RetryAfter parses a Retry-After value: delay seconds or an HTTP date.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
