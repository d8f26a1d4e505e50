package emulator

import (
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
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

// control_openapi.yaml describes the same routes as the route table, and its
// schemas have exactly the JSON fields of the Go types they describe.
func TestControlOpenAPI(t *testing.T) {
	data, err := os.ReadFile("control_openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	described := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			described[strings.ToUpper(method)+" "+path] = true
		}
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = e.Close() }()
	routes := map[string]bool{}
	for _, rt := range e.routes {
		if rt.api() != controlAPI {
			continue
		}
		key := rt.key
		if rt.pattern == "/_emulator/ui" {
			key += "/" // answers like /_emulator/ui/
		}
		routes[key] = true
	}
	for key := range routes {
		if !described[key] {
			t.Errorf("control_openapi.yaml lacks %s", key)
		}
	}
	for key := range described {
		if !routes[key] {
			t.Errorf("control_openapi.yaml describes %s, which is not a route", key)
		}
	}

	for name, v := range map[string]any{
		"RequestRecord": RequestRecord{}, "FaultRule": FaultRule{},
		"RequestsDump": requestsDump{}, "RequestsWaited": requestsWaited{},
	} {
		var want []string
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			tag, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
			want = append(want, tag)
		}
		got := slices.Collect(maps.Keys(doc.Components.Schemas[name].Properties))
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("schema %s has properties %v; the Go type has %v", name, got, want)
		}
	}
}
