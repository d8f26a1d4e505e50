package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// templateModel holds the attributes that mirror a WorkPlus template. The
// resource and both data sources embed it, so one converter serves all three.
type templateModel struct {
	ID           types.String      `tfsdk:"id"`
	AppID        types.String      `tfsdk:"app_id"`
	Title        types.String      `tfsdk:"title"`
	Tags         types.String      `tfsdk:"tags"`
	Sample       types.String      `tfsdk:"sample"`
	Actions      types.List        `tfsdk:"actions"`
	Rows         types.List        `tfsdk:"rows"`
	DomainID     types.String      `tfsdk:"domain_id"`
	OrgID        types.String      `tfsdk:"org_id"`
	Type         types.String      `tfsdk:"type"`
	Operator     types.String      `tfsdk:"operator"`
	CreatedAt    timetypes.RFC3339 `tfsdk:"created_at"`
	UpdatedAt    timetypes.RFC3339 `tfsdk:"updated_at"`
	Placeholders types.List        `tfsdk:"placeholders"`
}

type actionModel struct {
	Name  types.String `tfsdk:"name"`
	Value types.String `tfsdk:"value"`
}

// rowModel and cellModel are a row and a cell as the framework's reflection
// reads them.
type rowModel struct {
	Cells []cellModel `tfsdk:"cells"`
}

type cellModel struct {
	Content types.String `tfsdk:"content"`
	Align   types.String `tfsdk:"align"`
}

// defaultAlign is what a cell without align gets: left is how text reads by
// default in a message card, and what WorkPlus shows for cells without one.
const defaultAlign = workplus.AlignLeft

var alignValues = []string{workplus.AlignLeft, workplus.AlignRight, workplus.AlignCenter}

var (
	actionObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name":  types.StringType,
		"value": types.StringType,
	}}
	cellObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"content": types.StringType,
		"align":   types.StringType,
	}}
	rowObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"cells": types.ListType{ElemType: cellObjectType},
	}}
)

// templateDescriptions documents each attribute once, for the resource and the
// data sources alike.
var templateDescriptions = map[string]string{
	"id":           "The template's id, assigned by WorkPlus.",
	"app_id":       "The app the template belongs to. Defaults to the provider's `app_id`. Changing it creates a new template and deletes the old one.",
	"source_type":  "`NATIVE` or `ISV`, as the app is registered. Defaults to the provider's `source_type`, then `NATIVE`. WorkPlus does not return it, so it is not read back on import.",
	"title":        "The template's title, shown in the WorkPlus console.",
	"tags":         "Tags, as one free-form string WorkPlus searches (for example `release,ci`). Defaults to the empty string.",
	"sample":       "A sample of the rendered message, shown to people choosing a template. Defaults to the empty string.",
	"actions":      "Buttons shown under the message, in order. Defaults to none.",
	"action_name":  "The button's label.",
	"action_value": "What the button opens: a URL with a scheme, such as `https://ci.example.com/builds/1`. A value without a scheme (`/relative/path`) is accepted, as WorkPlus accepts it, with a warning.",
	"rows":         "The message body: rows from top to bottom, each a list of cells from left to right (the API's `contents`).",
	"cells":        "The cells of the row, from left to right.",
	"content":      "The cell's text, which may be empty. `{{name.DATA}}` placeholders are filled from the data of a template message; `name` is ASCII letters, digits and `_`. Other braces (`{{name}}`, `{{ name.DATA }}`, an unclosed `{{`) are kept as written and shown to readers as they are; planning warns about each of them.",
	"align":        "`left` (default), `right` or `center`.",
	"domain_id":    "The domain of the template's organization.",
	"org_id":       "The template's organization.",
	"type":         "The template's type as WorkPlus reports it (`DEFAULT` for templates created through the API).",
	"operator":     "Who last wrote the template, as WorkPlus reports it.",
	"created_at":   "When the template was created (RFC 3339).",
	"updated_at":   "When the template was last changed (RFC 3339).",
	"placeholders": "The sorted names of the well-formed `{{name.DATA}}` placeholders used in `rows`: the keys a template message must fill. Braces that are not a placeholder are not listed.",
}

// fromAPI sets every mirrored attribute from the server's template. Empty
// strings stay "" and empty action lists stay [], matching the schema's
// defaults, so a template written with those fields omitted plans clean.
//
// The values are built directly rather than through the framework's
// reflection (types.ListValueFrom): a listing converts thousands of
// templates, and reflection made that the data source's dominant cost
// (BENCHMARKS.md, section 4).
func (m *templateModel) fromAPI(_ context.Context, t *workplus.Template) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.ID = types.StringValue(t.ID)
	m.AppID = types.StringValue(t.AppID)
	m.Title = types.StringValue(t.Title)
	m.Tags = types.StringValue(t.Tags)
	m.Sample = types.StringValue(t.Sample)
	m.DomainID = types.StringValue(t.DomainID)
	m.OrgID = types.StringValue(t.OrgID)
	m.Type = types.StringValue(t.Type)
	m.Operator = types.StringValue(t.Operator)
	m.CreatedAt = millisToRFC3339(t.CreateTime)
	m.UpdatedAt = millisToRFC3339(t.RefreshTime)

	actions := make([]attr.Value, 0, len(t.Actions))
	for _, a := range t.Actions {
		action, d := types.ObjectValue(actionObjectType.AttrTypes, map[string]attr.Value{
			"name": types.StringValue(a.Name), "value": types.StringValue(a.Value),
		})
		diags.Append(d...)
		actions = append(actions, action)
	}
	m.Actions, d = types.ListValue(actionObjectType, actions)
	diags.Append(d...)

	m.Rows, d = rowsFromAPI(t.Contents, func(stored string) attr.Value { return types.StringValue(cellAlign(stored)) })
	diags.Append(d...)

	m.Placeholders = placeholdersValue(t.Contents)
	return diags
}

// cellAlign is the align of a cell as WorkPlus stores it: a cell stored
// without one reads as left. Every conversion of a cell asks it.
func cellAlign(stored string) string {
	if stored == "" {
		return defaultAlign
	}
	return stored
}

// rowsFromAPI is the rows value of contents, with each cell's align as
// alignValue makes it of the stored one.
func rowsFromAPI(contents [][]workplus.TemplateCell, alignValue func(stored string) attr.Value) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	rows := make([]attr.Value, len(contents))
	for i, row := range contents {
		cells := make([]attr.Value, len(row))
		for j, c := range row {
			cell, d := types.ObjectValue(cellObjectType.AttrTypes, map[string]attr.Value{
				"content": types.StringValue(c.Content), "align": alignValue(c.Align),
			})
			diags.Append(d...)
			cells[j] = cell
		}
		cellList, d := types.ListValue(cellObjectType, cells)
		diags.Append(d...)
		rows[i], d = types.ObjectValue(rowObjectType.AttrTypes, map[string]attr.Value{"cells": cellList})
		diags.Append(d...)
	}
	list, d := types.ListValue(rowObjectType, rows)
	diags.Append(d...)
	return list, diags
}

// templateListTypes are the Terraform types of a template's actions, rows
// and placeholders in one schema, for building their values directly.
type templateListTypes struct {
	action, row, cell                  tftypes.Object
	actions, rows, cells, placeholders tftypes.List
}

// newTemplateListTypes takes the types from holder, the object type that
// has the actions and rows attributes, and placeholders.
func newTemplateListTypes(holder tftypes.Object, placeholders tftypes.Type) (templateListTypes, error) {
	var t templateListTypes
	var ok [7]bool
	t.actions, ok[0] = holder.AttributeTypes["actions"].(tftypes.List)
	t.action, ok[1] = t.actions.ElementType.(tftypes.Object)
	t.rows, ok[2] = holder.AttributeTypes["rows"].(tftypes.List)
	t.row, ok[3] = t.rows.ElementType.(tftypes.Object)
	t.cells, ok[4] = t.row.AttributeTypes["cells"].(tftypes.List)
	t.cell, ok[5] = t.cells.ElementType.(tftypes.Object)
	t.placeholders, ok[6] = placeholders.(tftypes.List)
	for _, o := range ok {
		if !o {
			return templateListTypes{}, fmt.Errorf("%s does not hold a template's actions and rows", holder)
		}
	}
	return t, nil
}

// actionsValue, rowsValue and placeholdersValue are fromAPI's values of
// those attributes, built directly.
func (lt templateListTypes) actionsValue(t *workplus.Template) tftypes.Value {
	actions := make([]tftypes.Value, len(t.Actions))
	for i, a := range t.Actions {
		actions[i] = tftypes.NewValue(lt.action, map[string]tftypes.Value{"name": tfString(a.Name), "value": tfString(a.Value)})
	}
	return tftypes.NewValue(lt.actions, actions)
}

func (lt templateListTypes) rowsValue(t *workplus.Template) tftypes.Value {
	rows := make([]tftypes.Value, len(t.Contents))
	for i, row := range t.Contents {
		cells := make([]tftypes.Value, len(row))
		for j, c := range row {
			cells[j] = tftypes.NewValue(lt.cell, map[string]tftypes.Value{"content": tfString(c.Content), "align": tfString(cellAlign(c.Align))})
		}
		rows[i] = tftypes.NewValue(lt.row, map[string]tftypes.Value{"cells": tftypes.NewValue(lt.cells, cells)})
	}
	return tftypes.NewValue(lt.rows, rows)
}

func (lt templateListTypes) placeholdersValue(t *workplus.Template) tftypes.Value {
	names := workplus.Placeholders(t.Contents)
	placeholders := make([]tftypes.Value, len(names))
	for i, name := range names {
		placeholders[i] = tfString(name)
	}
	return tftypes.NewValue(lt.placeholders, placeholders)
}

// templateValueTypes are the Terraform types of a listed template and its
// content, taken from the schema (templatesDataSourceModel.terraformValue).
type templateValueTypes struct {
	templateListTypes
	template, content tftypes.Object
}

func newTemplateValueTypes(element tftypes.Type) (*templateValueTypes, error) {
	template, ok := element.(tftypes.Object)
	content, ok2 := template.AttributeTypes["content"].(tftypes.Object)
	if !ok || !ok2 {
		return nil, fmt.Errorf("a listed template's type %s is not the template schema's", element)
	}
	lists, err := newTemplateListTypes(content, template.AttributeTypes["placeholders"])
	if err != nil {
		return nil, fmt.Errorf("a listed template's type is not the template schema's: %w", err)
	}
	return &templateValueTypes{templateListTypes: lists, template: template, content: content}, nil
}

// value is one listed template: the summary attributes, and its content if
// full, else null.
func (vt *templateValueTypes) value(t *workplus.Template, full bool) tftypes.Value {
	summary := map[string]tftypes.Value{
		"id": tfString(t.ID), "app_id": tfString(t.AppID), "title": tfString(t.Title), "tags": tfString(t.Tags),
		"placeholders": vt.placeholdersValue(t),
		"content":      tftypes.NewValue(vt.content, nil),
	}
	if full {
		summary["content"] = vt.contentValue(t)
	}
	return tftypes.NewValue(vt.template, summary)
}

func (vt *templateValueTypes) contentValue(t *workplus.Template) tftypes.Value {
	return tftypes.NewValue(vt.content, map[string]tftypes.Value{
		"sample": tfString(t.Sample), "actions": vt.actionsValue(t), "rows": vt.rowsValue(t),
		"domain_id": tfString(t.DomainID), "org_id": tfString(t.OrgID), "type": tfString(t.Type), "operator": tfString(t.Operator),
		"created_at": tfTime(t.CreateTime), "updated_at": tfTime(t.RefreshTime),
	})
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// tfTime is millisToRFC3339 as a tftypes value.
func tfTime(ms int64) tftypes.Value {
	if s, ok := rfc3339Millis(ms); ok {
		return tfString(s)
	}
	return tftypes.NewValue(tftypes.String, nil)
}

// toInput builds the create/update body from known (apply-time) values.
func (m templateModel) toInput(ctx context.Context) (workplus.TemplateInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := workplus.TemplateInput{
		Title:    m.Title.ValueString(),
		Tags:     m.Tags.ValueString(),
		Sample:   m.Sample.ValueString(),
		Actions:  []workplus.TemplateAction{},
		Contents: [][]workplus.TemplateCell{},
	}
	var actions []actionModel
	if !m.Actions.IsNull() && !m.Actions.IsUnknown() {
		diags.Append(m.Actions.ElementsAs(ctx, &actions, false)...)
	}
	for _, a := range actions {
		in.Actions = append(in.Actions, workplus.TemplateAction{Name: a.Name.ValueString(), Value: a.Value.ValueString()})
	}
	contents, d := rowsToContents(ctx, m.Rows)
	diags.Append(d...)
	in.Contents = contents
	return in, diags
}

// rowsToContents converts a rows list to the API's contents. Callers check
// isFullyKnown first while planning: unknown parts cannot be converted.
func rowsToContents(ctx context.Context, rowsList types.List) ([][]workplus.TemplateCell, diag.Diagnostics) {
	var diags diag.Diagnostics
	if rowsList.IsNull() || rowsList.IsUnknown() {
		return [][]workplus.TemplateCell{}, nil
	}
	rows, err := rowsList.ToTerraformValue(ctx)
	if err == nil {
		var contents [][]workplus.TemplateCell
		if contents, err = contentsFromTerraform(rows); err == nil {
			return contents, nil
		}
	}
	diags.AddAttributeError(path.Root("rows"), "Could not read the template's rows", err.Error())
	return nil, diags
}

// contentsFromTerraform converts a known rows value to the API's contents
// without the framework's reflection: ModifyPlan converts every template's
// rows in every plan that changes them (BenchmarkTemplateToInput).
func contentsFromTerraform(rows tftypes.Value) ([][]workplus.TemplateCell, error) {
	contents := [][]workplus.TemplateCell{}
	if rows.IsNull() {
		return contents, nil
	}
	var rowValues []tftypes.Value
	if err := rows.As(&rowValues); err != nil {
		return nil, err
	}
	for _, row := range rowValues {
		var rowAttributes map[string]tftypes.Value
		var cellValues []tftypes.Value
		if err := row.As(&rowAttributes); err != nil {
			return nil, err
		}
		if err := rowAttributes["cells"].As(&cellValues); err != nil {
			return nil, err
		}
		cells := make([]workplus.TemplateCell, 0, len(cellValues))
		for _, cell := range cellValues {
			var cellAttributes map[string]tftypes.Value
			var content, align *string
			if err := cell.As(&cellAttributes); err != nil {
				return nil, err
			}
			if err := cellAttributes["content"].As(&content); err != nil {
				return nil, err
			}
			if err := cellAttributes["align"].As(&align); err != nil {
				return nil, err
			}
			var c workplus.TemplateCell
			if content != nil {
				c.Content = *content
			}
			if align != nil {
				c.Align = *align
			}
			c.Align = cellAlign(c.Align)
			cells = append(cells, c)
		}
		contents = append(contents, cells)
	}
	return contents, nil
}

func placeholdersValue(contents [][]workplus.TemplateCell) types.List {
	names := workplus.Placeholders(contents)
	values := make([]attr.Value, len(names))
	for i, name := range names {
		values[i] = types.StringValue(name)
	}
	return types.ListValueMust(types.StringType, values)
}

func millisToRFC3339(ms int64) timetypes.RFC3339 {
	if s, ok := rfc3339Millis(ms); ok {
		return timetypes.NewRFC3339ValueMust(s)
	}
	return timetypes.NewRFC3339Null()
}

// rfc3339Millis formats the API's epoch milliseconds; 0 means unset.
func rfc3339Millis(ms int64) (string, bool) {
	if ms <= 0 {
		return "", false
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339), true
}

// isFullyKnown reports whether a value and everything inside it is known.
func isFullyKnown(ctx context.Context, v attr.Value) bool {
	tfValue, err := v.ToTerraformValue(ctx)
	return err == nil && tfValue.IsFullyKnown()
}
