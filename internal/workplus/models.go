// Package workplus is the typed client for the WorkPlus Open API (/v1/...) and
// Push API (/push/...). The wire types in this file are the contract that both
// the client and the emulator speak; their JSON names follow the vendor's
// documents in shared/seeds exactly.
package workplus

import "encoding/json"

// Open API envelope status codes. 0, 10011 and 202012 come from the vendor's
// documents; the others are the emulator's conventions (API.md) and are what the
// client maps HTTP failures onto when a server does not say more.
const (
	StatusOK             = 0
	StatusTokenNotFound  = 10011
	StatusNoSuchEmployee = 202012
	StatusBadRequest     = 40000
	StatusNotFound       = 40400
	StatusNotAllowed     = 40500
	StatusTooLarge       = 41300
	StatusRateLimited    = 42900
	StatusInternal       = 50000
	StatusUnavailable    = 50300
)

// Push API envelope codes. 200 is success (vendor); token failures reuse the
// Open API's 10011 so one rule ("10011 means fetch a new token") covers both.
const (
	PushCodeOK = 200
)

// Messages the vendor's documents fix for their status codes.
const (
	MessageOK             = "Everything is ok."
	MessageTokenNotFound  = "token not found."
	MessageNoSuchEmployee = "没有对应的雇员"
	MessageNotFound       = "template not found."
)

// Source types (query parameter source_type).
const (
	SourceTypeNative = "NATIVE"
	SourceTypeISV    = "ISV"
)

// Template cell alignments.
const (
	AlignLeft   = "left"
	AlignRight  = "right"
	AlignCenter = "center"
)

// OpenEnvelope is the Open API's answer: status 0 and a result, or a non-zero
// status and a message.
type OpenEnvelope[T any] struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Result  T      `json:"result"`
}

// PushEnvelope is the Push API's answer: code 200 and data, or another code and
// a message. Message is null on success.
type PushEnvelope[T any] struct {
	Code    int     `json:"code"`
	Data    T       `json:"data"`
	Message *string `json:"message"`
}

// TokenRequest is the body of POST /v1/token.
type TokenRequest struct {
	GrantType    string `json:"grant_type"`
	Scope        string `json:"scope"`
	DomainID     string `json:"domain_id"`
	OrgID        string `json:"org_id"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// Token is the result of POST /v1/token. Times are epoch milliseconds.
type Token struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	IssuedTime   int64  `json:"issued_time"`
	ExpireTime   int64  `json:"expire_time"`
	ClientID     string `json:"client_id"`
}

// TemplateAction is a button on a template message.
type TemplateAction struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// TemplateCell is one cell of a template row.
type TemplateCell struct {
	Content string `json:"content"`
	Align   string `json:"align"`
}

// TemplateInput is the body of template create and update. Update replaces
// every field (API.md), so callers always send all of them.
type TemplateInput struct {
	Title    string           `json:"title"`
	Tags     string           `json:"tags"`
	Sample   string           `json:"sample"`
	Actions  []TemplateAction `json:"actions"`
	Contents [][]TemplateCell `json:"contents"`
}

// EncodedSize is the length in bytes of in as a create or update body,
// encoded as the transport encodes bodies (json.Marshal).
func (in TemplateInput) EncodedSize() int {
	body, err := json.Marshal(in)
	if err != nil {
		return 0
	}
	return len(body)
}

// Template is a message template as the server returns it. Times are epoch
// milliseconds.
type Template struct {
	ID          string           `json:"id"`
	DomainID    string           `json:"domain_id"`
	OrgID       string           `json:"org_id"`
	AppID       string           `json:"app_id"`
	Type        string           `json:"type,omitempty"`
	Title       string           `json:"title"`
	Tags        string           `json:"tags"`
	Sample      string           `json:"sample"`
	Operator    string           `json:"operator"`
	CreateTime  int64            `json:"create_time"`
	RefreshTime int64            `json:"refresh_time"`
	Actions     []TemplateAction `json:"actions"`
	Contents    [][]TemplateCell `json:"contents"`
	// Partial marks a record of a list answer that does not show all of the
	// template: seed 001's list record has no tags and app_id "DEFAULT".
	// Its tags and app_id prove nothing; CompleteTemplate reads the rest.
	Partial bool `json:"-"`
}

// listAppIDPlaceholder is the app_id seed 001's list record shows in place
// of the template's app.
const listAppIDPlaceholder = "DEFAULT"

// Input returns the mutable fields of t, as create and update take them.
func (t Template) Input() TemplateInput {
	return TemplateInput{Title: t.Title, Tags: t.Tags, Sample: t.Sample, Actions: t.Actions, Contents: t.Contents}
}

// TemplatePage is the result of GET /v1/templates.
type TemplatePage struct {
	TotalCount int        `json:"total_count"`
	Records    []Template `json:"records"`
}

// UnmarshalJSON marks the records that do not show the whole template
// (Template.Partial): absent tags, which a plain string cannot tell from
// empty ones, or the placeholder app_id.
func (p *TemplatePage) UnmarshalJSON(data []byte) error {
	var page struct {
		TotalCount int `json:"total_count"`
		Records    []struct {
			Template
			Tags *string `json:"tags"` // shadows Template.Tags while decoding
		} `json:"records"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		return err
	}
	p.TotalCount = page.TotalCount
	p.Records = make([]Template, len(page.Records))
	for i, record := range page.Records {
		t := record.Template
		if record.Tags != nil {
			t.Tags = *record.Tags
		}
		t.Partial = record.Tags == nil || t.AppID == listAppIDPlaceholder
		p.Records[i] = t
	}
	return nil
}

// App message types (POST /v1/apps/mbox "type").
const (
	MessageTypeText     = "TEXT"
	MessageTypeImage    = "IMAGE"
	MessageTypeFile     = "FILE"
	MessageTypeArticle  = "ARTICLE"
	MessageTypeTemplate = "TEMPLATE"
)

// Platforms an app message goes to.
const (
	PlatformAndroid = "ANDROID"
	PlatformIOS     = "IOS"
	PlatformPC      = "PC"
)

// AppMessage is the body of POST /v1/apps/mbox. for_all and source_type travel
// as query parameters, as the vendor's URL shows.
type AppMessage struct {
	Type      string         `json:"type"`
	Body      AppMessageBody `json:"body"`
	ClientIDs []string       `json:"client_ids,omitempty"`
	Scopes    []string       `json:"scopes,omitempty"`
	Usernames []string       `json:"usernames,omitempty"`
	Platforms []string       `json:"platforms,omitempty"`
	ForAll    *bool          `json:"for_all,omitempty"`
}

// AppMessageBody holds the fields of every message type; which ones apply
// depends on AppMessage.Type.
type AppMessageBody struct {
	// TEXT
	AtAll   *bool  `json:"at_all,omitempty"`
	Content string `json:"content,omitempty"`
	// IMAGE and FILE
	IsGif      *int   `json:"is_gif,omitempty"`
	Size       int64  `json:"size,omitempty"`
	Width      int64  `json:"width,omitempty"`
	Height     int64  `json:"height,omitempty"`
	MediaID    string `json:"media_id,omitempty"`
	Path       string `json:"path,omitempty"`
	FileStatus *int   `json:"file_status,omitempty"`
	Name       string `json:"name,omitempty"`
	// ARTICLE
	Articles []Article `json:"articles,omitempty"`
	// TEMPLATE
	TemplateID      string         `json:"template_id,omitempty"`
	Data            []TemplateData `json:"data,omitempty"`
	EmphasisKeyword string         `json:"emphasis_keyword,omitempty"`
	TopColor        string         `json:"top_color,omitempty"`
	TopAvatar       string         `json:"top_avatar,omitempty"`
	TopTitle        string         `json:"top_title,omitempty"`
}

// Article is one entry of an ARTICLE message. The vendor's table calls the
// cover switch cover_enabled and its example show_cover; both are carried.
type Article struct {
	Summary      string `json:"summary"`
	ShowCover    *bool  `json:"show_cover,omitempty"`
	CoverEnabled *bool  `json:"cover_enabled,omitempty"`
	CoverURL     string `json:"cover_url,omitempty"`
	CreateTime   int64  `json:"create_time,omitempty"`
	Author       string `json:"author,omitempty"`
	Title        string `json:"title"`
	Content      string `json:"content,omitempty"`
	URL          string `json:"url"`
}

// TemplateData fills one placeholder of a TEMPLATE message.
type TemplateData struct {
	Key       string `json:"key"`
	Value     string `json:"value"`
	Color     string `json:"color,omitempty"`
	FontSize  string `json:"font_size,omitempty"`
	TextStyle string `json:"text_style,omitempty"`
}

// PushPlan is the result of POST /v1/apps/mbox. ClientIDs are org paths such
// as "/232/301/<client id>".
type PushPlan struct {
	DomainID    string   `json:"domain_id"`
	OrgID       string   `json:"org_id"`
	ID          string   `json:"id"`
	AppID       string   `json:"app_id"`
	MaterialID  string   `json:"material_id"`
	Expects     int      `json:"expects"`
	Fails       int      `json:"fails"`
	Oks         int      `json:"oks"`
	CreateTime  int64    `json:"create_time"`
	RefreshTime int64    `json:"refresh_time"`
	ExpectTime  int64    `json:"expect_time"`
	Scopes      []string `json:"scopes"`
	ClientIDs   []string `json:"client_ids"`
}

// Certificate is the data of GET /push/certificate.
type Certificate struct {
	AppID       string `json:"app_id"`
	AppKey      string `json:"app_key"`
	AppSecret   string `json:"app_secret"`
	Certificate string `json:"certificate"`
	Name        string `json:"name"`
}

// Certificate environments (query parameter environment).
const (
	EnvironmentDevelopment = 0
	EnvironmentProduction  = 1
)

// Vendor is the Push API's certificate provider (query parameter provider).
type Vendor int

// The vendors, numbered as the vendor's document numbers them.
const (
	VendorAPNs   Vendor = 1
	VendorHuawei Vendor = 2
	VendorXiaomi Vendor = 3
	VendorMeizu  Vendor = 4
	VendorVIVO   Vendor = 5
	VendorOPPO   Vendor = 6
	VendorFCM    Vendor = 7
)

// Vendors lists every vendor in provider-number order.
var Vendors = []Vendor{VendorAPNs, VendorHuawei, VendorXiaomi, VendorMeizu, VendorVIVO, VendorOPPO, VendorFCM}

var vendorNames = map[Vendor]string{
	VendorAPNs: "apns", VendorHuawei: "huawei", VendorXiaomi: "xiaomi", VendorMeizu: "meizu",
	VendorVIVO: "vivo", VendorOPPO: "oppo", VendorFCM: "fcm",
}

// String returns the vendor's lower-case name, as the provider's schema uses it.
func (v Vendor) String() string {
	if name, ok := vendorNames[v]; ok {
		return name
	}
	return "unknown"
}

// VendorNames lists the vendors' names in provider-number order.
func VendorNames() []string {
	names := make([]string, 0, len(Vendors))
	for _, v := range Vendors {
		names = append(names, v.String())
	}
	return names
}

// ParseVendor maps a vendor's name to its number.
func ParseVendor(name string) (Vendor, bool) {
	for v, n := range vendorNames {
		if n == name {
			return v, true
		}
	}
	return 0, false
}

// Push distribution strategies (setting.distribution_strategy).
const (
	StrategyCombined   = "combined"
	StrategyMxpushOnly = "mxpush_only"
	StrategyOspushOnly = "ospush_only"
)

// Push OS channel names usable in setting.ospush_sequence. "ups" stands for the
// domestic vendors (Xiaomi, Huawei, Meizu, OPPO, VIVO).
var OspushChannels = []string{"ups", "fcm", "huawei", "xiaomi", "oppo", "vivo", "meizu"}

// Push message types (message.type).
const (
	PushTypeText  = "text"
	PushTypeImage = "image"
	PushTypeCmd   = "cmd"
)

// MaxAudienceEntries is the vendor's limit on a tag, alias, user_id or
// push_token audience list.
const MaxAudienceEntries = 500

// NotifyRequest is the body of POST /push/notify.
type NotifyRequest struct {
	Audience Audience     `json:"audience"`
	Setting  *PushSetting `json:"setting,omitempty"`
	Message  PushMessage  `json:"message"`
}

// PushSetting is the setting object of a push.
type PushSetting struct {
	RequestID            string   `json:"request_id,omitempty"`
	DistributionStrategy string   `json:"distribution_strategy,omitempty"`
	OspushSequence       []string `json:"ospush_sequence,omitempty"`
}

// PushMessage is the message object of a push.
type PushMessage struct {
	Type          string          `json:"type,omitempty"`
	Title         string          `json:"title,omitempty"`
	Body          string          `json:"body,omitempty"`
	AttachmentURL string          `json:"attachment_url,omitempty"`
	BigText       string          `json:"big_text,omitempty"`
	Badge         string          `json:"badge,omitempty"`
	Ext           map[string]any  `json:"ext,omitempty"`
	ShowBeginTime *int64          `json:"show_begin_time,omitempty"`
	ShowEndTime   *int64          `json:"show_end_time,omitempty"`
	IOS           *IOSOptions     `json:"ios,omitempty"`
	Android       *AndroidOptions `json:"android,omitempty"`
	Huawei        *AndroidOptions `json:"huawei,omitempty"`
	Xiaomi        *AndroidOptions `json:"xiaomi,omitempty"`
	OPPO          *AndroidOptions `json:"oppo,omitempty"`
	VIVO          *AndroidOptions `json:"vivo,omitempty"`
	Flyme         *AndroidOptions `json:"flyme,omitempty"`
	FCM           *AndroidOptions `json:"fcm,omitempty"`
}

// IOSOptions are the APNs extras of a push.
type IOSOptions struct {
	Sound            string `json:"sound,omitempty"`
	ContentAvailable *bool  `json:"content_available,omitempty"`
	MutableContent   *bool  `json:"mutable_content,omitempty"`
	Category         string `json:"category,omitempty"`
	ThreadID         string `json:"thread_id,omitempty"`
	Subtitle         string `json:"subtitle,omitempty"`
	APNsCollapseID   string `json:"apns_collapse_id,omitempty"`
}

// AndroidOptions are the extras of Android and of each Android vendor. The
// vendor blocks override the android block. BadgeClass is Huawei's; PushMode
// and Classification are VIVO's.
type AndroidOptions struct {
	Sound          string `json:"sound,omitempty"`
	ChannelID      string `json:"channel_id,omitempty"`
	ClickAction    string `json:"click_action,omitempty"`
	Intent         string `json:"intent,omitempty"`
	BadgeClass     string `json:"badge_class,omitempty"`
	PushMode       *int64 `json:"push_mode,omitempty"`
	Classification *int64 `json:"classification,omitempty"`
}

// NotifyResult is the data of POST /push/notify. The Push API documents
// task_id, and the data around it, as nullable: TaskID is 0 when the answer
// named no task (HasTaskID).
type NotifyResult struct {
	TaskID int64 `json:"task_id"`
}

// HasTaskID reports whether the server named the accepted push's task. Task
// ids are positive; a missing or null task_id, or null data, decodes as 0.
func (r NotifyResult) HasTaskID() bool { return r.TaskID > 0 }

// TaskDetailRequest is the body of POST /push/task/detail.
type TaskDetailRequest struct {
	List []int64 `json:"list"`
}

// TaskDetail is one task's statistics from POST /push/task/detail.
type TaskDetail struct {
	TaskID         int64 `json:"task_id"`
	APNsTarget     int64 `json:"apns_target"`
	APNsSent       int64 `json:"apns_sent"`
	APNsReceived   int64 `json:"apns_received"`
	FCMTarget      int64 `json:"fcm_target"`
	FCMSent        int64 `json:"fcm_sent"`
	FCMReceived    int64 `json:"fcm_received"`
	FlymeTarget    int64 `json:"flyme_target"`
	FlymeSent      int64 `json:"flyme_sent"`
	FlymeReceived  int64 `json:"flyme_received"`
	HuaweiTarget   int64 `json:"huawei_target"`
	HuaweiSent     int64 `json:"huawei_sent"`
	HuaweiReceived int64 `json:"huawei_received"`
	MxpushTarget   int64 `json:"mxpush_target"`
	MxpushSent     int64 `json:"mxpush_sent"`
	MxpushReceived int64 `json:"mxpush_received"`
	OPPOTarget     int64 `json:"oppo_target"`
	OPPOSent       int64 `json:"oppo_sent"`
	OPPOReceived   int64 `json:"oppo_received"`
	VIVOTarget     int64 `json:"vivo_target"`
	VIVOSent       int64 `json:"vivo_sent"`
	VIVOReceived   int64 `json:"vivo_received"`
	XiaomiTarget   int64 `json:"xiaomi_target"`
	XiaomiSent     int64 `json:"xiaomi_sent"`
	XiaomiReceived int64 `json:"xiaomi_received"`
}

// ChannelStats is one delivery channel's counts.
type ChannelStats struct {
	Channel  string
	Target   int64
	Sent     int64
	Received int64
}

// PushChannels lists the delivery channels in the order Channels returns them.
var PushChannels = []string{"mxpush", "apns", "fcm", "huawei", "xiaomi", "oppo", "vivo", "flyme"}

// Channels returns the per-channel counts in PushChannels order.
func (d TaskDetail) Channels() []ChannelStats {
	return []ChannelStats{
		{"mxpush", d.MxpushTarget, d.MxpushSent, d.MxpushReceived},
		{"apns", d.APNsTarget, d.APNsSent, d.APNsReceived},
		{"fcm", d.FCMTarget, d.FCMSent, d.FCMReceived},
		{"huawei", d.HuaweiTarget, d.HuaweiSent, d.HuaweiReceived},
		{"xiaomi", d.XiaomiTarget, d.XiaomiSent, d.XiaomiReceived},
		{"oppo", d.OPPOTarget, d.OPPOSent, d.OPPOReceived},
		{"vivo", d.VIVOTarget, d.VIVOSent, d.VIVOReceived},
		{"flyme", d.FlymeTarget, d.FlymeSent, d.FlymeReceived},
	}
}

// Counters returns pointers to the target, sent and received counters of a
// channel, so the emulator can fill a task by channel name. It returns nils for
// an unknown channel.
func (d *TaskDetail) Counters(channel string) (target, sent, received *int64) {
	switch channel {
	case "mxpush":
		return &d.MxpushTarget, &d.MxpushSent, &d.MxpushReceived
	case "apns":
		return &d.APNsTarget, &d.APNsSent, &d.APNsReceived
	case "fcm":
		return &d.FCMTarget, &d.FCMSent, &d.FCMReceived
	case "huawei":
		return &d.HuaweiTarget, &d.HuaweiSent, &d.HuaweiReceived
	case "xiaomi":
		return &d.XiaomiTarget, &d.XiaomiSent, &d.XiaomiReceived
	case "oppo":
		return &d.OPPOTarget, &d.OPPOSent, &d.OPPOReceived
	case "vivo":
		return &d.VIVOTarget, &d.VIVOSent, &d.VIVOReceived
	case "flyme", "meizu":
		return &d.FlymeTarget, &d.FlymeSent, &d.FlymeReceived
	}
	return nil, nil, nil
}
