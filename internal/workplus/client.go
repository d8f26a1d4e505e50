package workplus

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Defaults for Config fields left zero.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 4
	DefaultRetryWaitMin   = 200 * time.Millisecond
	DefaultRetryWaitMax   = 10 * time.Second
	// DefaultMaxRetryAfter is the longest Retry-After obeyed. A server that
	// asks for longer is not retried: waiting an hour inside terraform apply
	// helps nobody.
	DefaultMaxRetryAfter = 60 * time.Second
	// DefaultMaxTotalWait bounds the waiting between the attempts of one
	// request, whatever the retry count and Retry-After say.
	DefaultMaxTotalWait = 2 * time.Minute
	// MaxResponseBytes bounds what one answer may be: a page of 100 templates
	// is about 100 KiB, so anything near this is a misbehaving server.
	MaxResponseBytes = 8 << 20
)

// Config configures a Client. Endpoint and one of AccessToken or Credentials
// are required.
type Config struct {
	// Endpoint is the Open API base URL, e.g. https://workplus.example.com.
	Endpoint string
	// PushEndpoint is the Push API base URL; it defaults to Endpoint.
	PushEndpoint string
	// AccessToken is a ready token. It cannot be refreshed: when the server
	// rejects it, requests fail with a 10011 error.
	AccessToken string
	// Credentials, when set, are exchanged at /v1/token for a token that is
	// fetched once and renewed on expiry or rejection.
	Credentials *ClientCredentials
	// TokenCache, when set, keeps tokens obtained with Credentials between
	// processes.
	TokenCache TokenCache
	// HTTPClient carries TLS settings; nil means a client with the default transport.
	HTTPClient *http.Client
	// UserAgent is sent with every request.
	UserAgent string
	// RequestTimeout bounds each attempt (not the whole retried call, which the
	// caller's context bounds).
	RequestTimeout time.Duration
	// MaxRetries is how many times a retryable failure is retried; negative
	// disables retries.
	MaxRetries   int
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// MaxRetryAfter caps the Retry-After that is obeyed; a longer one ends
	// the retries. MaxTotalWait caps the sum of waits of one request.
	MaxRetryAfter time.Duration
	MaxTotalWait  time.Duration
	// Log, when set, receives one entry per attempt with secrets redacted.
	Log LogHook
}

// ClientCredentials are the fields of the client_credentials grant.
type ClientCredentials struct {
	DomainID     string
	OrgID        string
	ClientID     string
	ClientSecret string
}

// Client talks to one WorkPlus deployment. It is safe for concurrent use.
type Client struct {
	openBase *url.URL
	pushBase *url.URL
	http     *http.Client
	// httpOnce carries non-idempotent requests, each on a connection of its
	// own (withoutKeepAlives). Its transport is Go's, which reports through
	// httptrace when a request got its connection, unless ownTransport is
	// false (a caller's RoundTripper, which may not).
	httpOnce     *http.Client
	ownTransport bool
	userAgent    string
	timeout      time.Duration
	retry        retryPolicy
	log          LogHook
	tokens       TokenSource
	clock        serverClock
	secrets      secretSet
	failures     runFailures
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	openBase, err := parseBaseURL("endpoint", cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	pushBase := openBase
	if cfg.PushEndpoint != "" {
		if pushBase, err = parseBaseURL("push_endpoint", cfg.PushEndpoint); err != nil {
			return nil, err
		}
	}
	c := &Client{
		openBase:  openBase,
		pushBase:  pushBase,
		http:      cfg.HTTPClient,
		userAgent: cfg.UserAgent,
		timeout:   orDefault(cfg.RequestTimeout, DefaultRequestTimeout),
		retry: retryPolicy{
			maxRetries:    cfg.MaxRetries,
			waitMin:       orDefault(cfg.RetryWaitMin, DefaultRetryWaitMin),
			waitMax:       orDefault(cfg.RetryWaitMax, DefaultRetryWaitMax),
			maxRetryAfter: orDefault(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
			maxTotalWait:  orDefault(cfg.MaxTotalWait, DefaultMaxTotalWait),
		},
		log: cfg.Log,
	}
	for _, base := range []*url.URL{openBase, pushBase} {
		if password, ok := base.User.Password(); ok {
			c.secrets.add(password) // in case a server or proxy echoes it
		}
	}
	if c.http == nil {
		c.http = cleanhttp.DefaultPooledClient()
	}
	c.http = withoutRedirects(c.http)
	c.httpOnce, c.ownTransport = withoutKeepAlives(c.http)
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-workplus/dev"
	}
	switch {
	case cfg.AccessToken != "" && cfg.Credentials != nil:
		return nil, errors.New("configure either an access token or client credentials, not both")
	case cfg.AccessToken != "":
		c.tokens = &staticToken{token: cfg.AccessToken}
		c.secrets.add(cfg.AccessToken)
	case cfg.Credentials != nil:
		c.secrets.add(cfg.Credentials.ClientSecret)
		c.tokens = newCredentialsToken(c, *cfg.Credentials, cfg.TokenCache)
	default:
		return nil, errors.New("no authentication: configure an access token or client credentials")
	}
	return c, nil
}

// withoutRedirects returns a copy of client that hands redirects back instead
// of following them. Go follows redirects to any host, copying custom headers
// such as the Push API's access-token and re-sending POSTs on 307 and 308; the
// query's access_token goes wherever the Location keeps it. The transport
// reports a redirect as an error naming where it pointed.
func withoutRedirects(client *http.Client) *http.Client {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// withoutKeepAlives returns a copy of client that opens a connection for
// every request (issue 19 §5). A server may close an idle keep-alive
// connection just as a request goes out on it; Go then cannot tell whether
// the server read the request and re-sends only requests it knows were not
// written, so a create or a send would end unknown. On a connection of its
// own a request either never connects (nothing sent: retried) or is carried.
// A transport other than *http.Transport is used as it is, and false is
// returned: there the race still ends as an unknown create, never as a
// duplicate.
func withoutKeepAlives(client *http.Client) (*http.Client, bool) {
	transport, ok := client.Transport.(*http.Transport)
	if client.Transport == nil {
		transport, ok = http.DefaultTransport.(*http.Transport)
	}
	if !ok {
		return client, false
	}
	transport = transport.Clone()
	transport.DisableKeepAlives = true
	c := *client
	c.Transport = transport
	return &c, true
}

// parseBaseURL accepts only absolute http(s) URLs: anything else would send
// the token somewhere unexpected or fail obscurely at the first request.
func parseBaseURL(name, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		if strings.Contains(raw, "@") {
			// Go's reason quotes the part it failed on, which may be a piece
			// of the password.
			return nil, fmt.Errorf("%s %q is not a URL", name, RedactURL(raw))
		}
		return nil, fmt.Errorf("%s %q is not a URL: %v", name, raw, stripURL(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s %q must be an absolute http:// or https:// URL", name, RedactURL(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s %q must not have a query or fragment", name, RedactURL(raw))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// TLSConfig returns a TLS configuration that trusts only caPEM when it is
// given (the system roots otherwise) and skips verification only when
// insecure is set.
func TLSConfig(caPEM []byte, insecure bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure} //nolint:gosec // opt-in, documented as unsafe
	if len(caPEM) > 0 {
		pool, err := certPool(caPEM)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

func certPool(caPEM []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("the CA bundle holds no PEM certificate")
	}
	return pool, nil
}
