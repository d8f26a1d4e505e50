package emulator

import (
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// State is everything the emulator knows. It is also the shape of a seed file
// (see Seed), so a dump from GET /_emulator/state can be loaded back as a seed.
// Each list is in creation order.
type State struct {
	Orgs         []Org               `json:"orgs"`
	Apps         []App               `json:"apps"`
	AccessTokens []AccessToken       `json:"access_tokens"`
	Clients      []Client            `json:"clients"`
	Employees    []Employee          `json:"employees"`
	Devices      []Device            `json:"devices"`
	Certificates []Certificate       `json:"certificates"`
	Templates    []workplus.Template `json:"templates"`
	PushTasks    []PushTask          `json:"push_tasks"`
	AppMessages  []AppMessageRecord  `json:"app_messages"`
}

// Org is an organisation of a domain. Templates, employees and tokens belong
// to exactly one.
type Org struct {
	ID       string `json:"id"`
	DomainID string `json:"domain_id"`
	Name     string `json:"name,omitempty"`
}

// App is an application of an org. Every token acts for one app: the Open API
// takes the app from the token, the Push API from the app_id header.
type App struct {
	ID         string `json:"id"`
	OrgID      string `json:"org_id"`
	Name       string `json:"name,omitempty"`
	SourceType string `json:"source_type,omitempty"`
}

// AccessToken is a token the emulator accepts. Seeded tokens usually never
// expire; tokens issued by POST /v1/token do.
type AccessToken struct {
	Token     string     `json:"token"`
	AppID     string     `json:"app_id"`
	ClientID  string     `json:"client_id,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Client is a pair of client credentials POST /v1/token exchanges for a token
// of its app.
type Client struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	AppID        string `json:"app_id"`
}

// Employee is an app message recipient. OrgPath is the org scope the employee
// sits in, written like "/232/301/"; a scope selects every employee whose path
// starts with it.
type Employee struct {
	ClientID string `json:"client_id"`
	Username string `json:"username"`
	Name     string `json:"name,omitempty"`
	OrgID    string `json:"org_id"`
	OrgPath  string `json:"org_path"`
}

// Device is a push target of an app. Vendor is one of workplus.VendorNames();
// Online says whether the vendor-independent mxpush channel reaches it now.
type Device struct {
	PushToken string   `json:"push_token"`
	AppID     string   `json:"app_id"`
	Vendor    string   `json:"vendor"`
	Tags      []string `json:"tags,omitempty"`
	Alias     string   `json:"alias,omitempty"`
	UserID    int64    `json:"user_id,omitempty"`
	Online    bool     `json:"online"`
}

// Certificate is a push credential of an app for one vendor and environment.
// In a seed, Generate may stand in for Certificate; it is resolved when the
// seed is loaded and never appears in state.
type Certificate struct {
	AppID       string                `json:"app_id"`
	Vendor      string                `json:"vendor"`
	Environment int                   `json:"environment"`
	Name        string                `json:"name,omitempty"`
	AppKey      string                `json:"app_key,omitempty"`
	AppSecret   string                `json:"app_secret,omitempty"`
	Certificate string                `json:"certificate,omitempty"`
	Generate    *CertificateGenerator `json:"generate,omitempty"`
}

// CertificateGenerator asks the seed loader for a fresh self-signed
// certificate, so seeds need no key material checked in. DER and PKCS#12
// output is stored base64-encoded, as the Push API transports it.
type CertificateGenerator struct {
	Format       string `json:"format"` // pem, der, pkcs12 or fcm_json
	NotAfterDays int    `json:"not_after_days,omitempty"`
	CommonName   string `json:"common_name,omitempty"`
}

// Certificate generator formats.
const (
	FormatPEM     = "pem"
	FormatDER     = "der"
	FormatPKCS12  = "pkcs12"
	FormatFCMJSON = "fcm_json"
)

// PushTask is one accepted POST /push/notify with the statistics the emulator
// computed for it. Strategy and OspushSequence are the effective values, with
// defaults applied.
type PushTask struct {
	TaskID         int64                  `json:"task_id"`
	AppID          string                 `json:"app_id"`
	RequestID      string                 `json:"request_id,omitempty"`
	CreateTime     int64                  `json:"create_time"`
	Strategy       string                 `json:"strategy"`
	OspushSequence []string               `json:"ospush_sequence"`
	Request        workplus.NotifyRequest `json:"request"`
	Detail         workplus.TaskDetail    `json:"detail"`
}

// AppMessageRecord is one accepted POST /v1/apps/mbox: what was asked and the
// plan that was answered, kept for inspection.
type AppMessageRecord struct {
	ID         string              `json:"id"`
	AppID      string              `json:"app_id"`
	SourceType string              `json:"source_type"`
	ForAll     bool                `json:"for_all"`
	Request    workplus.AppMessage `json:"request"`
	Plan       workplus.PushPlan   `json:"plan"`
}
