package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// Validation has two tiers. What WorkPlus refuses, or what can never work,
// is an error at plan time. What WorkPlus accepts but looks like a mistake
// is a warning naming the attribute, and the value is kept as written: a
// template made in the console must import and plan clean, whatever it holds.

// placeholderWarnings warns about braces in a cell that are not a
// {{name.DATA}} placeholder. WorkPlus accepts them and shows them to readers
// as written, so they are not filled from a template message's data.
type placeholderWarnings struct{}

func (placeholderWarnings) Description(context.Context) string {
	return "warns about braces that are not a {{name.DATA}} placeholder, name being ASCII letters, digits and _"
}

func (v placeholderWarnings) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (placeholderWarnings) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	content := req.ConfigValue.ValueString()
	_, err := workplus.ParseContent(content)
	var malformed *workplus.PlaceholderError
	if !errors.As(err, &malformed) {
		return
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, "Braces that are not a template placeholder", placeholderProblemsDetail(req.Path.String(), content, malformed))
}

// placeholderProblemsDetail lists every problem of a cell, one a line, with
// the character where it starts: a cell may hold the same mistake twice.
func placeholderProblemsDetail(where, content string, malformed *workplus.PlaceholderError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s has braces that WorkPlus shows to readers as written, not filled from a message's data:\n", where)
	for _, p := range malformed.Problems {
		fmt.Fprintf(&b, "  - %s (character %d)\n", p.Reason, workplus.CharacterOffset(content, p.Offset)+1)
	}
	b.WriteString("A placeholder is written {{name.DATA}}, name being ASCII letters, digits and _. " +
		"The content is kept as written; correct it if these were meant to be placeholders.")
	return b.String()
}

// hasURLScheme reports whether raw is an absolute URL such as
// https://example.com or weixin://dl.
func hasURLScheme(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "" || u.Path != "")
}

// urlWithScheme checks that a value is an absolute URL. A link the provider
// sends opens nothing without a scheme, so there it refuses the value
// (refuse). A template action's value only warns: WorkPlus accepts any value
// ("the click action", seed 001), and console-made templates hold relative
// paths.
type urlWithScheme struct{ refuse bool }

func (v urlWithScheme) Description(context.Context) string {
	if v.refuse {
		return "must be a URL with a scheme, such as https://example.com/path"
	}
	return "warns when the value is not a URL with a scheme, such as https://example.com/path"
}

func (v urlWithScheme) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v urlWithScheme) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	switch {
	case hasURLScheme(raw):
	case v.refuse:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", fmt.Sprintf("%s %q %s.", req.Path, raw, v.Description(ctx)))
	default:
		resp.Diagnostics.AddAttributeWarning(req.Path, "Template action without a URL scheme",
			fmt.Sprintf("%s %q has no scheme (such as https://), so WorkPlus clients may not know what to open. "+
				"WorkPlus accepts it and the value is kept as written; write an absolute URL if the button should open a page.", req.Path, raw))
	}
}

// rfc3339Time checks that a string is an RFC 3339 time.
type rfc3339Time struct{}

func (rfc3339Time) Description(context.Context) string {
	return "must be an RFC 3339 time such as 2030-01-02T08:00:00Z"
}

func (v rfc3339Time) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (rfc3339Time) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if _, err := parseOptionalTime(req.ConfigValue); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time", fmt.Sprintf("%s %v.", req.Path, err))
	}
}

// goDuration checks a Go duration such as 30s or 2m.
type goDuration struct{}

func (goDuration) Description(context.Context) string {
	return "must be a positive Go duration such as 30s or 2m"
}

func (v goDuration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (goDuration) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseTimeout(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", fmt.Sprintf("%s %v.", req.Path, err))
	}
}
