package workplus

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	placeholderOpen   = "{{"
	placeholderClose  = "}}"
	placeholderSuffix = ".DATA"
)

// A placeholder is exactly {{name.DATA}}, name being ASCII letters, digits
// and _ (API.md). That is all the seeds define, so it is all this package
// fills: WorkPlus shows any other run of braces to the reader as written.
// Such text is accepted by the server, so it is reported as a problem to
// look at (PlaceholderError), never refused.

// PlaceholderProblem is one run of braces in a cell that is not a placeholder.
type PlaceholderProblem struct {
	Offset int    // byte offset of the braces in the content
	Text   string // the braces as written, e.g. "{{ b.DATA }}" or "{{"
	Reason string // what is wrong, e.g. "spaces around `b.DATA`"
}

// PlaceholderError lists every run of braces in a cell that is not a
// placeholder, in the order they appear.
type PlaceholderError struct {
	Problems []PlaceholderProblem
}

func (e *PlaceholderError) Error() string {
	reasons := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		reasons[i] = p.Reason
	}
	return strings.Join(reasons, "; ")
}

// Segment is a run of literal text or one placeholder of a cell's content.
type Segment struct {
	Text        string // literal text, when Placeholder is ""
	Placeholder string // the placeholder's name
}

// ParseContent splits a cell's content into literal text and well-formed
// placeholders. The segments always cover the content exactly, malformed
// braces being literal text, as WorkPlus shows them. When the content has
// braces that are not a placeholder, err is a *PlaceholderError naming each.
func ParseContent(content string) ([]Segment, error) {
	var segments []Segment
	var problems []PlaceholderProblem
	literalStart := 0
	addLiteral := func(end int) {
		if end > literalStart {
			text := content[literalStart:end]
			problems = append(problems, literalBraceProblems(text, literalStart)...)
			segments = append(segments, Segment{Text: text})
		}
	}
	for i := 0; i < len(content); {
		j := strings.Index(content[i:], placeholderOpen)
		if j < 0 {
			break
		}
		at := i + j
		if name, length, ok := placeholderAt(content[at:]); ok {
			addLiteral(at)
			segments = append(segments, Segment{Placeholder: name})
			i = at + length
			literalStart = i
			continue
		}
		// Not a placeholder here; one may start at the next brace
		// ("{{{a.DATA}}}" is a literal brace around {{a.DATA}}).
		i = at + 1
	}
	addLiteral(len(content))
	if len(problems) > 0 {
		return segments, &PlaceholderError{Problems: problems}
	}
	return segments, nil
}

// placeholderAt reports whether s begins with {{name.DATA}}, and its length.
func placeholderAt(s string) (name string, length int, ok bool) {
	body := s[len(placeholderOpen):]
	end := strings.Index(body, placeholderClose)
	if end < 0 {
		return "", 0, false
	}
	name, ok = strings.CutSuffix(body[:end], placeholderSuffix)
	if !ok || !isPlaceholderName(name) {
		return "", 0, false
	}
	return name, len(placeholderOpen) + end + len(placeholderClose), true
}

// literalBraceProblems finds the double braces in text, which holds no
// placeholder, and says for each why it is not one. offset is where text
// starts in the cell.
func literalBraceProblems(text string, offset int) []PlaceholderProblem {
	var problems []PlaceholderProblem
	for i := 0; i < len(text); {
		open := strings.Index(text[i:], placeholderOpen)
		stray := strings.Index(text[i:], placeholderClose)
		switch {
		case open < 0 && stray < 0:
			return problems
		case open < 0 || (stray >= 0 && stray < open):
			at := i + stray
			problems = append(problems, PlaceholderProblem{Offset: offset + at, Text: placeholderClose, Reason: "`}}` without an opening `{{`"})
			i = at + len(placeholderClose)
		default:
			at := i + open
			// Further opening braces belong to this one: "{{{{x" is one problem.
			bodyStart := at + len(placeholderOpen)
			for bodyStart < len(text) && text[bodyStart] == '{' {
				bodyStart++
			}
			end := strings.Index(text[bodyStart:], placeholderClose)
			if end < 0 {
				problems = append(problems, PlaceholderProblem{Offset: offset + at, Text: text[at:bodyStart], Reason: "unclosed `{{`"})
				i = bodyStart
				continue
			}
			closeEnd := bodyStart + end + len(placeholderClose)
			for closeEnd < len(text) && text[closeEnd] == '}' {
				closeEnd++
			}
			written := text[at:closeEnd]
			problems = append(problems, PlaceholderProblem{Offset: offset + at, Text: written, Reason: innerProblem(text[bodyStart:bodyStart+end], written)})
			i = closeEnd
		}
	}
	return problems
}

// innerProblem says why the text between a "{{" and its "}}" does not make
// a placeholder. written is the whole run of braces, for the message.
func innerProblem(inner, written string) string {
	trimmed := strings.TrimFunc(inner, unicode.IsSpace)
	if trimmed != inner && isWellFormedBody(trimmed) {
		switch {
		case strings.HasPrefix(inner, trimmed):
			return fmt.Sprintf("space after `%s` in `%s`", trimmed, written)
		case strings.HasSuffix(inner, trimmed):
			return fmt.Sprintf("space before `%s` in `%s`", trimmed, written)
		}
		return fmt.Sprintf("spaces around `%s` in `%s`", trimmed, written)
	}
	if strings.Count(written, "{") != 2 || strings.Count(written, "}") != 2 {
		return fmt.Sprintf("`%s` has more braces than `{{name.DATA}}`", written)
	}
	if trimmed == "" {
		return fmt.Sprintf("empty `%s`", written)
	}
	if strings.IndexFunc(trimmed, unicode.IsSpace) >= 0 {
		return fmt.Sprintf("spaces inside `%s`", written)
	}
	name, hasSuffix := strings.CutSuffix(trimmed, placeholderSuffix)
	switch {
	case !hasSuffix && len(trimmed) >= len(placeholderSuffix) &&
		strings.EqualFold(trimmed[len(trimmed)-len(placeholderSuffix):], placeholderSuffix):
		return fmt.Sprintf("`%s` must end in upper-case `.DATA`", written)
	case !hasSuffix && isPlaceholderName(trimmed):
		return fmt.Sprintf("`%s` lacks `.DATA`: a placeholder is written `{{%s.DATA}}`", written, trimmed)
	case !hasSuffix:
		return fmt.Sprintf("`%s` does not end in `.DATA`", written)
	case name == "":
		return fmt.Sprintf("no name before `.DATA` in `%s`", written)
	}
	return fmt.Sprintf("`%s` in `%s` is not a placeholder name: names are ASCII letters, digits and `_`", name, written)
}

func isWellFormedBody(body string) bool {
	name, ok := strings.CutSuffix(body, placeholderSuffix)
	return ok && isPlaceholderName(name)
}

func isPlaceholderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}

// CharacterOffset turns a byte offset in content into a character count,
// which is how people count in text with non-ASCII characters.
func CharacterOffset(content string, byteOffset int) int {
	return utf8.RuneCountInString(content[:min(byteOffset, len(content))])
}

// Placeholders returns the sorted, de-duplicated names of the well-formed
// placeholders in contents: the keys a template message can fill. Malformed
// braces are not placeholders (WorkPlus shows them as written), so they are
// not listed.
func Placeholders(contents [][]TemplateCell) []string {
	names := []string{}
	for _, row := range contents {
		for _, cell := range row {
			segments, _ := ParseContent(cell.Content)
			for _, s := range segments {
				if s.Placeholder != "" {
					names = append(names, s.Placeholder)
				}
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
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
// Every placeholder must have a value. Braces that are not a placeholder
// are rendered as written, which is how WorkPlus shows them.
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
			segments, _ := ParseContent(cell.Content)
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
		slices.Sort(missing)
		return "", &MissingDataError{Keys: slices.Compact(missing)}
	}
	return out.String(), nil
}
