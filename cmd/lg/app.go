package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
)

// Exit statuses.
const (
	exitOK         = 0
	exitUsage      = 1 // bad usage or input
	exitAPI        = 2 // the server answered with an error, or the run failed
	exitConnection = 3 // the server could not be reached, or --timeout expired
	// exitRunInterrupted: the run stopped at an interrupt or a breakpoint
	// (its result or events were printed).
	exitRunInterrupted = 4
	exitInterrupted    = 130 // lg itself was interrupted (Ctrl-C)
)

// globals are the flags accepted before and after the command.
type globals struct {
	url     string
	apiKey  string
	token   string
	headers []string
	timeout time.Duration
	retries int

	transport *http.Transport // of the client
}

// register adds the global flags to fs. The values have no defaults on
// purpose: registering them on a second FlagSet must not reset what the
// first one parsed, and help must never print a credential.
func (g *globals) register(fs *flag.FlagSet) {
	fs.Var(stringValue{&g.url}, "url", "")
	fs.Var(stringValue{&g.apiKey}, "api-key", "")
	fs.Var(stringValue{&g.token}, "token", "")
	fs.Var((*appendValue)(&g.headers), "header", "")
	fs.Var(durationValue{&g.timeout}, "timeout", "")
	fs.Var(intValue{&g.retries}, "retries", "")
}

const globalHelp = `Global flags (before or after the command):
  --url URL          deployment URL (default $LANGGRAPH_API_URL, else ` + client.DefaultBaseURL + `)
  --token TOKEN      Bearer token (default $LANGGRAPH_AUTH_TOKEN)
  --api-key KEY      x-api-key (default $LANGGRAPH_API_KEY, $LANGSMITH_API_KEY or $LANGCHAIN_API_KEY)
  --header 'N: V'    extra request header, repeatable; x-* headers reach the graph's configurable
  --timeout DUR      give up after DUR, e.g. 30s or 5m (default: no limit)
  --retries N        retries of a failed request that is safe to repeat (default 3)
`

// client builds the SDK client from the global flags and the environment,
// and returns the secrets that must never be printed. The client has its own
// connection pool, closed by done.
func (g *globals) client() (c *client.Client, secrets []string, done func(), err error) {
	c, secrets, err = g.newClient()
	if err != nil {
		return nil, nil, nil, err
	}
	return c, secrets, g.transport.CloseIdleConnections, nil
}

func (g *globals) newClient() (*client.Client, []string, error) {
	var opts []langgraph.Option
	var secrets []string
	if g.transport == nil {
		if dt, ok := http.DefaultTransport.(*http.Transport); ok {
			g.transport = dt.Clone()
		} else {
			g.transport = &http.Transport{Proxy: http.ProxyFromEnvironment}
		}
	}
	opts = append(opts, langgraph.WithHTTPClient(&http.Client{Transport: g.transport}))
	u, src := g.url, "--url"
	if u == "" {
		u, src = strings.TrimSpace(os.Getenv("LANGGRAPH_API_URL")), "LANGGRAPH_API_URL"
	}
	if u != "" {
		if err := checkOption(langgraph.WithBaseURL(u)); err != nil {
			return nil, nil, usagef("%s: %s", src, plain(err))
		}
		opts = append(opts, langgraph.WithBaseURL(u))
	}
	token, src := g.token, "--token"
	if token == "" {
		token, src = strings.TrimSpace(os.Getenv("LANGGRAPH_AUTH_TOKEN")), "LANGGRAPH_AUTH_TOKEN"
	}
	if token != "" {
		secrets = append(secrets, token)
		if strings.ContainsAny(token, "\r\n\x00") {
			return nil, nil, usagef("%s: the token contains a control character", src)
		}
		opts = append(opts, langgraph.WithBearerToken(token))
	}
	if g.apiKey != "" {
		secrets = append(secrets, g.apiKey)
		opts = append(opts, langgraph.WithAPIKey(g.apiKey))
	} else {
		for _, name := range []string{"LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"} {
			if k := strings.Trim(strings.TrimSpace(os.Getenv(name)), `"'`); k != "" {
				secrets = append(secrets, k)
			}
		}
	}
	for _, h := range g.headers {
		name, value, ok := strings.Cut(h, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return nil, nil, usagef("--header: want 'Name: value'")
		}
		if http.CanonicalHeaderKey(name) == "X-Api-Key" {
			return nil, nil, usagef("--header x-api-key: use --api-key")
		}
		if err := checkOption(langgraph.WithHeader(name, value)); err != nil {
			return nil, nil, usagef("--header %q: %s", name, plain(err))
		}
		switch http.CanonicalHeaderKey(name) {
		case "Authorization", "Cookie", "Proxy-Authorization":
			secrets = append(secrets, value)
		}
		opts = append(opts, langgraph.WithHeader(name, value))
	}
	if g.retries < 0 {
		return nil, nil, usagef("--retries: %d is negative", g.retries)
	}
	opts = append(opts, langgraph.WithMaxRetries(g.retries))
	c, err := client.New(opts...)
	if err != nil {
		// Every value was checked above; what is left concerns the API key.
		return nil, nil, usagef("--api-key: %s", plain(err))
	}
	return c, secrets, nil
}

// checkOption reports whether opt is accepted, with a client that reads no
// key from the environment.
func checkOption(opt langgraph.Option) error {
	_, err := client.New(opt, langgraph.WithoutAPIKey())
	return err
}

// plain is an SDK error message without its "langgraph: invalid argument: "
// prefix, for a usage message that names the flag.
func plain(err error) string {
	msg := strings.TrimPrefix(err.Error(), "langgraph: ")
	return strings.TrimPrefix(msg, "invalid argument: ")
}

// env is what a command's action works with.
type env struct {
	c      *client.Client
	stdout io.Writer
	stderr io.Writer
}

// print writes v as one indented JSON document.
func (e *env) print(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// usageError is bad usage or input, found before any request was sent.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run is the whole program: it parses args, runs the command and returns
// the exit status. Results go to stdout, errors to stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := globals{retries: 3}
	gfs := flag.NewFlagSet("lg", flag.ContinueOnError)
	gfs.SetOutput(io.Discard)
	g.register(gfs)
	if err := gfs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			mainHelp(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "lg: %s\nRun 'lg help' for usage.\n", flagError(err))
		return exitUsage
	}
	rest := gfs.Args()
	if len(rest) == 0 {
		mainHelp(stderr)
		return exitUsage
	}
	if rest[0] == "help" {
		return help(rest[1:], stdout, stderr)
	}
	cmd, rest, code := lookup(rest, stdout, stderr)
	if cmd == nil {
		return code
	}

	fs := flag.NewFlagSet("lg "+cmd.path(), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	act := cmd.setup(fs, &inputs{stdin: stdin})
	local := globals{retries: g.retries}
	local.register(fs)
	pos, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(stdout, cmd, fs)
		return exitOK
	}
	if err == nil {
		err = cmd.checkArgs(pos)
	}
	if err != nil {
		fmt.Fprintf(stderr, "lg %s: %s\nRun 'lg %s -h' for usage.\n", cmd.path(), flagError(err), cmd.path())
		return exitUsage
	}
	g.merge(fs, &local)

	c, secrets, done, err := g.client()
	if err != nil {
		fmt.Fprintf(stderr, "lg %s: %v\n", cmd.path(), err)
		return exitUsage
	}
	defer done()
	if g.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, g.timeout)
		defer cancel()
	}
	err = act(ctx, &env{c: c, stdout: stdout, stderr: stderr}, pos)
	if err == nil {
		return exitOK
	}
	code = exitCode(ctx, err)
	msg := strings.TrimPrefix(err.Error(), "langgraph: ")
	switch code {
	case exitInterrupted:
		msg = "interrupted"
	case exitConnection:
		if errors.Is(err, context.DeadlineExceeded) && g.timeout > 0 {
			msg = fmt.Sprintf("timed out after %v (--timeout): %s", g.timeout, msg)
		}
	}
	fmt.Fprintf(stderr, "lg %s: %s\n", cmd.path(), redact(msg, secrets))
	return code
}

// merge takes the global flags given after the command.
func (g *globals) merge(fs *flag.FlagSet, local *globals) {
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "url":
			g.url = local.url
		case "api-key":
			g.apiKey = local.apiKey
		case "token":
			g.token = local.token
		case "header":
			g.headers = append(g.headers, local.headers...)
		case "timeout":
			g.timeout = local.timeout
		case "retries":
			g.retries = local.retries
		}
	})
}

// flagError rewrites the flag package's messages in the --name form used by
// the help.
func flagError(err error) string {
	msg := err.Error()
	for _, prefix := range []string{"flag provided but not defined: -", "flag needs an argument: -"} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			return strings.TrimSuffix(prefix, "-") + "--" + strings.TrimPrefix(rest, "-")
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if i := strings.Index(rest, " for flag -"); i >= 0 {
			name, why, _ := strings.Cut(rest[i+len(" for flag -"):], ": ")
			if why == "parse error" {
				why = "not a valid value"
			}
			dashes := "--"
			if len(name) == 1 {
				dashes = "-" // -o
			}
			return fmt.Sprintf("%s%s %s: %s", dashes, name, rest[:i], why)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if i := strings.Index(rest, " for -"); i >= 0 {
			name, _, _ := strings.Cut(rest[i+len(" for -"):], ": ")
			return fmt.Sprintf("--%s %s: want true or false", name, rest[:i])
		}
	}
	return msg
}

// errRunInterrupted is returned, after the run's result or events were
// printed, by the commands whose run stopped waiting to be resumed.
var errRunInterrupted = errors.New("the run stopped at an interrupt or a breakpoint, waiting to be resumed")

// exitCode classifies an error returned by a command.
func exitCode(ctx context.Context, err error) int {
	var ue *usageError
	var apiErr *langgraph.APIError
	var runErr *langgraph.RunError
	var connErr *langgraph.ConnectionError
	var streamErr *langgraph.StreamError
	var netErr net.Error
	switch {
	case errors.Is(err, errRunInterrupted):
		return exitRunInterrupted
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return exitInterrupted
	case errors.As(err, &apiErr), errors.As(err, &runErr), errors.Is(err, langgraph.ErrNotFound):
		return exitAPI
	case errors.As(err, &connErr), errors.As(err, &streamErr), errors.As(err, &netErr),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.ErrUnexpectedEOF):
		return exitConnection
	}
	// The SDK refused the input before sending anything.
	return exitUsage
}

// redact replaces every secret in s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}
