package workplus

import (
	"regexp"
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

func (s *secretSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.values...)
}

var accessTokenInURL = regexp.MustCompile(`(access_token=)[^&\s"'<>]+`)

// redact masks every known secret and any access_token query value in text.
func (s *secretSet) redact(text string) string {
	for _, v := range s.list() {
		text = strings.ReplaceAll(text, v, RedactedValue)
	}
	return accessTokenInURL.ReplaceAllString(text, "${1}"+RedactedValue)
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
// process, for log masking (tflog.MaskMessageStrings and the like).
func (c *Client) Secrets() []string {
	return c.secrets.list()
}
