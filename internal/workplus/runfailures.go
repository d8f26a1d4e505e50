package workplus

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
)

// runFailures says a failure that every request of a run shares in full
// once, and in one line after that. Rejected credentials, a rejected token,
// an endpoint that cannot be reached and an app the server does not know
// fail every resource alike; a run of 12 templates and 14 certificates
// would otherwise print the same screenful 26 times.
type runFailures struct {
	mu sync.Mutex
	// said maps a cause to the request whose error said it in full.
	said map[string]string
}

// RepeatedFailureError is a failure already said in full by an earlier
// request of the run: its message is one line that points there. Err is
// the failure itself, so errors.Is and errors.As still see it.
type RepeatedFailureError struct {
	Request string // this request, "GET /v1/templates/…"
	Cause   string // one line: what failed
	First   string // the request whose error says it in full
	Unsent  bool   // the request was not sent: the cause was already known
	Err     error
}

func (e *RepeatedFailureError) Error() string {
	verb := "failed"
	if e.Unsent {
		verb = "was not sent"
	}
	return fmt.Sprintf("WorkPlus API %s %s for the same reason as an earlier request of this run: %s. "+
		"The full message, with what to check, is in the error that quotes %s.", e.Request, verb, e.Cause, e.First)
}

func (e *RepeatedFailureError) Unwrap() error { return e.Err }

// IsRepeatedFailure reports whether err only points at an earlier error of
// the run that said the same failure in full.
func IsRepeatedFailure(err error) bool {
	var repeated *RepeatedFailureError
	return errors.As(err, &repeated)
}

// firstRunFailure is a run-wide failure said for the first time: the error,
// what to check, and that the others will be short.
type firstRunFailure struct {
	advice string
	err    error
}

func (e *firstRunFailure) Error() string {
	advice := e.advice
	if advice != "" {
		advice += " "
	}
	return fmt.Sprintf("%v\n%sEvery other request of this run that fails the same way says so in one line, pointing here.", e.err, advice)
}

func (e *firstRunFailure) Unwrap() error { return e.err }

// sayOnce returns err as the run should say it for request cl.
func (c *Client) sayOnce(cl call, err error) error {
	cause, summary, advice := c.runWideCause(cl, err)
	if cause == "" {
		return err
	}
	request := cl.method + " " + cl.path
	f := &c.failures
	f.mu.Lock()
	defer f.mu.Unlock()
	if first, ok := f.said[cause]; ok {
		var tokenErr *TokenRejectedError
		var credErr *CredentialsRejectedError
		unsent := errors.As(err, &tokenErr) || errors.As(err, &credErr)
		return &RepeatedFailureError{Request: request, Cause: summary, First: first, Unsent: unsent, Err: err}
	}
	if f.said == nil {
		f.said = map[string]string{}
	}
	f.said[cause] = firstRequestOf(err, request)
	return &firstRunFailure{advice: advice, err: err}
}

// firstRequestOf is the request an error quotes: for a rejection that
// another request's answer settled, that request, else this one.
func firstRequestOf(err error, request string) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Method != "" {
		return apiErr.Method + " " + apiErr.Endpoint
	}
	return request
}

// runWideCause classifies err: cause is "" for a failure of this request
// alone, else a key that every request failing the same way shares, with a
// one-line summary and what to check (empty when err already says it).
func (c *Client) runWideCause(cl call, err error) (cause, summary, advice string) {
	if err == nil {
		return "", "", ""
	}
	var credErr *CredentialsRejectedError
	var tokenErr *TokenRejectedError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	setting, base := "endpoint", c.openBase
	if cl.api == pushAPI {
		setting, base = "push_endpoint", c.pushBase
	}
	checkEndpoint := fmt.Sprintf("Check %s in the provider block (or WORKPLUS_%s): %s, and that the server is up and reachable from here.",
		setting, strings.ToUpper(setting), RedactURL(base.String()))
	switch {
	case errors.As(err, &credErr):
		return "credentials", "WorkPlus refused the client credentials", ""
	case errors.As(err, &tokenErr), IsTokenRejected(err):
		return "token", "WorkPlus rejected the access token (status 10011)", ""
	case errors.As(err, &dnsErr):
		return "unreachable " + setting, fmt.Sprintf("the %s host %s could not be resolved", setting, dnsErr.Name), checkEndpoint
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "unreachable " + setting, fmt.Sprintf("the %s could not be reached (%v)", setting, opErr.Err), checkEndpoint
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname):
		return "tls " + setting, fmt.Sprintf("the %s's TLS certificate is not trusted", setting),
			fmt.Sprintf("Check %s, and ca_file or ca_pem for a private CA.", setting)
	case isUnknownApp(err):
		return "app", "the server does not know the app",
			"Check app_id in the provider block or the resource (or WORKPLUS_APP_ID): it must be an app of the token's organisation."
	}
	return "", "", ""
}

// isUnknownApp reports a refusal that names the app: a 400 whose message is
// about app_id. The vendor documents no code of its own for it.
func isUnknownApp(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	refused := apiErr.HTTPStatus == 400 || apiErr.HasCode && (apiErr.Code == StatusBadRequest || apiErr.Code == 400)
	return refused && strings.Contains(strings.ToLower(apiErr.Message), "app_id")
}
