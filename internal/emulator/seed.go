package emulator

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/workplus/terraform-provider-workplus/internal/certgen"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// Default seed identities, exported so tests and the demo can use them.
const (
	DemoDomainID     = "atwork"
	DemoOrgID        = "85939199-6424-4f28-84d4-fce2aedf0e64"
	DemoAppID        = "dafc2d03-3991-4de0-91d6-de3135c1fb4f"
	DemoAccessToken  = "demo-access-token" // static, never expires
	DemoClientID     = "demo-client"
	DemoClientSecret = "demo-client-secret"
)

// Seed is the initial content of an emulator: a State as a person writes it.
// Certificates may carry a generator instead of key material, and templates
// may leave out what follows from their app (domain, org, type, operator,
// times).
type Seed State

// maxNotAfterDays bounds generated certificates' lifetime: more days than
// this overflow time.Duration on the way to NotAfter.
const maxNotAfterDays = 36500

// maxSeedDepth bounds a JSON seed's nesting: a push task's request in a seed
// sits a few levels below the top, and its ext may nest maxJSONDepth more.
const maxSeedDepth = maxJSONDepth + 8

//go:embed default_seed.yaml
var defaultSeedYAML []byte

// DefaultSeed returns a fresh copy of the embedded demo seed.
func DefaultSeed() *Seed {
	seed, err := LoadSeed(defaultSeedYAML)
	if err != nil {
		// The embedded seed is covered by tests; failing here means the
		// binary was built from a broken tree.
		panic(fmt.Sprintf("emulator: embedded default seed is invalid: %v", err))
	}
	return seed
}

// LoadSeed parses a seed written in JSON or YAML and checks it. Unknown fields
// are errors, so a misspelt key does not silently vanish.
func LoadSeed(data []byte) (*Seed, error) {
	var seed Seed
	if err := unmarshalSeed(data, &seed); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := seed.validate(); err != nil {
		return nil, err
	}
	return &seed, nil
}

// unmarshalSeed decodes JSON directly: the YAML library would first turn a
// large JSON seed into a generic tree and back, holding it several times over
// (a 100,000-template seed peaked above 2 GiB; BENCHMARKS.md, section 5).
func unmarshalSeed(data []byte, seed *Seed) error {
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		if jsonDepth(trimmed) > maxSeedDepth {
			return fmt.Errorf("nested more than %d levels deep", maxSeedDepth)
		}
		decoder := json.NewDecoder(bytes.NewReader(trimmed))
		decoder.DisallowUnknownFields()
		decoder.UseNumber()
		if err := decoder.Decode(seed); err != nil {
			return err
		}
		if decoder.More() {
			return errors.New("unexpected data after the JSON seed")
		}
		return nil
	}
	return yaml.UnmarshalStrict(data, seed)
}

// resolve turns a seed into a state: it generates the requested certificates
// and fills the derived template fields. The seed itself is not modified.
func (s *Seed) resolve(now time.Time) (*State, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	st, err := deepCopy(State(*s))
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	apps := map[string]App{}
	for i, app := range st.Apps {
		if app.SourceType == "" {
			st.Apps[i].SourceType = workplus.SourceTypeNative
		}
		apps[app.ID] = app
	}
	orgs := map[string]Org{}
	for _, org := range st.Orgs {
		orgs[org.ID] = org
	}
	for i := range st.Certificates {
		c := &st.Certificates[i]
		if c.Generate == nil {
			continue
		}
		text, err := generateCertificate(*c, now)
		if err != nil {
			return nil, fmt.Errorf("seed: certificates[%d]: %w", i, err)
		}
		c.Certificate, c.Generate = text, nil
	}
	nowMS := now.UnixMilli()
	for i := range st.Templates {
		t := &st.Templates[i]
		app := apps[t.AppID]
		t.OrgID = app.OrgID
		t.DomainID = orgs[app.OrgID].DomainID
		if t.Type == "" {
			t.Type = templateType
		}
		if t.Operator == "" {
			t.Operator = t.AppID
		}
		if t.CreateTime == 0 {
			t.CreateTime = nowMS
		}
		if t.RefreshTime == 0 {
			t.RefreshTime = t.CreateTime
		}
		normalizeTemplate(t)
	}
	return &st, nil
}

func generateCertificate(c Certificate, now time.Time) (string, error) {
	g := c.Generate
	commonName := g.CommonName
	if commonName == "" {
		commonName = "workplus-emulator-" + c.Vendor
	}
	if g.Format == FormatFCMJSON {
		return certgen.FCMServiceAccountJSON(commonName, "firebase-adminsdk@"+commonName+".iam.gserviceaccount.com")
	}
	days := g.NotAfterDays
	if days == 0 {
		days = 365
	}
	bundle, err := certgen.Generate(certgen.Options{
		CommonName:   commonName,
		Organization: "WorkPlus Emulator",
		// A day of slack keeps the certificate valid for clients whose clock
		// is a little behind the emulator's.
		NotBefore: now.Add(-24 * time.Hour),
		NotAfter:  now.Add(time.Duration(days) * 24 * time.Hour),
	})
	if err != nil {
		return "", err
	}
	switch g.Format {
	case FormatPEM:
		// APNs .pem files carry the key next to the certificate.
		return bundle.CertPEM + bundle.KeyPEM, nil
	case FormatDER:
		return base64.StdEncoding.EncodeToString(bundle.CertDER), nil
	default: // FormatPKCS12; validate rejected everything else
		return base64.StdEncoding.EncodeToString(bundle.PKCS12), nil
	}
}

// validate checks references, uniqueness and enums, naming every offending
// field as a path into the seed.
func (s *Seed) validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("seed: "+format, args...))
	}
	orgs := map[string]bool{}
	for i, o := range s.Orgs {
		switch {
		case o.ID == "":
			bad("orgs[%d].id: missing", i)
		case orgs[o.ID]:
			bad("orgs[%d].id: duplicate %q", i, o.ID)
		}
		if o.DomainID == "" {
			bad("orgs[%d].domain_id: missing", i)
		}
		orgs[o.ID] = true
	}
	apps := map[string]bool{}
	for i, a := range s.Apps {
		switch {
		case a.ID == "":
			bad("apps[%d].id: missing", i)
		case apps[a.ID]:
			bad("apps[%d].id: duplicate %q", i, a.ID)
		}
		if !orgs[a.OrgID] {
			bad("apps[%d].org_id: unknown org %q", i, a.OrgID)
		}
		if a.SourceType != "" && !oneOf(a.SourceType, sourceTypes) {
			bad("apps[%d].source_type: %s", i, enumMessage(a.SourceType, sourceTypes))
		}
		apps[a.ID] = true
	}
	unique := func(kind string, i int, field, value string, seen map[string]bool) {
		switch {
		case value == "":
			bad("%s[%d].%s: missing", kind, i, field)
		case seen[value]:
			bad("%s[%d].%s: duplicate %q", kind, i, field, value)
		}
		seen[value] = true
	}
	appRef := func(kind string, i int, appID string) {
		if !apps[appID] {
			bad("%s[%d].app_id: unknown app %q", kind, i, appID)
		}
	}
	seen := map[string]bool{}
	for i, t := range s.AccessTokens {
		unique("access_tokens", i, "token", t.Token, seen)
		appRef("access_tokens", i, t.AppID)
	}
	seen = map[string]bool{}
	for i, c := range s.Clients {
		unique("clients", i, "client_id", c.ClientID, seen)
		if c.ClientSecret == "" {
			bad("clients[%d].client_secret: missing", i)
		}
		appRef("clients", i, c.AppID)
	}
	seen, usernames := map[string]bool{}, map[string]bool{}
	for i, e := range s.Employees {
		unique("employees", i, "client_id", e.ClientID, seen)
		unique("employees", i, "username", e.Username, usernames)
		if !orgs[e.OrgID] {
			bad("employees[%d].org_id: unknown org %q", i, e.OrgID)
		}
		if !strings.HasPrefix(e.OrgPath, "/") || !strings.HasSuffix(e.OrgPath, "/") {
			bad("employees[%d].org_path: %q must start and end with /, like /232/301/", i, e.OrgPath)
		}
	}
	seen = map[string]bool{}
	for i, d := range s.Devices {
		appRef("devices", i, d.AppID)
		unique("devices", i, "push_token", d.PushToken, seen)
		if _, ok := workplus.ParseVendor(d.Vendor); !ok {
			bad("devices[%d].vendor: %s", i, enumMessage(d.Vendor, workplus.VendorNames()))
		}
	}
	seen = map[string]bool{}
	for i, c := range s.Certificates {
		appRef("certificates", i, c.AppID)
		if _, ok := workplus.ParseVendor(c.Vendor); !ok {
			bad("certificates[%d].vendor: %s", i, enumMessage(c.Vendor, workplus.VendorNames()))
		}
		if c.Environment != workplus.EnvironmentDevelopment && c.Environment != workplus.EnvironmentProduction {
			bad("certificates[%d].environment: must be 0 (development) or 1 (production), got %d", i, c.Environment)
		}
		if key := certificateKey(c.AppID, c.Vendor, c.Environment); seen[key] {
			bad("certificates[%d]: duplicate certificate for app %q, vendor %s, environment %d", i, c.AppID, c.Vendor, c.Environment)
		} else {
			seen[key] = true
		}
		if g := c.Generate; g != nil {
			if c.Certificate != "" {
				bad("certificates[%d]: has both certificate and generate", i)
			}
			formats := []string{FormatPEM, FormatDER, FormatPKCS12, FormatFCMJSON}
			if !oneOf(g.Format, formats) {
				bad("certificates[%d].generate.format: %s", i, enumMessage(g.Format, formats))
			}
			if g.NotAfterDays < 0 || g.NotAfterDays > maxNotAfterDays {
				bad("certificates[%d].generate.not_after_days: must be between 0 and %d (100 years), got %d", i, maxNotAfterDays, g.NotAfterDays)
			}
		}
	}
	seen = map[string]bool{}
	for i, t := range s.Templates {
		unique("templates", i, "id", t.ID, seen)
		appRef("templates", i, t.AppID)
		if err := validateContents(t.Contents); err != nil {
			bad("templates[%d].%v", i, err)
		}
	}
	taskIDs := map[int64]bool{}
	for i, t := range s.PushTasks {
		if t.TaskID <= 0 || taskIDs[t.TaskID] {
			bad("push_tasks[%d].task_id: must be positive and unique, got %d", i, t.TaskID)
		}
		taskIDs[t.TaskID] = true
		appRef("push_tasks", i, t.AppID)
		if err := t.Request.Audience.Validate(); err != nil {
			bad("push_tasks[%d].request.%v", i, err)
		}
		// A YAML seed passes no JSON depth check on the way in.
		if ext, err := json.Marshal(t.Request.Message.Ext); err != nil || jsonDepth(ext) > maxJSONDepth {
			bad("push_tasks[%d].request.message.ext: nested more than %d levels deep", i, maxJSONDepth)
		}
	}
	seen = map[string]bool{}
	for i, m := range s.AppMessages {
		unique("app_messages", i, "id", m.ID, seen)
		appRef("app_messages", i, m.AppID)
	}
	return errors.Join(errs...)
}

func certificateKey(appID, vendor string, environment int) string {
	return fmt.Sprintf("%s/%s/%d", appID, vendor, environment)
}

// deepCopy copies a state through JSON, the one representation every part of
// it already round-trips through (store, control API).
func deepCopy(s State) (State, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return State{}, err
	}
	var out State
	err = unmarshalNumbers(data, &out)
	return out, err
}
