package workplus

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// APIError is every failure the server reported, in one shape: which endpoint,
// the HTTP status, the envelope's status (Open API) or code (Push API) when the
// body was an envelope, and the server's message. A user reading it knows
// whether to fix the configuration, the token, or call the vendor.
type APIError struct {
	Method     string
	Endpoint   string // path only: the query may hold the access token
	HTTPStatus int
	// Code is the envelope's status or code; HasCode is false when the body was
	// not an envelope (an HTML page from a proxy, say).
	Code    int
	HasCode bool
	Message string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "WorkPlus API %s %s: HTTP %d", e.Method, e.Endpoint, e.HTTPStatus)
	if e.HasCode {
		fmt.Fprintf(&b, ", code %d", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// IsNotFound reports whether err says the object does not exist: HTTP 404 or
// the emulator convention's status 40400 (API.md), for servers that answer
// every request with HTTP 200.
func IsNotFound(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.HasCode {
		return apiErr.Code == StatusNotFound || apiErr.Code == http.StatusNotFound
	}
	return apiErr.HTTPStatus == http.StatusNotFound
}

// IsMethodNotAllowed reports whether the server lacks the route: the template
// DELETE extension is missing on some WorkPlus servers (API.md).
func IsMethodNotAllowed(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.HTTPStatus == http.StatusMethodNotAllowed || apiErr.HTTPStatus == http.StatusNotImplemented ||
		(apiErr.HasCode && apiErr.Code == StatusNotAllowed)
}

// IsRefused reports whether the server judged the request and refused it: a
// WorkPlus envelope error that is neither a rate limit nor a failure worth
// retrying. Nothing was done, and sending the same request again gets the
// same answer.
func IsRefused(err error) bool { return isJudgedByServer(err) }

// IsTooLarge reports whether the server refused a request body as too large:
// HTTP 413, or status 41300 from a server that answers every request with
// HTTP 200.
func IsTooLarge(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.HTTPStatus == http.StatusRequestEntityTooLarge || apiErr.HasCode && apiErr.Code == StatusTooLarge
}

// IsTokenRejected reports whether the server rejected the access token (10011).
func IsTokenRejected(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.HasCode && apiErr.Code == StatusTokenNotFound
}

// IsNoSuchEmployee reports whether a recipient is unknown (202012).
func IsNoSuchEmployee(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.HasCode && apiErr.Code == StatusNoSuchEmployee
}

// AmbiguousError says a non-idempotent request may or may not have reached the
// server: the connection failed after the request was written. Re-sending it
// blindly could create a duplicate, so the caller must find out first.
type AmbiguousError struct {
	Method   string
	Endpoint string
	Err      error
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("WorkPlus API %s %s: the connection failed after the request was sent, so it may or may not have taken effect: %v", e.Method, e.Endpoint, e.Err)
}

func (e *AmbiguousError) Unwrap() error { return e.Err }

// IsAmbiguous reports whether err is an AmbiguousError.
func IsAmbiguous(err error) bool {
	var ambiguous *AmbiguousError
	return errors.As(err, &ambiguous)
}

// AmbiguousCreateError says a template create may or may not have taken
// effect. The provider adopts no template after it, whatever the server
// holds (see CreateTemplate), and sent nothing more.
type AmbiguousCreateError struct {
	Title string
	AppID string
	// Since is a time on the server's clock no later than when the create
	// began; zero when no answer carried a Date header.
	Since time.Time
	// Candidates are the templates, sorted by id, with this content created
	// in the app since the create began: the one it made, if it made one,
	// and any twin that someone else created meanwhile.
	Candidates []string
	// Reason says why the list may be incomplete or wider than that.
	Reason string
	// SearchErr is why the templates could not be listed at all.
	SearchErr error
	Err       error // the create's own failure
}

// ImportAddressPlaceholder stands in the import commands for the resource's
// address, which Terraform does not tell providers but prints with the error.
const ImportAddressPlaceholder = "<address of this resource>"

func (e *AmbiguousCreateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\nThe template %q may or may not have been created in app %s. WorkPlus has no idempotency key for templates, "+
		"so the provider cannot tell a template this request made from an identical one that another resource, provider alias "+
		"or workspace created at the same time. It adopts none of them and sent nothing more.", e.Err, e.Title, e.AppID)
	since := "this create began"
	if !e.Since.IsZero() {
		since += " (" + e.Since.Format(time.RFC3339) + " or later, server time)"
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, "\nNote: %s.", e.Reason)
	}
	if e.SearchErr != nil {
		fmt.Fprintf(&b, "\nSearching the server for templates with this content failed, so none can be listed: %v\n"+
			"Look in the WorkPlus console for templates titled %q created since %s. For each, check that no other resource manages it, "+
			"in this and every other workspace that creates templates like this one:\n  terraform state list -id=<id>\n"+
			"Import the one that nobody manages into this resource, whose address Terraform shows with this error (after \"with\"):\n"+
			"  terraform import '%s' <id>\nIf there is none, run terraform apply again to create it.", e.SearchErr, e.Title, since, ImportAddressPlaceholder)
		return b.String()
	}
	if len(e.Candidates) == 0 {
		fmt.Fprintf(&b, "\nNo template with this content was created in the app since %s. If one titled %q appears in the WorkPlus console, "+
			"import it into this resource (terraform import '%s' <id>); otherwise run terraform apply again to create it.", since, e.Title, ImportAddressPlaceholder)
		return b.String()
	}
	if e.Since.IsZero() {
		b.WriteString("\nTemplates with this content in the app:")
	} else {
		fmt.Fprintf(&b, "\nTemplates with this content created in the app since %s:", since)
	}
	for _, id := range e.Candidates {
		fmt.Fprintf(&b, "\n  %s", id)
	}
	b.WriteString("\nFor each, first check that no other resource manages it, in this and every other workspace that creates templates like this one:" +
		"\n  terraform state list -id=<id>" +
		"\nImport the one that nobody manages into this resource, whose address Terraform shows with this error (after \"with\"):")
	for _, id := range e.Candidates {
		fmt.Fprintf(&b, "\n  terraform import '%s' %s", ImportAddressPlaceholder, id)
	}
	b.WriteString("\n(or an import block with that address and id). Delete in the WorkPlus console any other that nobody manages. " +
		"If every one is managed elsewhere, this create made none: run terraform apply again to create it.")
	return b.String()
}

func (e *AmbiguousCreateError) Unwrap() error { return e.Err }

// CredentialsRejectedError says the token endpoint refused the client
// credentials. The client asks once per process: every later request fails
// with the same error, unsent, because asking again per resource can lock
// the account at the identity provider.
type CredentialsRejectedError struct {
	Err error
}

func (e *CredentialsRejectedError) Error() string {
	return fmt.Sprintf("%v\nWorkPlus refused the client credentials; no other request will ask again in this run. "+
		"Check domain_id, org_id, client_id and client_secret in the provider block, or WORKPLUS_DOMAIN_ID, WORKPLUS_ORG_ID, WORKPLUS_CLIENT_ID and WORKPLUS_CLIENT_SECRET.", e.Err)
}

func (e *CredentialsRejectedError) Unwrap() error { return e.Err }

// TokenRejectedError says the server rejected the configured access token
// (10011). It cannot be renewed, so every later request fails with the same
// error, unsent.
type TokenRejectedError struct {
	Err error
}

func (e *TokenRejectedError) Error() string {
	return fmt.Sprintf("%v\nWorkPlus rejected the access token; no other request will send it in this run. "+
		"Set a valid access_token in the provider block or WORKPLUS_ACCESS_TOKEN, or use client credentials (domain_id, org_id, client_id, client_secret), which the provider renews.", e.Err)
}

func (e *TokenRejectedError) Unwrap() error { return e.Err }
