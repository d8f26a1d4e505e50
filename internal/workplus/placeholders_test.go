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
	for _, fine := range []string{"", "no placeholders", "single } brace {", `JSON {"a": 1}`} {
		if _, err := ParseContent(fine); err != nil {
			t.Errorf("ParseContent(%q): %v", fine, err)
		}
	}
}

// TestParseContent_problems: every run of braces that is not a placeholder
// is reported, each saying exactly what is wrong, and the well-formed
// placeholders around them still count.
func TestParseContent_problems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		content      string
		problems     []string
		placeholders []string
	}{
		{"Hello {{name}} and {{ user.DATA }}", []string{
			"`{{name}}` lacks `.DATA`: a placeholder is written `{{name.DATA}}`",
			"spaces around `user.DATA` in `{{ user.DATA }}`",
		}, nil},
		{"{{ b.DATA}} {{b.DATA }}", []string{"space before `b.DATA` in `{{ b.DATA}}`", "space after `b.DATA` in `{{b.DATA }}`"}, nil},
		{"hi {{name.DATA", []string{"unclosed `{{`"}, nil},
		{"ok {{x.DATA}} {{", []string{"unclosed `{{`"}, []string{"x"}},
		{"{{a {{b", []string{"unclosed `{{`", "unclosed `{{`"}, nil},
		{"{{.DATA}}", []string{"no name before `.DATA` in `{{.DATA}}`"}, nil},
		{"{{a-b.DATA}}", []string{"`a-b` in `{{a-b.DATA}}` is not a placeholder name: names are ASCII letters, digits and `_`"}, nil},
		{"{{申请人.DATA}}", []string{"`申请人` in `{{申请人.DATA}}` is not a placeholder name: names are ASCII letters, digits and `_`"}, nil},
		{"{{a b.DATA}}", []string{"spaces inside `{{a b.DATA}}`"}, nil},
		{"{{name.data}}", []string{"`{{name.data}}` must end in upper-case `.DATA`"}, nil},
		{"{{}} {{ }}", []string{"empty `{{}}`", "empty `{{ }}`"}, nil},
		{"}} closing first", []string{"`}}` without an opening `{{`"}, nil},
		{"text {{{x.DATA}}}}", []string{"`}}` without an opening `{{`"}, []string{"x"}},
		{"{{{name}}}", []string{"`{{{name}}}` has more braces than `{{name.DATA}}`"}, nil},
		{"{{{{a.DATA}}}}", []string{"unclosed `{{`", "`}}` without an opening `{{`"}, []string{"a"}},
		{"{{a.DATA}}{{b}}{{c.DATA}}", []string{"`{{b}}` lacks `.DATA`: a placeholder is written `{{b.DATA}}`"}, []string{"a", "c"}},
	}
	for _, tc := range cases {
		segments, err := ParseContent(tc.content)
		var perr *PlaceholderError
		if !errors.As(err, &perr) {
			t.Errorf("ParseContent(%q) error = %v, want a *PlaceholderError", tc.content, err)
			continue
		}
		var reasons []string
		for _, p := range perr.Problems {
			reasons = append(reasons, p.Reason)
			if !strings.HasPrefix(tc.content[p.Offset:], p.Text) || !strings.ContainsAny(p.Text, "{}") {
				t.Errorf("ParseContent(%q): problem %q at byte %d does not point at %q", tc.content, p.Reason, p.Offset, p.Text)
			}
		}
		if !reflect.DeepEqual(reasons, tc.problems) {
			t.Errorf("ParseContent(%q) problems =\n  %q\nwant\n  %q", tc.content, reasons, tc.problems)
		}
		var names []string
		for _, s := range segments {
			if s.Placeholder != "" {
				names = append(names, s.Placeholder)
			}
		}
		if !reflect.DeepEqual(names, tc.placeholders) {
			t.Errorf("ParseContent(%q) placeholders = %q, want %q", tc.content, names, tc.placeholders)
		}
	}
}

func TestPlaceholders_sortedAndUnique(t *testing.T) {
	t.Parallel()
	contents := [][]TemplateCell{
		{{Content: "{{b.DATA}} {{a.DATA}}"}},
		{{Content: "{{b.DATA}}"}, {Content: "{{broken"}, {Content: "{{c.DATA}} {{ d.DATA }} {{e}}"}},
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

	// Braces that are not a placeholder show as written, as in WorkPlus.
	console := [][]TemplateCell{{{Content: "Hello {{name}} and {{ user.DATA }}, {{who.DATA}}"}}}
	got, err = RenderText(console, map[string]string{"who": "张伟", "name": "unused"})
	if err != nil || got != "Hello {{name}} and {{ user.DATA }}, 张伟" {
		t.Errorf("RenderText of malformed braces = %q, %v", got, err)
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
			if !errors.As(err, &perr) || len(perr.Problems) == 0 {
				t.Fatalf("bad error for %q: %v", content, err)
			}
			for _, p := range perr.Problems {
				if p.Offset < 0 || !strings.HasPrefix(content[p.Offset:], p.Text) || p.Reason == "" {
					t.Fatalf("problem %+v does not point into %q", p, content)
				}
			}
		}
		// Every parse, with problems or without, reproduces the content exactly.
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
			cells := [][]TemplateCell{{{Content: content}}}
			if text, err := RenderText(cells, map[string]string{}); len(Placeholders(cells)) == 0 && (err != nil || text != content) {
				t.Fatalf("content without placeholders rendered as %q, %v", text, err)
			}
		}
	})
}
