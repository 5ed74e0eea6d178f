package transport

import (
	"net/http"
	"os"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/reqopt"
)

// DefaultBaseURL is used when neither an option nor LANGGRAPH_API_URL names
// the deployment (as in the Python and JS SDKs).
const DefaultBaseURL = "http://localhost:8123"

// FromOptions builds the Backend of client.New (or a service's NewService):
// it applies opts at the client level, then reads the environment for what
// they leave unset. A prebuilt backend carried by opts (reqopt.Settings.Shared,
// from package client) is returned as is, viewed with no option.
func FromOptions(opts []langgraph.Option) (*Backend, error) {
	var s reqopt.Settings
	for _, opt := range opts {
		if err := reqopt.Apply(opt, &s, reqopt.Client); err != nil {
			return nil, err
		}
	}
	if b, ok := s.Shared.(*Backend); ok {
		return b, nil
	}
	raw := s.BaseURL
	if raw == "" {
		raw = strings.TrimSpace(os.Getenv("LANGGRAPH_API_URL"))
	}
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, why := reqopt.ParseBaseURL(raw)
	if why != "" {
		return nil, lgerr.Invalid("%s", why)
	}
	header := s.Header.Clone()
	if header == nil {
		header = make(http.Header)
	}
	key, keySet := header["X-Api-Key"]
	if keySet && s.NoAPIKey && len(key) > 0 && key[0] != "" {
		return nil, lgerr.Invalid("WithAPIKey and WithoutAPIKey conflict: pass one of them")
	}
	if s.PerCall {
		if header.Get("X-Api-Key") != "" || header.Get("Authorization") != "" || s.Token != nil {
			return nil, lgerr.Invalid("WithPerCallCredentials conflicts with client-wide credentials (WithAPIKey, WithBearerToken, WithTokenSource, an Authorization header)")
		}
		s.NoAPIKey = true
	}
	if s.Token != nil && header.Get("Authorization") != "" {
		return nil, lgerr.Invalid("WithBearerToken and WithTokenSource cannot be combined on a client")
	}
	if !keySet && !s.NoAPIKey {
		if k := APIKeyFromEnv(); k != "" {
			header.Set("X-Api-Key", k)
		}
	}
	for k, vs := range header { // an empty value removed the header
		if len(vs) == 0 || vs[0] == "" {
			delete(header, k)
		}
	}
	retries := 0
	if s.RetriesSet {
		retries = s.MaxRetries
		if retries == 0 {
			retries = -1
		}
	}
	observers := make([]langgraph.Observer, len(s.Observers))
	for i, o := range s.Observers {
		observers[i] = o.(langgraph.Observer)
	}
	return New(Config{
		BaseURL:            base,
		HTTPClient:         s.HTTPClient,
		Header:             header,
		Token:              s.Token,
		Logger:             s.Logger,
		UserAgent:          "langgraph-go/" + langgraph.Version,
		MaxRetries:         retries,
		MinWait:            s.MinWait,
		MaxWait:            s.MaxWait,
		MaxRetryAfter:      s.MaxRetryAfter,
		MaxEventSize:       s.MaxEventSize,
		MaxResponseSize:    s.MaxResponseSize,
		PerCallCredentials: s.PerCall,
		Timeout:            s.Timeout,
		Observers:          observers,
		RequestHooks:       s.RequestHooks,
	})
}

// APIKeyFromEnv returns the first non-empty of LANGGRAPH_API_KEY,
// LANGSMITH_API_KEY and LANGCHAIN_API_KEY, cleaned like the Python SDK.
func APIKeyFromEnv() string {
	for _, name := range []string{"LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"} {
		if v := reqopt.CleanKey(os.Getenv(name)); v != "" {
			return v
		}
	}
	return ""
}

// Shared returns the option that hands a prebuilt backend to a service's
// NewService, so that the services of one client share it.
func Shared(b *Backend) langgraph.Option {
	return reqopt.Make("client.New", func(s *reqopt.Settings) error {
		s.Shared = b
		return nil
	}).(langgraph.Option)
}
