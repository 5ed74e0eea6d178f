package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// DialFunc sends an upgrade handshake (a WebSocket's GET) to rawURL with
// header through hc, under ctx, and keeps the upgraded connection. It
// returns the handshake's response (nil when none arrived) and an error when
// the handshake failed. ctx carries the request's credentials: hc's
// transport adds them, for the base URL's origin only, so the dialer must
// send the request with ctx and hc.
type DialFunc func(ctx context.Context, hc *http.Client, rawURL string, header http.Header) (*http.Response, error)

// Upgrade opens an upgraded connection (a WebSocket) with a GET of r.Path
// through dial. The handshake carries what every other request carries: the
// client's credentials and default headers, the token source's token, then
// the settings of the view, of ctx and of r.Options, the User-Agent and the
// call's query parameters; credentials go only to the base URL's origin
// (redirects are followed within it only). A 401 answered to a token from
// the token source asks it once for a fresh token and dials again. The
// call's timeout (langgraph.WithTimeout) bounds the handshake.
//
// A refused handshake is a *langgraph.APIError (status 400 or more), a
// *langgraph.RedirectError (a redirect to another origin), a
// *langgraph.ResponseError (another status than 101), or a
// *langgraph.ConnectionError (no answer); a client that requires per-call
// credentials refuses a handshake without any (langgraph.ErrNoCredentials).
func (b *Backend) Upgrade(ctx context.Context, r *Request, dial DialFunc) error {
	if b == nil {
		return lgerr.Invalid("the client was not built by client.New")
	}
	opts, err := b.CallOptions(ctx, r.Options)
	if err != nil {
		return err
	}
	if err := CheckPath(r.Path); err != nil {
		return err
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	u, err := b.requestURL(r, &opts)
	if err != nil {
		return err
	}
	creds, token, err := b.credentials(ctx, r, &opts)
	if err != nil {
		return err
	}
	header := r.Header.Clone()
	if header == nil {
		header = make(http.Header)
	}
	if b.userAgent != "" {
		header.Set("User-Agent", b.userAgent)
	}
	hc := b.rc.HTTPClient
	resp, err := dial(context.WithValue(ctx, credsKey{}, creds), hc, u, header)
	if err != nil && resp != nil && resp.StatusCode == http.StatusUnauthorized && token != "" {
		// One refresh and retry, as for every other request.
		if fresh, terr := b.bearer(ctx, token); terr == nil && fresh != token {
			creds = creds.Clone()
			creds.Set("Authorization", "Bearer "+fresh)
			resp, err = dial(context.WithValue(ctx, credsKey{}, creds), hc, u, header)
		}
	}
	if err == nil {
		if opts.OnResponse != nil && resp != nil {
			opts.OnResponse(resp.StatusCode, resp.Header)
		}
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("langgraph: GET %s (upgrade): %w", u, ctxErr)
	}
	switch {
	case resp == nil:
		var ue *url.Error
		cause := err
		if errors.As(err, &ue) {
			cause = ue.Err
		}
		return &langgraph.ConnectionError{Method: http.MethodGet, URL: u, Sent: !neverSent(err), Err: cause}
	case isRedirect(resp.StatusCode):
		return redirectError(http.MethodGet, u, resp)
	case resp.StatusCode >= 400:
		return NewAPIError(http.MethodGet, u, resp)
	default:
		return ResponseError(http.MethodGet, resp, nil, fmt.Sprintf("the upgrade was not accepted (status %d, want 101 Switching Protocols): %v", resp.StatusCode, err))
	}
}
