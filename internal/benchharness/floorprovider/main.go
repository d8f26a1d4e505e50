// Command floorprovider is the benchmarks' framework floor: a
// terraform-plugin-framework provider ("workplusfloor") whose one resource,
// workplusfloor_template, has exactly workplus_template's schema (the same
// attributes, validators, defaults and plan modifiers, taken from
// provider.NewTemplateResource) but makes no request and has no ModifyPlan:
// Read keeps the state as it is, Create and Update store the plan. A no-change
// plan over it costs what the framework costs for our schema and nothing
// else, so the harness (section 2) can split the provider's plan into
// Terraform's share, the framework's and ours. It runs under the same process
// settings as the provider (internal/pluginprocess).
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/pluginprocess"
	workplus "github.com/workplus/terraform-provider-workplus/internal/provider"
)

func main() {
	pluginprocess.Tune()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return floorProvider{} }, providerserver.ServeOpts{
		Address: "registry.terraform.io/workplus/workplusfloor",
	})
	pluginprocess.Done()
	if err != nil {
		log.Fatal(err)
	}
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "workplusfloor"
}
func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return floorTemplate{} },
		func() resource.Resource { return floorTemplate{bare: true} },
	}
}
func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// floorTemplate is workplusfloor_template, or with bare
// workplusfloor_bare_template: the same attributes without validators,
// defaults and plan modifiers, to tell what those cost the framework.
type floorTemplate struct{ bare bool }

func (f floorTemplate) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_template"
	if f.bare {
		resp.TypeName = req.ProviderTypeName + "_bare_template"
	}
}

func (f floorTemplate) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	workplus.NewTemplateResource().Schema(ctx, req, resp)
	if f.bare {
		resp.Schema.Attributes = bareAttributes(resp.Schema.Attributes)
	}
}

// bareAttributes is attributes without validators, defaults and plan
// modifiers. An attribute that loses its default stays computed, so a null
// configuration plans as unknown and applies as a fixed time (see known).
func bareAttributes(attributes map[string]schema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attributes))
	for name, a := range attributes {
		switch a := a.(type) {
		case schema.StringAttribute:
			a.Validators, a.PlanModifiers, a.Default = nil, nil, nil
			out[name] = a
		case schema.ListAttribute:
			a.Validators, a.PlanModifiers, a.Default = nil, nil, nil
			out[name] = a
		case schema.ListNestedAttribute:
			a.Validators, a.PlanModifiers, a.Default = nil, nil, nil
			a.NestedObject.Attributes = bareAttributes(a.NestedObject.Attributes)
			out[name] = a
		default:
			panic(fmt.Sprintf("floorprovider: attribute %s has an unexpected type %T", name, a))
		}
	}
	return out
}

func (floorTemplate) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (floorTemplate) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (floorTemplate) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (floorTemplate) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// known replaces what the plan left unknown (id and the other computed
// strings, placeholders) with fixed values, as a server's answer would.
func known(plan tftypes.Value) tftypes.Value {
	v, _ := tftypes.Transform(plan, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch t := v.Type().(type) {
		case tftypes.List:
			return tftypes.NewValue(t, []tftypes.Value{}), nil
		default:
			// Every computed string gets an RFC 3339 time: created_at and
			// updated_at are timetypes.RFC3339, and the rest take any string.
			return tftypes.NewValue(tftypes.String, "2026-01-01T00:00:00Z"), nil
		}
	})
	return v
}
