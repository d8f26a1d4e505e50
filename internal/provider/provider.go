package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ provider.ProviderWithFunctions          = &workPlusProvider{}
	_ provider.ProviderWithEphemeralResources = &workPlusProvider{}
	_ provider.ProviderWithListResources      = &workPlusProvider{}
	_ provider.ProviderWithActions            = &workPlusProvider{}
)

// Defaults of the provider's optional settings.
const (
	defaultPageSize = 100
	// defaultMaxRequestBytes is max_request_bytes unless set.
	defaultMaxRequestBytes = 1 << 20
	maxPageSize            = 1000
)

// workPlusProvider is the workplus provider.
type workPlusProvider struct {
	version string
}

// New returns the provider factory; version is set by goreleaser and "test" in tests.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &workPlusProvider{version: version}
	}
}

// providerModel is the provider block.
type providerModel struct {
	Endpoint           types.String         `tfsdk:"endpoint"`
	PushEndpoint       types.String         `tfsdk:"push_endpoint"`
	AccessToken        types.String         `tfsdk:"access_token"`
	DomainID           types.String         `tfsdk:"domain_id"`
	OrgID              types.String         `tfsdk:"org_id"`
	ClientID           types.String         `tfsdk:"client_id"`
	ClientSecret       types.String         `tfsdk:"client_secret"`
	AppID              types.String         `tfsdk:"app_id"`
	SourceType         types.String         `tfsdk:"source_type"`
	RequestTimeout     timetypes.GoDuration `tfsdk:"request_timeout"`
	MaxRetries         types.Int64          `tfsdk:"max_retries"`
	PageSize           types.Int64          `tfsdk:"page_size"`
	MaxRequestBytes    types.Int64          `tfsdk:"max_request_bytes"`
	CAFile             types.String         `tfsdk:"ca_file"`
	CAPEM              types.String         `tfsdk:"ca_pem"`
	InsecureSkipVerify types.Bool           `tfsdk:"insecure_skip_verify"`
	TokenCache         types.Bool           `tfsdk:"token_cache"`
}

// providerData is what resources and data sources get from Configure.
type providerData struct {
	client     *workplus.Client
	appID      string
	sourceType string
	pageSize   int
	// maxRequestBytes is the body size over which a template's plan warns;
	// 0: no check.
	maxRequestBytes int64
}

func (p *workPlusProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "workplus"
	resp.Version = p.version
}

func (p *workPlusProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The WorkPlus provider manages message templates, audits push certificates and sends app messages and push notifications on a [WorkPlus](https://www.workplus.io) deployment. " +
			"Authenticate with a ready `access_token`, or with client credentials (`domain_id`, `org_id`, `client_id`, `client_secret`) that the provider exchanges for a token once per run. " +
			"Every argument can also be set through the environment variable named in its description.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the WorkPlus Open API (`/v1/...`), e.g. `https://workplus.example.com`. Environment: `WORKPLUS_ENDPOINT`.",
				Optional:            true,
			},
			"push_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the WorkPlus Push API (`/push/...`) where it is served from another host. Defaults to `endpoint`. Environment: `WORKPLUS_PUSH_ENDPOINT`.",
				Optional:            true,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "A ready access token. It cannot be renewed, so prefer client credentials for long runs. Conflicts with the client credentials. Environment: `WORKPLUS_ACCESS_TOKEN`.",
				Optional:            true,
				Sensitive:           true,
			},
			"domain_id": schema.StringAttribute{
				MarkdownDescription: "Domain of the client credentials, e.g. `atwork`. Environment: `WORKPLUS_DOMAIN_ID`.",
				Optional:            true,
			},
			"org_id": schema.StringAttribute{
				MarkdownDescription: "Organization of the client credentials. Environment: `WORKPLUS_ORG_ID`.",
				Optional:            true,
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Client id of the client credentials. Environment: `WORKPLUS_CLIENT_ID`.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "Client secret of the client credentials. Environment: `WORKPLUS_CLIENT_SECRET`.",
				Optional:            true,
				Sensitive:           true,
			},
			"app_id": schema.StringAttribute{
				MarkdownDescription: "The app that resources and data sources use when they do not set `app_id`. Environment: `WORKPLUS_APP_ID`.",
				Optional:            true,
			},
			"source_type": schema.StringAttribute{
				MarkdownDescription: "`NATIVE` (default) or `ISV`, as the app is registered. Environment: `WORKPLUS_SOURCE_TYPE`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(workplus.SourceTypeNative, workplus.SourceTypeISV)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP request may take, as a Go duration such as `30s` (default) or `2m`. Environment: `WORKPLUS_REQUEST_TIMEOUT`.",
				CustomType:          timetypes.GoDurationType{},
				Optional:            true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a failed request is retried where retrying is safe (default 4; 0 disables). Environment: `WORKPLUS_MAX_RETRIES`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
			},
			"max_request_bytes": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The largest request body, in bytes, that the server accepts (default %d, 1 MiB: nginx's default `client_max_body_size`, "+
					"which WorkPlus deployments commonly sit behind, and the emulator's limit). The plan of a template whose create or update body "+
					"would be larger warns, giving its size, instead of failing only at apply with HTTP 413. `0` turns the check off. "+
					"Environment: `WORKPLUS_MAX_REQUEST_BYTES`.", defaultMaxRequestBytes),
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"page_size": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many templates to ask for per page when listing (default %d). Servers may cap it lower; the provider adapts. Environment: `WORKPLUS_PAGE_SIZE`.", defaultPageSize),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, maxPageSize)},
			},
			"ca_file": schema.StringAttribute{
				MarkdownDescription: "Path of a PEM file with the CA certificates to trust for HTTPS, instead of the system's. Conflicts with `ca_pem`. Environment: `WORKPLUS_CA_FILE`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("ca_pem"))},
			},
			"ca_pem": schema.StringAttribute{
				MarkdownDescription: "PEM content of the CA certificates to trust for HTTPS, instead of the system's. Conflicts with `ca_file`.",
				Optional:            true,
			},
			"token_cache": schema.BoolAttribute{
				MarkdownDescription: "Whether a token obtained with client credentials is kept, until it expires, in a file only the current user can read (under the user's cache directory, e.g. `~/.cache/terraform-provider-workplus`). Terraform starts the provider anew for each phase of a run, so without it `terraform apply` exchanges the credentials once for planning and again for applying. Default `false`: on a shared CI runner a token on disk outlives the job. Turn it on where the cache directory is private, to save one token request per command. The file names are an HMAC of the endpoint and credentials under a random key kept beside them, so they reveal nothing about the secret. Environment: `WORKPLUS_TOKEN_CACHE`.",
				Optional:            true,
			},
			"insecure_skip_verify": schema.BoolAttribute{
				MarkdownDescription: "**Unsafe.** Skip verification of the server's TLS certificate, so anyone on the network path can read the token. Only for throw-away test servers. Environment: `WORKPLUS_INSECURE_SKIP_VERIFY`.",
				Optional:            true,
			},
		},
	}
}

func (p *workPlusProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings := resolveSettings(config, os.Getenv)
	resp.Diagnostics.Append(settings.diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	clientConfig, diags := settings.clientConfig(p.version)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The hook runs only once New has returned, so client is set by then.
	var client *workplus.Client
	clientConfig.Log = logRequest(func() []string { return append(settings.secrets(), client.Secrets()...) })
	client, err := workplus.New(clientConfig)
	if err != nil {
		resp.Diagnostics.AddError("Invalid WorkPlus provider configuration", err.Error())
		return
	}
	data := &providerData{
		client:     client,
		appID:      settings.str["app_id"],
		sourceType: settings.str["source_type"],
		pageSize:   int(settings.pageSize),

		maxRequestBytes: settings.maxRequestBytes,
	}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// logRequest sends the client's request log to tflog. The client has already
// redacted the URL and body; masking the configured secrets and every token
// the client was issued as well keeps them out of any field or message,
// whatever a server echoes back.
func logRequest(secretValues func() []string) workplus.LogHook {
	return func(ctx context.Context, e workplus.LogEntry) {
		secrets := secretValues()
		ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
		ctx = tflog.MaskMessageStrings(ctx, secrets...)
		fields := map[string]any{
			"method": e.Method, "url": e.URL, "attempt": e.Attempt,
			"http_status": e.Status, "duration_ms": e.Duration.Milliseconds(),
		}
		if e.RequestBody != "" {
			fields["request_body"] = e.RequestBody
		}
		switch {
		case e.RetryIn > 0:
			fields["error"] = e.Err
			fields["retry_in_ms"] = e.RetryIn.Milliseconds()
			tflog.Debug(ctx, "WorkPlus API request failed; retrying", fields)
		case e.Err != "":
			fields["error"] = e.Err
			tflog.Debug(ctx, "WorkPlus API request failed", fields)
		default:
			tflog.Debug(ctx, "WorkPlus API request", fields)
		}
	}
}

func (p *workPlusProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewTemplateResource,
		NewPushNotificationResource,
		NewAppMessageResource,
	}
}

func (p *workPlusProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewTemplateDataSource,
		NewTemplatesDataSource,
		NewPushCertificateDataSource,
		NewPushCertificatesDataSource,
		NewPushTasksDataSource,
		NewPushTaskDataSource,
	}
}

func (p *workPlusProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewAccessTokenEphemeralResource,
		NewPushCertificateEphemeralResource,
	}
}

func (p *workPlusProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewTemplateListResource,
	}
}

func (p *workPlusProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewSendAppMessageAction,
		NewSendPushNotificationAction,
	}
}

func (p *workPlusProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewRenderTemplateFunction,
	}
}

// clientFromProviderData is the Configure step every resource and data source
// shares. ProviderData is nil while Terraform validates, before the provider
// is configured; that is not an error.
func clientFromProviderData(providerDataAny any, addError func(summary, detail string)) *providerData {
	if providerDataAny == nil {
		return nil
	}
	data, ok := providerDataAny.(*providerData)
	if !ok {
		addError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", providerDataAny))
		return nil
	}
	return data
}

// parseBool and parseInt read environment values with errors that name the variable.
func parseEnvInt(name, value string) (int64, error) {
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("environment variable %s=%q is not a whole number", name, value)
	}
	return n, nil
}

func parseEnvBool(name, value string) (bool, error) {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return false, fmt.Errorf("environment variable %s=%q is not true or false", name, value)
	}
	return b, nil
}

func parseTimeout(value string) (time.Duration, error) {
	d, err := time.ParseDuration(value)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive Go duration such as 30s or 2m", value)
	}
	return d, nil
}

func newHTTPClient(caPEM []byte, insecure bool) (*http.Client, error) {
	tlsConfig, err := workplus.TLSConfig(caPEM, insecure)
	if err != nil {
		return nil, err
	}
	transport := cleanhttp.DefaultPooledTransport()
	transport.TLSClientConfig = tlsConfig
	return &http.Client{Transport: transport}, nil
}

// resolveAppID is the app a data source or resource works in: its own app_id,
// else the provider's. WorkPlus keeps templates, certificates and pushes per
// app, so without either that is an error naming app_id.
func (p *providerData) resolveAppID(configured types.String) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !configured.IsNull() && !configured.IsUnknown() {
		return configured.ValueString(), diags
	}
	if p.appID == "" {
		diags.AddAttributeError(path.Root("app_id"), "Missing app_id",
			"Set app_id here or on the provider (app_id or WORKPLUS_APP_ID): WorkPlus works per app.")
	}
	return p.appID, diags
}

// planAppID resolves an Optional and Computed app_id while planning, so the
// plan shows the real app (plannedAppID).
func (p *providerData) planAppID(ctx context.Context, config types.String, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) types.String {
	var prior types.String
	hasPrior := !req.State.Raw.IsNull()
	if hasPrior && config.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("app_id"), &prior)...)
	}
	planned, replace, diags := p.plannedAppID(config, prior, hasPrior)
	resp.Diagnostics.Append(diags...)
	if replace {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("app_id"))
	}
	return planned
}

// plannedAppID is the app_id planned for an object whose configuration sets
// config and whose state, if hasPrior, holds prior. An object already in
// state keeps its app when neither the configuration nor the provider names
// one (it was imported). An app that differs from the state's forces
// replacement (replace): app_id's own RequiresReplace cannot see a default
// that is resolved only here.
func (p *providerData) plannedAppID(config, prior types.String, hasPrior bool) (planned types.String, replace bool, diags diag.Diagnostics) {
	if !config.IsNull() {
		return config, false, nil
	}
	if hasPrior && p.appID == "" {
		return prior, false, nil
	}
	appID, diags := p.resolveAppID(config)
	planned = types.StringValue(appID)
	return planned, hasPrior && !prior.Equal(planned), diags
}
