package workplus

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

type apiKind int

const (
	openAPI apiKind = iota
	pushAPI
)

// call is one logical API request; do may send it several times.
type call struct {
	api    apiKind
	method string
	path   string
	query  url.Values
	appID  string // Push API app_id header
	body   any
	out    any // where the envelope's result/data is decoded
	// idempotent requests are re-sent after any retryable failure. Others are
	// re-sent only when the server provably did not act on them (see
	// retryPolicy.shouldRetry).
	idempotent bool
	noAuth     bool // the token endpoint itself
}

// LogEntry describes one attempt of a request. Secrets are already redacted.
type LogEntry struct {
	Method      string
	URL         string
	RequestBody string
	Attempt     int
	Status      int
	Duration    time.Duration
	Err         string
	RetryIn     time.Duration
}

// LogHook receives a LogEntry per attempt.
type LogHook func(ctx context.Context, entry LogEntry)

// RedactedValue replaces secrets in logged URLs and bodies.
const RedactedValue = "REDACTED"

var secretJSONField = regexp.MustCompile(`("(?:client_secret|access_token|refresh_token|app_secret|access-token)"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// RedactJSON hides the values of secret fields in a JSON text.
func RedactJSON(body []byte) string {
	return secretJSONField.ReplaceAllString(string(body), `$1"`+RedactedValue+`"`)
}

// do sends cl, retrying as the policy allows, and returns its error with
// every secret masked: whatever path an error takes (a server's message, a
// proxy's page, a URL inside a Go error), its text never carries a token.
func (c *Client) do(ctx context.Context, cl call) error {
	return c.secrets.redactError(c.sayOnce(cl, c.send(ctx, cl)))
}

func (c *Client) send(ctx context.Context, cl call) error {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("WorkPlus API %s %s: encoding the request: %w", cl.method, cl.path, err)
		}
	}
	tokenRenewed := false
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		token := ""
		if !cl.noAuth {
			var err error
			if token, err = c.tokens.Token(ctx); err != nil {
				return err
			}
		}
		started := time.Now()
		status, err := c.attempt(ctx, cl, payload, token)
		if settle, ok := c.tokens.(settler); ok && !cl.noAuth {
			settle.Settle(token, err)
		}
		entry := LogEntry{Method: cl.method, Attempt: attempt, Status: status, Duration: time.Since(started)}

		// A rejected token was checked before anything else happened, so even a
		// non-idempotent request may be re-sent with a fresh one, once.
		if IsTokenRejected(err) && !tokenRenewed && c.tokens.Renewable() {
			tokenRenewed = true
			c.tokens.Invalidate(token)
			c.logAttempt(ctx, cl, payload, entry, err, 0)
			attempt--
			continue
		}
		if err == nil {
			c.logAttempt(ctx, cl, payload, entry, nil, 0)
			return nil
		}
		if IsTokenRejected(err) && !c.tokens.Renewable() {
			c.logAttempt(ctx, cl, payload, entry, err, 0)
			return &TokenRejectedError{Err: err}
		}
		wait, retry := c.retry.shouldRetry(cl.idempotent, attempt, err)
		if retry && waited+wait > c.retry.maxTotalWait {
			c.logAttempt(ctx, cl, payload, entry, err, 0)
			return fmt.Errorf("%w (gave up: retrying would bring the wait to %s, over the limit of %s)", err, (waited + wait).Round(time.Millisecond), c.retry.maxTotalWait)
		}
		if !retry {
			c.logAttempt(ctx, cl, payload, entry, err, 0)
			if !cl.idempotent && isSentTransportError(err) {
				return &AmbiguousError{Method: cl.method, Endpoint: cl.path, Err: err}
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) && apiErr.RetryAfter > c.retry.maxRetryAfter {
				return fmt.Errorf("%w (not retried: the server asked to wait %s, longer than the provider waits, %s)", err, apiErr.RetryAfter, c.retry.maxRetryAfter)
			}
			return err
		}
		c.logAttempt(ctx, cl, payload, entry, err, wait)
		if sleepErr := sleep(ctx, wait); sleepErr != nil {
			return fmt.Errorf("WorkPlus API %s %s: gave up waiting to retry: %w (last error: %v)", cl.method, cl.path, sleepErr, err)
		}
		waited += wait
	}
}

func (c *Client) logAttempt(ctx context.Context, cl call, payload []byte, entry LogEntry, err error, retryIn time.Duration) {
	if c.log == nil {
		return
	}
	u := c.url(cl)
	if !cl.noAuth && cl.api == openAPI {
		q := u.Query()
		q.Set("access_token", RedactedValue)
		u.RawQuery = q.Encode()
	}
	entry.URL = u.Redacted()
	if len(payload) > 0 && len(payload) <= 64<<10 {
		entry.RequestBody = RedactJSON(payload)
	}
	if err != nil {
		entry.Err = c.secrets.redact(err.Error())
	}
	entry.RetryIn = retryIn
	c.log(ctx, entry)
}

func (c *Client) url(cl call) *url.URL {
	base := c.openBase
	if cl.api == pushAPI {
		base = c.pushBase
	}
	u := *base
	u.Path = base.Path + cl.path
	u.RawQuery = cl.query.Encode()
	return &u
}

// attempt sends the request once and decodes the answer into cl.out. It
// returns the HTTP status (0 when there was no answer).
func (c *Client) attempt(ctx context.Context, cl call, payload []byte, token string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// A request that never got a connection (the dial or the TLS handshake
	// failed, or time ran out first) provably never reached the server, so
	// even a create may be sent again.
	var connected atomic.Bool
	traced := !cl.idempotent && c.ownTransport
	if traced {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }})
	}

	u := c.url(cl)
	if token != "" && cl.api == openAPI {
		q := u.Query()
		q.Set("access_token", token)
		u.RawQuery = q.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return 0, fmt.Errorf("WorkPlus API %s %s: %w", cl.method, cl.path, stripURL(err))
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.api == pushAPI {
		if token != "" {
			req.Header.Set("access-token", token)
		}
		if cl.appID != "" {
			req.Header.Set("app_id", cl.appID)
		}
	}
	httpClient := c.http
	if !cl.idempotent {
		httpClient = c.httpOnce
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, &transportError{method: cl.method, endpoint: cl.path, err: stripURL(err), neverConnected: traced && !connected.Load()}
	}
	defer resp.Body.Close()
	c.clock.observe(resp.Header, time.Now())
	if isRedirect(resp.StatusCode) {
		return resp.StatusCode, &redirectError{method: cl.method, endpoint: cl.path, status: resp.StatusCode, location: redactLocation(resp.Header.Get("Location"))}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return resp.StatusCode, &transportError{method: cl.method, endpoint: cl.path, err: err, afterSend: true}
	}
	return resp.StatusCode, decodeResponse(cl, resp, raw)
}

func isRedirect(status int) bool {
	return status >= 300 && status < 400 && status != http.StatusNotModified
}

// errRedirect is what every redirectError matches with errors.Is.
var errRedirect = errors.New("redirect not followed")

// redirectError is a redirect the client refused to follow with credentials.
type redirectError struct {
	method, endpoint string
	status           int
	location         string
}

func (e *redirectError) Error() string {
	location := e.location
	if location == "" {
		location = "no Location header"
	}
	return fmt.Sprintf("WorkPlus API %s %s: HTTP %d redirects to %s. The provider does not follow redirects, because that would send the access token to another address; "+
		"if that is the right WorkPlus server, set endpoint (or push_endpoint) to it", e.method, e.endpoint, e.status, location)
}

func (e *redirectError) Is(target error) bool { return target == errRedirect }

// redactLocation hides an access_token that a Location echoes back.
func redactLocation(location string) string {
	u, err := url.Parse(location)
	if err != nil {
		return "an unparsable Location"
	}
	if q := u.Query(); q.Has("access_token") {
		q.Set("access_token", RedactedValue)
		u.RawQuery = q.Encode()
	}
	u.User = nil
	return u.String()
}

// stripURL drops the request URL from a *url.Error: it holds the access token.
func stripURL(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

// transportError is a request that got no complete answer.
type transportError struct {
	method, endpoint string
	err              error
	afterSend        bool
	// neverConnected: Go's transport obtained no connection for the
	// request (traced for non-idempotent requests only).
	neverConnected bool
}

func (e *transportError) Error() string {
	return fmt.Sprintf("WorkPlus API %s %s: %v", e.method, e.endpoint, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

// notSent reports whether the request provably never reached the server: the
// connection could not be made at all.
func (e *transportError) notSent() bool {
	return !e.afterSend && (e.neverConnected || isDialError(e.err))
}

// permanent reports failures that no retry can fix (TLS trust, bad URL).
func (e *transportError) permanent() bool {
	var verification *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	return errors.As(e.err, &verification) || errors.As(e.err, &record) ||
		errors.As(e.err, &unknownAuthority) || errors.As(e.err, &hostname)
}

func isSentTransportError(err error) bool {
	var te *transportError
	return errors.As(err, &te) && !te.notSent()
}

type envelopeProbe struct {
	Status  *int            `json:"status"`
	Code    *int            `json:"code"`
	Message *string         `json:"message"`
	Result  json.RawMessage `json:"result"`
	Data    json.RawMessage `json:"data"`
}

// decodeResponse decides from the envelope first and falls back to the HTTP
// status when the body is not an envelope (API.md): some deployments answer
// every request with HTTP 200, and proxies answer errors with HTML pages.
func decodeResponse(cl call, resp *http.Response, raw []byte) error {
	apiErr := &APIError{Method: cl.method, Endpoint: cl.path, HTTPStatus: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"))}
	if len(raw) > MaxResponseBytes {
		apiErr.Message = fmt.Sprintf("the response is larger than %d MiB; this is not a WorkPlus answer", MaxResponseBytes>>20)
		return apiErr
	}
	var probe envelopeProbe
	jsonErr := json.Unmarshal(raw, &probe)
	code, payload, ok := probe.Status, probe.Result, cl.api == openAPI
	if !ok {
		code, payload = probe.Code, probe.Data
	}
	success := StatusOK
	if cl.api == pushAPI {
		success = PushCodeOK
	}
	if jsonErr != nil || code == nil {
		apiErr.Message = describeNonEnvelope(resp, raw, jsonErr)
		return apiErr
	}
	apiErr.Code, apiErr.HasCode = *code, true
	if probe.Message != nil {
		apiErr.Message = *probe.Message
	}
	if *code != success {
		if apiErr.Message == "" {
			apiErr.Message = http.StatusText(resp.StatusCode)
		}
		return apiErr
	}
	if cl.out == nil || len(payload) == 0 || string(payload) == "null" {
		return nil
	}
	if err := json.Unmarshal(payload, cl.out); err != nil {
		apiErr.Message = "the answer's fields are not what WorkPlus documents: " + err.Error()
		return apiErr
	}
	return nil
}

func describeNonEnvelope(resp *http.Response, raw []byte, jsonErr error) string {
	switch {
	case len(bytes.TrimSpace(raw)) == 0:
		return "the response body is empty, not a WorkPlus envelope"
	case jsonErr != nil:
		return fmt.Sprintf("the response is not JSON (%s) but %s: %s", jsonErr, contentType(resp), snippet(raw))
	default:
		return "the response is JSON but not a WorkPlus envelope: " + snippet(raw)
	}
}

func contentType(resp *http.Response) string {
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		return ct
	}
	return "no content type"
}

// snippet shows the start of an unexpected body, so a proxy's error page is
// recognisable in the message without flooding it.
func snippet(raw []byte) string {
	const limit = 200
	s := strings.Join(strings.Fields(string(raw)), " ")
	if len(s) > limit {
		s = s[:limit]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return fmt.Sprintf("%q", s)
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
