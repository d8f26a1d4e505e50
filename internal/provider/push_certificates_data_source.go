package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/sync/errgroup"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var _ datasource.DataSourceWithConfigure = &pushCertificatesDataSource{}

// NewPushCertificatesDataSource returns the workplus_push_certificates data source.
func NewPushCertificatesDataSource() datasource.DataSource {
	return &pushCertificatesDataSource{}
}

// pushCertificatesDataSource audits every vendor and environment of an app.
type pushCertificatesDataSource struct {
	provider *providerData
}

const (
	// defaultExpiringWithinDays matches the warning window Apple and most
	// monitoring setups use for push certificates.
	defaultExpiringWithinDays = 30
	// certificateReadParallelism bounds the concurrent GetCertificate calls:
	// enough to make 14 reads quick, few enough not to trip a server's rate limit.
	certificateReadParallelism = 4
)

type pushCertificatesDataSourceModel struct {
	AppID              types.String `tfsdk:"app_id"`
	ExpiringWithinDays types.Int64  `tfsdk:"expiring_within_days"`
	Certificates       types.List   `tfsdk:"certificates"`
	Expiring           types.List   `tfsdk:"expiring"`
}

// certificateEntryModel is one vendor × environment of the audit. It carries
// no secrets: the audit is meant to be printed and checked in pipelines.
type certificateEntryModel struct {
	Vendor      types.String `tfsdk:"vendor"`
	Environment types.String `tfsdk:"environment"`
	Configured  types.Bool   `tfsdk:"configured"`
	Name        types.String `tfsdk:"name"`
	certificateAuditModel
}

var certificateEntryObjectType = func() types.ObjectType {
	attrTypes := map[string]attr.Type{
		"vendor":      types.StringType,
		"environment": types.StringType,
		"configured":  types.BoolType,
		"name":        types.StringType,
	}
	for name, t := range certificateAuditAttrTypes {
		attrTypes[name] = t
	}
	return types.ObjectType{AttrTypes: attrTypes}
}()

func (d *pushCertificatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_push_certificates"
}

func (d *pushCertificatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	pd := pushCertificateDescriptions
	entry := certificateAuditAttributes()
	entry["vendor"] = schema.StringAttribute{MarkdownDescription: pd["vendor"], Computed: true}
	entry["environment"] = schema.StringAttribute{MarkdownDescription: "`production` or `development`.", Computed: true}
	entry["configured"] = schema.BoolAttribute{MarkdownDescription: "Whether the app has a credential for this vendor and environment. The other attributes are null when it has none.", Computed: true}
	entry["name"] = schema.StringAttribute{MarkdownDescription: pd["name"], Computed: true}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Audits the push credentials of every vendor (" + quotedList(workplus.VendorNames()) + ") in both environments of an app, offline: " +
			"which are configured, what their certificates are and when they expire. It returns no secrets, so its output can be shown in pipeline logs. " +
			"A `postcondition` on it fails a pipeline before a certificate expires; a `check` block only warns (see the guide *Auditing push certificates*).",
		Attributes: map[string]schema.Attribute{
			"app_id": schema.StringAttribute{
				MarkdownDescription: pd["app_id"],
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"expiring_within_days": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Which credentials `expiring` lists: those whose `expires_in_days` is at most this, expired ones included. Defaults to %d.", defaultExpiringWithinDays),
				Optional:            true,
				Computed:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(0)},
			},
			"certificates": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per vendor and environment, vendors in the Push API's order, production before development.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: entry},
			},
			"expiring": schema.ListNestedAttribute{
				MarkdownDescription: "The entries of `certificates` that expire within `expiring_within_days` or have expired, in the same order. Empty when none do.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: entry},
			},
		},
	}
}

func (d *pushCertificatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

// certificateRead is the outcome of one vendor × environment read.
type certificateRead struct {
	vendor      workplus.Vendor
	environment string
	cert        *workplus.Certificate // nil when not configured
	err         error
}

func (d *pushCertificatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config pushCertificatesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	appID, diags := d.provider.resolveAppID(config.AppID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	within := int64(defaultExpiringWithinDays)
	if !config.ExpiringWithinDays.IsNull() {
		within = config.ExpiringWithinDays.ValueInt64()
	}

	reads := d.readAll(ctx, appID)
	now := time.Now()
	all := make([]certificateEntryModel, 0, len(reads))
	expiring := []certificateEntryModel{}
	// A failure that every read shares (a rejected token, say) is said in
	// full once by the client; the reads that only repeat it are named in
	// one diagnostic, not one each.
	var repeated []string
	var repeatedErr error
	for _, r := range reads {
		if r.err != nil {
			if workplus.IsRepeatedFailure(r.err) {
				repeated = append(repeated, fmt.Sprintf("%s %s", r.vendor, r.environment))
				repeatedErr = r.err
				continue
			}
			resp.Diagnostics.AddError("Could not read a WorkPlus push certificate",
				fmt.Sprintf("Reading the %s %s credential of app %s failed: %v", r.vendor, r.environment, appID, r.err))
			continue
		}
		entry := certificateEntryModel{
			Vendor:                types.StringValue(r.vendor.String()),
			Environment:           types.StringValue(r.environment),
			Configured:            types.BoolValue(r.cert != nil),
			Name:                  types.StringNull(),
			certificateAuditModel: nullCertificateAudit(),
		}
		if r.cert != nil {
			entry.Name = types.StringValue(r.cert.Name)
			var auditErr error
			entry.certificateAuditModel, auditErr = auditCertificate(r.cert.Certificate, now)
			if auditErr != nil {
				resp.Diagnostics.AddWarning(certificateAuditWarning(r.vendor.String(), r.environment, entry.CertificateFormat, auditErr))
			}
		}
		all = append(all, entry)
		if days := entry.ExpiresInDays; !days.IsNull() && days.ValueInt64() <= within {
			expiring = append(expiring, entry)
		}
	}
	if len(repeated) > 0 {
		resp.Diagnostics.AddError("Could not read WorkPlus push certificates",
			fmt.Sprintf("Reading %d more credentials of app %s (%s) failed for the same reason: %v", len(repeated), appID, strings.Join(repeated, ", "), repeatedErr))
	}
	if resp.Diagnostics.HasError() {
		return
	}

	state := pushCertificatesDataSourceModel{
		AppID:              types.StringValue(appID),
		ExpiringWithinDays: types.Int64Value(within),
	}
	state.Certificates, diags = types.ListValueFrom(ctx, certificateEntryObjectType, all)
	resp.Diagnostics.Append(diags...)
	state.Expiring, diags = types.ListValueFrom(ctx, certificateEntryObjectType, expiring)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readAll reads every vendor × environment concurrently, at most
// certificateReadParallelism at a time, and returns the outcomes in audit
// order whatever order they finished in.
func (d *pushCertificatesDataSource) readAll(ctx context.Context, appID string) []certificateRead {
	reads := make([]certificateRead, 0, len(workplus.Vendors)*len(environmentNames))
	for _, vendor := range workplus.Vendors {
		for _, environment := range environmentNames {
			reads = append(reads, certificateRead{vendor: vendor, environment: environment})
		}
	}
	// Each read keeps its own error: one vendor failing must not cancel the
	// others, so the group's functions always return nil.
	var group errgroup.Group
	group.SetLimit(certificateReadParallelism)
	for i := range reads {
		group.Go(func() error {
			r := &reads[i]
			cert, err := d.provider.client.GetCertificate(ctx, appID, r.vendor, environmentNumbers[r.environment])
			switch {
			case workplus.IsNotFound(err):
			case err != nil:
				r.err = err
			default:
				r.cert = cert
			}
			return nil
		})
	}
	_ = group.Wait()
	return reads
}
