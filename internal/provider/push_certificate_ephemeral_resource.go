package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var _ ephemeral.EphemeralResourceWithConfigure = &pushCertificateEphemeralResource{}

// NewPushCertificateEphemeralResource returns the workplus_push_certificate
// ephemeral resource.
func NewPushCertificateEphemeralResource() ephemeral.EphemeralResource {
	return &pushCertificateEphemeralResource{}
}

// pushCertificateEphemeralResource hands a push credential's secret material
// (the certificate, which for PKCS#12 holds the private key, and the app
// secret) to whatever needs it, without writing it to the plan or state. The
// workplus_push_certificate data source keeps only the audit.
type pushCertificateEphemeralResource struct {
	provider *providerData
}

type pushCertificateSecretModel struct {
	Vendor      types.String `tfsdk:"vendor"`
	Environment types.String `tfsdk:"environment"`
	AppID       types.String `tfsdk:"app_id"`
	AppKey      types.String `tfsdk:"app_key"`
	AppSecret   types.String `tfsdk:"app_secret"`
	Certificate types.String `tfsdk:"certificate"`
	Name        types.String `tfsdk:"name"`
}

func (e *pushCertificateEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_push_certificate"
}

func (e *pushCertificateEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	pd := pushCertificateDescriptions
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the secret material of one vendor's push credential, the certificate and the app secret, for passing on, e.g. to a secrets manager or another provider's write-only argument. " +
			"Being ephemeral, nothing of it is written to the plan or state. Needs Terraform 1.10 or later. To audit a credential, use the `workplus_push_certificate` data source, which keeps no secrets.",
		Attributes: map[string]schema.Attribute{
			"vendor": schema.StringAttribute{
				MarkdownDescription: pd["vendor"], Required: true,
				Validators: []validator.String{stringvalidator.OneOf(workplus.VendorNames()...)},
			},
			"environment": schema.StringAttribute{
				MarkdownDescription: pd["environment"], Optional: true, Computed: true,
				Validators: []validator.String{stringvalidator.OneOf(environmentNames...)},
			},
			"app_id": schema.StringAttribute{
				MarkdownDescription: pd["app_id"], Optional: true, Computed: true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"app_key":    schema.StringAttribute{MarkdownDescription: pd["app_key"], Computed: true},
			"app_secret": schema.StringAttribute{MarkdownDescription: "The vendor's app secret.", Computed: true, Sensitive: true},
			"certificate": schema.StringAttribute{
				MarkdownDescription: "The credential itself as WorkPlus stores it: a PEM certificate, base64 DER or PKCS#12 (which can hold the private key), or an FCM service-account key.",
				Computed:            true, Sensitive: true,
			},
			"name": schema.StringAttribute{MarkdownDescription: pd["name"], Computed: true},
		},
	}
}

func (e *pushCertificateEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (e *pushCertificateEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var config pushCertificateSecretModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cert, read, diags := e.provider.readPushCertificate(ctx, config.Vendor, config.Environment, config.AppID)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	result := pushCertificateSecretModel{
		Vendor: read.vendor, Environment: read.environment, AppID: read.appID,
		AppKey: types.StringValue(cert.AppKey), AppSecret: types.StringValue(cert.AppSecret),
		Certificate: types.StringValue(cert.Certificate), Name: types.StringValue(cert.Name),
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &result)...)
}

// pushCertificateRead is which credential readPushCertificate read.
type pushCertificateRead struct {
	vendor, environment, appID types.String
}

// readPushCertificate is the read both the data source and the ephemeral
// resource make: the app defaults to the provider's, the environment to
// production, and a vendor without a credential is an error naming vendor.
func (p *providerData) readPushCertificate(ctx context.Context, vendorValue, environmentValue, appIDValue types.String) (*workplus.Certificate, pushCertificateRead, diag.Diagnostics) {
	appID, diags := p.resolveAppID(appIDValue)
	if diags.HasError() {
		return nil, pushCertificateRead{}, diags
	}
	vendorName := vendorValue.ValueString()
	vendor, _ := workplus.ParseVendor(vendorName) // the schema allows only known names
	environment := environmentValue.ValueString()
	if environmentValue.IsNull() {
		environment = environmentProduction
	}
	read := pushCertificateRead{vendor: types.StringValue(vendorName), environment: types.StringValue(environment), appID: types.StringValue(appID)}
	cert, err := p.client.GetCertificate(ctx, appID, vendor, environmentNumbers[environment])
	if workplus.IsNotFound(err) {
		diags.AddAttributeError(path.Root("vendor"), "Push certificate not configured",
			"App "+appID+" has no "+vendorName+" push credential for the "+environment+" environment. Upload one in the WorkPlus console, or read workplus_push_certificates to see which vendors are configured. ("+err.Error()+")")
		return nil, read, diags
	}
	if err != nil {
		diags.AddError("Could not read the WorkPlus push certificate", err.Error())
		return nil, read, diags
	}
	return cert, read, diags
}
