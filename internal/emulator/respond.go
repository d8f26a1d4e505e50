package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// apiKind says which envelope and auth a route speaks.
type apiKind int

const (
	openAPI    apiKind = iota // /v1/...: status/message/result, query access_token
	pushAPI                   // /push/...: code/data/message, headers access-token and app_id
	controlAPI                // /_emulator/...: plain JSON
)

func apiOf(path string) apiKind {
	switch {
	case strings.HasPrefix(path, "/_emulator/"):
		return controlAPI
	case strings.HasPrefix(path, "/push/"):
		return pushAPI
	}
	return openAPI
}

// apiError is a failure as the client sees it: an HTTP status and an envelope
// code and message. Code 0 derives the envelope code from the HTTP status, the
// Open API's way (status*100, e.g. 40400) or the Push API's (the status itself).
type apiError struct {
	HTTP    int
	Code    int
	Message string
}

func (e *apiError) Error() string { return e.Message }

func (e *apiError) envelopeCode(api apiKind) int {
	switch {
	case e.Code != 0:
		return e.Code
	case api == openAPI:
		return e.HTTP * 100
	}
	return e.HTTP
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{HTTP: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func notFound(message string) *apiError {
	return &apiError{HTTP: http.StatusNotFound, Message: message}
}

var (
	errTokenNotFound = &apiError{HTTP: http.StatusUnauthorized, Code: workplus.StatusTokenNotFound, Message: workplus.MessageTokenNotFound}
	errNoSuchEmpl    = &apiError{HTTP: http.StatusBadRequest, Code: workplus.StatusNoSuchEmployee, Message: workplus.MessageNoSuchEmployee}
	errNoTemplate    = notFound(workplus.MessageNotFound)
	errBadClient     = &apiError{HTTP: http.StatusUnauthorized, Message: "invalid client credentials."}
	errInternal      = &apiError{HTTP: http.StatusInternalServerError, Message: "internal error."}
)

// asAPIError keeps an apiError as it is and hides anything else behind a 500:
// internal errors are logged, not shown.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return errInternal
}

// writeResult writes a success in the route's envelope.
func (e *Emulator) writeResult(w http.ResponseWriter, api apiKind, result any) {
	switch api {
	case openAPI:
		e.writeJSON(w, http.StatusOK, workplus.OpenEnvelope[any]{Status: workplus.StatusOK, Message: workplus.MessageOK, Result: result})
	case pushAPI:
		e.writeJSON(w, http.StatusOK, workplus.PushEnvelope[any]{Code: workplus.PushCodeOK, Data: result})
	default:
		if answer, ok := result.(controlAnswer); ok {
			e.writeJSON(w, answer.status, answer.body)
			return
		}
		if page, ok := result.(htmlPage); ok {
			w.Header().Set("Content-Security-Policy", page.csp)
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Header().Set("X-Frame-Options", "DENY")
			w.Header().Set("Referrer-Policy", "no-referrer")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(page.body)))
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(page.body)
			return
		}
		e.writeJSON(w, http.StatusOK, result)
	}
}

// writeError writes a failure in the route's envelope. In always200 mode the
// vendor APIs answer HTTP 200 and only the envelope tells; the control API
// always uses real statuses, since its callers are our own scripts.
func (e *Emulator) writeError(w http.ResponseWriter, api apiKind, ae *apiError) {
	status := ae.HTTP
	if api != controlAPI && e.opts.StatusMode == StatusModeAlways200 {
		status = http.StatusOK
	}
	code := ae.envelopeCode(api)
	switch api {
	case openAPI:
		e.writeJSON(w, status, workplus.OpenEnvelope[any]{Status: code, Message: ae.Message})
	case pushAPI:
		message := ae.Message
		e.writeJSON(w, status, workplus.PushEnvelope[any]{Code: code, Message: &message})
	default:
		e.writeJSON(w, status, map[string]string{"error": ae.Message})
	}
}

func (e *Emulator) writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// The vendor sends HTML in article content verbatim; so do we.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		e.log.Error("encoding response", "error", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error: response not encodable"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// maxJSONDepth bounds the nesting of a request body. The vendor's bodies nest
// a few levels; free-form ext objects a few more. Without a bound, a body
// nested thousands deep was accepted and then broke every later dump of the
// state (encoding/json refuses more than 10,000 levels on the way back).
const maxJSONDepth = 64

// decodeJSON reads exactly one JSON value from body into v, rejecting
// unknown fields: the control API's own formats, where a misspelt field is
// a mistake to report.
func decodeJSON(body io.Reader, v any) *apiError { return decodeBody(body, v, true) }

// decodeVendor reads a vendor request body. A real deployment most likely
// ignores fields it does not know (API.md), so unknown fields are ignored
// unless Options.StrictFields asks the emulator to catch misspelt ones.
func (e *Emulator) decodeVendor(c *call, v any) *apiError {
	return decodeBody(c.r.Body, v, e.opts.StrictFields)
}

// decodeBody reads exactly one JSON value from body into v. The body must
// already be limited (http.MaxBytesReader); going over the limit is a 413.
// Numbers in free-form values (ext) keep their digits (UseNumber): a float64
// would round 12345678901234567891.
func decodeBody(body io.Reader, v any, strict bool) *apiError {
	data, err := io.ReadAll(body)
	if err == nil {
		if depth := jsonDepth(data); depth > maxJSONDepth {
			return badRequest("invalid JSON body: nested more than %d levels deep", maxJSONDepth)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		if strict {
			dec.DisallowUnknownFields()
		}
		dec.UseNumber()
		err = dec.Decode(v)
		if err == nil {
			if _, extra := dec.Token(); extra != io.EOF {
				err = errors.New("unexpected data after the JSON value")
			}
		}
	}
	if err == nil {
		return nil
	}
	var (
		tooLarge  *http.MaxBytesError
		syntax    *json.SyntaxError
		wrongType *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return &apiError{HTTP: http.StatusRequestEntityTooLarge, Message: fmt.Sprintf("request body is larger than %d bytes.", tooLarge.Limit)}
	case errors.Is(err, io.EOF):
		return badRequest("invalid JSON body: the body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("invalid JSON body: unexpected end of input")
	case errors.As(err, &syntax):
		return badRequest("invalid JSON body: %s (at byte %d)", syntax.Error(), syntax.Offset)
	case errors.As(err, &wrongType) && wrongType.Field != "":
		return badRequest("field %s: expected %s, got JSON %s", wrongType.Field, jsonKind(wrongType.Type.Kind().String()), wrongType.Value)
	case errors.As(err, &wrongType) && err == error(wrongType):
		// The body itself has the wrong type, e.g. an array for an object.
		return badRequest("invalid JSON body: expected %s, got JSON %s", jsonKind(wrongType.Type.Kind().String()), wrongType.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest("invalid JSON body: unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	// What is left comes from custom decoders (the push audience), whose
	// messages already name their field.
	return badRequest("invalid JSON body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonDepth is the deepest nesting of objects and arrays in data, counted
// without decoding, so that a hostile body costs one pass over its bytes.
// Brackets inside strings do not count.
func jsonDepth(data []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, b := range data {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch b {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case b == '"':
			inString = true
		case b == '{' || b == '[':
			depth++
			deepest = max(deepest, depth)
		case b == '}' || b == ']':
			depth--
		}
	}
	return deepest
}

// jsonKind names a Go kind the way a JSON author thinks of it.
func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	}
	return goKind
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func enumMessage(v string, allowed []string) string {
	return fmt.Sprintf("unknown value %q, allowed: %s", v, strings.Join(allowed, ", "))
}

// queryInt reads an optional integer query parameter of at least least.
func queryInt(r *http.Request, name string, def, least int) (int, *apiError) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, badRequest("query parameter %s: %q is not an integer", name, raw)
	}
	if n < least {
		return 0, badRequest("query parameter %s: must be at least %d, got %d", name, least, n)
	}
	return n, nil
}

// queryEnum reads an optional query parameter that must be one of allowed.
func queryEnum(r *http.Request, name, def string, allowed []string) (string, *apiError) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	if !oneOf(raw, allowed) {
		return "", badRequest("query parameter %s: %s", name, enumMessage(raw, allowed))
	}
	return raw, nil
}

// queryBool reads an optional boolean query parameter.
func queryBool(r *http.Request, name string) (bool, *apiError) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, badRequest("query parameter %s: %q is not true or false", name, raw)
	}
	return b, nil
}
