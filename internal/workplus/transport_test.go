package workplus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeServer answers with handler and counts requests per "METHOD path".
type fakeServer struct {
	*httptest.Server
	mu    sync.Mutex
	count map[string]int
}

func newFakeServer(t *testing.T, handler http.HandlerFunc) *fakeServer {
	t.Helper()
	f := &fakeServer{count: map[string]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.count[r.Method+" "+r.URL.Path]++
		f.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) requests(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.count[route]
}

func testClient(t *testing.T, url string, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Endpoint: url, AccessToken: "static-token", MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func writeOpen(w http.ResponseWriter, httpStatus, status int, message string, result any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "message": message, "result": result})
}

func TestDecodeResponse_errorMapping(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		handler      http.HandlerFunc
		wantHTTP     int
		wantCode     int
		wantHasCode  bool
		wantContains []string
		notFound     bool
	}{
		"HTML 502 from a proxy": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
			},
			wantHTTP: 502, wantContains: []string{"HTTP 502", "not JSON", "text/html", "502 Bad Gateway", "GET /v1/templates/t1"},
		},
		"empty body": {
			handler:  func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) },
			wantHTTP: 200, wantContains: []string{"empty"},
		},
		"truncated JSON": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(`{"status":0,"message":"Everything is ok.","result":{"id":"t1","tit`))
			},
			wantHTTP: 200, wantContains: []string{"not JSON", "unexpected end of JSON input"},
		},
		"JSON that is not an envelope": {
			handler:  func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"error":"nope"}`)) },
			wantHTTP: 200, wantContains: []string{"not a WorkPlus envelope", "nope"},
		},
		"wrong JSON types in the result": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeOpen(w, 200, 0, MessageOK, map[string]any{"id": "t1", "create_time": "yesterday"})
			},
			wantHTTP: 200, wantCode: 0, wantHasCode: true, wantContains: []string{"create_time", "not what WorkPlus documents"},
		},
		"10 MiB body": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(`{"status":0,"result":"` + strings.Repeat("x", 10<<20) + `"}`))
			},
			wantHTTP: 200, wantContains: []string{"larger than 8 MiB"},
		},
		"not found with HTTP status": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeOpen(w, 404, StatusNotFound, MessageNotFound, nil)
			},
			wantHTTP: 404, wantCode: StatusNotFound, wantHasCode: true, wantContains: []string{"code 40400", "template not found."}, notFound: true,
		},
		"not found in a 200-only deployment": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeOpen(w, 200, StatusNotFound, MessageNotFound, nil)
			},
			wantHTTP: 200, wantCode: StatusNotFound, wantHasCode: true, notFound: true,
		},
		"plain 404 without envelope": {
			handler:  func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) },
			wantHTTP: 404, notFound: true,
		},
		"token rejected": {
			handler: func(w http.ResponseWriter, _ *http.Request) {
				writeOpen(w, 401, StatusTokenNotFound, MessageTokenNotFound, nil)
			},
			wantHTTP: 401, wantCode: StatusTokenNotFound, wantHasCode: true, wantContains: []string{"code 10011", "token not found."},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFakeServer(t, tc.handler)
			_, err := testClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 }).GetTemplate(t.Context(), "t1")
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want *APIError, got %T %v", err, err)
			}
			if apiErr.HTTPStatus != tc.wantHTTP || apiErr.HasCode != tc.wantHasCode || apiErr.Code != tc.wantCode {
				t.Errorf("got HTTP %d code %d (has %v), want HTTP %d code %d (has %v)", apiErr.HTTPStatus, apiErr.Code, apiErr.HasCode, tc.wantHTTP, tc.wantCode, tc.wantHasCode)
			}
			for _, want := range tc.wantContains {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if IsNotFound(err) != tc.notFound {
				t.Errorf("IsNotFound = %v, want %v", IsNotFound(err), tc.notFound)
			}
			if strings.Contains(err.Error(), "static-token") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestRetry_idempotentRequests(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		switch calls.Add(1) {
		case 1:
			writeOpen(w, 503, StatusUnavailable, "busy", nil)
		case 2:
			w.Header().Set("Retry-After", "0")
			writeOpen(w, 429, StatusRateLimited, "slow down", nil)
		default:
			writeOpen(w, 200, 0, MessageOK, Template{ID: "t1", Title: "x"})
		}
	})
	var entries []LogEntry
	var mu sync.Mutex
	c := testClient(t, srv.URL, func(c *Config) {
		c.Log = func(_ context.Context, e LogEntry) { mu.Lock(); entries = append(entries, e); mu.Unlock() }
	})
	got, err := c.GetTemplate(t.Context(), "t1")
	if err != nil || got.ID != "t1" {
		t.Fatalf("GetTemplate = %v, %v", got, err)
	}
	if n := srv.requests("GET /v1/templates/t1"); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
	if len(entries) != 3 || entries[0].RetryIn <= 0 || entries[1].RetryIn <= 0 || entries[2].Err != "" {
		t.Errorf("log entries = %+v", entries)
	}
}

func TestRetry_notImplementedIsFinal(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) { writeOpen(w, 501, 50100, "no", nil) })
	_, err := testClient(t, srv.URL).GetTemplate(t.Context(), "t1")
	if err == nil || srv.requests("GET /v1/templates/t1") != 1 {
		t.Fatalf("501 must not be retried: err %v, requests %d", err, srv.requests("GET /v1/templates/t1"))
	}
}

func TestRetry_boundedByMaxRetries(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) { writeOpen(w, 500, StatusInternal, "boom", nil) })
	_, err := testClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 }).GetTemplate(t.Context(), "t1")
	if err == nil || srv.requests("GET /v1/templates/t1") != 3 {
		t.Fatalf("want 3 attempts and an error, got %d, %v", srv.requests("GET /v1/templates/t1"), err)
	}
}

// TestRetry_boundedByContext: a context that ends during a wait ends the
// retries, and the error names the failure being retried. The old code
// shadowed err and reported "(last error: <nil>)".
func TestRetry_boundedByContext(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		writeOpen(w, 429, StatusRateLimited, "slow down", nil)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := testClient(t, srv.URL).GetTemplate(ctx, "t1")
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the context's deadline, got %v", err)
	}
	if strings.Contains(err.Error(), "<nil>") || !strings.Contains(err.Error(), "slow down") {
		t.Fatalf("want the last error in the message, got %v", err)
	}
	if time.Since(started) > 10*time.Second {
		t.Fatalf("waited past the context: %v", time.Since(started))
	}
}

func TestRetryPolicy_classification(t *testing.T) {
	t.Parallel()
	p := retryPolicy{maxRetries: 3, waitMin: time.Millisecond, waitMax: time.Second, maxRetryAfter: time.Minute, maxTotalWait: time.Hour}
	refused := &transportError{err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	dropped := &transportError{err: errors.New("EOF")}
	cases := []struct {
		name       string
		idempotent bool
		err        error
		retry      bool
	}{
		{"refused, create", false, refused, true},
		{"dropped, create", false, dropped, false},
		{"dropped, read", true, dropped, true},
		{"429, create", false, &APIError{HTTPStatus: 429}, true},
		{"429 in envelope, create", false, &APIError{HTTPStatus: 200, HasCode: true, Code: StatusRateLimited}, true},
		{"503, create", false, &APIError{HTTPStatus: 503}, false},
		{"503, read", true, &APIError{HTTPStatus: 503}, true},
		{"503 in envelope, read", true, &APIError{HTTPStatus: 200, HasCode: true, Code: StatusUnavailable}, true},
		{"501, read", true, &APIError{HTTPStatus: 501}, false},
		{"400, read", true, &APIError{HTTPStatus: 400, HasCode: true, Code: StatusBadRequest}, false},
		{"404, read", true, &APIError{HTTPStatus: 404}, false},
		{"other error", true, errors.New("encoding"), false},
	}
	for _, tc := range cases {
		if _, retry := p.shouldRetry(tc.idempotent, 1, tc.err); retry != tc.retry {
			t.Errorf("%s: retry = %v, want %v", tc.name, retry, tc.retry)
		}
	}
	if _, retry := p.shouldRetry(true, 4, &APIError{HTTPStatus: 503}); retry {
		t.Error("retried past maxRetries")
	}
	if wait, _ := p.shouldRetry(true, 1, &APIError{HTTPStatus: 429, RetryAfter: 7 * time.Second}); wait != 7*time.Second {
		t.Errorf("Retry-After not honoured: wait %v", wait)
	}
	if _, retry := p.shouldRetry(true, 1, &APIError{HTTPStatus: 429, RetryAfter: time.Hour}); retry {
		t.Error("a Retry-After over maxRetryAfter was obeyed")
	}
	if _, retry := p.shouldRetry(true, 1, &redirectError{status: 307}); retry {
		t.Error("a redirect was retried")
	}
	for attempt := 1; attempt < 40; attempt++ {
		if d := p.backoff(attempt); d <= 0 || d > p.waitMax {
			t.Fatalf("backoff(%d) = %v, outside (0, %v]", attempt, d, p.waitMax)
		}
	}
}

// dropAfter answers nothing: it hijacks the connection and closes it, as a
// server that crashed after acting on the request would.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// skewedTemplateServer is a server whose clock runs skew ahead of ours (its
// Date headers and create times say so). Its create is processed and then
// dropped; its list holds an identical template created an hour earlier on
// its clock, and the one the create made.
func skewedTemplateServer(t *testing.T, in TemplateInput, skew time.Duration, processCreate bool) *fakeServer {
	t.Helper()
	serverNow := func() time.Time { return time.Now().Add(skew) }
	var created atomic.Pointer[Template]
	older := Template{ID: "older-twin", AppID: "app", Title: in.Title, Tags: in.Tags, Contents: in.Contents, CreateTime: serverNow().Add(-time.Hour).UnixMilli()}
	return newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", serverNow().UTC().Format(http.TimeFormat))
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/templates" && !processCreate:
			dropConnection(w)
		case r.Method == http.MethodPost && r.URL.Path == "/v1/templates":
			created.Store(&Template{ID: "new", AppID: r.URL.Query().Get("app_id"), Title: in.Title, Tags: in.Tags, Contents: in.Contents, CreateTime: serverNow().UnixMilli()})
			dropConnection(w)
		case r.Method == http.MethodGet && r.URL.Path == "/v1/templates":
			records := []Template{older}
			if t := created.Load(); t != nil {
				records = append(records, *t)
			}
			writeOpen(w, 200, 0, MessageOK, TemplatePage{TotalCount: len(records), Records: records})
		case r.Method == http.MethodGet && r.URL.Path == "/v1/templates/older-twin":
			writeOpen(w, 200, 0, MessageOK, older)
		case r.Method == http.MethodGet && r.URL.Path == "/v1/templates/new":
			writeOpen(w, 200, 0, MessageOK, created.Load())
		}
	})
}

// TestCreateTemplate_namesCandidatesOnTheServersClock: the templates an
// unknown create names are those created since the call began on the
// server's clock, learnt from its Date headers: the one this call made, not
// the twin from an hour before. Whatever the clocks say, it adopts neither.
// The old code compared create times with our clock minus five minutes: a
// server an hour behind made it create a duplicate, and a server an hour
// ahead made it adopt a template created long before the call.
func TestCreateTemplate_namesCandidatesOnTheServersClock(t *testing.T) {
	t.Parallel()
	for name, skew := range map[string]time.Duration{"server behind": -time.Hour, "server in step": 0, "server ahead": time.Hour + 30*time.Minute} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := TemplateInput{Title: "Deploy", Tags: "ci", Contents: [][]TemplateCell{{{Content: "{{a.DATA}}", Align: AlignLeft}}}}
			srv := skewedTemplateServer(t, in, skew, true)
			got, err := testClient(t, srv.URL).CreateTemplate(t.Context(), "app", "", in)
			var unknown *AmbiguousCreateError
			if got != nil || !errors.As(err, &unknown) {
				t.Fatalf("want an AmbiguousCreateError and no template, got %v, %v", got, err)
			}
			if fmt.Sprint(unknown.Candidates) != "[new]" {
				t.Errorf("candidates %v, want [new], the template created since the call began", unknown.Candidates)
			}
			if n := srv.requests("POST /v1/templates"); n != 1 {
				t.Errorf("POST sent %d times, want once", n)
			}
		})
	}
}

// TestCreateTemplate_neverAdoptsAnOlderTwin: the create was lost before the
// server acted; the identical template from an hour earlier (on a server
// clock 90 minutes ahead of ours) is not this call's. The old code adopted it.
func TestCreateTemplate_neverAdoptsAnOlderTwin(t *testing.T) {
	t.Parallel()
	in := TemplateInput{Title: "Deploy", Tags: "ci", Contents: [][]TemplateCell{{{Content: "{{a.DATA}}", Align: AlignLeft}}}}
	srv := skewedTemplateServer(t, in, 90*time.Minute, false)
	got, err := testClient(t, srv.URL).CreateTemplate(t.Context(), "app", "", in)
	if err == nil {
		t.Fatalf("adopted %s, a template created before this call", got.ID)
	}
	if !strings.Contains(err.Error(), "No template with this content was created") || srv.requests("POST /v1/templates") != 1 {
		t.Errorf("err %v after %d creates", err, srv.requests("POST /v1/templates"))
	}
}

// TestCreateTemplate_notResentAfterA5xx: a 5xx answer does not say whether
// the server acted, so the create is not sent again; with nothing found, the
// error says so. The old code created again.
func TestCreateTemplate_notResentAfterA5xx(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			writeOpen(w, 503, StatusUnavailable, "try later", nil)
		default:
			writeOpen(w, 200, 0, MessageOK, TemplatePage{})
		}
	})
	_, err := testClient(t, srv.URL).CreateTemplate(t.Context(), "app", "", TemplateInput{Title: "Deploy"})
	var ambiguous *AmbiguousCreateError
	if !errors.As(err, &ambiguous) || len(ambiguous.Candidates) != 0 || !strings.Contains(err.Error(), "run terraform apply again") {
		t.Fatalf("want an AmbiguousCreateError without candidates, got %v", err)
	}
	if srv.requests("GET /v1/templates") != 1 || srv.requests("POST /v1/templates") != 1 {
		t.Errorf("requests %v: want one create and one search", srv.count)
	}
}

// TestCreateTemplate_searchFailureListsNothing: when the search after an
// unknown create fails, the error says that nothing could be listed and
// where to look, and does not claim that no template was created.
func TestCreateTemplate_searchFailureListsNothing(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			dropConnection(w)
		default:
			writeOpen(w, 500, StatusInternal, "list broken", nil)
		}
	})
	_, err := testClient(t, srv.URL).CreateTemplate(t.Context(), "app", "", TemplateInput{Title: "Deploy"})
	var unknown *AmbiguousCreateError
	if !errors.As(err, &unknown) || unknown.SearchErr == nil {
		t.Fatalf("want an AmbiguousCreateError with the search's failure, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"Searching the server for templates with this content failed", "list broken", `titled "Deploy"`, "terraform import '" + ImportAddressPlaceholder + "' <id>"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "No template with this content was created") {
		t.Errorf("the error says no template was created, though the search failed:\n%s", msg)
	}
	if n := srv.requests("POST /v1/templates"); n != 1 {
		t.Errorf("POST sent %d times, want once", n)
	}
}

// TestCreateTemplate_noDateHeaderNoProof: without the server's clock there
// is no proof that a template was created by this call.
func TestCreateTemplate_noDateHeaderNoProof(t *testing.T) {
	t.Parallel()
	in := TemplateInput{Title: "Deploy"}
	found := Template{ID: "maybe", AppID: "app", Title: "Deploy", CreateTime: time.Now().UnixMilli()}
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil // suppresses net/http's automatic Date header
		switch {
		case r.Method == http.MethodPost:
			dropConnection(w)
		case r.URL.Path == "/v1/templates":
			writeOpen(w, 200, 0, MessageOK, TemplatePage{TotalCount: 1, Records: []Template{found}})
		default:
			writeOpen(w, 200, 0, MessageOK, found)
		}
	})
	_, err := testClient(t, srv.URL).CreateTemplate(t.Context(), "app", "", in)
	if err == nil || !strings.Contains(err.Error(), "no Date header") || !strings.Contains(err.Error(), "terraform import '"+ImportAddressPlaceholder+"' maybe") {
		t.Fatalf("want a failure naming the missing Date header and the candidate's import, got %v", err)
	}
}

func TestSendAppMessage_isNotResentAfterADrop(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) { dropConnection(w) })
	_, err := testClient(t, srv.URL).SendAppMessage(t.Context(), "", AppMessage{Type: MessageTypeText, Body: AppMessageBody{Content: "hi"}})
	if !IsAmbiguous(err) {
		t.Fatalf("want an ambiguous error, got %T %v", err, err)
	}
	if !strings.Contains(err.Error(), "may or may not have taken effect") || srv.requests("POST /v1/apps/mbox") != 1 {
		t.Errorf("err %v, requests %d", err, srv.requests("POST /v1/apps/mbox"))
	}
}

func TestRetry_refusedConnectionIsRetriedEvenForCreates(t *testing.T) {
	t.Parallel()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := listener.Addr().String()
	_ = listener.Close() // nothing listens now: connections are refused
	var logged atomic.Int32
	c := testClient(t, "http://"+addr, func(c *Config) {
		c.MaxRetries = 2
		c.Log = func(context.Context, LogEntry) { logged.Add(1) }
	})
	_, err = c.CreateTemplate(t.Context(), "app", "", TemplateInput{Title: "x"})
	if err == nil || IsAmbiguous(err) {
		t.Fatalf("want a plain connection error, got %v", err)
	}
	if logged.Load() != 3 {
		t.Errorf("attempts logged = %d, want 3 (refused connections are safe to retry)", logged.Load())
	}
}

func TestNotify_retriedOnlyWithRequestID(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(503)
		_, _ = fmt.Fprint(w, `{"code":503,"data":null,"message":"busy"}`)
	})
	c := testClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 })
	req := NotifyRequest{Audience: Audience{All: true}, Message: PushMessage{Title: "t"}}
	if _, err := c.Notify(t.Context(), "app", req); err == nil {
		t.Fatal("want an error")
	}
	if n := srv.requests("POST /push/notify"); n != 1 {
		t.Errorf("notify without request_id sent %d times, want 1", n)
	}
	req.Setting = &PushSetting{RequestID: "abc"}
	_, _ = c.Notify(t.Context(), "app", req)
	if n := srv.requests("POST /push/notify"); n != 4 {
		t.Errorf("notify with request_id: total sends %d, want 1+3", n)
	}
}

func TestCredentialsToken_fetchedOnceAndRenewedOnRejection(t *testing.T) {
	t.Parallel()
	var issued atomic.Int32
	var rejectNext atomic.Bool
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/token" {
			var req TokenRequest
			_ = json.NewDecoder(r.Body).Decode(&req)
			if req.ClientSecret != "shh" || req.GrantType != "client_credentials" {
				writeOpen(w, 401, 40100, "invalid client credentials.", nil)
				return
			}
			n := issued.Add(1)
			time.Sleep(10 * time.Millisecond) // widen the window for concurrent callers
			writeOpen(w, 200, 0, MessageOK, Token{AccessToken: fmt.Sprintf("tok-%d", n), ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
			return
		}
		token := r.URL.Query().Get("access_token")
		if rejectNext.CompareAndSwap(true, false) || token != fmt.Sprintf("tok-%d", issued.Load()) {
			writeOpen(w, 401, StatusTokenNotFound, MessageTokenNotFound, nil)
			return
		}
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1"})
	})
	c := testClient(t, srv.URL, func(c *Config) {
		c.AccessToken = ""
		c.Credentials = &ClientCredentials{DomainID: "d", OrgID: "o", ClientID: "c", ClientSecret: "shh"}
	})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.GetTemplate(t.Context(), "t1"); err != nil {
				t.Errorf("GetTemplate: %v", err)
			}
		})
	}
	wg.Wait()
	if n := srv.requests("POST /v1/token"); n != 1 {
		t.Fatalf("20 concurrent requests fetched %d tokens, want 1", n)
	}
	rejectNext.Store(true)
	if _, err := c.GetTemplate(t.Context(), "t1"); err != nil {
		t.Fatalf("after a 10011 the client must renew and succeed: %v", err)
	}
	if n := srv.requests("POST /v1/token"); n != 2 {
		t.Errorf("tokens fetched = %d, want 2 after one rejection", n)
	}
}

func TestCredentialsToken_renewedOnExpiry(t *testing.T) {
	t.Parallel()
	var issued atomic.Int32
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/token" {
			issued.Add(1)
			writeOpen(w, 200, 0, MessageOK, Token{AccessToken: "tok", ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
			return
		}
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1"})
	})
	c := testClient(t, srv.URL, func(c *Config) {
		c.AccessToken = ""
		c.Credentials = &ClientCredentials{ClientID: "c", ClientSecret: "s"}
	})
	source := c.tokens.(*credentialsToken)
	now := time.Now()
	source.now = func() time.Time { return now }
	_, _ = c.GetTemplate(t.Context(), "t1")
	_, _ = c.GetTemplate(t.Context(), "t1")
	if issued.Load() != 1 {
		t.Fatalf("tokens before expiry = %d, want 1", issued.Load())
	}
	now = now.Add(2 * time.Hour)
	_, _ = c.GetTemplate(t.Context(), "t1")
	if issued.Load() != 2 {
		t.Errorf("tokens after expiry = %d, want 2", issued.Load())
	}
}

func TestLogHook_redactsSecrets(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/token" {
			writeOpen(w, 200, 0, MessageOK, Token{AccessToken: "issued-secret-token", ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
			return
		}
		if r.Header.Get("access-token") != "" || r.URL.Path == "/push/certificate" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprint(w, `{"code":200,"data":{"app_secret":"x"},"message":null}`)
			return
		}
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1"})
	})
	var lines []string
	var mu sync.Mutex
	c := testClient(t, srv.URL, func(c *Config) {
		c.AccessToken = ""
		c.Credentials = &ClientCredentials{ClientID: "c", ClientSecret: "very-secret-client-secret"}
		c.Log = func(_ context.Context, e LogEntry) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, fmt.Sprintf("%+v", e))
		}
	})
	if _, err := c.GetTemplate(t.Context(), "t1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCertificate(t.Context(), "app", VendorAPNs, EnvironmentProduction); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(lines, "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 log entries (token, template, certificate), got:\n%s", all)
	}
	for _, secret := range []string{"very-secret-client-secret", "issued-secret-token"} {
		if strings.Contains(all, secret) {
			t.Errorf("log leaks %q:\n%s", secret, all)
		}
	}
	if !strings.Contains(all, "access_token="+RedactedValue) || !strings.Contains(all, `"client_secret":"`+RedactedValue+`"`) {
		t.Errorf("log does not show the redaction markers:\n%s", all)
	}
}

func TestNew_rejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	cases := map[string]Config{
		"no auth":        {Endpoint: "http://x"},
		"both auth":      {Endpoint: "http://x", AccessToken: "t", Credentials: &ClientCredentials{}},
		"relative URL":   {Endpoint: "workplus.example.com", AccessToken: "t"},
		"bad push URL":   {Endpoint: "http://x", PushEndpoint: "ftp://y", AccessToken: "t"},
		"query in URL":   {Endpoint: "http://x/?a=b", AccessToken: "t"},
		"unparsable URL": {Endpoint: "http://[::1", AccessToken: "t"},
	}
	for name, cfg := range cases {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
}
