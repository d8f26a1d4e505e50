package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// The message arguments of a push and of an app message, written once in the
// action schema's terms (the smaller vocabulary: no computed values, no plan
// modifiers), with their models; see the package doc.

// pushMessageModel is what a push says and to whom: the arguments that
// workplus_push_notification and workplus_send_push_notification share.
type pushMessageModel struct {
	All                  types.Bool           `tfsdk:"all"`
	Tags                 types.List           `tfsdk:"tags"`
	Aliases              types.List           `tfsdk:"aliases"`
	UserIDs              types.List           `tfsdk:"user_ids"`
	PushTokens           types.List           `tfsdk:"push_tokens"`
	Type                 types.String         `tfsdk:"type"`
	Title                types.String         `tfsdk:"title"`
	Body                 types.String         `tfsdk:"body"`
	AttachmentURL        types.String         `tfsdk:"attachment_url"`
	BigText              types.String         `tfsdk:"big_text"`
	Badge                types.String         `tfsdk:"badge"`
	Ext                  jsontypes.Normalized `tfsdk:"ext"`
	ShowBeginTime        types.String         `tfsdk:"show_begin_time"`
	ShowEndTime          types.String         `tfsdk:"show_end_time"`
	IOS                  types.Object         `tfsdk:"ios"`
	Android              types.Object         `tfsdk:"android"`
	Huawei               types.Object         `tfsdk:"huawei"`
	Xiaomi               types.Object         `tfsdk:"xiaomi"`
	OPPO                 types.Object         `tfsdk:"oppo"`
	VIVO                 types.Object         `tfsdk:"vivo"`
	Flyme                types.Object         `tfsdk:"flyme"`
	FCM                  types.Object         `tfsdk:"fcm"`
	DistributionStrategy types.String         `tfsdk:"distribution_strategy"`
	OspushSequence       types.List           `tfsdk:"ospush_sequence"`
}

// appMessageContentModel is what an app message says and to whom: the
// arguments that workplus_app_message and workplus_send_app_message share.
type appMessageContentModel struct {
	SourceType types.String `tfsdk:"source_type"`
	Text       types.Object `tfsdk:"text"`
	Image      types.Object `tfsdk:"image"`
	File       types.Object `tfsdk:"file"`
	Articles   types.List   `tfsdk:"articles"`
	Template   types.Object `tfsdk:"template"`
	ClientIDs  types.List   `tfsdk:"client_ids"`
	Usernames  types.List   `tfsdk:"usernames"`
	Scopes     types.List   `tfsdk:"scopes"`
	ForAll     types.Bool   `tfsdk:"for_all"`
	Platforms  types.Set    `tfsdk:"platforms"`
}

var pushMessageDescriptions = map[string]string{
	"all":            "Push to every device of the app. Must be `true` when set. Exactly one of `all`, `tags`, `aliases`, `user_ids` and `push_tokens` is required.",
	"tags":           fmt.Sprintf("Push to the devices with any of these tags (1 to %d).", workplus.MaxAudienceEntries),
	"aliases":        fmt.Sprintf("Push to the devices with any of these aliases (1 to %d).", workplus.MaxAudienceEntries),
	"user_ids":       fmt.Sprintf("Push to the devices of these numeric user ids (1 to %d).", workplus.MaxAudienceEntries),
	"push_tokens":    fmt.Sprintf("Push to these devices, by push token (1 to %d).", workplus.MaxAudienceEntries),
	"type":           "`text` (default), `image` (needs `attachment_url`) or `cmd`: a pass-through message for the app that is not shown in the notification bar.",
	"title":          "The notification's title.",
	"body":           "The notification's text.",
	"attachment_url": "URL of an image, audio or video attachment. For `type = \"image\"` it is required and its path must end in `.jpg`, `.jpeg` or `.png` (the vendors also want it under 1 MB; 876×324 px is recommended).",
	"big_text":       "Long text that vendors supporting big-text notifications show instead of `body`.",
	"badge":          "The app icon's badge: a number sets it, `+N` adds to it. The server's default is `+1`.",
	"ext": "Extra fields for the app, as a JSON object, e.g. `jsonencode({ order = 123, kind = \"shipped\" })`. " +
		"A JSON string keeps numbers and nested values that a map of strings would lose.",
	"show_begin_time":       "When devices start showing the notification (RFC 3339, e.g. `2030-01-02T08:00:00Z`). Unset: immediately.",
	"show_end_time":         "When devices stop showing the notification (RFC 3339). Must be after `show_begin_time`.",
	"ios":                   "APNs options.",
	"distribution_strategy": "`combined` (the server's default: WorkPlus's own channel to devices that are online, the vendors' services for the others), `mxpush_only` or `ospush_only`.",
	"ospush_sequence":       "The order in which vendor services are tried: " + quotedList(workplus.OspushChannels) + ". `ups` stands for the domestic vendors. The server's default is `[\"ups\", \"fcm\"]`.",
}

// pushMessageAttributes are the message arguments of a push.
func pushMessageAttributes() map[string]actionschema.Attribute {
	d := pushMessageDescriptions
	audienceList := []validator.List{listvalidator.SizeBetween(1, workplus.MaxAudienceEntries)}
	optionalString := func(name string, validators ...validator.String) actionschema.StringAttribute {
		return actionschema.StringAttribute{MarkdownDescription: d[name], Optional: true, Validators: validators}
	}
	attributes := map[string]actionschema.Attribute{
		"all":             actionschema.BoolAttribute{MarkdownDescription: d["all"], Optional: true},
		"tags":            actionschema.ListAttribute{MarkdownDescription: d["tags"], ElementType: types.StringType, Optional: true, Validators: audienceList},
		"aliases":         actionschema.ListAttribute{MarkdownDescription: d["aliases"], ElementType: types.StringType, Optional: true, Validators: audienceList},
		"user_ids":        actionschema.ListAttribute{MarkdownDescription: d["user_ids"], ElementType: types.Int64Type, Optional: true, Validators: audienceList},
		"push_tokens":     actionschema.ListAttribute{MarkdownDescription: d["push_tokens"], ElementType: types.StringType, Optional: true, Validators: audienceList},
		"type":            pushTypeAttribute(),
		"title":           optionalString("title"),
		"body":            optionalString("body"),
		"attachment_url":  optionalString("attachment_url"),
		"big_text":        optionalString("big_text"),
		"badge":           optionalString("badge", stringvalidator.RegexMatches(badgePattern, "must be a whole number, or + followed by one")),
		"ext":             actionschema.StringAttribute{MarkdownDescription: d["ext"], CustomType: jsontypes.NormalizedType{}, Optional: true},
		"show_begin_time": optionalString("show_begin_time", rfc3339Time{}),
		"show_end_time":   optionalString("show_end_time", rfc3339Time{}),
		"ios": actionschema.SingleNestedAttribute{
			MarkdownDescription: d["ios"],
			Optional:            true,
			Attributes: map[string]actionschema.Attribute{
				"sound":             actionschema.StringAttribute{MarkdownDescription: "The notification sound.", Optional: true},
				"content_available": actionschema.BoolAttribute{MarkdownDescription: "APNs `content-available`.", Optional: true},
				"mutable_content":   actionschema.BoolAttribute{MarkdownDescription: "APNs `mutable-content`.", Optional: true},
				"category":          actionschema.StringAttribute{MarkdownDescription: "APNs `category`.", Optional: true},
				"thread_id":         actionschema.StringAttribute{MarkdownDescription: "APNs `thread-id`: notifications with the same one are grouped.", Optional: true},
				"subtitle":          actionschema.StringAttribute{MarkdownDescription: "APNs `subtitle`.", Optional: true},
				"apns_collapse_id":  actionschema.StringAttribute{MarkdownDescription: "APNs `apns-collapse-id`: a notification replaces the shown one with the same id.", Optional: true},
			},
		},
		"distribution_strategy": optionalString("distribution_strategy",
			stringvalidator.OneOf(workplus.StrategyCombined, workplus.StrategyMxpushOnly, workplus.StrategyOspushOnly)),
		"ospush_sequence": actionschema.ListAttribute{
			MarkdownDescription: d["ospush_sequence"],
			ElementType:         types.StringType,
			Optional:            true,
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.OneOf(workplus.OspushChannels...)),
			},
		},
	}
	for _, block := range androidBlocks {
		attributes[block.name] = androidOptionsAttribute(block)
	}
	return attributes
}

// pushTypeAttribute is the push's type; the resource adds its default.
func pushTypeAttribute() actionschema.StringAttribute {
	return actionschema.StringAttribute{
		MarkdownDescription: pushMessageDescriptions["type"],
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf(workplus.PushTypeText, workplus.PushTypeImage, workplus.PushTypeCmd)},
	}
}

// androidBlock is one of the Android option blocks: the common four
// attributes plus the vendor's own. The vendor blocks override android.
type androidBlock struct {
	name    string
	vendor  string
	strings []string // vendor-only string attributes
	ints    []string // vendor-only 0/1 attributes
}

var androidBlocks = []androidBlock{
	{name: "android", vendor: "every Android vendor"},
	{name: "huawei", vendor: "Huawei", strings: []string{"badge_class"}},
	{name: "xiaomi", vendor: "Xiaomi"},
	{name: "oppo", vendor: "OPPO"},
	{name: "vivo", vendor: "VIVO", ints: []string{"push_mode", "classification"}},
	{name: "flyme", vendor: "Meizu (Flyme)"},
	{name: "fcm", vendor: "FCM"},
}

// Android click actions.
const (
	clickActionIntent  = "intent"
	clickActionOpenApp = "open_app"
)

// audienceAttributes are the forms of the audience, exactly one of which is set.
var audienceAttributes = []string{"all", "tags", "aliases", "user_ids", "push_tokens"}

// androidOptionsAttribute is the schema of an Android option block, written
// once for android and every Android vendor.
func androidOptionsAttribute(block androidBlock) actionschema.SingleNestedAttribute {
	attributes := map[string]actionschema.Attribute{
		"sound":      actionschema.StringAttribute{MarkdownDescription: "The notification sound.", Optional: true},
		"channel_id": actionschema.StringAttribute{MarkdownDescription: "The notification channel.", Optional: true},
		"click_action": actionschema.StringAttribute{
			MarkdownDescription: "What tapping the notification does: `intent` opens the page given by `intent`, `open_app` the app's home page.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(clickActionIntent, clickActionOpenApp)},
		},
		"intent": actionschema.StringAttribute{
			MarkdownDescription: "The page to open, e.g. `intent:#Intent;component=com.example/.MainActivity;S.key=value;end`. Required when `click_action` is `intent`.",
			Optional:            true,
		},
	}
	extraDescriptions := map[string]string{
		"badge_class":    "The Activity class of the app's launcher entry, e.g. `com.example.MainActivity`, for the icon badge.",
		"push_mode":      "`0` (default) for a real push, `1` for a test push.",
		"classification": "`0` (default) for an operational message, `1` for a system message.",
	}
	for _, name := range block.strings {
		attributes[name] = actionschema.StringAttribute{MarkdownDescription: extraDescriptions[name], Optional: true}
	}
	for _, name := range block.ints {
		attributes[name] = actionschema.Int64Attribute{MarkdownDescription: extraDescriptions[name], Optional: true, Validators: []validator.Int64{int64validator.OneOf(0, 1)}}
	}
	description := "Options for " + block.vendor + " devices"
	if block.name != "android" {
		description += "; they override `android`"
	}
	return actionschema.SingleNestedAttribute{MarkdownDescription: description + ".", Optional: true, Attributes: attributes}
}

// appMessageAttributes are the message arguments of an app message.
func appMessageAttributes() map[string]actionschema.Attribute {
	color := []validator.String{stringvalidator.RegexMatches(colorPattern, "must be a color written #rrggbb, such as #00ff00")}
	recipientList := func(description string, validators ...validator.String) actionschema.ListAttribute {
		return actionschema.ListAttribute{
			MarkdownDescription: description,
			ElementType:         types.StringType,
			Optional:            true,
			Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(append(validators, stringvalidator.LengthAtLeast(1))...)},
		}
	}
	oneOfBodies := "Exactly one of `text`, `image`, `file`, `articles` and `template` is required."
	return map[string]actionschema.Attribute{
		"source_type": actionschema.StringAttribute{
			MarkdownDescription: "`NATIVE` or `ISV`, as the app is registered. Defaults to the provider's `source_type`, then `NATIVE`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(workplus.SourceTypeNative, workplus.SourceTypeISV)},
		},
		"text": actionschema.SingleNestedAttribute{
			MarkdownDescription: "A text message (`TEXT`). " + oneOfBodies,
			Optional:            true,
			Attributes: map[string]actionschema.Attribute{
				"content": actionschema.StringAttribute{MarkdownDescription: "The text.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
				"at_all":  actionschema.BoolAttribute{MarkdownDescription: "Mention everybody (@all).", Optional: true},
			},
		},
		"image": actionschema.SingleNestedAttribute{
			MarkdownDescription: "An image message (`IMAGE`). " + oneOfBodies,
			Optional:            true,
			Attributes: map[string]actionschema.Attribute{
				"media_id": actionschema.StringAttribute{MarkdownDescription: "The uploaded image's media id.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
				"width":    actionschema.Int64Attribute{MarkdownDescription: "Width in pixels.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
				"height":   actionschema.Int64Attribute{MarkdownDescription: "Height in pixels.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
				"size":     actionschema.Int64Attribute{MarkdownDescription: "Size in bytes.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)}},
				"is_gif":   actionschema.BoolAttribute{MarkdownDescription: "Whether the image is an animated GIF.", Optional: true},
				"content":  actionschema.StringAttribute{MarkdownDescription: "The image itself, base64-encoded, for clients that show it before downloading.", Optional: true},
			},
		},
		"file": actionschema.SingleNestedAttribute{
			MarkdownDescription: "A file message (`FILE`). " + oneOfBodies,
			Optional:            true,
			Attributes: map[string]actionschema.Attribute{
				"media_id":    actionschema.StringAttribute{MarkdownDescription: "The uploaded file's media id.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
				"name":        actionschema.StringAttribute{MarkdownDescription: "The file name shown to recipients.", Optional: true},
				"size":        actionschema.Int64Attribute{MarkdownDescription: "Size in bytes.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)}},
				"file_status": actionschema.Int64Attribute{MarkdownDescription: "The file's status; `0` means normal.", Optional: true},
			},
		},
		"articles": actionschema.ListNestedAttribute{
			MarkdownDescription: "An article message (`ARTICLE`): one or more linked articles. " + oneOfBodies,
			Optional:            true,
			Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
			NestedObject: actionschema.NestedAttributeObject{Attributes: map[string]actionschema.Attribute{
				"title":       actionschema.StringAttribute{MarkdownDescription: "The article's title.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
				"summary":     actionschema.StringAttribute{MarkdownDescription: "A short summary.", Optional: true},
				"url":         actionschema.StringAttribute{MarkdownDescription: "The article's URL. Without it, WorkPlus shows `content`.", Optional: true, Validators: []validator.String{urlWithScheme{refuse: true}}},
				"cover_url":   actionschema.StringAttribute{MarkdownDescription: "The cover image: a URL or a media id.", Optional: true},
				"show_cover":  actionschema.BoolAttribute{MarkdownDescription: "Whether to show the cover (sent as both `show_cover` and `cover_enabled`, the two names the vendor's documents use).", Optional: true},
				"author":      actionschema.StringAttribute{MarkdownDescription: "The author.", Optional: true},
				"content":     actionschema.StringAttribute{MarkdownDescription: "The article's HTML, shown when `url` is not set.", Optional: true},
				"create_time": actionschema.StringAttribute{MarkdownDescription: "The article's date (RFC 3339).", Optional: true, Validators: []validator.String{rfc3339Time{}}},
			}},
		},
		"template": actionschema.SingleNestedAttribute{
			MarkdownDescription: "A template message (`TEMPLATE`): a template's `{{name.DATA}}` placeholders filled with `data`. " + oneOfBodies,
			Optional:            true,
			Attributes: map[string]actionschema.Attribute{
				"template_id": actionschema.StringAttribute{
					MarkdownDescription: "The template's id, usually `workplus_template.<name>.id` or `data.workplus_template.<name>.id`.",
					Required:            true,
					Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				},
				"data": actionschema.ListNestedAttribute{
					MarkdownDescription: "One entry per placeholder of the template.",
					Required:            true,
					Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
					NestedObject: actionschema.NestedAttributeObject{Attributes: map[string]actionschema.Attribute{
						"key":        actionschema.StringAttribute{MarkdownDescription: "The placeholder's name: `name` of `{{name.DATA}}`.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
						"value":      actionschema.StringAttribute{MarkdownDescription: "The text to put in its place.", Required: true},
						"color":      actionschema.StringAttribute{MarkdownDescription: "Text color, `#rrggbb`.", Optional: true, Validators: color},
						"font_size":  actionschema.Int64Attribute{MarkdownDescription: "Font size.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
						"text_style": actionschema.StringAttribute{MarkdownDescription: "`normal` or `bold`.", Optional: true, Validators: []validator.String{stringvalidator.OneOf(textStyles...)}},
					}},
				},
				"top_color":        actionschema.StringAttribute{MarkdownDescription: "Color of the card's top bar, `#rrggbb`.", Optional: true, Validators: color},
				"top_avatar":       actionschema.StringAttribute{MarkdownDescription: "Media id of the icon in the card's top bar.", Optional: true},
				"top_title":        actionschema.StringAttribute{MarkdownDescription: "Title in the card's top bar.", Optional: true},
				"emphasis_keyword": actionschema.StringAttribute{MarkdownDescription: "The placeholder to highlight, e.g. `amount.DATA` (a field the vendor reserves).", Optional: true},
				placeholdersAttribute: actionschema.ListAttribute{
					MarkdownDescription: "The template's placeholders, for a plan-time check: set it to `workplus_template.<name>.placeholders` (or the data source's), and planning fails when a `data` key is not one of them or one of them has no `data`. " +
						"It is not sent, and changing it alone sends nothing.",
					ElementType: types.StringType,
					Optional:    true,
				},
			},
		},
		"client_ids": recipientList("Recipients by WorkPlus client id."),
		"usernames":  recipientList("Recipients by username."),
		"scopes":     recipientList("Recipients by organization scope: every employee under an org path such as `/232/301/`.", stringvalidator.RegexMatches(scopePattern, "must be an org path such as /232/301/")),
		"for_all": actionschema.BoolAttribute{
			MarkdownDescription: "Send to every employee of the organization. Only allowed, and required, when `client_ids`, `usernames` and `scopes` are all unset: WorkPlus ignores it otherwise.",
			Optional:            true,
		},
		"platforms": platformsAttribute(),
	}
}

// platformsAttribute is where an app message shows; the resource adds its
// default.
func platformsAttribute() actionschema.SetAttribute {
	return actionschema.SetAttribute{
		MarkdownDescription: "Where the message shows: any of `ANDROID`, `IOS` and `PC`. Defaults to `IOS` and `ANDROID`, as WorkPlus does.",
		ElementType:         types.StringType,
		Optional:            true,
		Validators: []validator.Set{
			setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(stringvalidator.OneOf(workplus.PlatformAndroid, workplus.PlatformIOS, workplus.PlatformPC)),
		},
	}
}

// placeholdersAttribute is template.placeholders: checked while planning,
// never sent, so the only message argument whose change sends nothing.
const placeholdersAttribute = "placeholders"
