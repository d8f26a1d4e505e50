package emulator

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// CONTROL_API.md is the one reference of the control API: it must list every
// control route, and only routes that exist.
func TestControlAPIDocumented(t *testing.T) {
	data, err := os.ReadFile("CONTROL_API.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = e.Close() }()
	known := map[string]bool{}
	for _, rt := range e.routes {
		if rt.api() != controlAPI {
			continue
		}
		known[rt.key] = true
		// /_emulator/ui answers like /_emulator/ui/, which the page documents.
		if !strings.Contains(doc, "`"+rt.key+"`") && !strings.Contains(doc, "`"+rt.key+"/`") {
			t.Errorf("CONTROL_API.md does not document %s", rt.key)
		}
	}
	for _, m := range regexp.MustCompile("`((?:GET|POST|PUT|DELETE) /_emulator/[^`?]*)`").FindAllStringSubmatch(doc, -1) {
		if !known[m[1]] {
			t.Errorf("CONTROL_API.md documents %s, which is not a route", m[1])
		}
	}
}
