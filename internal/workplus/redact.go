package workplus

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// secretSet is every secret value the client holds or has been issued in this
// process: the configured token or client secret and each token fetched with
// the credentials. A server may echo any of them (a proxy's error page with
// the request URL, a message quoting the request), so every error and log
// line is masked against them.
type secretSet struct {
	mu     sync.Mutex
	values []string
}

// minSecretLength keeps masking from turning short, common strings into
// REDACTED everywhere; real tokens and secrets are far longer.
const minSecretLength = 6

func (s *secretSet) add(value string) {
	if len(value) < minSecretLength {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.values {
		if v == value {
			return
		}
	}
	s.values = append(s.values, value)
}

// list returns every secret in each form a message may carry it: as it is,
// quoted by Go's %q or strconv.Quote, escaped inside a JSON string, and
// escaped in a URL. A secret holding a `"` or a `\` is no longer itself once
// quoted, so masking only the plain form would miss it in a quoted
// diagnostic. Longer forms come first, so no form is masked half.
func (s *secretSet) list() []string {
	s.mu.Lock()
	values := append([]string(nil), s.values...)
	s.mu.Unlock()
	var forms []string
	for _, v := range values {
		forms = append(forms, v)
		for _, form := range escapedForms(v) {
			if !slices.Contains(forms, form) {
				forms = append(forms, form)
			}
		}
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return forms
}

// escapedForms returns v as strconv.Quote, encoding/json and url.QueryEscape
// write it, without the surrounding quotes.
func escapedForms(v string) []string {
	quoted := strconv.Quote(v)
	forms := []string{quoted[1 : len(quoted)-1], url.QueryEscape(v), url.PathEscape(v)}
	if encoded, err := json.Marshal(v); err == nil {
		forms = append(forms, string(encoded[1:len(encoded)-1]))
	}
	return forms
}

var accessTokenInURL = regexp.MustCompile(`(access_token=)[^&\s"'<>]+`)

// redact masks every known secret, in each of its quoted and escaped forms,
// and any access_token query value in text. Text that is about to be quoted
// should be masked first; masking the quoted forms too catches text that a
// caller quoted before it reached here.
func (s *secretSet) redact(text string) string {
	for _, v := range s.list() {
		text = strings.ReplaceAll(text, v, RedactedValue)
	}
	return accessTokenInURL.ReplaceAllString(text, "${1}"+RedactedValue)
}

// RedactURL shows raw with the password of its user info replaced by
// "xxxxx", as url.URL.Redacted does. Every URL that goes into a log line or a
// diagnostic passes through it: an endpoint such as http://admin:pass@host
// would otherwise show the password. Raw that does not parse (a password
// with a "/" or a space, unescaped) has everything after the first ":" of
// what may be its user info masked, up to its last "@".
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		if _, hasPassword := u.User.Password(); !hasPassword {
			return raw
		}
		return u.Redacted()
	}
	_, rest, found := strings.Cut(raw, "://")
	if !found {
		return raw
	}
	start := len(raw) - len(rest)
	at := strings.LastIndex(rest, "@")
	colon := strings.Index(rest, ":")
	if at < 0 || colon < 0 || colon > at {
		return raw
	}
	return raw[:start+colon+1] + "xxxxx" + raw[start+at:]
}

// redactedError shows err's text with the secrets masked; errors.As and
// errors.Is still see err.
type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

func (s *secretSet) redactError(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if masked := s.redact(text); masked != text {
		return &redactedError{err: err, text: masked}
	}
	return err
}

// Secrets returns every secret value the client holds or was issued in this
// process, each also in its quoted and escaped forms, for log masking
// (tflog.MaskMessageStrings and the like).
func (c *Client) Secrets() []string {
	return c.secrets.list()
}
