package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/certaudit"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var _ datasource.DataSourceWithConfigure = &pushCertificateDataSource{}

// NewPushCertificateDataSource returns the workplus_push_certificate data source.
func NewPushCertificateDataSource() datasource.DataSource {
	return &pushCertificateDataSource{}
}

// pushCertificateDataSource reads one vendor's push credential and audits it.
type pushCertificateDataSource struct {
	provider *providerData
}

// Certificate environments as the schema names them. The API numbers them
// (0 development, 1 production); names read better in a configuration.
const (
	environmentProduction  = "production"
	environmentDevelopment = "development"
)

var environmentNumbers = map[string]int{
	environmentProduction:  workplus.EnvironmentProduction,
	environmentDevelopment: workplus.EnvironmentDevelopment,
}

// environmentNames lists the environments in the order the audit reports them:
// production first, as it is the one that breaks users' phones when it expires.
var environmentNames = []string{environmentProduction, environmentDevelopment}

// certificateAuditModel holds the fields derived offline from a credential's
// certificate text. Both certificate data sources embed it, so the schema and
// the converter below serve both.
type certificateAuditModel struct {
	CertificateFormat types.String      `tfsdk:"certificate_format"`
	Subject           types.String      `tfsdk:"subject"`
	Issuer            types.String      `tfsdk:"issuer"`
	Serial            types.String      `tfsdk:"serial"`
	NotBefore         timetypes.RFC3339 `tfsdk:"not_before"`
	NotAfter          timetypes.RFC3339 `tfsdk:"not_after"`
	SHA256Fingerprint types.String      `tfsdk:"sha256_fingerprint"`
	ExpiresInDays     types.Int64       `tfsdk:"expires_in_days"`
}

// certificateAuditDescriptions documents each audit attribute once.
var certificateAuditDescriptions = map[string]string{
	"certificate_format": "How `certificate` is encoded: `pem`, `der` (base64), `pkcs12` (base64, password-less), `json` (an FCM service-account key) or `unknown`. " +
		"Null when the credential has no certificate, as for vendors that authenticate with `app_key` and `app_secret` only.",
	"subject":            "The certificate's subject (RFC 2253 style, e.g. `CN=com.example.app,O=Example`); for an FCM key, its `client_email`. Null when the format gives none.",
	"issuer":             "The certificate's issuer, in the same style as `subject`. Null when the format gives none.",
	"serial":             "The certificate's serial number as lower-case hex; for an FCM key, its `private_key_id`. Null when the format gives none.",
	"not_before":         "Start of the certificate's validity (RFC 3339, UTC). Null when the format gives no dates (FCM keys do not expire).",
	"not_after":          "End of the certificate's validity (RFC 3339, UTC). Null when the format gives no dates (FCM keys do not expire).",
	"sha256_fingerprint": "Lower-case hex SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` prints it without colons. Null for formats that are not X.509.",
	"expires_in_days":    "Whole days until `not_after` when the data source was read: 0 during the last day, negative once expired. Null when the format gives no dates.",
}

// certificateAuditAttributes is the read-only schema of the audit fields.
func certificateAuditAttributes() map[string]schema.Attribute {
	d := certificateAuditDescriptions
	attributes := map[string]schema.Attribute{
		"expires_in_days": schema.Int64Attribute{MarkdownDescription: d["expires_in_days"], Computed: true},
	}
	for _, name := range []string{"certificate_format", "subject", "issuer", "serial", "sha256_fingerprint"} {
		attributes[name] = schema.StringAttribute{MarkdownDescription: d[name], Computed: true}
	}
	for _, name := range []string{"not_before", "not_after"} {
		attributes[name] = schema.StringAttribute{MarkdownDescription: d[name], CustomType: timetypes.RFC3339Type{}, Computed: true}
	}
	return attributes
}

// certificateAuditAttrTypes are the audit attributes' types, for the object
// types of list elements that embed certificateAuditModel.
var certificateAuditAttrTypes = map[string]attr.Type{
	"certificate_format": types.StringType,
	"subject":            types.StringType,
	"issuer":             types.StringType,
	"serial":             types.StringType,
	"not_before":         timetypes.RFC3339Type{},
	"not_after":          timetypes.RFC3339Type{},
	"sha256_fingerprint": types.StringType,
	"expires_in_days":    types.Int64Type,
}

// auditCertificate fills the audit fields from a credential's certificate
// text. A credential that certaudit recognises but cannot read is still a
// credential the server holds, so the problem comes back as a warning (its
// text starts with the format) rather than failing the read.
func auditCertificate(certificate string, now time.Time) (certificateAuditModel, error) {
	if strings.TrimSpace(certificate) == "" {
		return nullCertificateAudit(), nil
	}
	audit, err := certaudit.Inspect(certificate, now)
	m := certificateAuditModel{
		CertificateFormat: types.StringValue(audit.Format),
		Subject:           stringOrNull(audit.Subject),
		Issuer:            stringOrNull(audit.Issuer),
		Serial:            stringOrNull(audit.Serial),
		NotBefore:         timeOrNull(audit.NotBefore),
		NotAfter:          timeOrNull(audit.NotAfter),
		SHA256Fingerprint: stringOrNull(audit.SHA256Fingerprint),
		ExpiresInDays:     types.Int64PointerValue(audit.ExpiresInDays),
	}
	return m, err
}

// nullCertificateAudit is the audit of a credential without a certificate.
func nullCertificateAudit() certificateAuditModel {
	return certificateAuditModel{
		CertificateFormat: types.StringNull(), Subject: types.StringNull(), Issuer: types.StringNull(),
		Serial: types.StringNull(), NotBefore: timetypes.NewRFC3339Null(), NotAfter: timetypes.NewRFC3339Null(),
		SHA256Fingerprint: types.StringNull(), ExpiresInDays: types.Int64Null(),
	}
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func timeOrNull(t *time.Time) timetypes.RFC3339 {
	if t == nil {
		return timetypes.NewRFC3339Null()
	}
	return timetypes.NewRFC3339TimeValue(t.UTC())
}

// certificateAuditWarning words a certaudit error for the user: which
// credential, and that the read itself succeeded.
func certificateAuditWarning(vendor, environment string, format types.String, err error) (string, string) {
	return "Push certificate could not be fully audited",
		fmt.Sprintf("The %s %s credential's certificate looks like %s but could not be read, so its audit fields are partly null: %v",
			vendor, environment, format.ValueString(), err)
}

type pushCertificateDataSourceModel struct {
	Vendor      types.String `tfsdk:"vendor"`
	Environment types.String `tfsdk:"environment"`
	AppID       types.String `tfsdk:"app_id"`
	AppKey      types.String `tfsdk:"app_key"`
	Name        types.String `tfsdk:"name"`
	certificateAuditModel
}

// pushCertificateDescriptions documents the attributes both certificate data
// sources share.
var pushCertificateDescriptions = map[string]string{
	"vendor":      "The push vendor: one of " + quotedList(workplus.VendorNames()) + ".",
	"environment": "`production` (default) or `development`.",
	"app_id":      "The app whose credentials to read. Defaults to the provider's `app_id`.",
	"name":        "The credential's name, as set in the WorkPlus console.",
	"app_key":     "The vendor's app key, for vendors that use one (Huawei, Xiaomi, OPPO, VIVO, Meizu).",
}

func (d *pushCertificateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_push_certificate"
}

func (d *pushCertificateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	pd := pushCertificateDescriptions
	attributes := certificateAuditAttributes()
	attributes["vendor"] = schema.StringAttribute{
		MarkdownDescription: pd["vendor"],
		Required:            true,
		Validators:          []validator.String{stringvalidator.OneOf(workplus.VendorNames()...)},
	}
	attributes["environment"] = schema.StringAttribute{
		MarkdownDescription: pd["environment"],
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.OneOf(environmentNames...)},
	}
	attributes["app_id"] = schema.StringAttribute{
		MarkdownDescription: pd["app_id"],
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attributes["app_key"] = schema.StringAttribute{MarkdownDescription: pd["app_key"], Computed: true}
	attributes["name"] = schema.StringAttribute{MarkdownDescription: pd["name"], Computed: true}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the push credential of one vendor and environment, and audits its certificate offline: format, subject, issuer, serial, validity and fingerprint. " +
			"Nothing is sent to Apple, Google or the Android vendors. Reading a vendor that has no credential is an error; use `workplus_push_certificates` to audit every vendor at once. " +
			"The state keeps only the audit, never the certificate or the app secret; where those must be passed on, use the `workplus_push_certificate` ephemeral resource (Terraform 1.10 and later).",
		Attributes: attributes,
	}
}

func (d *pushCertificateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *pushCertificateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config pushCertificateDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cert, read, diags := d.provider.readPushCertificate(ctx, config.Vendor, config.Environment, config.AppID)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	vendorName, environment := read.vendor.ValueString(), read.environment.ValueString()
	// The certificate (PKCS#12 can hold the private key) and the app secret
	// stay out of the state: only the audit derived from them is kept. The
	// workplus_push_certificate ephemeral resource hands them out.
	state := pushCertificateDataSourceModel{
		Vendor: read.vendor, Environment: read.environment, AppID: read.appID,
		AppKey: types.StringValue(cert.AppKey), Name: types.StringValue(cert.Name),
	}
	var auditErr error
	state.certificateAuditModel, auditErr = auditCertificate(cert.Certificate, time.Now())
	if auditErr != nil {
		summary, detail := certificateAuditWarning(vendorName, environment, state.CertificateFormat, auditErr)
		resp.Diagnostics.AddAttributeWarning(path.Root("certificate_format"), summary, detail)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// quotedList renders names as `a`, `b` and `c` for descriptions.
func quotedList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}
