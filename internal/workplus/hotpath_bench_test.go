package workplus

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// Hot-path benchmarks of the client: the envelope decoder every answer goes
// through, and the placeholder parser every plan and read runs over each
// cell. `make bench` runs them with -count 5 and reports the medians.

// benchTemplate is a template of the size the provider's examples use: two
// actions and three rows with placeholders.
func benchTemplate(i int) Template {
	return Template{
		ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), DomainID: "atwork",
		OrgID: "85939199-6424-4f28-84d4-fce2aedf0e64", AppID: "dafc2d03-3991-4de0-91d6-de3135c1fb4f",
		Type: "DEFAULT", Title: fmt.Sprintf("Build result %d", i), Tags: "ci,release", Sample: "build 42 of api passed",
		Operator: "dafc2d03-3991-4de0-91d6-de3135c1fb4f", CreateTime: 1767225600000, RefreshTime: 1767225600000,
		Actions: []TemplateAction{
			{Name: "Open build", Value: "https://ci.example.com/builds/{{build.DATA}}"},
			{Name: "Logs", Value: "https://ci.example.com/logs"},
		},
		Contents: [][]TemplateCell{
			{{Content: "Build {{build.DATA}} of {{project.DATA}}", Align: AlignLeft}},
			{{Content: "Status", Align: AlignLeft}, {Content: "{{status.DATA}}", Align: AlignRight}},
			{{Content: "Triggered by {{user.DATA}} at {{time.DATA}}", Align: AlignCenter}},
		},
	}
}

func openEnvelopeBytes(tb testing.TB, result any) []byte {
	tb.Helper()
	raw, err := json.Marshal(OpenEnvelope[any]{Status: StatusOK, Message: MessageOK, Result: result})
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func benchDecode(b *testing.B, raw []byte, out func() any) {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		cl := call{api: openAPI, method: "GET", path: "/v1/templates", out: out()}
		if err := decodeResponse(cl, resp, raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeEnvelopeTemplate decodes one GET /v1/templates/{id} answer.
func BenchmarkDecodeEnvelopeTemplate(b *testing.B) {
	raw := openEnvelopeBytes(b, benchTemplate(1))
	benchDecode(b, raw, func() any { return new(Template) })
}

// BenchmarkDecodeEnvelopePage100 decodes one GET /v1/templates page of 100.
func BenchmarkDecodeEnvelopePage100(b *testing.B) {
	page := TemplatePage{TotalCount: 10_000}
	for i := range 100 {
		page.Records = append(page.Records, benchTemplate(i))
	}
	raw := openEnvelopeBytes(b, page)
	benchDecode(b, raw, func() any { return new(TemplatePage) })
}

// BenchmarkDecodeEnvelopeError decodes an error envelope (no result).
func BenchmarkDecodeEnvelopeError(b *testing.B) {
	raw := []byte(`{"status":40400,"message":"template not found.","result":null}`)
	resp := &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		cl := call{api: openAPI, method: "GET", path: "/v1/templates/x", out: new(Template)}
		if err := decodeResponse(cl, resp, raw); err == nil {
			b.Fatal("no error")
		}
	}
}

// BenchmarkParseContent parses one cell with two placeholders.
func BenchmarkParseContent(b *testing.B) {
	content := "Triggered by {{user.DATA}} at {{time.DATA}} on {{branch.DATA}}"
	b.ReportAllocs()
	for b.Loop() {
		segments, err := ParseContent(content)
		if err != nil || len(segments) != 6 {
			b.Fatalf("ParseContent = %v, %v", segments, err)
		}
	}
}

// BenchmarkPlaceholders collects the sorted placeholder names of a
// template's rows: what every read and plan computes.
func BenchmarkPlaceholders(b *testing.B) {
	contents := benchTemplate(1).Contents
	b.ReportAllocs()
	for b.Loop() {
		if names := Placeholders(contents); len(names) != 5 {
			b.Fatalf("Placeholders = %v", names)
		}
	}
}
