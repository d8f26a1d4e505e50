package workplus

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseContent(t *testing.T) {
	t.Parallel()
	segments, err := ParseContent("我是第一行:{{data1.DATA}} and {{Second_2.DATA}}!")
	if err != nil {
		t.Fatal(err)
	}
	want := []Segment{{Text: "我是第一行:"}, {Placeholder: "data1"}, {Text: " and "}, {Placeholder: "Second_2"}, {Text: "!"}}
	if !reflect.DeepEqual(segments, want) {
		t.Errorf("segments = %#v, want %#v", segments, want)
	}

	broken := map[string]string{
		"hi {{name.DATA":     "not closed",
		"{{name}}":           "does not end in .DATA",
		"{{.DATA}}":          "name is empty",
		"{{a-b.DATA}}":       "may hold only",
		"{{申请人.DATA}}":       "may hold only",
		"ok {{x.DATA}} {{":   "not closed",
		"{{ name.DATA }}":    "does not end in .DATA",
		"{{name.data}}":      "does not end in .DATA",
		"text {{{x.DATA}}}}": "may hold only",
	}
	for content, reason := range broken {
		_, err := ParseContent(content)
		var perr *PlaceholderError
		if !errors.As(err, &perr) || !strings.Contains(err.Error(), reason) {
			t.Errorf("ParseContent(%q) = %v, want an error saying %q", content, err, reason)
		}
	}
	for _, fine := range []string{"", "no placeholders", "single } brace {", "}} closing first"} {
		if _, err := ParseContent(fine); err != nil {
			t.Errorf("ParseContent(%q): %v", fine, err)
		}
	}
}

func TestPlaceholders_sortedAndUnique(t *testing.T) {
	t.Parallel()
	contents := [][]TemplateCell{
		{{Content: "{{b.DATA}} {{a.DATA}}"}},
		{{Content: "{{b.DATA}}"}, {Content: "{{broken"}, {Content: "{{c.DATA}}"}},
	}
	if got := Placeholders(contents); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("Placeholders = %v", got)
	}
	if got := Placeholders(nil); got == nil || len(got) != 0 {
		t.Errorf("Placeholders(nil) = %#v, want an empty non-nil list", got)
	}
}

func TestRenderText(t *testing.T) {
	t.Parallel()
	contents := [][]TemplateCell{
		{{Content: "{{who.DATA}} 申请审批", Align: AlignCenter}},
		{{Content: "事项"}, {Content: "{{what.DATA}}", Align: AlignRight}},
	}
	got, err := RenderText(contents, map[string]string{"who": "张伟", "what": "上线"})
	if err != nil || got != "张伟 申请审批\n事项 上线" {
		t.Errorf("RenderText = %q, %v", got, err)
	}
	_, err = RenderText(contents, map[string]string{"who": "x"})
	var missing *MissingDataError
	if !errors.As(err, &missing) || !reflect.DeepEqual(missing.Keys, []string{"what"}) {
		t.Errorf("missing data error = %v", err)
	}
}

func FuzzParseContent(f *testing.F) {
	for _, seed := range []string{"", "plain", "{{a.DATA}}", "x {{a.DATA}} y {{b_2.DATA}}", "{{", "}}{{", "{{.DATA}}", "{{a.DATA", "{{申请人.DATA}}", "{{{{a.DATA}}}}"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content string) {
		segments, err := ParseContent(content)
		if err != nil {
			var perr *PlaceholderError
			if !errors.As(err, &perr) || perr.Offset < 0 || perr.Offset > len(content) {
				t.Fatalf("bad error for %q: %v", content, err)
			}
			return
		}
		// A successful parse must reproduce the content exactly.
		var rebuilt strings.Builder
		for _, s := range segments {
			if s.Placeholder != "" {
				if !isPlaceholderName(s.Placeholder) {
					t.Fatalf("invalid name %q accepted", s.Placeholder)
				}
				rebuilt.WriteString("{{" + s.Placeholder + ".DATA}}")
			} else {
				rebuilt.WriteString(s.Text)
			}
		}
		if rebuilt.String() != content {
			t.Fatalf("round trip of %q gave %q", content, rebuilt.String())
		}
		if utf8.ValidString(content) {
			if _, err := RenderText([][]TemplateCell{{{Content: content}}}, map[string]string{}); err != nil && Placeholders([][]TemplateCell{{{Content: content}}}) == nil {
				t.Fatalf("render failed without placeholders: %v", err)
			}
		}
	})
}
