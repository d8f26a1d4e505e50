package emulator

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The emulator runs on developers' laptops, where any web page they visit can
// make their browser send requests to 127.0.0.1. guard turns those away before
// a handler sees them:
//
//   - a Host that is not a loopback name or one the operator allowed
//     (Options.AllowedHosts) is DNS rebinding: a page of attacker.example
//     whose name now resolves to 127.0.0.1, reading answers as same-origin;
//   - a cross-site request to the control API or to any route that writes is
//     CSRF: a form post or fetch that resets, seeds or plants templates;
//   - a body that is not declared as JSON (where JSON is read) is how a plain
//     HTML form gets past the browser's preflight;
//   - a query string over maxQueryBytes is refused in the route's envelope
//     with 431 before anything parses it.

// maxQueryBytes caps the query string. The longest legitimate query (a
// template search keyword with the token) is far shorter.
const maxQueryBytes = 8 << 10

// AllowAnyHost in Options.AllowedHosts turns the Host check off, for an
// emulator behind a proxy or in a container network whose names are not
// known in advance.
const AllowAnyHost = "*"

// bodyKind is what a route reads from its body.
type bodyKind int

const (
	bodyNone bodyKind = iota
	bodyJSON
	bodySeed // JSON or YAML
)

var (
	jsonMediaTypes = []string{"application/json"}
	seedMediaTypes = []string{"application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}
)

// crossOrigin is the standard library's CSRF check (Sec-Fetch-Site, then
// Origin against Host) for the methods that change things.
var crossOrigin = http.NewCrossOriginProtection()

// guardHost refuses names that are not ours and oversized query strings; it
// runs on every request, matched or not.
func (e *Emulator) guardHost(r *http.Request) *apiError {
	if host := hostName(r.Host); !e.hostAllowed(host) {
		return &apiError{HTTP: http.StatusForbidden, Message: fmt.Sprintf(
			"host %q is not allowed: the emulator answers loopback names (localhost, 127.0.0.1, [::1]) and the names given with --allowed-host (Options.AllowedHosts); this protects it from DNS rebinding.", host)}
	}
	if len(r.URL.RawQuery) > maxQueryBytes {
		return &apiError{HTTP: http.StatusRequestHeaderFieldsTooLarge, Message: fmt.Sprintf(
			"query string is %d bytes, more than the %d allowed.", len(r.URL.RawQuery), maxQueryBytes)}
	}
	return nil
}

// guardRoute refuses cross-site requests to the control API and to writing
// routes, and bodies of the wrong media type.
func (e *Emulator) guardRoute(r *http.Request, rt *route) *apiError {
	writes := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
	if err := crossOrigin.Check(r); writes && err != nil {
		return errCrossSite(r)
	}
	// Reads of the control API are refused too when they come from another
	// site (the request log and state hold what clients sent), except a
	// person following a link to the inbox: a navigation cannot read the
	// answer, and the page it opens is ours.
	navigation := rt.browsable && r.Header.Get("Sec-Fetch-Mode") == "navigate"
	if !writes && rt.api() == controlAPI && !navigation && crossSiteRead(r) {
		return errCrossSite(r)
	}
	switch rt.body {
	case bodyJSON:
		return requireMediaType(r, jsonMediaTypes)
	case bodySeed:
		return requireMediaType(r, seedMediaTypes)
	}
	return nil
}

func errCrossSite(r *http.Request) *apiError {
	from := r.Header.Get("Origin")
	if from == "" {
		from = "Sec-Fetch-Site: " + r.Header.Get("Sec-Fetch-Site")
	}
	return &apiError{HTTP: http.StatusForbidden, Message: fmt.Sprintf(
		"cross-site request refused (%s): the control API and writing routes answer only same-origin and non-browser clients.", from)}
}

// crossSiteRead mirrors http.CrossOriginProtection for a safe method: a
// browser says where a request comes from with Sec-Fetch-Site or, older
// ones, with Origin; a request that says neither is not from a browser.
func crossSiteRead(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "":
	case "same-origin", "none":
		return false
	default:
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || !strings.EqualFold(u.Host, r.Host)
}

func requireMediaType(r *http.Request, allowed []string) *apiError {
	raw := r.Header.Get("Content-Type")
	media, _, err := mime.ParseMediaType(raw)
	if err == nil && (oneOf(media, allowed) || (oneOf("application/json", allowed) && strings.HasSuffix(media, "+json"))) {
		return nil
	}
	if raw == "" {
		raw = "none"
	}
	return &apiError{HTTP: http.StatusUnsupportedMediaType, Message: fmt.Sprintf(
		"Content-Type must be %s, got %s.", strings.Join(allowed, " or "), raw)}
}

// hostAllowed accepts loopback names and addresses, the operator's names
// (exact, or "*.example.com" for its subdomains) and a request without Host,
// which no browser sends.
func (e *Emulator) hostAllowed(host string) bool {
	if host == "" || isLoopbackHost(host) {
		return true
	}
	for _, allowed := range e.opts.AllowedHosts {
		allowed = strings.ToLower(allowed)
		switch {
		case allowed == AllowAnyHost, allowed == host:
			return true
		case strings.HasPrefix(allowed, "*.") && strings.HasSuffix(host, allowed[1:]):
			return true
		}
	}
	return false
}

// hostName is the Host header without port and brackets, lower-cased.
func hostName(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
}

// isLoopbackHost is true for localhost, its subdomains (RFC 6761 keeps them
// on the machine) and loopback addresses.
func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
