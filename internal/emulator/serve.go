package emulator

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// route is one endpoint. Its API (and so its envelope and auth) follows from
// its path; key ("GET /v1/templates/{id}") names it in logs, counts and
// fault rules.
type route struct {
	method  string
	pattern string
	key     string
	public  bool // no credentials needed: POST /v1/token, /_emulator/health
	// browsable control routes (the inbox and the JSON it links to) also
	// take the admin token as the admin_token query parameter.
	browsable bool
	body      bodyKind // what the handler reads from the body
	handle    func(*call) (any, error)
	segments  []string
}

func (rt *route) api() apiKind { return apiOf(rt.pattern) }

// call is what a handler gets: the request, its path parameter and who is
// calling.
type call struct {
	r   *http.Request
	id  string    // the {id} path segment, if the route has one
	app App       // the authenticated app (vendor routes)
	org Org       // the app's org
	now time.Time // the emulator's clock, read once per request
}

const unmatchedRoute = "unmatched"

func (e *Emulator) routeTable() []*route {
	routes := []*route{
		{method: http.MethodPost, pattern: "/v1/token", public: true, body: bodyJSON, handle: e.issueToken},
		{method: http.MethodGet, pattern: "/v1/templates", handle: e.listTemplates},
		{method: http.MethodPost, pattern: "/v1/templates", body: bodyJSON, handle: e.createTemplate},
		{method: http.MethodGet, pattern: "/v1/templates/{id}", handle: e.getTemplate},
		{method: http.MethodPost, pattern: "/v1/templates/{id}", body: bodyJSON, handle: e.updateTemplate},
		{method: http.MethodDelete, pattern: "/v1/templates/{id}", handle: e.deleteTemplate},
		{method: http.MethodPost, pattern: "/v1/apps/mbox", body: bodyJSON, handle: e.sendAppMessage},
		{method: http.MethodGet, pattern: "/push/certificate", handle: e.getCertificate},
		{method: http.MethodPost, pattern: "/push/notify", body: bodyJSON, handle: e.notify},
		{method: http.MethodPost, pattern: "/push/task/detail", body: bodyJSON, handle: e.taskDetail},

		// Container probes call health without credentials; it tells nothing.
		{method: http.MethodGet, pattern: "/_emulator/health", public: true, handle: e.controlHealth},
		{method: http.MethodGet, pattern: "/_emulator/ui", browsable: true, handle: e.controlUI},
		{method: http.MethodGet, pattern: "/_emulator/ui/", browsable: true, handle: e.controlUI},
		{method: http.MethodPost, pattern: "/_emulator/reset", handle: e.controlReset},
		{method: http.MethodGet, pattern: "/_emulator/state", browsable: true, handle: e.controlState},
		{method: http.MethodPost, pattern: "/_emulator/seed", body: bodySeed, handle: e.controlSeed},
		{method: http.MethodGet, pattern: "/_emulator/requests", browsable: true, handle: e.controlRequests},
		{method: http.MethodDelete, pattern: "/_emulator/requests", handle: e.controlClearRequests},
		{method: http.MethodGet, pattern: "/_emulator/requests/count", handle: e.controlCountRequests},
		{method: http.MethodGet, pattern: "/_emulator/requests/wait", handle: e.controlWaitRequests},
		{method: http.MethodGet, pattern: "/_emulator/faults", handle: e.controlFaults},
		{method: http.MethodPut, pattern: "/_emulator/faults", body: bodyJSON, handle: e.controlSetFaults},
		{method: http.MethodDelete, pattern: "/_emulator/faults", handle: e.controlClearFaults},
	}
	for _, rt := range routes {
		rt.key = rt.method + " " + rt.pattern
		rt.segments = strings.Split(rt.pattern, "/")
	}
	return routes
}

// match is the outcome of routing: a route, or the methods the path would
// have allowed (for a 405), or neither (404).
type match struct {
	route   *route
	id      string
	allowed []string
}

func (e *Emulator) match(method, path string) match {
	var m match
	segments := strings.Split(path, "/")
	for _, rt := range e.routes {
		id, ok := rt.matchPath(segments)
		if !ok {
			continue
		}
		if rt.method == method {
			return match{route: rt, id: id}
		}
		m.allowed = append(m.allowed, rt.method)
	}
	return m
}

func (rt *route) matchPath(segments []string) (id string, ok bool) {
	if len(segments) != len(rt.segments) {
		return "", false
	}
	for i, want := range rt.segments {
		switch {
		case want == "{id}" && segments[i] != "":
			id = segments[i]
		case want != segments[i]:
			return "", false
		}
	}
	return id, true
}

func (m match) name() string {
	if m.route == nil {
		return unmatchedRoute
	}
	return m.route.key
}

// ServeHTTP serves the vendor APIs and the control API.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := e.match(r.Method, r.URL.Path)
	api := apiOf(r.URL.Path)
	if api == controlAPI {
		// Control requests are the test harness talking, not the client
		// under test: no log, no faults.
		sw := &statusWriter{ResponseWriter: w}
		defer e.recoverPanic(sw, api)
		if err := e.guardHost(r); err != nil {
			e.writeError(sw, api, err)
			return
		}
		e.serveRoute(sw, r, m, api, false)
		return
	}
	e.serveVendor(w, r, m, api)
}

// serveVendor wraps a vendor request in the request log and fault injection.
func (e *Emulator) serveVendor(w http.ResponseWriter, r *http.Request, m match, api apiKind) {
	started := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	rec := RequestRecord{Time: e.now(), Method: r.Method, Route: m.name(), Path: r.URL.Path}
	journalRequest(&rec, r)
	body := &bodyRecorder{ReadCloser: r.Body}
	r.Body = body
	// Whoever reads the log after the client got its answer, or its error
	// from a dropped connection, must find the request there: the record is
	// written before the status line goes out, and before a drop.
	logged := false
	logRequest := func() {
		if logged {
			return
		}
		logged = true
		journalBody(&rec, body)
		rec.Status = sw.status
		rec.LatencyMS = float64(time.Since(started).Microseconds()) / 1000
		e.reqlog.add(rec)
	}
	sw.beforeHeader = logRequest
	defer logRequest()
	defer e.recoverPanic(sw, api)
	// Refused requests are logged, so a client that gets a 403 can be
	// debugged from the journal, but never faulted.
	if err := e.guardHost(r); err != nil {
		e.writeError(sw, api, err)
		return
	}

	rule, ok := e.faults.pick(rec.Route, r.Method)
	if !ok {
		e.serveRoute(sw, r, m, api, false)
		return
	}
	rec.Fault = rule.describe()
	if rule.LatencyMS > 0 {
		// The server's ReadTimeout counts from the request's first byte; an
		// injected delay must not make the body read after it time out.
		_ = http.NewResponseController(sw).SetReadDeadline(time.Time{})
		if !sleep(r.Context(), time.Duration(rule.LatencyMS)*time.Millisecond) {
			return // the client gave up; nobody is listening
		}
	}
	switch {
	case rule.Drop == DropBefore:
		logRequest()
		dropConnection(sw)
	case rule.Drop == DropAfter:
		// Process for real (the change is committed), answer nobody.
		hidden := &statusWriter{ResponseWriter: newDiscardWriter()}
		e.serveRoute(hidden, r, m, api, false)
		sw.status = hidden.status
		logRequest()
		dropConnection(sw)
	case rule.NullData:
		e.serveRoute(sw, r, m, api, true)
	case rule.AfterProcessing:
		e.serveRoute(&statusWriter{ResponseWriter: newDiscardWriter()}, r, m, api, false)
		rule.writeGatewayAnswer(sw)
	case rule.Status != 0 || rule.Code != 0:
		if rule.RetryAfter > 0 {
			sw.Header().Set("Retry-After", strconv.Itoa(rule.RetryAfter))
		}
		e.writeError(sw, api, rule.answer())
	default:
		e.serveRoute(sw, r, m, api, false)
	}
}

// serveRoute answers one request: routing errors, body limit, auth, handler,
// envelope; with nullData, a success carries null data (FaultRule.NullData).
func (e *Emulator) serveRoute(w http.ResponseWriter, r *http.Request, m match, api apiKind, nullData bool) {
	if m.route == nil {
		if len(m.allowed) > 0 {
			w.Header().Set("Allow", strings.Join(m.allowed, ", "))
			e.writeError(w, api, &apiError{HTTP: http.StatusMethodNotAllowed,
				Message: fmt.Sprintf("method %s is not allowed on %s; allowed: %s.", r.Method, r.URL.Path, strings.Join(m.allowed, ", "))})
			return
		}
		e.writeError(w, api, notFound(fmt.Sprintf("no such endpoint: %s %s.", r.Method, r.URL.Path)))
		return
	}
	if err := e.guardRoute(r, m.route); err != nil {
		e.writeError(w, api, err)
		return
	}
	limit := e.opts.MaxBodyBytes
	if api == controlAPI {
		limit = controlMaxBodyBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	c := &call{r: r, id: m.id, now: e.now()}
	if err := e.authenticate(c, m.route); err != nil {
		e.writeError(w, api, err)
		return
	}
	result, err := m.route.handle(c)
	if err != nil {
		ae := asAPIError(err)
		if ae == errInternal {
			e.log.Error("request failed", "route", m.route.key, "error", err)
		}
		e.writeError(w, api, ae)
		return
	}
	if nullData {
		result = nil
	}
	e.writeResult(w, api, result)
}

// authenticate is the one credential check of each API: the Open API's
// access_token query parameter, the Push API's access-token and app_id
// headers, the control API's admin token.
func (e *Emulator) authenticate(c *call, rt *route) *apiError {
	if rt.public {
		return nil
	}
	switch rt.api() {
	case controlAPI:
		if e.opts.AdminToken == "" {
			return nil
		}
		given := c.r.Header.Get("X-Emulator-Admin-Token")
		if given == "" && rt.browsable {
			// A browser opening the inbox cannot send a header.
			given = c.r.URL.Query().Get("admin_token")
		}
		if subtle.ConstantTimeCompare([]byte(given), []byte(e.opts.AdminToken)) != 1 {
			return &apiError{HTTP: http.StatusUnauthorized, Message: "missing or wrong X-Emulator-Admin-Token header (the inbox also takes ?admin_token=)."}
		}
		return nil
	case pushAPI:
		return e.authenticateToken(c, c.r.Header.Get("access-token"), c.r.Header.Get("app_id"), true)
	default:
		return e.authenticateToken(c, c.r.URL.Query().Get("access_token"), "", false)
	}
}

// authenticateToken accepts a known, unexpired token. The Push API names the
// app in a header, which must belong to the token's org; the Open API acts
// for the token's own app.
func (e *Emulator) authenticateToken(c *call, token, appHeader string, needAppHeader bool) *apiError {
	e.mu.RLock()
	defer e.mu.RUnlock()
	t, ok := e.st.tokens.get(token)
	if token == "" || !ok || (t.ExpiresAt != nil && !c.now.Before(*t.ExpiresAt)) {
		return errTokenNotFound
	}
	app, ok := e.st.apps.get(t.AppID)
	if !ok {
		return errTokenNotFound
	}
	if needAppHeader {
		if appHeader == "" {
			return badRequest("missing header app_id.")
		}
		other, ok := e.st.apps.get(appHeader)
		if !ok || other.OrgID != app.OrgID {
			return badRequest("header app_id: no app %q in the token's organisation.", appHeader)
		}
		app = other
	}
	c.app = app
	c.org, _ = e.st.orgs.get(app.OrgID)
	return nil
}

// recoverPanic is the last line: a handler bug answers 500 in the route's
// envelope instead of a dropped connection. http.ErrAbortHandler is how a
// deliberate drop ends and passes through.
func (e *Emulator) recoverPanic(w *statusWriter, api apiKind) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	e.log.Error("handler panic", "panic", v, "stack", string(debug.Stack()))
	if w.status == 0 {
		e.writeError(w, api, errInternal)
	}
}

// dropConnection closes the client's connection without an answer. HTTP/2
// cannot hand over its connection; aborting the handler resets the stream,
// which is the same to the client.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// statusWriter remembers the status written, for the request log and for the
// panic handler, which must not write a second header.
type statusWriter struct {
	http.ResponseWriter
	status int
	// beforeHeader, when set, runs once the status is known and before the
	// status line is written: the request log's moment.
	beforeHeader func()
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
		if w.beforeHeader != nil {
			w.beforeHeader()
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection for hijacking.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// discardWriter takes an answer nobody will read (a fault's "drop after").
type discardWriter struct{ header http.Header }

func newDiscardWriter() *discardWriter               { return &discardWriter{header: http.Header{}} }
func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}
