package provider

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func nullProviderModel() providerModel {
	return providerModel{
		Endpoint: types.StringNull(), PushEndpoint: types.StringNull(), AccessToken: types.StringNull(),
		DomainID: types.StringNull(), OrgID: types.StringNull(), ClientID: types.StringNull(), ClientSecret: types.StringNull(),
		AppID: types.StringNull(), SourceType: types.StringNull(), RequestTimeout: timetypes.NewGoDurationNull(),
		MaxRetries: types.Int64Null(), PageSize: types.Int64Null(), CAFile: types.StringNull(), CAPEM: types.StringNull(),
		InsecureSkipVerify: types.BoolNull(), TokenCache: types.BoolNull(),
	}
}

func envFrom(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestResolveSettings_authModes(t *testing.T) {
	t.Parallel()

	token := nullProviderModel()
	token.Endpoint = types.StringValue("https://workplus.example.com")
	token.AccessToken = types.StringValue("secret-token")
	s := resolveSettings(token, envFrom(nil))
	if s.diags.HasError() {
		t.Fatalf("access token mode: %v", s.diags)
	}
	cfg, diags := s.clientConfig("1.2.3")
	if diags.HasError() || cfg.AccessToken != "secret-token" || cfg.Credentials != nil {
		t.Fatalf("access token mode config: %+v %v", cfg, diags)
	}
	if cfg.UserAgent != "terraform-provider-workplus/1.2.3" {
		t.Errorf("user agent = %q", cfg.UserAgent)
	}

	creds := nullProviderModel()
	creds.Endpoint = types.StringValue("http://127.0.0.1:8080")
	creds.DomainID = types.StringValue("atwork")
	creds.OrgID = types.StringValue("org")
	creds.ClientID = types.StringValue("client")
	creds.ClientSecret = types.StringValue("client-secret")
	s = resolveSettings(creds, envFrom(nil))
	if s.diags.HasError() {
		t.Fatalf("credentials mode: %v", s.diags)
	}
	cfg, _ = s.clientConfig("test")
	if cfg.Credentials == nil || cfg.Credentials.ClientSecret != "client-secret" || cfg.AccessToken != "" {
		t.Fatalf("credentials mode config: %+v", cfg)
	}
	if got := s.secrets(); len(got) != 1 || got[0] != "client-secret" {
		t.Errorf("secrets to mask = %v", got)
	}
}

func TestResolveSettings_environmentFallback(t *testing.T) {
	t.Parallel()
	config := nullProviderModel()
	config.AppID = types.StringValue("from-config")
	s := resolveSettings(config, envFrom(map[string]string{
		"WORKPLUS_ENDPOINT":        "https://env.example.com",
		"WORKPLUS_PUSH_ENDPOINT":   "https://push.example.com",
		"WORKPLUS_ACCESS_TOKEN":    "env-token",
		"WORKPLUS_APP_ID":          "from-env",
		"WORKPLUS_SOURCE_TYPE":     "ISV",
		"WORKPLUS_REQUEST_TIMEOUT": "5s",
		"WORKPLUS_MAX_RETRIES":     "2",
		"WORKPLUS_PAGE_SIZE":       "50",
	}))
	if s.diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", s.diags)
	}
	checks := map[string]string{
		"endpoint": "https://env.example.com", "push_endpoint": "https://push.example.com",
		"access_token": "env-token", "app_id": "from-config", "source_type": "ISV",
	}
	for name, want := range checks {
		if got := s.str[name]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if s.timeout != 5*time.Second || s.maxRetries != 2 || s.pageSize != 50 {
		t.Errorf("timeout %v, max_retries %d, page_size %d", s.timeout, s.maxRetries, s.pageSize)
	}
}

// Configuration errors that need no environment are in the bad-input corpus
// (bad_input_test.go); these come from the environment or from unknown values.
func TestResolveSettings_invalid(t *testing.T) {
	t.Parallel()
	base := func() providerModel {
		m := nullProviderModel()
		m.Endpoint = types.StringValue("https://workplus.example.com")
		m.AccessToken = types.StringValue("token")
		return m
	}
	cases := map[string]struct {
		model providerModel
		env   map[string]string
		want  []string // substrings of the diagnostics
	}{
		"both auth modes through the environment": {
			model: base(),
			env:   map[string]string{"WORKPLUS_CLIENT_SECRET": "s"},
			want:  []string{"Conflicting WorkPlus authentication", "client_secret"},
		},
		"bad max_retries in the environment": {
			model: base(),
			env:   map[string]string{"WORKPLUS_MAX_RETRIES": "many"},
			want:  []string{"WORKPLUS_MAX_RETRIES", "whole number"},
		},
		"bad insecure_skip_verify in the environment": {
			model: base(),
			env:   map[string]string{"WORKPLUS_INSECURE_SKIP_VERIFY": "perhaps"},
			want:  []string{"WORKPLUS_INSECURE_SKIP_VERIFY"},
		},
		"page size out of range in the environment": {
			model: base(),
			env:   map[string]string{"WORKPLUS_PAGE_SIZE": "0"},
			want:  []string{"page_size 0 must be between 1 and 1000"},
		},
		"bad source type in the environment": {
			model: base(),
			env:   map[string]string{"WORKPLUS_SOURCE_TYPE": "OTHER"},
			want:  []string{"source_type \"OTHER\" must be NATIVE or ISV"},
		},
		"unknown endpoint": {
			model: func() providerModel { m := base(); m.Endpoint = types.StringUnknown(); return m }(),
			want:  []string{"while endpoint is unknown", "WORKPLUS_ENDPOINT"},
		},
		"unknown token": {
			model: func() providerModel { m := base(); m.AccessToken = types.StringUnknown(); return m }(),
			want:  []string{"while access_token is unknown"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := resolveSettings(tc.model, envFrom(tc.env))
			if !s.diags.HasError() {
				t.Fatal("expected an error diagnostic, got none")
			}
			var text strings.Builder
			for _, d := range s.diags {
				text.WriteString(d.Summary() + ": " + d.Detail() + "\n")
			}
			for _, want := range tc.want {
				if !strings.Contains(text.String(), want) {
					t.Errorf("diagnostics do not mention %q:\n%s", want, text.String())
				}
			}
		})
	}
}

func TestClientConfig_caFile(t *testing.T) {
	t.Parallel()
	m := nullProviderModel()
	m.Endpoint = types.StringValue("https://workplus.example.com")
	m.AccessToken = types.StringValue("token")
	m.CAFile = types.StringValue(t.TempDir() + "/missing.pem")
	s := resolveSettings(m, envFrom(nil))
	if s.diags.HasError() {
		t.Fatalf("settings: %v", s.diags)
	}
	if _, diags := s.clientConfig("test"); !diags.HasError() || !strings.Contains(diags[0].Detail(), "missing.pem") {
		t.Fatalf("expected an unreadable ca_file error naming the file, got %v", diags)
	}

	m.CAFile = types.StringNull()
	m.CAPEM = types.StringValue("not a certificate")
	s = resolveSettings(m, envFrom(nil))
	if _, diags := s.clientConfig("test"); !diags.HasError() || !strings.Contains(diags[0].Detail(), "no PEM certificate") {
		t.Fatalf("expected an invalid ca_pem error, got %v", diags)
	}
}

// TestResolveSettings_tokenCacheIsOptIn: client credentials alone leave no
// token on disk; token_cache = true or WORKPLUS_TOKEN_CACHE turns the cache
// on. The old default wrote bearer tokens to the user's cache directory.
func TestResolveSettings_tokenCacheIsOptIn(t *testing.T) {
	t.Parallel()
	creds := nullProviderModel()
	creds.Endpoint = types.StringValue("https://workplus.example.com")
	creds.DomainID, creds.OrgID = types.StringValue("atwork"), types.StringValue("org")
	creds.ClientID, creds.ClientSecret = types.StringValue("client"), types.StringValue("secret")

	cfg, _ := resolveSettings(creds, envFrom(nil)).clientConfig("test")
	if cfg.TokenCache != nil {
		t.Errorf("the token cache is on by default")
	}
	cfg, _ = resolveSettings(creds, envFrom(map[string]string{"WORKPLUS_TOKEN_CACHE": "true"})).clientConfig("test")
	if cfg.TokenCache == nil {
		t.Errorf("WORKPLUS_TOKEN_CACHE=true did not turn the cache on")
	}
	creds.TokenCache = types.BoolValue(true)
	cfg, _ = resolveSettings(creds, envFrom(nil)).clientConfig("test")
	if cfg.TokenCache == nil {
		t.Errorf("token_cache = true did not turn the cache on")
	}
}

// TestResolveSettings_endpointPasswordNotShown: a diagnostic about an
// endpoint with user info shows its password as xxxxx, and the password is
// among the values masked in logs. The old diagnostic quoted the endpoint as
// configured, password included.
func TestResolveSettings_endpointPasswordNotShown(t *testing.T) {
	t.Parallel()
	const password = "endpoint-password-8"
	m := nullProviderModel()
	m.Endpoint = types.StringValue("https://admin:" + password + "@workplus.example.com/?tenant=1")
	m.PushEndpoint = types.StringValue("ftp://push:" + password + "@push.example.com")
	m.AccessToken = types.StringValue("token")
	s := resolveSettings(m, envFrom(nil))
	if len(s.diags) != 2 {
		t.Fatalf("want a diagnostic for each endpoint, got %v", s.diags)
	}
	for _, d := range s.diags {
		if strings.Contains(d.Detail(), password) || !strings.Contains(d.Detail(), ":xxxxx@") {
			t.Errorf("%s: want the password shown as xxxxx: %s", d.Summary(), d.Detail())
		}
	}
	m.Endpoint = types.StringValue("https://admin:" + password + "@workplus.example.com")
	m.PushEndpoint = types.StringNull()
	if got := resolveSettings(m, envFrom(nil)).secrets(); !slices.Contains(got, password) {
		t.Errorf("secrets to mask = %v, want the endpoint's password among them", got)
	}
}
