package provider

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// providerSettings is the provider block merged with its environment
// fallbacks: a value in the configuration wins over the environment.
type providerSettings struct {
	str        map[string]string // string attributes by name; "" when unset
	maxRetries int64
	pageSize   int64

	maxRequestBytes int64
	timeout         time.Duration
	insecure        bool
	tokenCache      bool
	diags           diag.Diagnostics
}

// envName returns the environment variable that backs an attribute.
func envName(attribute string) string {
	return "WORKPLUS_" + strings.ToUpper(attribute)
}

func resolveSettings(config providerModel, getenv func(string) string) providerSettings {
	s := providerSettings{str: map[string]string{}, maxRetries: workplus.DefaultMaxRetries, pageSize: defaultPageSize}
	stringAttributes := map[string]types.String{
		"endpoint": config.Endpoint, "push_endpoint": config.PushEndpoint, "access_token": config.AccessToken,
		"domain_id": config.DomainID, "org_id": config.OrgID, "client_id": config.ClientID,
		"client_secret": config.ClientSecret, "app_id": config.AppID, "source_type": config.SourceType,
		"request_timeout": config.RequestTimeout.StringValue, "ca_file": config.CAFile, "ca_pem": config.CAPEM,
	}
	for name, value := range stringAttributes {
		if s.rejectUnknown(name, value) {
			continue
		}
		if !value.IsNull() {
			s.str[name] = value.ValueString()
		} else if name != "ca_pem" {
			s.str[name] = getenv(envName(name))
		}
	}
	s.pageSize = s.resolveInt("page_size", config.PageSize, getenv, s.pageSize)
	s.maxRequestBytes = s.resolveInt("max_request_bytes", config.MaxRequestBytes, getenv, defaultMaxRequestBytes)
	s.maxRetries = s.resolveInt("max_retries", config.MaxRetries, getenv, s.maxRetries)
	s.insecure = s.resolveBool("insecure_skip_verify", config.InsecureSkipVerify, getenv, false)
	s.tokenCache = s.resolveBool("token_cache", config.TokenCache, getenv, false)
	s.validate()
	return s
}

// rejectUnknown reports an attribute whose value is not known yet. A client
// cannot be built from a value that another resource has yet to create.
func (s *providerSettings) rejectUnknown(name string, value attr.Value) bool {
	if !value.IsUnknown() {
		return false
	}
	s.diags.AddAttributeError(path.Root(name), "Unknown WorkPlus provider setting",
		fmt.Sprintf("The provider cannot connect to WorkPlus while %s is unknown: it depends on a value only known after apply. "+
			"Set it to a value known at plan time, or use the %s environment variable.", name, envName(name)))
	return true
}

func (s *providerSettings) resolveInt(name string, value types.Int64, getenv func(string) string, def int64) int64 {
	if s.rejectUnknown(name, value) {
		return def
	}
	if !value.IsNull() {
		return value.ValueInt64()
	}
	env := getenv(envName(name))
	if env == "" {
		return def
	}
	n, err := parseEnvInt(envName(name), env)
	if err != nil {
		s.diags.AddAttributeError(path.Root(name), "Invalid "+name, err.Error())
		return def
	}
	return n
}

func (s *providerSettings) resolveBool(name string, value types.Bool, getenv func(string) string, def bool) bool {
	if s.rejectUnknown(name, value) {
		return def
	}
	if !value.IsNull() {
		return value.ValueBool()
	}
	env := getenv(envName(name))
	if env == "" {
		return def
	}
	b, err := parseEnvBool(envName(name), env)
	if err != nil {
		s.diags.AddAttributeError(path.Root(name), "Invalid "+name, err.Error())
		return def
	}
	return b
}

var credentialAttributes = []string{"domain_id", "org_id", "client_id", "client_secret"}

func (s *providerSettings) validate() {
	if s.diags.HasError() {
		return
	}
	if s.str["endpoint"] == "" {
		s.diags.AddAttributeError(path.Root("endpoint"), "Missing WorkPlus endpoint",
			"Set endpoint in the provider block or the WORKPLUS_ENDPOINT environment variable to the base URL of the WorkPlus Open API, e.g. https://workplus.example.com.")
	}
	for _, name := range []string{"endpoint", "push_endpoint"} {
		if raw := s.str[name]; raw != "" {
			if problem := checkBaseURL(raw); problem != "" {
				s.diags.AddAttributeError(path.Root(name), "Invalid "+name, fmt.Sprintf("%s %q %s.", name, workplus.RedactURL(raw), problem))
			}
		}
	}
	var setCredentials []string
	for _, name := range credentialAttributes {
		if s.str[name] != "" {
			setCredentials = append(setCredentials, name)
		}
	}
	switch {
	case s.str["access_token"] != "" && len(setCredentials) > 0:
		s.diags.AddAttributeError(path.Root("access_token"), "Conflicting WorkPlus authentication",
			fmt.Sprintf("Both access_token and client credentials (%v) are set, in the provider block or the environment. Use one: access_token, or domain_id, org_id, client_id and client_secret.", setCredentials))
	case s.str["access_token"] == "" && len(setCredentials) == 0:
		s.diags.AddError("Missing WorkPlus authentication",
			"Set access_token (or WORKPLUS_ACCESS_TOKEN), or all of domain_id, org_id, client_id and client_secret (or their WORKPLUS_* environment variables).")
	case len(setCredentials) > 0:
		for _, name := range credentialAttributes {
			if s.str[name] == "" {
				s.diags.AddAttributeError(path.Root(name), "Incomplete WorkPlus client credentials",
					fmt.Sprintf("%s is required with client credentials (set it or %s); %v are set.", name, envName(name), setCredentials))
			}
		}
	}
	if v := s.str["source_type"]; v != "" && v != workplus.SourceTypeNative && v != workplus.SourceTypeISV {
		s.diags.AddAttributeError(path.Root("source_type"), "Invalid source_type", fmt.Sprintf("source_type %q must be NATIVE or ISV.", v))
	}
	s.timeout = workplus.DefaultRequestTimeout
	if v := s.str["request_timeout"]; v != "" {
		d, err := parseTimeout(v)
		if err != nil {
			s.diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", err.Error())
		}
		s.timeout = d
	}
	if s.pageSize < 1 || s.pageSize > maxPageSize {
		s.diags.AddAttributeError(path.Root("page_size"), "Invalid page_size", fmt.Sprintf("page_size %d must be between 1 and %d.", s.pageSize, maxPageSize))
	}
	if s.maxRequestBytes < 0 {
		s.diags.AddAttributeError(path.Root("max_request_bytes"), "Invalid max_request_bytes", fmt.Sprintf("max_request_bytes %d must be 0 (no check) or more.", s.maxRequestBytes))
	}
	if s.maxRetries < 0 || s.maxRetries > 20 {
		s.diags.AddAttributeError(path.Root("max_retries"), "Invalid max_retries", fmt.Sprintf("max_retries %d must be between 0 and 20.", s.maxRetries))
	}
	if s.str["ca_file"] != "" && s.str["ca_pem"] != "" {
		s.diags.AddAttributeError(path.Root("ca_pem"), "Conflicting CA settings", "Set ca_file or ca_pem, not both.")
	}
}

func checkBaseURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "is not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "must start with http:// or https://"
	case u.Host == "":
		return "has no host"
	case u.RawQuery != "" || u.Fragment != "":
		return "must not have a query or fragment"
	}
	return ""
}

// clientConfig builds the API client's configuration.
func (s providerSettings) clientConfig(version string) (workplus.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := workplus.Config{
		Endpoint:       s.str["endpoint"],
		PushEndpoint:   s.str["push_endpoint"],
		AccessToken:    s.str["access_token"],
		UserAgent:      "terraform-provider-workplus/" + version,
		RequestTimeout: s.timeout,
		MaxRetries:     int(s.maxRetries),
	}
	if s.maxRetries == 0 {
		cfg.MaxRetries = -1
	}
	if cfg.AccessToken == "" {
		cfg.Credentials = &workplus.ClientCredentials{
			DomainID: s.str["domain_id"], OrgID: s.str["org_id"], ClientID: s.str["client_id"], ClientSecret: s.str["client_secret"],
		}
		if dir := workplus.DefaultTokenCacheDir(); s.tokenCache && dir != "" {
			cfg.TokenCache = workplus.FileTokenCache{Dir: dir}
		}
	}
	caPEM := []byte(s.str["ca_pem"])
	if file := s.str["ca_file"]; file != "" {
		var err error
		if caPEM, err = os.ReadFile(file); err != nil {
			diags.AddAttributeError(path.Root("ca_file"), "Unreadable ca_file", fmt.Sprintf("Reading the CA file: %v", err))
			return cfg, diags
		}
	}
	if len(caPEM) > 0 || s.insecure {
		httpClient, err := newHTTPClient(caPEM, s.insecure)
		if err != nil {
			attribute := "ca_pem"
			if s.str["ca_file"] != "" {
				attribute = "ca_file"
			}
			diags.AddAttributeError(path.Root(attribute), "Invalid CA certificates", err.Error())
			return cfg, diags
		}
		cfg.HTTPClient = httpClient
	}
	return cfg, diags
}

// minMaskedPasswordLength is the client's minimum length of a masked secret.
const minMaskedPasswordLength = 6

// secrets lists the configured secret values, to be masked in logs: the
// token or client secret, and the password of an endpoint's user info. URLs
// in log lines already show that password as xxxxx; a short one is left out,
// as the client leaves it out, so masking does not garble every line.
func (s providerSettings) secrets() []string {
	var secrets []string
	for _, name := range []string{"access_token", "client_secret"} {
		if v := s.str[name]; v != "" {
			secrets = append(secrets, v)
		}
	}
	for _, name := range []string{"endpoint", "push_endpoint"} {
		if u, err := url.Parse(s.str[name]); err == nil {
			if password, ok := u.User.Password(); ok && len(password) >= minMaskedPasswordLength {
				secrets = append(secrets, password)
			}
		}
	}
	return secrets
}
