package workplus

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCredentialsToken_outageIsOneExchange: while /v1/token hangs, ten
// concurrent reads wait on one exchange and share its outcome and its retries.
// The old client held its mutex during the exchange and remembered only
// definitive rejections, so each waiting caller retried the outage in turn:
// 20 token requests, the last caller failing after about 4.2 s instead of the
// 0.4 s one exchange takes (200 ms timeout, 1 retry).
func TestCredentialsToken_outageIsOneExchange(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/token" {
			// Hang until the client gives up: with the body read, the server
			// sees the client close the connection.
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1"})
	})
	const timeout = 200 * time.Millisecond
	c := testClient(t, srv.URL, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.Credentials = &ClientCredentials{DomainID: "d", OrgID: "o", ClientID: "c", ClientSecret: "secret-value"}
		cfg.RequestTimeout = timeout
		cfg.MaxRetries = 1
	})
	const callers = 10
	errs, elapsed := readConcurrently(t, c, callers)
	for i, err := range errs {
		if err == nil {
			t.Errorf("caller %d: want the outage's error, got none", i)
		}
	}
	if n := srv.requests("POST /v1/token"); n != 2 {
		t.Errorf("%d callers made %d token requests during the outage, want 2 (one exchange, one retry)", callers, n)
	}
	// One exchange is two attempts of 200 ms; allow for a loaded machine.
	if limit := 5 * timeout; elapsed > limit {
		t.Errorf("the last caller ended after %s, want under %s (one exchange)", elapsed.Round(10*time.Millisecond), limit)
	}
	if n := srv.requests("GET /v1/templates/t1"); n != 0 {
		t.Errorf("%d template reads went out without a token", n)
	}
	t.Logf("%d callers: %d token requests, %s", callers, srv.requests("POST /v1/token"), elapsed.Round(10*time.Millisecond))
}

// TestStaticToken_proxyErrorDoesNotSettleTheProbe: a proxy's 502 page says
// nothing of the token, so it must not count as the server accepting it.
// The old client took any APIError as acceptance: after one 502, ten
// concurrent reads all went out with a token the server then rejected (10
// rejected requests instead of 1).
func TestStaticToken_proxyErrorDoesNotSettleTheProbe(t *testing.T) {
	t.Parallel()
	var proxyDown atomic.Bool
	proxyDown.Store(true)
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if proxyDown.CompareAndSwap(true, false) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
			return
		}
		time.Sleep(20 * time.Millisecond) // let the other callers queue up
		writeOpen(w, 401, StatusTokenNotFound, MessageTokenNotFound, nil)
	})
	c := testClient(t, srv.URL, func(cfg *Config) { cfg.AccessToken = "static-token-1234"; cfg.MaxRetries = -1 })
	if _, err := c.GetTemplate(t.Context(), "t1"); err == nil {
		t.Fatal("want the proxy's 502")
	}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetTemplate(t.Context(), "t1") })
	}
	wg.Wait()
	for i, err := range errs {
		if !IsTokenRejected(err) {
			t.Errorf("caller %d: want the token rejection, got %v", i, err)
		}
	}
	if n := srv.requests("GET /v1/templates/t1"); n != 2 {
		t.Errorf("%d requests (one 502, then %d with the rejected token), want 2: the 502 must leave the probe open", n, n-1)
	}
}

// TestCredentialsToken_exchangeOutlivesTheCallerThatStartedIt: the caller
// that starts an exchange may give up (its resource's timeout ends); the
// others waiting on the exchange still get its token, and no second exchange
// is made. The old client ran the exchange under the first caller's context,
// so its cancellation failed the exchange and the next caller made another
// (2 token requests).
func TestCredentialsToken_exchangeOutlivesTheCallerThatStartedIt(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/token" {
			time.Sleep(150 * time.Millisecond)
			writeOpen(w, 200, 0, MessageOK, Token{AccessToken: "issued-token", ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
			return
		}
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1"})
	})
	c := testClient(t, srv.URL, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.Credentials = &ClientCredentials{ClientID: "c", ClientSecret: "secret-value"}
	})
	impatient, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	var impatientErr error
	wg.Go(func() { _, impatientErr = c.GetTemplate(impatient, "t1") })
	time.Sleep(10 * time.Millisecond) // the impatient caller starts the exchange
	errs := make([]error, 5)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetTemplate(t.Context(), "t1") })
	}
	wg.Wait()
	if !errors.Is(impatientErr, context.DeadlineExceeded) {
		t.Errorf("the impatient caller: want its deadline, got %v", impatientErr)
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	if n := srv.requests("POST /v1/token"); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

// TestStaticToken_unreachableServerDoesNotQueueCallers: while the server does
// not answer at all, no request can learn anything of a static token, so the
// one-probe-at-a-time gate stands aside and each caller's own request goes
// out at once. The old gate let the callers through one attempt at a time:
// 10 concurrent reads (200 ms timeout, 1 retry) took 4.1 s, not 0.4 s.
func TestStaticToken_unreachableServerDoesNotQueueCallers(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	const timeout = 200 * time.Millisecond
	c := testClient(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = timeout; cfg.MaxRetries = 1 })
	const callers = 10
	errs, elapsed := readConcurrently(t, c, callers)
	for i, err := range errs {
		if err == nil {
			t.Errorf("caller %d: want the outage's error, got none", i)
		}
	}
	if limit := 5 * timeout; elapsed > limit {
		t.Errorf("the last caller ended after %s, want under %s (each caller's own two attempts)", elapsed.Round(10*time.Millisecond), limit)
	}
	t.Logf("%d callers: %d requests, %s", callers, srv.requests("GET /v1/templates/t1"), elapsed.Round(10*time.Millisecond))
}

// readConcurrently reads one template from n callers at once, as n
// resources refreshing in one run do, and returns their errors and how long
// the last one took.
func readConcurrently(t *testing.T, c *Client, n int) ([]error, time.Duration) {
	t.Helper()
	errs := make([]error, n)
	started := time.Now()
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.GetTemplate(t.Context(), "t1") })
	}
	wg.Wait()
	return errs, time.Since(started)
}
