package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ ephemeral.EphemeralResourceWithConfigure = &accessTokenEphemeralResource{}

// NewAccessTokenEphemeralResource returns the workplus_access_token ephemeral resource.
func NewAccessTokenEphemeralResource() ephemeral.EphemeralResource {
	return &accessTokenEphemeralResource{}
}

// accessTokenEphemeralResource hands a fresh access token to something outside
// the provider, such as a script or another provider, without putting it in
// the plan or state.
type accessTokenEphemeralResource struct {
	provider *providerData
}

type accessTokenModel struct {
	AccessToken types.String `tfsdk:"access_token"`
	ExpiresAt   types.String `tfsdk:"expires_at"`
	ClientID    types.String `tfsdk:"client_id"`
}

func (e *accessTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_token"
}

func (e *accessTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Exchanges the provider's client credentials (`domain_id`, `org_id`, `client_id`, `client_secret`) for a new WorkPlus access token, " +
			"for use elsewhere in the configuration, e.g. in a provisioner or another provider's headers. Being ephemeral, the token is never written to the plan or state. " +
			"Needs Terraform 1.10 or later, and a provider configured with client credentials rather than a static `access_token`.",
		Attributes: map[string]schema.Attribute{
			"access_token": schema.StringAttribute{MarkdownDescription: "The access token, for the Open API's `access_token` query parameter and the Push API's `access-token` header.", Computed: true, Sensitive: true},
			"expires_at":   schema.StringAttribute{MarkdownDescription: "When the token expires (RFC 3339, UTC).", Computed: true},
			"client_id":    schema.StringAttribute{MarkdownDescription: "The client the token was issued to.", Computed: true},
		},
	}
}

func (e *accessTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (e *accessTokenEphemeralResource) Open(ctx context.Context, _ ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	// FetchToken asks for a token of its own rather than sharing the one the
	// provider uses, so whoever receives it cannot disturb the provider's.
	token, err := e.provider.client.FetchToken(ctx)
	if err != nil {
		// For a provider configured with a static access_token, err says that
		// client credentials are needed, which is the whole story.
		resp.Diagnostics.AddError("Could not fetch a WorkPlus access token", err.Error())
		return
	}
	result := accessTokenModel{
		AccessToken: types.StringValue(token.AccessToken),
		ExpiresAt:   types.StringNull(),
		ClientID:    types.StringValue(token.ClientID),
	}
	if token.ExpireTime > 0 {
		result.ExpiresAt = types.StringValue(time.UnixMilli(token.ExpireTime).UTC().Format(time.RFC3339))
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &result)...)
}
