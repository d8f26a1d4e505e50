package workplus

import (
	"fmt"
	"sort"
	"strings"
)

const (
	placeholderOpen   = "{{"
	placeholderClose  = "}}"
	placeholderSuffix = ".DATA"
)

// PlaceholderError says where a cell's content breaks the {{name.DATA}} syntax.
type PlaceholderError struct {
	Offset int // byte offset of the offending "{{"
	Reason string
}

func (e *PlaceholderError) Error() string {
	return fmt.Sprintf("placeholder at byte %d: %s (placeholders are written {{name.DATA}}, name being letters, digits and _)", e.Offset, e.Reason)
}

// Segment is a run of literal text or one placeholder of a cell's content.
type Segment struct {
	Text        string // literal text, when Placeholder is ""
	Placeholder string // the placeholder's name
}

// ParseContent splits a cell's content into literal text and placeholders.
// Every "{{" must open a well-formed {{name.DATA}}; anything else is an error,
// since WorkPlus would show it to the reader as-is.
func ParseContent(content string) ([]Segment, error) {
	var segments []Segment
	rest, offset := content, 0
	for {
		i := strings.Index(rest, placeholderOpen)
		if i < 0 {
			if rest != "" {
				segments = append(segments, Segment{Text: rest})
			}
			return segments, nil
		}
		if i > 0 {
			segments = append(segments, Segment{Text: rest[:i]})
		}
		at := offset + i
		body := rest[i+len(placeholderOpen):]
		end := strings.Index(body, placeholderClose)
		if end < 0 {
			return nil, &PlaceholderError{Offset: at, Reason: `"{{" is not closed by "}}"`}
		}
		inner := body[:end]
		name, ok := strings.CutSuffix(inner, placeholderSuffix)
		switch {
		case !ok:
			return nil, &PlaceholderError{Offset: at, Reason: fmt.Sprintf("%q does not end in .DATA", inner)}
		case name == "":
			return nil, &PlaceholderError{Offset: at, Reason: "the name is empty"}
		case !isPlaceholderName(name):
			return nil, &PlaceholderError{Offset: at, Reason: fmt.Sprintf("name %q may hold only letters, digits and _", name)}
		}
		segments = append(segments, Segment{Placeholder: name})
		consumed := i + len(placeholderOpen) + end + len(placeholderClose)
		rest, offset = rest[consumed:], offset+consumed
	}
}

func isPlaceholderName(name string) bool {
	for _, r := range name {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}

// Placeholders returns the sorted, de-duplicated placeholder names used in
// contents. Malformed placeholders are skipped; ParseContent reports them.
func Placeholders(contents [][]TemplateCell) []string {
	seen := map[string]bool{}
	names := []string{}
	for _, row := range contents {
		for _, cell := range row {
			segments, err := ParseContent(cell.Content)
			if err != nil {
				continue
			}
			for _, s := range segments {
				if s.Placeholder != "" && !seen[s.Placeholder] {
					seen[s.Placeholder] = true
					names = append(names, s.Placeholder)
				}
			}
		}
	}
	sort.Strings(names)
	return names
}

// MissingDataError names the placeholders that had no value when rendering.
type MissingDataError struct {
	Keys []string
}

func (e *MissingDataError) Error() string {
	return fmt.Sprintf("no data for placeholder(s) %s", strings.Join(e.Keys, ", "))
}

// RenderText renders contents as plain text, one line per row, cells joined
// by a single space, with each placeholder replaced by its value in data.
// Every placeholder must have a value.
func RenderText(contents [][]TemplateCell, data map[string]string) (string, error) {
	var out strings.Builder
	var missing []string
	for r, row := range contents {
		if r > 0 {
			out.WriteByte('\n')
		}
		for c, cell := range row {
			if c > 0 {
				out.WriteByte(' ')
			}
			segments, err := ParseContent(cell.Content)
			if err != nil {
				return "", fmt.Errorf("row %d cell %d: %w", r, c, err)
			}
			for _, s := range segments {
				if s.Placeholder == "" {
					out.WriteString(s.Text)
					continue
				}
				value, ok := data[s.Placeholder]
				if !ok {
					missing = append(missing, s.Placeholder)
					continue
				}
				out.WriteString(value)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return "", &MissingDataError{Keys: dedupe(missing)}
	}
	return out.String(), nil
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
