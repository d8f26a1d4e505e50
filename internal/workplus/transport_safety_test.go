package workplus

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRedirect_notFollowedWithCredentials: a redirect to another host gets
// neither the Push API's access-token header, nor the Open API's
// access_token, nor a re-sent POST. The old client followed all of them.
func TestRedirect_notFollowedWithCredentials(t *testing.T) {
	t.Parallel()
	var tokensSeen atomic.Int32
	other := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("access-token") != "" || r.URL.Query().Get("access_token") != "" {
			tokensSeen.Add(1)
		}
		writeOpen(w, 200, 0, MessageOK, nil)
	})
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		redirecting := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.RequestURI(), status)
		})
		c := testClient(t, redirecting.URL)
		_, openErr := c.GetTemplate(t.Context(), "t1")
		_, pushErr := c.Notify(t.Context(), "app", NotifyRequest{Audience: Audience{All: true}, Setting: &PushSetting{RequestID: "r1"}, Message: PushMessage{Title: "hi"}})
		for _, err := range []error{openErr, pushErr} {
			if err == nil || !strings.Contains(err.Error(), "redirects to "+other.URL) || !strings.Contains(err.Error(), "set endpoint") {
				t.Errorf("HTTP %d: want an error naming the Location, got %v", status, err)
			}
			if err != nil && strings.Contains(err.Error(), "static-token") {
				t.Errorf("HTTP %d: the error shows the token: %v", status, err)
			}
		}
		if n := redirecting.requests("GET /v1/templates/t1") + redirecting.requests("POST /push/notify"); n != 2 {
			t.Errorf("HTTP %d: %d requests to the redirecting server, want 2 (a redirect is not retried)", status, n)
		}
	}
	if n := tokensSeen.Load(); n != 0 {
		t.Errorf("the token reached the other host %d times", n)
	}
}

// TestRetryAfter_capped: a Retry-After longer than the provider waits ends
// the retries at once, with an error that says so. The old client obeyed
// 3600 s.
func TestRetryAfter_capped(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		writeOpen(w, 429, StatusRateLimited, "slow down", nil)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	started := time.Now()
	_, err := testClient(t, srv.URL).GetTemplate(ctx, "t1")
	if err == nil || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "asked to wait 1h0m0s") {
		t.Fatalf("want an immediate error about the Retry-After, got %v after %v", err, time.Since(started))
	}
	if n := srv.requests("GET /v1/templates/t1"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRetry_totalWaitBounded: however many retries are allowed, one request
// waits no longer than MaxTotalWait in all.
func TestRetry_totalWaitBounded(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "1")
		writeOpen(w, 503, StatusUnavailable, "busy", nil)
	})
	c := testClient(t, srv.URL, func(c *Config) { c.MaxRetries = 20; c.MaxTotalWait = 1500 * time.Millisecond })
	started := time.Now()
	_, err := c.GetTemplate(t.Context(), "t1")
	if err == nil || !strings.Contains(err.Error(), "over the limit of 1.5s") || !strings.Contains(err.Error(), "busy") {
		t.Fatalf("want the last error and the wait limit, got %v", err)
	}
	if n := srv.requests("GET /v1/templates/t1"); n != 2 {
		t.Errorf("%d requests, want 2 (one wait of 1 s fits in 1.5 s, a second does not)", n)
	}
	if elapsed := time.Since(started); elapsed > 3*time.Second {
		t.Errorf("took %v", elapsed)
	}
}

// TestRetryAfter_overflowIsBeyondTheCap: a Retry-After too large for a
// time.Duration means "do not retry", like any value over the cap. The old
// client wrapped 18446744074 s around to about 0.29 s and retried: 4
// requests in under a second.
func TestRetryAfter_overflowIsBeyondTheCap(t *testing.T) {
	t.Parallel()
	for _, value := range []string{"18446744074", "9223372037", "99999999999999999999999"} {
		if got := parseRetryAfter(value); got <= DefaultMaxRetryAfter {
			t.Errorf("parseRetryAfter(%q) = %v, want more than the cap %v", value, got, DefaultMaxRetryAfter)
		}
	}
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "18446744074")
		writeOpen(w, 429, StatusRateLimited, "slow down", nil)
	})
	_, err := testClient(t, srv.URL).GetTemplate(t.Context(), "t1")
	if err == nil || !strings.Contains(err.Error(), "not retried: the server asked to wait") {
		t.Errorf("want an error saying the wait is too long, got %v", err)
	}
	if n := srv.requests("GET /v1/templates/t1"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// closesReusedConnections is a server whose keep-alive timeout always fires
// just as the next request arrives: it answers the first request of each
// connection and closes the connection on any later one, unprocessed.
func closesReusedConnections(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	type requestsOnConn struct{}
	var processed atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(requestsOnConn{}).(*atomic.Int32).Add(1) > 1 {
			dropConnection(w)
			return
		}
		processed.Add(1)
		handler(w, r)
	}))
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, requestsOnConn{}, new(atomic.Int32))
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &processed
}

// TestCreate_keepAliveCloseIsNoUnknownCreate (issue 19 §5): a server that
// closes an idle keep-alive connection as a create goes out on it has not
// read the create, but Go cannot know that and does not retry a POST; the
// old client reported an unknown create ("may or may not have been
// created") after every read. Creates and app message sends now go on a
// connection of their own, so the race cannot arise.
func TestCreate_keepAliveCloseIsNoUnknownCreate(t *testing.T) {
	t.Parallel()
	in := TemplateInput{Title: "Keep-alive"}
	srv, processed := closesReusedConnections(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/templates":
			writeOpen(w, 200, 0, MessageOK, Template{ID: "created", AppID: "app", Title: in.Title})
		case r.Method == http.MethodPost:
			writeOpen(w, 200, 0, MessageOK, map[string]any{})
		case r.URL.Path == "/v1/templates":
			writeOpen(w, 200, 0, MessageOK, TemplatePage{})
		default:
			writeOpen(w, 200, 0, MessageOK, Template{ID: "t1", AppID: "app", Title: "other"})
		}
	})
	c := testClient(t, srv.URL)
	unknown := 0
	for round := range 5 {
		if _, err := c.GetTemplate(t.Context(), "t1"); err != nil {
			t.Fatalf("round %d: read: %v", round, err)
		}
		if _, err := c.CreateTemplate(t.Context(), "app", "", in); err != nil {
			unknown++
			t.Logf("round %d: create: %v", round, err)
		}
		if _, err := c.GetTemplate(t.Context(), "t1"); err != nil {
			t.Fatalf("round %d: read: %v", round, err)
		}
		if _, err := c.SendAppMessage(t.Context(), "", AppMessage{Type: MessageTypeText, Body: AppMessageBody{Content: "hi"}}); err != nil {
			unknown++
			t.Logf("round %d: send: %v", round, err)
		}
	}
	if unknown != 0 {
		t.Errorf("%d of 10 creates and sends failed as unknown on a closed keep-alive connection, want 0", unknown)
	}
	if n := processed.Load(); n != 20 {
		t.Errorf("the server processed %d requests, want 20 (10 reads, 5 creates, 5 sends)", n)
	}
}

// TestCreate_ownConnectionReadsStillShareOne: only non-idempotent requests
// pay for a connection of their own; reads keep reusing one, so a plan of
// many templates opens no more connections than before.
func TestCreate_ownConnectionReadsStillShareOne(t *testing.T) {
	t.Parallel()
	var opened atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			writeOpen(w, 200, 0, MessageOK, Template{ID: "created", AppID: "app", Title: "t"})
			return
		}
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1", AppID: "app", Title: "t"})
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := testClient(t, srv.URL)
	read := func() {
		for range 5 {
			if _, err := c.GetTemplate(t.Context(), "t1"); err != nil {
				t.Fatal(err)
			}
		}
	}
	read()
	for range 2 {
		if _, err := c.CreateTemplate(t.Context(), "app", "", TemplateInput{Title: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	read()
	if n := opened.Load(); n != 3 {
		t.Errorf("%d connections opened, want 3: one shared by the 10 reads, one for each create", n)
	}
}

// dropsFirstConnection closes the first connection it accepts at once: a
// TLS client's handshake fails before any of its request was written.
type dropsFirstConnection struct {
	net.Listener
	dropped atomic.Bool
}

func (l *dropsFirstConnection) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil || l.dropped.Swap(true) {
			return conn, err
		}
		_ = conn.Close()
	}
}

// TestCreate_failedTLSHandshakeIsResent: a create whose TLS handshake fails
// never had a connection, so it provably never reached the server and is
// sent again. The old client counted only refused dials as unsent and
// reported an unknown create.
func TestCreate_failedTLSHandshakeIsResent(t *testing.T) {
	t.Parallel()
	var creates atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			creates.Add(1)
			writeOpen(w, 200, 0, MessageOK, Template{ID: "created", AppID: "app", Title: "t"})
			return
		}
		writeOpen(w, 200, 0, MessageOK, TemplatePage{})
	}))
	srv.Listener = &dropsFirstConnection{Listener: srv.Listener}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := testClient(t, srv.URL, func(cfg *Config) { cfg.HTTPClient = srv.Client() })
	got, err := c.CreateTemplate(t.Context(), "app", "", TemplateInput{Title: "t"})
	if err != nil {
		t.Fatalf("CreateTemplate: %v", err)
	}
	if got.ID != "created" || creates.Load() != 1 {
		t.Errorf("got %q after %d creates, want created after 1", got.ID, creates.Load())
	}
}

// opaqueRoundTripper hides Go's transport: it drops the request's context,
// and with it the httptrace hooks, as a RoundTripper of its own may.
type opaqueRoundTripper struct{ next http.RoundTripper }

func (o opaqueRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	return o.next.RoundTrip(r.WithContext(context.Background()))
}

// TestCreate_untracedTransportNeverResends: with a caller's RoundTripper the
// client cannot see whether a create got a connection, so a dropped one
// stays unknown and is not sent again.
func TestCreate_untracedTransportNeverResends(t *testing.T) {
	t.Parallel()
	var creates atomic.Int32
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			creates.Add(1)
			dropConnection(w)
			return
		}
		writeOpen(w, 200, 0, MessageOK, TemplatePage{})
	})
	c := testClient(t, srv.URL, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: opaqueRoundTripper{next: http.DefaultTransport}}
	})
	_, err := c.CreateTemplate(t.Context(), "app", "", TemplateInput{Title: "t"})
	var unknown *AmbiguousCreateError
	if !errors.As(err, &unknown) {
		t.Fatalf("want an AmbiguousCreateError, got %v", err)
	}
	if n := creates.Load(); n != 1 {
		t.Errorf("the create was sent %d times, want 1", n)
	}
}
