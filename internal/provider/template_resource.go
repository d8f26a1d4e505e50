package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ resource.ResourceWithConfigure   = &templateResource{}
	_ resource.ResourceWithImportState = &templateResource{}
	_ resource.ResourceWithModifyPlan  = &templateResource{}
	_ resource.ResourceWithIdentity    = &templateResource{}
)

// NewTemplateResource returns the workplus_template resource.
func NewTemplateResource() resource.Resource {
	return &templateResource{}
}

// templateResource manages a message template.
type templateResource struct {
	provider *providerData
}

type templateResourceModel struct {
	templateModel
	SourceType types.String   `tfsdk:"source_type"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

// noTemplateTimeouts is an unset timeouts block, for template objects built
// from the API rather than from configuration (list results).
var noTemplateTimeouts = timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
	"create": types.StringType, "update": types.StringType, "delete": types.StringType,
})}

func (r *templateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_template"
}

func (r *templateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	d := templateDescriptions
	keepComputed := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	computed := func(name string, modifiers []planmodifier.String) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: d[name], Computed: true, PlanModifiers: modifiers}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A message template: the layout of a card that apps send through template messages. " +
			"WorkPlus identifies templates by id, so renaming one updates it in place. " +
			"A create whose answer is lost is never re-sent nor matched to an existing template: the apply fails and names the templates to check, each with its `terraform import` line.",
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeoutsOpts(true, true, true))},
		Attributes: map[string]schema.Attribute{
			"id": computed("id", keepComputed),
			"app_id": schema.StringAttribute{
				MarkdownDescription: d["app_id"],
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"source_type": schema.StringAttribute{
				MarkdownDescription: d["source_type"],
				Optional:            true,
				// Never computed (ModifyPlan keeps it null when not set), but
				// Computed makes `terraform query -generate-config-out` and
				// `plan -generate-config-out` leave a null source_type out
				// instead of writing `source_type = null`.
				Computed:   true,
				Validators: []validator.String{stringvalidator.OneOf(workplus.SourceTypeNative, workplus.SourceTypeISV)},
			},
			"title": schema.StringAttribute{
				MarkdownDescription: d["title"],
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"tags": schema.StringAttribute{
				MarkdownDescription: d["tags"],
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
			},
			"sample": schema.StringAttribute{
				MarkdownDescription: d["sample"],
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
			},
			"actions": schema.ListNestedAttribute{
				MarkdownDescription: d["actions"],
				Optional:            true,
				Computed:            true,
				Default:             listdefault.StaticValue(types.ListValueMust(actionObjectType, []attr.Value{})),
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{
							MarkdownDescription: d["action_name"],
							Required:            true,
							Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
						},
						"value": schema.StringAttribute{
							MarkdownDescription: d["action_value"],
							Required:            true,
							Validators:          []validator.String{urlWithScheme{}},
						},
					},
				},
			},
			"rows": schema.ListNestedAttribute{
				MarkdownDescription: d["rows"],
				Required:            true,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"cells": schema.ListNestedAttribute{
							MarkdownDescription: d["cells"],
							Required:            true,
							Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"content": schema.StringAttribute{
										MarkdownDescription: d["content"],
										Required:            true,
										Validators:          []validator.String{placeholderWarnings{}},
									},
									"align": schema.StringAttribute{
										MarkdownDescription: d["align"],
										Optional:            true,
										Computed:            true,
										Default:             stringdefault.StaticString(defaultAlign),
										Validators:          []validator.String{stringvalidator.OneOf(alignValues...)},
									},
								},
							},
						},
					},
				},
			},
			"domain_id":  computed("domain_id", keepComputed),
			"org_id":     computed("org_id", keepComputed),
			"type":       computed("type", keepComputed),
			"operator":   computed("operator", keepComputed),
			"created_at": schema.StringAttribute{MarkdownDescription: d["created_at"], CustomType: timetypes.RFC3339Type{}, Computed: true, PlanModifiers: keepComputed},
			"updated_at": schema.StringAttribute{MarkdownDescription: d["updated_at"], CustomType: timetypes.RFC3339Type{}, Computed: true},
			"placeholders": schema.ListAttribute{
				MarkdownDescription: d["placeholders"],
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (r *templateResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = templateIdentitySchema()
}

func (r *templateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

// ModifyPlan resolves app_id from the provider while planning, so the plan
// shows the app the template will live in, and derives placeholders from the
// planned rows, so a template message can be checked against them at plan time.
func (r *templateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.provider == nil {
		return
	}
	// This runs for every template in every plan, so it reads only the
	// attributes involved, straight from the raw values, and writes only
	// what changes: nothing in a plan without changes (BENCHMARKS.md,
	// section 2).
	var configAppID, plannedAppID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("app_id"), &configAppID)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("app_id"), &plannedAppID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	appID := r.provider.planAppID(ctx, configAppID, req, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	if !appID.Equal(plannedAppID) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("app_id"), appID)...)
	}
	config, plan, prior := rawAttributes(req.Config.Raw), rawAttributes(req.Plan.Raw), rawAttributes(req.State.Raw)
	if sourceTypeIsPlannedNull(config["source_type"], plan["source_type"]) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("source_type"), types.StringNull())...)
	}

	rows := plan["rows"]
	if !rows.IsFullyKnown() {
		return
	}
	if prior != nil && rows.Equal(prior["rows"]) && prior["placeholders"].IsFullyKnown() && plan["placeholders"].Equal(prior["placeholders"]) {
		return // the rows did not change, so neither did their placeholders
	}
	contents, err := contentsFromTerraform(rows)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("rows"), "Could not read the planned rows", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("placeholders"), placeholdersValue(contents))...)
	r.warnWhenTooLarge(resp, plan, contents)
}

// warnWhenTooLarge warns at plan time when the template's create or update
// body would pass max_request_bytes: the server would refuse it (HTTP 413)
// only at apply. It runs only when the rows change, which is where a body
// grows; with any other part unknown it cannot know the size and says nothing.
func (r *templateResource) warnWhenTooLarge(resp *resource.ModifyPlanResponse, plan map[string]tftypes.Value, contents [][]workplus.TemplateCell) {
	limit := r.provider.maxRequestBytes
	if limit <= 0 {
		return
	}
	// Read straight from the raw plan, as the rest of ModifyPlan does: this
	// runs for every template whose rows change.
	in := workplus.TemplateInput{Actions: []workplus.TemplateAction{}, Contents: contents}
	for name, into := range map[string]*string{"title": &in.Title, "tags": &in.Tags, "sample": &in.Sample} {
		var ok bool
		if *into, ok = knownString(plan[name]); !ok {
			return
		}
	}
	var actions []tftypes.Value
	if !plan["actions"].IsFullyKnown() || plan["actions"].As(&actions) != nil {
		return
	}
	for _, action := range actions {
		attributes := rawAttributes(action)
		name, ok1 := knownString(attributes["name"])
		value, ok2 := knownString(attributes["value"])
		if !ok1 || !ok2 {
			return
		}
		in.Actions = append(in.Actions, workplus.TemplateAction{Name: name, Value: value})
	}
	if size := in.EncodedSize(); int64(size) > limit {
		resp.Diagnostics.AddAttributeWarning(path.Root("rows"), "Template larger than the server accepts",
			fmt.Sprintf("This template's request body would be %d bytes, over max_request_bytes (%d), so the server will most likely refuse it "+
				"at apply with HTTP 413. Split it into smaller templates, or raise max_request_bytes if this server accepts larger bodies.", size, limit))
	}
}

// knownString is a raw string value, "" when null; ok is false when it is
// unknown or not a string.
func knownString(v tftypes.Value) (string, bool) {
	if !v.IsKnown() {
		return "", false
	}
	var s *string
	if v.As(&s) != nil {
		return "", false
	}
	if s == nil {
		return "", true
	}
	return *s, true
}

// sourceTypeIsPlannedNull reports whether ModifyPlan changes a planned
// source_type to null: unset means the provider's source_type at apply time,
// as it did before source_type was Computed; the framework would plan
// unknown, or the prior state's value.
func sourceTypeIsPlannedNull(config, planned tftypes.Value) bool {
	return config.IsNull() && !planned.IsNull()
}

// rawAttributes is an object value's attributes, or nil if it is null or
// not an object.
func rawAttributes(v tftypes.Value) map[string]tftypes.Value {
	var attributes map[string]tftypes.Value
	if v.IsNull() || !v.IsKnown() || v.As(&attributes) != nil {
		return nil
	}
	return attributes
}

func (r *templateResource) sourceType(m templateResourceModel) string {
	if !m.SourceType.IsNull() {
		return m.SourceType.ValueString()
	}
	return r.provider.sourceType
}

func (r *templateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(r.write(ctx, req.Plan, &resp.State, "create", func(plan templateResourceModel, in workplus.TemplateInput) (*workplus.Template, error) {
		ctx, cancel, diags := withTimeout(ctx, plan.Timeouts.Create)
		defer cancel()
		if diags.HasError() {
			return nil, errInvalidTimeout
		}
		return r.provider.client.CreateTemplate(ctx, plan.AppID.ValueString(), r.sourceType(plan), in)
	})...)
	resp.Diagnostics.Append(setTemplateIdentity(ctx, resp.State, resp.Identity)...)
}

// write sends the planned template with send (one create or update request)
// and stores the server's answer as the new state, without reading it again.
func (r *templateResource) write(ctx context.Context, planned tfsdk.Plan, state *tfsdk.State, verb string,
	send func(templateResourceModel, workplus.TemplateInput) (*workplus.Template, error)) diag.Diagnostics {
	var plan templateResourceModel
	diags := planned.Get(ctx, &plan)
	if diags.HasError() {
		return diags
	}
	in, d := plan.toInput(ctx)
	if diags.Append(d...); diags.HasError() {
		return diags
	}
	written, err := send(plan, in)
	if workplus.IsTooLarge(err) {
		diags.AddAttributeError(path.Root("rows"), "Could not "+verb+" the WorkPlus template: too large for the server",
			fmt.Sprintf("The request body was %d bytes, and the server refused it as too large. Split the template, or ask the server's "+
				"administrators for its limit (and set max_request_bytes to it, so plans warn first). %v", in.EncodedSize(), err))
		return diags
	}
	var unknownCreate *workplus.AmbiguousCreateError
	if errors.As(err, &unknownCreate) {
		diags.AddError("The WorkPlus template may or may not have been created", err.Error())
		return diags
	}
	if err != nil {
		diags.AddError("Could not "+verb+" the WorkPlus template", err.Error())
		return diags
	}
	diags.Append(plan.fromAPI(ctx, written)...)
	diags.Append(state.Set(ctx, &plan)...)
	return diags
}

func (r *templateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	// The state is read and written as raw values: this runs for every
	// template in every plan, and the framework's reflection was most of
	// Read's time (BENCHMARKS.md, section 2).
	prior := rawAttributes(req.State.Raw)
	var id string
	if err := prior["id"].As(&id); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Could not read the template's id from the state", err.Error())
		return
	}
	// The identity comes from the prior state, before anything can return:
	// the framework wants one after every Read without errors, also when the
	// template is gone and is removed from state, and also for state written
	// before templates had an identity (or by Terraform older than 1.12).
	resp.Diagnostics.Append(setTemplateIdentity(ctx, req.State, resp.Identity)...)
	t, err := r.provider.client.GetTemplate(ctx, id)
	if workplus.IsNotFound(err) {
		resp.Diagnostics.AddWarning("WorkPlus template no longer exists",
			fmt.Sprintf("Template %s was not found, so it is removed from the state; the next apply creates it again. (%v)", id, err))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the WorkPlus template", err.Error())
		return
	}
	stateTypes, err := templateStateTypes()
	if err != nil {
		resp.Diagnostics.AddError("Could not build the template's state", err.Error())
		return
	}
	resp.State.Raw = stateTypes.readState(prior, t)
}

// templateStateTypesOf is workplus_template's schema and state type, with
// the types of its lists, for Read to build the state directly.
type templateStateTypesOf struct {
	templateListTypes
	schema schema.Schema
	state  tftypes.Object
}

var templateStateTypes = sync.OnceValues(func() (*templateStateTypesOf, error) {
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	NewTemplateResource().Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("workplus_template's state type is not an object")
	}
	lists, err := newTemplateListTypes(state, state.AttributeTypes["placeholders"])
	if err != nil {
		return nil, err
	}
	return &templateStateTypesOf{templateListTypes: lists, schema: schemaResp.Schema, state: state}, nil
})

// readState is the state Read stores for t: templateModel.fromAPI's values,
// with what only the configuration holds (source_type, timeouts) kept from
// prior.
func (st *templateStateTypesOf) readState(prior map[string]tftypes.Value, t *workplus.Template) tftypes.Value {
	return tftypes.NewValue(st.state, map[string]tftypes.Value{
		"id": tfString(t.ID), "app_id": tfString(t.AppID), "title": tfString(t.Title), "tags": tfString(t.Tags), "sample": tfString(t.Sample),
		"actions": st.actionsValue(t), "rows": st.rowsValue(t), "placeholders": st.placeholdersValue(t),
		"domain_id": tfString(t.DomainID), "org_id": tfString(t.OrgID), "type": tfString(t.Type), "operator": tfString(t.Operator),
		"created_at": tfTime(t.CreateTime), "updated_at": tfTime(t.RefreshTime),
		"source_type": prior["source_type"], "timeouts": prior["timeouts"],
	})
}

func (r *templateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(r.write(ctx, req.Plan, &resp.State, "update", func(plan templateResourceModel, in workplus.TemplateInput) (*workplus.Template, error) {
		ctx, cancel, diags := withTimeout(ctx, plan.Timeouts.Update)
		defer cancel()
		if diags.HasError() {
			return nil, errInvalidTimeout
		}
		return r.provider.client.UpdateTemplate(ctx, plan.ID.ValueString(), plan.AppID.ValueString(), r.sourceType(plan), in)
	})...)
	resp.Diagnostics.Append(setTemplateIdentity(ctx, resp.State, resp.Identity)...)
}

func (r *templateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state templateResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, diags := withTimeout(ctx, state.Timeouts.Delete)
	defer cancel()
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	err := r.provider.client.DeleteTemplate(ctx, state.ID.ValueString())
	switch {
	case err == nil, workplus.IsNotFound(err):
	case workplus.IsMethodNotAllowed(err):
		resp.Diagnostics.AddWarning("WorkPlus template still exists",
			fmt.Sprintf("This WorkPlus server cannot delete templates (%v). Template %s (%q) was removed from the Terraform state but still exists on the server; delete it in the WorkPlus console if it is no longer wanted.",
				err, state.ID.ValueString(), state.Title.ValueString()))
	default:
		resp.Diagnostics.AddError("Could not delete the WorkPlus template", err.Error())
	}
}

func (r *templateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	// By id (terraform import, import blocks with id) or by identity (import
	// blocks with identity = { id = "..." }, and terraform query's results).
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}
