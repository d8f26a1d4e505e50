package provider

import (
	"context"
	"fmt"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// placeholderSyntax checks that every "{{" in a cell opens a well-formed
// {{name.DATA}}: WorkPlus would otherwise show the broken text to readers.
type placeholderSyntax struct{}

func (placeholderSyntax) Description(context.Context) string {
	return "every {{ must open a {{name.DATA}} placeholder whose name is letters, digits and _"
}

func (v placeholderSyntax) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (placeholderSyntax) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := workplus.ParseContent(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Malformed template placeholder", fmt.Sprintf("%s: %v.", req.Path, err))
	}
}

// urlWithScheme checks that a value is an absolute URL such as
// https://example.com or weixin://dl: a scheme-less value opens nothing.
type urlWithScheme struct{}

func (urlWithScheme) Description(context.Context) string {
	return "must be a URL with a scheme, such as https://example.com/path"
}

func (v urlWithScheme) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v urlWithScheme) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL", fmt.Sprintf("%s %q %s.", req.Path, raw, v.Description(ctx)))
	}
}
