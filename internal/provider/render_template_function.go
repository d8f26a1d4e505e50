package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var _ function.Function = &renderTemplateFunction{}

// renderTemplateDataArg is the position of data, for errors that point at it.
const renderTemplateDataArg int64 = 1

// renderTemplateFunction is provider::workplus::render_template: it previews
// the text a template message shows, from a template's rows and the data that
// fills its placeholders, without calling WorkPlus.
type renderTemplateFunction struct{}

// NewRenderTemplateFunction is the factory the provider's Functions returns.
func NewRenderTemplateFunction() function.Function {
	return &renderTemplateFunction{}
}

func (f *renderTemplateFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "render_template"
}

func (f *renderTemplateFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Render a template's rows as text, with placeholders filled from data",
		Description: "Renders the rows of a WorkPlus template as plain text: one line per row, the cells of a row joined by a single space, " +
			"and every {{name.DATA}} placeholder replaced by the value of name in data. Alignment is not rendered. " +
			"Use it in an output or a check block to preview a message at plan time. " +
			"Braces that are not a {{name.DATA}} placeholder, such as {{name}} or {{ name.DATA }}, are rendered as written, which is how WorkPlus shows them. " +
			"The call fails when data has no value for a placeholder, naming every missing one.",
		MarkdownDescription: "Renders the rows of a WorkPlus template as plain text: one line per row, the cells of a row joined by a single space, " +
			"and every `{{name.DATA}}` placeholder replaced by the value of `name` in `data`. Alignment is not rendered.\n\n" +
			"Use it in an `output` or a `check` block to preview a message at plan time, before anything is sent. " +
			"`rows` takes `workplus_template.<name>.rows` as it is, or a literal list in the same shape.\n\n" +
			"Braces that are not a `{{name.DATA}}` placeholder, such as `{{name}}` or `{{ name.DATA }}`, are rendered as written, " +
			"which is how WorkPlus shows them (a `workplus_template` warns about them while planning). " +
			"The call fails when `data` has no value for a placeholder, naming every missing one.\n\n" +
			"Provider functions need Terraform 1.8 or later.",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:        "rows",
				ElementType: rowObjectType,
				Description: "The template's rows, such as workplus_template.example.rows: a list of { cells = list of { content, align } }. " +
					"In a literal every cell must set align, which may be null; align does not affect the text.",
				MarkdownDescription: "The template's rows, such as `workplus_template.example.rows`: a list of `{ cells = [{ content, align }, ...] }`. " +
					"In a literal list every cell must set `align` (Terraform requires every attribute of a function argument's objects); " +
					"it may be `null`, and it does not affect the text.",
			},
			function.MapParameter{
				Name:        "data",
				ElementType: types.StringType,
				Description: "The value of each placeholder, by name: { service = \"payments-api\" } fills {{service.DATA}}. Keys no placeholder uses are ignored.",
				MarkdownDescription: "The value of each placeholder, by name: `{ service = \"payments-api\" }` fills `{{service.DATA}}`. " +
					"Keys no placeholder uses are ignored; a `null` value counts as missing.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *renderTemplateFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var rows types.List
	var data types.Map
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &rows, &data))
	if resp.Error != nil {
		return
	}

	// Terraform skips the call while an argument is unknown; a value that is
	// unknown only inside is still possible, and renders as unknown too.
	if !isFullyKnown(ctx, rows) || !isFullyKnown(ctx, data) {
		resp.Error = resp.Result.Set(ctx, types.StringUnknown())
		return
	}

	contents, diags := rowsToContents(ctx, rows)
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}

	values := make(map[string]string, len(data.Elements()))
	for key, element := range data.Elements() {
		value, ok := element.(types.String)
		if !ok {
			resp.Error = function.NewArgumentFuncError(renderTemplateDataArg, fmt.Sprintf("data[%q] is a %T, not a string. This is a bug in the provider; please report it.", key, element))
			return
		}
		if !value.IsNull() {
			values[key] = value.ValueString()
		}
	}

	text, err := workplus.RenderText(contents, values)
	if err != nil {
		resp.Error = renderError(err)
		return
	}
	resp.Error = resp.Result.Set(ctx, types.StringValue(text))
}

// renderError points a rendering error at the argument to fix.
func renderError(err error) *function.FuncError {
	var missing *workplus.MissingDataError
	if errors.As(err, &missing) {
		return function.NewArgumentFuncError(renderTemplateDataArg, err.Error()+"; every placeholder the rows use needs a value in data")
	}
	return function.NewFuncError("Rendering the template failed: " + err.Error())
}
