package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// templateIdentityModel is the resource identity of a workplus_template, shared
// by the resource (import by identity) and the list resource (query results).
//
// It is the template id alone. WorkPlus template ids are unique across the
// server: GET, update and delete address a template by id, with no app_id. An
// app_id in the identity would add nothing an import could use, yet it would
// be one more value a person must get right, and one the server could
// contradict. app_id is in the resource's state, where it belongs.
type templateIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

func templateIdentitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The template's id, assigned by WorkPlus.",
			},
		},
	}
}

// setTemplateIdentity sets identity from the id in state. identity is nil when
// Terraform is older than 1.12 and knows no identities.
func setTemplateIdentity(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if identity == nil || state.Raw.IsNull() {
		return nil
	}
	var id types.String
	diags := state.GetAttribute(ctx, path.Root("id"), &id)
	if diags.HasError() {
		return diags
	}
	diags.Append(identity.Set(ctx, templateIdentityModel{ID: id})...)
	return diags
}
