package workplus

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestErrors_maskServerTextAndTokens: a server (or a proxy in front of it)
// that echoes the request in its error text never gets a token or secret
// into an error: not the configured one, not one obtained with client
// credentials, not an access_token in a URL. The old client showed them.
func TestErrors_maskServerTextAndTokens(t *testing.T) {
	t.Parallel()
	const issued = "issued-token-7f3a9c"
	const secret = "client-secret-5d2e"
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v1/token":
			writeOpen(w, 200, 0, MessageOK, Token{AccessToken: issued, ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
		case strings.HasPrefix(r.URL.Path, "/push/"):
			writeOpen(w, 400, 40000, fmt.Sprintf("bad request with access-token %s", r.Header.Get("access-token")), nil)
		case r.URL.Path == "/v1/templates/html":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html>upstream failed for %s</html>", r.URL.RequestURI())
		default:
			writeOpen(w, 400, 40000, fmt.Sprintf("cannot parse %s (secret %s)", r.URL.RequestURI(), secret), nil)
		}
	})
	c := testClient(t, srv.URL, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.Credentials = &ClientCredentials{DomainID: "d", OrgID: "o", ClientID: "c", ClientSecret: secret}
		cfg.MaxRetries = -1
	})
	_, errEnvelope := c.GetTemplate(t.Context(), "t1")
	_, errHTML := c.GetTemplate(t.Context(), "html")
	_, errPush := c.GetCertificate(t.Context(), "app", VendorAPNs, EnvironmentProduction)
	for name, err := range map[string]error{"envelope": errEnvelope, "proxy page": errHTML, "push": errPush} {
		if err == nil {
			t.Fatalf("%s: want an error", name)
		}
		text := err.Error()
		if strings.Contains(text, issued) || strings.Contains(text, secret) {
			t.Errorf("%s: the error shows a secret: %s", name, text)
		}
		if !strings.Contains(text, RedactedValue) {
			t.Errorf("%s: the error does not show where the secret was masked: %s", name, text)
		}
	}
	var apiErr *APIError
	if !errors.As(errEnvelope, &apiErr) || apiErr.HTTPStatus != 400 {
		t.Errorf("masking hid the APIError: %v", errEnvelope)
	}
}

// TestErrors_noAccessTokenURLFromABadRequest: a request Go cannot even build
// reports no URL with the token.
func TestErrors_noAccessTokenURLFromABadRequest(t *testing.T) {
	t.Parallel()
	c := testClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.AccessToken = "static-token-9a8b"; cfg.MaxRetries = -1 })
	_, err := c.GetTemplate(t.Context(), "bad\x7fid")
	if err == nil || strings.Contains(err.Error(), "static-token-9a8b") {
		t.Fatalf("want an error without the token, got %v", err)
	}
}

// TestErrors_maskSecretsThatQuotingEscapes: a secret holding a `"` or a `\`
// changes when a message quotes it (%q, JSON), so masking only its plain form
// missed it. The old client showed `pa\"ss\\word-9f` in the error of a proxy
// page that echoed the secret.
func TestErrors_maskSecretsThatQuotingEscapes(t *testing.T) {
	t.Parallel()
	const secret = `pa"ss\word-9f`
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/token" {
			writeOpen(w, 200, 0, MessageOK, Token{AccessToken: "issued-token-5c1d", ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "<html>rejected client secret %s</html>", secret)
	})
	c := testClient(t, srv.URL, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.Credentials = &ClientCredentials{DomainID: "d", OrgID: "o", ClientID: "c", ClientSecret: secret}
		cfg.MaxRetries = -1
	})
	_, err := c.GetTemplate(t.Context(), "t1")
	if err == nil {
		t.Fatal("want the proxy's error")
	}
	text := err.Error()
	for _, form := range []string{secret, `pa\"ss\\word-9f`, "word-9f"} {
		if strings.Contains(text, form) {
			t.Errorf("the error shows the secret as %s: %s", form, text)
		}
	}
	if !strings.Contains(text, "rejected client secret "+RedactedValue) {
		t.Errorf("the error does not show where the secret was masked: %s", text)
	}
	for _, form := range []string{secret, `pa\"ss\\word-9f`, `pa%22ss%5Cword-9f`} {
		if !slices.Contains(c.Secrets(), form) {
			t.Errorf("Secrets() lacks the form %s, so tflog would not mask it: %q", form, c.Secrets())
		}
	}
}

// TestEndpointUserInfo_notLoggedOrShown: an endpoint with user info
// (http://admin:password@host) shows the password neither in the request
// log nor in a configuration error. The old client logged u.String(), which
// keeps it, and quoted the raw endpoint in its errors.
func TestEndpointUserInfo_notLoggedOrShown(t *testing.T) {
	t.Parallel()
	const password = "url-password-31"
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1"})
	})
	var logged []LogEntry
	endpoint := strings.Replace(srv.URL, "http://", "http://admin:"+password+"@", 1)
	c := testClient(t, endpoint, func(cfg *Config) {
		cfg.Log = func(_ context.Context, e LogEntry) { logged = append(logged, e) }
	})
	if _, err := c.GetTemplate(t.Context(), "t1"); err != nil {
		t.Fatal(err)
	}
	if len(logged) != 1 {
		t.Fatalf("%d log entries, want 1", len(logged))
	}
	if strings.Contains(logged[0].URL, password) || !strings.Contains(logged[0].URL, "admin:xxxxx@") {
		t.Errorf("logged URL %s: want the user info's password as xxxxx", logged[0].URL)
	}
	if !slices.Contains(c.Secrets(), password) {
		t.Errorf("Secrets() lacks the endpoint's password, so an echo of it would not be masked")
	}
	for _, bad := range []string{
		"http://admin:" + password + "@host/?query=1",
		"ftp://admin:" + password + "@host",
		"http://admin:" + password + "@host:port",
		"http://admin:" + password + "/x@host",
	} {
		_, err := New(Config{Endpoint: bad, AccessToken: "static-token"})
		if err == nil || strings.Contains(err.Error(), password) || !strings.Contains(err.Error(), "admin:xxxxx@") {
			t.Errorf("New(%s): want an error showing the password as xxxxx, got %v", strings.ReplaceAll(bad, password, "…"), err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"https://admin:secret-pw@w.example.com/api": "https://admin:xxxxx@w.example.com/api",
		"http://admin@w.example.com":                "http://admin@w.example.com",
		"http://admin:pa/ss word@host":              "http://admin:xxxxx@host",
		"http://admin:pw@host:port":                 "http://admin:xxxxx@host:port",
		"http://[::1":                               "http://[::1",
		"not a url at all":                          "not a url at all",
	}
	for raw, want := range cases {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
