package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewProtocol6Server returns the provider's protocol server factory: the
// framework's server for a new provider instance, with the no-change plan
// shortcut below in front of it. main serves it, and the tests use it, so
// every test runs the same server as Terraform.
func NewProtocol6Server(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := &WorkPlusProvider{version: version}
		framework, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		return newPlanShortcutServer(context.Background(), framework, p)
	}
}

// frameworkServer is what the framework's protocol server implements; the
// list resource and action calls are in interfaces of their own, which the
// shortcut server must implement too to pass them on.
type frameworkServer interface {
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // tf6server routes list calls only to servers that assert to it
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // and action calls likewise
}

// planShortcutServer exists only for speed (BENCHMARKS.md, section 2: the
// no-change plan of 300 templates against terraform_data). A no-change plan
// refreshes and plans every template; for a workplus_template that has not
// changed, both answers are the prior state, and the framework spends most
// of the provider's CPU walking the request's values to find that out.
//   - ReadResource reads the template and, when the state Read would store
//     is the prior state, answers with it.
//   - PlanResourceChange answers with the prior state when Terraform proposes
//     it unchanged and the framework's defaults, plan modifiers and the
//     resource's ModifyPlan would all keep it.
//
// Every other call, and every answer it cannot prove, goes to the framework.
// TestPlanShortcut_agreesWithTheFramework and
// TestReadShortcut_agreesWithTheFramework hold it to the framework's answers.
type planShortcutServer struct {
	frameworkServer
	provider *WorkPlusProvider

	stateTypes   *templateStateTypesOf
	identityType tftypes.Type
	// defaults are the template's defaults, evaluated once; without
	// defaultsJudged the schema holds one the shortcut cannot judge, and no
	// plan takes it.
	defaults       map[string]schemaDefault
	defaultsJudged bool
	// nullIdentity is what the framework plans as the identity when
	// Terraform sends none (Terraform before 1.12, or state from then).
	nullIdentity *tfprotov6.ResourceIdentityData
}

func newPlanShortcutServer(ctx context.Context, framework tfprotov6.ProviderServer, p *WorkPlusProvider) (tfprotov6.ProviderServer, error) {
	full, ok := framework.(frameworkServer)
	if !ok {
		return nil, fmt.Errorf("the framework's protocol server (%T) lacks the list resource or action calls", framework)
	}
	stateTypes, err := templateStateTypes()
	if err != nil {
		return nil, err
	}
	identityType := templateIdentitySchema().Type().TerraformType(ctx)
	nullIdentity, err := tfprotov6.NewDynamicValue(identityType, tftypes.NewValue(identityType, nil))
	if err != nil {
		return nil, fmt.Errorf("encoding the template's null identity: %w", err)
	}
	defaults, defaultsJudged := templateDefaults(ctx, stateTypes.schema)
	return &planShortcutServer{
		frameworkServer: full,
		provider:        p,
		stateTypes:      stateTypes,
		defaults:        defaults,
		defaultsJudged:  defaultsJudged,
		identityType:    identityType,
		nullIdentity:    &tfprotov6.ResourceIdentityData{IdentityData: &nullIdentity},
	}, nil
}

func (s *planShortcutServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if req.TypeName == templateResourceType {
		if resp, ok := s.unchangedTemplatePlan(req); ok {
			return resp, nil
		}
	}
	return s.frameworkServer.PlanResourceChange(ctx, req)
}

// ReadResource refreshes an unchanged workplus_template without the
// framework: it reads the template, and when the state Read would store is
// the prior state, answers with the prior state. Otherwise the framework
// runs Read with the template already read (fetchedTemplate), so a refresh
// still makes one request.
func (s *planShortcutServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	if req.TypeName == templateResourceType {
		resp, fetchedCtx, ok := s.unchangedTemplateRead(ctx, req)
		if ok {
			return resp, nil
		}
		ctx = fetchedCtx
	}
	return s.frameworkServer.ReadResource(ctx, req)
}

// unchangedTemplateRead is the framework's answer to req when that answer is
// the prior state unchanged; otherwise ok is false, and ctx carries the
// template if it was read.
func (s *planShortcutServer) unchangedTemplateRead(ctx context.Context, req *tfprotov6.ReadResourceRequest) (_ *tfprotov6.ReadResourceResponse, _ context.Context, ok bool) {
	data := s.provider.configured.Load()
	if data == nil || len(req.Private) > 0 || req.CurrentState == nil {
		return nil, ctx, false
	}
	prior, err := req.CurrentState.Unmarshal(s.stateTypes.state)
	if err != nil || prior.IsNull() || !prior.IsFullyKnown() {
		return nil, ctx, false
	}
	priorAttributes := rawAttributes(prior)
	var id string
	if err := priorAttributes["id"].As(&id); err != nil || id == "" {
		return nil, ctx, false
	}
	identity, err := tfprotov6.NewDynamicValue(s.identityType, tftypes.NewValue(s.identityType, map[string]tftypes.Value{"id": tfString(id)}))
	if err != nil || !identityUnchanged(req.CurrentIdentity, s.identityType, id) {
		return nil, ctx, false
	}
	template, err := data.client.GetTemplate(ctx, id)
	ctx = context.WithValue(ctx, fetchedTemplateKey{}, fetchedTemplate{id: id, template: template, err: err})
	if err != nil || !s.stateTypes.readState(priorAttributes, template).Equal(prior) {
		return nil, ctx, false
	}
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, NewIdentity: &tfprotov6.ResourceIdentityData{IdentityData: &identity}}, ctx, true
}

// identityUnchanged reports whether Terraform's identity for the template is
// absent, null, or already {id}: the framework refuses any other.
func identityUnchanged(current *tfprotov6.ResourceIdentityData, identityType tftypes.Type, id string) bool {
	if current == nil || current.IdentityData == nil {
		return true
	}
	value, err := current.IdentityData.Unmarshal(identityType)
	if err != nil {
		return false
	}
	return value.IsFullyNull() || value.Equal(tftypes.NewValue(identityType, map[string]tftypes.Value{"id": tfString(id)}))
}

// templateResourceType is workplus_template's type name.
const templateResourceType = "workplus_template"

// unchangedTemplatePlan is the framework's answer to req when that answer is
// the prior state unchanged, and ok is false when it cannot prove so.
func (s *planShortcutServer) unchangedTemplatePlan(req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	data := s.provider.configured.Load()
	if data == nil || !s.defaultsJudged || len(req.PriorPrivate) > 0 || req.PriorState == nil || req.ProposedNewState == nil || req.Config == nil {
		return nil, false
	}
	prior, err := req.PriorState.Unmarshal(s.stateTypes.state)
	if err != nil || prior.IsNull() || !prior.IsFullyKnown() {
		return nil, false
	}
	proposed, err := req.ProposedNewState.Unmarshal(s.stateTypes.state)
	if err != nil || !proposed.Equal(prior) {
		return nil, false
	}
	config, err := req.Config.Unmarshal(s.stateTypes.state)
	if err != nil || config.IsNull() {
		return nil, false
	}
	configAttributes, priorAttributes := rawAttributes(config), rawAttributes(prior)
	if !defaultsHold(s.defaults, configAttributes, priorAttributes) ||
		!templateModifyPlanKeeps(data, configAttributes, priorAttributes) {
		return nil, false
	}
	identity := req.PriorIdentity
	if identity == nil {
		identity = s.nullIdentity
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.PriorState, PlannedIdentity: identity}, true
}

// templateModifyPlanKeeps reports whether TemplateResource.ModifyPlan leaves
// a plan that equals the prior state as it is. Its placeholders follow the
// rows, which are the prior state's.
func templateModifyPlanKeeps(data *providerData, config, prior map[string]tftypes.Value) bool {
	if sourceTypeIsPlannedNull(config["source_type"], prior["source_type"]) {
		return false
	}
	configAppID, err1 := stringFromTerraform(config["app_id"])
	priorAppID, err2 := stringFromTerraform(prior["app_id"])
	if err1 != nil || err2 != nil {
		return false
	}
	planned, replace, diags := data.plannedAppID(configAppID, priorAppID, true)
	return !replace && len(diags) == 0 && planned.Equal(priorAppID)
}

func stringFromTerraform(v tftypes.Value) (types.String, error) {
	if v.IsNull() {
		return types.StringNull(), nil
	}
	var s string
	if err := v.As(&s); err != nil {
		return types.String{}, err
	}
	return types.StringValue(s), nil
}

// schemaDefault is what the framework's defaults do under one attribute:
// set its own default value (when has), and those of the attributes of its
// list-nested objects (nested).
type schemaDefault struct {
	value  tftypes.Value
	has    bool
	nested map[string]schemaDefault
}

// templateDefaults evaluates workplus_template's defaults once, keeping the
// attributes that have one or have one nested under them; they are static
// values, so one evaluation stands for every plan. ok is false when the
// schema holds a default the shortcut cannot judge: in a block, or of an
// attribute kind attributeDefault does not know.
func templateDefaults(ctx context.Context, s schema.Schema) (defaults map[string]schemaDefault, ok bool) {
	for _, block := range s.Blocks {
		nested, isSingle := block.(schema.SingleNestedBlock)
		if !isSingle || len(nested.Blocks) > 0 {
			return nil, false
		}
		if blockDefaults, ok := attributeDefaults(ctx, nested.Attributes); !ok || len(blockDefaults) > 0 {
			return nil, false
		}
	}
	return attributeDefaults(ctx, s.Attributes)
}

func attributeDefaults(ctx context.Context, attributes map[string]schema.Attribute) (map[string]schemaDefault, bool) {
	defaults := map[string]schemaDefault{}
	for name, attribute := range attributes {
		var d schemaDefault
		var ok bool
		if d.value, d.has, ok = attributeDefault(ctx, attribute); !ok {
			return nil, false
		}
		if nested, isNested := attribute.(schema.ListNestedAttribute); isNested {
			if d.nested, ok = attributeDefaults(ctx, nested.NestedObject.Attributes); !ok {
				return nil, false
			}
		}
		if d.has || len(d.nested) > 0 {
			defaults[name] = d
		}
	}
	return defaults, true
}

// defaultsHold reports whether the framework's defaults would leave prior as
// it is: every attribute with a default that config leaves unset already
// holds it. A nested default under an unset attribute without a default of
// its own makes it false.
func defaultsHold(defaults map[string]schemaDefault, config, prior map[string]tftypes.Value) bool {
	for name, d := range defaults {
		configValue, priorValue := config[name], prior[name]
		if configValue.IsNull() {
			if !d.has || !priorValue.Equal(d.value) {
				return false
			}
			continue
		}
		if len(d.nested) == 0 {
			continue
		}
		var configElements, priorElements []tftypes.Value
		if configValue.As(&configElements) != nil || priorValue.As(&priorElements) != nil || len(configElements) != len(priorElements) {
			return false
		}
		for i := range configElements {
			if !defaultsHold(d.nested, rawAttributes(configElements[i]), rawAttributes(priorElements[i])) {
				return false
			}
		}
	}
	return true
}

// attributeDefault is attribute's default value, for the attribute kinds
// workplus_template has; ok is false for any other kind with a default.
func attributeDefault(ctx context.Context, attribute schema.Attribute) (value tftypes.Value, hasDefault, ok bool) {
	var planValue attr.Value
	switch a := attribute.(type) {
	case schema.StringAttribute:
		if a.Default == nil {
			return tftypes.Value{}, false, true
		}
		var resp defaults.StringResponse
		a.Default.DefaultString(ctx, defaults.StringRequest{Path: path.Empty()}, &resp)
		if resp.Diagnostics.HasError() {
			return tftypes.Value{}, true, false
		}
		planValue = resp.PlanValue
	case schema.ListNestedAttribute:
		if a.Default == nil {
			return tftypes.Value{}, false, true
		}
		var resp defaults.ListResponse
		a.Default.DefaultList(ctx, defaults.ListRequest{Path: path.Empty()}, &resp)
		if resp.Diagnostics.HasError() {
			return tftypes.Value{}, true, false
		}
		planValue = resp.PlanValue
	case schema.ListAttribute:
		return tftypes.Value{}, a.Default != nil, a.Default == nil
	default:
		return tftypes.Value{}, false, false
	}
	value, err := planValue.ToTerraformValue(ctx)
	return value, true, err == nil
}
