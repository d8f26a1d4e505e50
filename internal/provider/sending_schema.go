package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// The message arguments of a push and of an app message are written once,
// here, in the action schema's terms (the smaller vocabulary: no computed
// values, no plan modifiers). The actions use them as they are; the sending
// resources convert them with sendingResourceAttributes, which adds what a
// resource needs. The models and converters below serve both as well.

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

// sendingResourceAttributes turns shared message arguments into a sending
// resource's: what was sent cannot be changed or recalled, so each argument
// forces a new resource, which sends anew. Nested attributes inherit that
// from their object, except that the template's placeholders, which are never
// sent, do not force anything.
func sendingResourceAttributes(attributes map[string]actionschema.Attribute) map[string]schema.Attribute {
	converted := make(map[string]schema.Attribute, len(attributes))
	for name, attribute := range attributes {
		if template, ok := attribute.(actionschema.SingleNestedAttribute); ok && name == "template" {
			converted[name] = templateResourceAttribute(template)
			continue
		}
		converted[name] = resourceAttribute(attribute, true)
	}
	return converted
}

// templateResourceAttribute replaces on every template argument but
// placeholders, rather than on the whole object.
func templateResourceAttribute(template actionschema.SingleNestedAttribute) schema.SingleNestedAttribute {
	nested := make(map[string]schema.Attribute, len(template.Attributes))
	for name, attribute := range template.Attributes {
		nested[name] = resourceAttribute(attribute, name != placeholdersAttribute)
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: template.MarkdownDescription,
		Optional:            template.Optional,
		Required:            template.Required,
		Validators:          template.Validators,
		Attributes:          nested,
	}
}

// resourceAttribute is the resource form of one shared argument. The shared
// schema uses only the kinds below; a new kind fails TestSendingSchemaConverts.
func resourceAttribute(attribute actionschema.Attribute, replace bool) schema.Attribute {
	switch a := attribute.(type) {
	case actionschema.StringAttribute:
		return resourceStringAttribute(a, replace)
	case actionschema.BoolAttribute:
		converted := schema.BoolAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators}
		if replace {
			converted.PlanModifiers = []planmodifier.Bool{boolplanmodifier.RequiresReplace()}
		}
		return converted
	case actionschema.Int64Attribute:
		converted := schema.Int64Attribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators}
		if replace {
			converted.PlanModifiers = []planmodifier.Int64{int64planmodifier.RequiresReplace()}
		}
		return converted
	case actionschema.ListAttribute:
		converted := schema.ListAttribute{MarkdownDescription: a.MarkdownDescription, ElementType: a.ElementType, Required: a.Required, Optional: a.Optional, Validators: a.Validators}
		if replace {
			converted.PlanModifiers = replaceList
		}
		return converted
	case actionschema.SetAttribute:
		return resourceSetAttribute(a, replace)
	case actionschema.SingleNestedAttribute:
		converted := schema.SingleNestedAttribute{
			MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators,
			Attributes: nestedResourceAttributes(a.Attributes),
		}
		if replace {
			converted.PlanModifiers = replaceObject
		}
		return converted
	case actionschema.ListNestedAttribute:
		converted := schema.ListNestedAttribute{
			MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators,
			NestedObject: schema.NestedAttributeObject{Attributes: nestedResourceAttributes(a.NestedObject.Attributes)},
		}
		if replace {
			converted.PlanModifiers = replaceList
		}
		return converted
	}
	panic(fmt.Sprintf("sending schema: no resource form for %T", attribute))
}

// resourceStringAttribute and resourceSetAttribute are the typed forms, for
// resources that add a default to the converted attribute.
func resourceStringAttribute(a actionschema.StringAttribute, replace bool) schema.StringAttribute {
	converted := schema.StringAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, CustomType: a.CustomType, Validators: a.Validators}
	if replace {
		converted.PlanModifiers = replaceString
	}
	return converted
}

func resourceSetAttribute(a actionschema.SetAttribute, replace bool) schema.SetAttribute {
	converted := schema.SetAttribute{MarkdownDescription: a.MarkdownDescription, ElementType: a.ElementType, Required: a.Required, Optional: a.Optional, Validators: a.Validators}
	if replace {
		converted.PlanModifiers = []planmodifier.Set{setplanmodifier.RequiresReplace()}
	}
	return converted
}

func nestedResourceAttributes(attributes map[string]actionschema.Attribute) map[string]schema.Attribute {
	converted := make(map[string]schema.Attribute, len(attributes))
	for name, attribute := range attributes {
		converted[name] = resourceAttribute(attribute, false)
	}
	return converted
}

// audienceExpressions and bodyExpressions are the exactly-one-of groups of
// the two message kinds, for the resources' and the actions' validators.
func audienceExpressions() []path.Expression { return rootExpressions(audienceAttributes) }

func bodyExpressions() []path.Expression { return rootExpressions(messageBodies) }

func rootExpressions(names []string) []path.Expression {
	expressions := make([]path.Expression, 0, len(names))
	for _, name := range names {
		expressions = append(expressions, path.MatchRoot(name))
	}
	return expressions
}

// validate checks the rules of a push that span attributes. Unknown values
// are skipped: they are checked again once known.
func (m pushMessageModel) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.All.IsNull() && !m.All.IsUnknown() && !m.All.ValueBool() {
		diags.AddAttributeError(path.Root("all"), "Invalid audience",
			"all = false selects no devices: set all = true to push to every device, or use one of tags, aliases, user_ids or push_tokens instead.")
	}
	if m.Type.ValueString() == workplus.PushTypeImage {
		switch {
		case m.AttachmentURL.IsUnknown():
		case m.AttachmentURL.IsNull():
			diags.AddAttributeError(path.Root("attachment_url"), "Missing attachment_url",
				`type = "image" needs attachment_url: the URL of a .jpg, .jpeg or .png image.`)
		default:
			if err := checkImageURL(m.AttachmentURL.ValueString()); err != nil {
				diags.AddAttributeError(path.Root("attachment_url"), "Invalid image URL", fmt.Sprintf(`type = "image": attachment_url %v.`, err))
			}
		}
	}
	if !m.Ext.IsNull() && !m.Ext.IsUnknown() {
		if _, err := decodeJSONObject(m.Ext.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("ext"), "Invalid ext", fmt.Sprintf("ext %v.", err))
		}
	}
	begin, beginErr := parseOptionalTime(m.ShowBeginTime)
	end, endErr := parseOptionalTime(m.ShowEndTime)
	if beginErr == nil && endErr == nil && begin != nil && end != nil && !end.After(*begin) {
		diags.AddAttributeError(path.Root("show_end_time"), "Invalid show_end_time",
			fmt.Sprintf("show_end_time (%s) must be after show_begin_time (%s).", m.ShowEndTime.ValueString(), m.ShowBeginTime.ValueString()))
	}
	for name, block := range m.androidObjects() {
		if block.IsNull() || block.IsUnknown() {
			continue
		}
		action, _ := block.Attributes()["click_action"].(types.String)
		intent, _ := block.Attributes()["intent"].(types.String)
		if action.ValueString() == clickActionIntent && intent.IsNull() {
			diags.AddAttributeError(path.Root(name).AtName("intent"), "Missing intent",
				fmt.Sprintf(`%s.click_action = "intent" needs %s.intent: the page to open.`, name, name))
		}
	}
	return diags
}

func (m pushMessageModel) androidObjects() map[string]types.Object {
	return map[string]types.Object{
		"android": m.Android, "huawei": m.Huawei, "xiaomi": m.Xiaomi, "oppo": m.OPPO,
		"vivo": m.VIVO, "flyme": m.Flyme, "fcm": m.FCM,
	}
}

// toRequest builds the push from known (apply-time) values, without
// request_id, which the caller adds.
func (m pushMessageModel) toRequest(ctx context.Context) (workplus.NotifyRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	var req workplus.NotifyRequest

	req.Audience.All = m.All.ValueBool()
	diags.Append(listInto(ctx, m.Tags, &req.Audience.Tags)...)
	diags.Append(listInto(ctx, m.Aliases, &req.Audience.Aliases)...)
	diags.Append(listInto(ctx, m.UserIDs, &req.Audience.UserIDs)...)
	diags.Append(listInto(ctx, m.PushTokens, &req.Audience.PushTokens)...)

	msg := &req.Message
	msg.Type = m.Type.ValueString()
	if msg.Type == "" {
		msg.Type = workplus.PushTypeText
	}
	msg.Title = m.Title.ValueString()
	msg.Body = m.Body.ValueString()
	msg.AttachmentURL = m.AttachmentURL.ValueString()
	msg.BigText = m.BigText.ValueString()
	msg.Badge = m.Badge.ValueString()
	if !m.Ext.IsNull() {
		ext, err := decodeJSONObject(m.Ext.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("ext"), "Invalid ext", fmt.Sprintf("ext %v.", err))
		}
		msg.Ext = ext
	}
	for _, t := range []struct {
		name  string
		value types.String
		into  **int64
	}{{"show_begin_time", m.ShowBeginTime, &msg.ShowBeginTime}, {"show_end_time", m.ShowEndTime, &msg.ShowEndTime}} {
		parsed, err := parseOptionalTime(t.value)
		if err != nil {
			diags.AddAttributeError(path.Root(t.name), "Invalid time", err.Error())
			continue
		}
		if parsed != nil {
			seconds := parsed.Unix()
			*t.into = &seconds
		}
	}
	if !m.IOS.IsNull() {
		var ios iosOptionsModel
		diags.Append(m.IOS.As(ctx, &ios, basetypes.ObjectAsOptions{})...)
		msg.IOS = &workplus.IOSOptions{
			Sound:            ios.Sound.ValueString(),
			ContentAvailable: ios.ContentAvailable.ValueBoolPointer(),
			MutableContent:   ios.MutableContent.ValueBoolPointer(),
			Category:         ios.Category.ValueString(),
			ThreadID:         ios.ThreadID.ValueString(),
			Subtitle:         ios.Subtitle.ValueString(),
			APNsCollapseID:   ios.APNsCollapseID.ValueString(),
		}
	}
	objects := m.androidObjects()
	for name, into := range map[string]**workplus.AndroidOptions{
		"android": &msg.Android, "huawei": &msg.Huawei, "xiaomi": &msg.Xiaomi, "oppo": &msg.OPPO,
		"vivo": &msg.VIVO, "flyme": &msg.Flyme, "fcm": &msg.FCM,
	} {
		*into = androidOptionsFromObject(objects[name])
	}

	if !m.DistributionStrategy.IsNull() || !m.OspushSequence.IsNull() {
		req.Setting = &workplus.PushSetting{DistributionStrategy: m.DistributionStrategy.ValueString()}
		diags.Append(listInto(ctx, m.OspushSequence, &req.Setting.OspushSequence)...)
	}
	return req, diags
}

type iosOptionsModel struct {
	Sound            types.String `tfsdk:"sound"`
	ContentAvailable types.Bool   `tfsdk:"content_available"`
	MutableContent   types.Bool   `tfsdk:"mutable_content"`
	Category         types.String `tfsdk:"category"`
	ThreadID         types.String `tfsdk:"thread_id"`
	Subtitle         types.String `tfsdk:"subtitle"`
	APNsCollapseID   types.String `tfsdk:"apns_collapse_id"`
}

// androidOptionsFromObject reads any Android option block; attributes a
// vendor's block lacks stay empty, so one converter serves all of them.
func androidOptionsFromObject(obj types.Object) *workplus.AndroidOptions {
	if obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	attrs := obj.Attributes()
	str := func(name string) string {
		v, _ := attrs[name].(types.String)
		return v.ValueString()
	}
	num := func(name string) *int64 {
		v, _ := attrs[name].(types.Int64)
		return v.ValueInt64Pointer()
	}
	return &workplus.AndroidOptions{
		Sound:          str("sound"),
		ChannelID:      str("channel_id"),
		ClickAction:    str("click_action"),
		Intent:         str("intent"),
		BadgeClass:     str("badge_class"),
		PushMode:       num("push_mode"),
		Classification: num("classification"),
	}
}

// audienceSummary says whom a push goes to, for progress messages.
func audienceSummary(audience workplus.Audience) string {
	switch {
	case audience.All:
		return "every device of the app"
	case len(audience.Tags) > 0:
		return "the devices tagged " + shortList(audience.Tags)
	case len(audience.Aliases) > 0:
		return "the devices with alias " + shortList(audience.Aliases)
	case len(audience.UserIDs) > 0:
		return fmt.Sprintf("the devices of %d users", len(audience.UserIDs))
	default:
		return fmt.Sprintf("%d devices by push token", len(audience.PushTokens))
	}
}

// shortList names up to three values, and counts longer lists.
func shortList(values []string) string {
	if len(values) > 3 {
		return fmt.Sprintf("any of %d values", len(values))
	}
	return strings.Join(values, " or ")
}

// validateRecipients checks the recipients of an app message, a rule that
// spans attributes: the vendor silently ignores for_all next to a list, and
// sends to nobody with neither.
func (m appMessageContentModel) validateRecipients() diag.Diagnostics {
	var diags diag.Diagnostics
	lists := []types.List{m.ClientIDs, m.Usernames, m.Scopes}
	anyList := slices.ContainsFunc(lists, func(l types.List) bool { return !l.IsNull() })
	switch {
	case m.ForAll.IsUnknown():
	case anyList && m.ForAll.ValueBool():
		diags.AddAttributeError(path.Root("for_all"), "Conflicting recipients",
			"for_all = true sends to everybody and only works when client_ids, usernames and scopes are all unset; WorkPlus ignores it next to them. Remove for_all or the lists.")
	case !anyList && !m.ForAll.ValueBool():
		diags.AddAttributeError(path.Root("client_ids"), "Missing recipients",
			"Set at least one of client_ids, usernames and scopes, or for_all = true to send to everybody.")
	}
	return diags
}

// checkTemplatePlaceholders checks a template message's data against the
// template's placeholders, when both are known.
func (m appMessageContentModel) checkTemplatePlaceholders(ctx context.Context) diag.Diagnostics {
	var diags diag.Diagnostics
	if m.Template.IsNull() || m.Template.IsUnknown() {
		return diags
	}
	var body templateBodyModel
	diags.Append(m.Template.As(ctx, &body, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	if diags.HasError() || !isFullyKnown(ctx, body.Placeholders) || body.Placeholders.IsNull() || body.Data.IsUnknown() {
		return diags
	}
	var placeholders []string
	var data []templateDataModel
	diags.Append(body.Placeholders.ElementsAs(ctx, &placeholders, false)...)
	diags.Append(body.Data.ElementsAs(ctx, &data, false)...)
	if diags.HasError() {
		return diags
	}
	return checkTemplateData(placeholders, data)
}

// sourceTypeOr is the message's source_type, else the provider's.
func (m appMessageContentModel) sourceTypeOr(providerDefault string) string {
	if m.SourceType.IsNull() {
		return providerDefault
	}
	return m.SourceType.ValueString()
}

// firstRecipientPath is the recipients attribute an error about recipients
// points at: the first one set.
func (m appMessageContentModel) firstRecipientPath() path.Path {
	for i, l := range []types.List{m.ClientIDs, m.Usernames, m.Scopes} {
		if !l.IsNull() {
			return path.Root(recipientAttributes[i])
		}
	}
	return path.Root("for_all")
}

// toAppMessage builds the request from known (apply-time) values.
func (m appMessageContentModel) toAppMessage(ctx context.Context) (workplus.AppMessage, diag.Diagnostics) {
	var diags diag.Diagnostics
	msg := workplus.AppMessage{}
	diags.Append(listInto(ctx, m.ClientIDs, &msg.ClientIDs)...)
	diags.Append(listInto(ctx, m.Usernames, &msg.Usernames)...)
	diags.Append(listInto(ctx, m.Scopes, &msg.Scopes)...)
	if m.ForAll.ValueBool() {
		msg.ForAll = m.ForAll.ValueBoolPointer()
	}
	if m.Platforms.IsNull() {
		msg.Platforms = slices.Clone(defaultPlatforms)
	} else {
		diags.Append(m.Platforms.ElementsAs(ctx, &msg.Platforms, false)...)
	}
	slices.Sort(msg.Platforms)

	options := basetypes.ObjectAsOptions{}
	body := &msg.Body
	switch {
	case !m.Text.IsNull():
		var text textBodyModel
		diags.Append(m.Text.As(ctx, &text, options)...)
		msg.Type = workplus.MessageTypeText
		body.Content = text.Content.ValueString()
		body.AtAll = text.AtAll.ValueBoolPointer()
	case !m.Image.IsNull():
		var image imageBodyModel
		diags.Append(m.Image.As(ctx, &image, options)...)
		msg.Type = workplus.MessageTypeImage
		body.MediaID = image.MediaID.ValueString()
		body.Width, body.Height, body.Size = image.Width.ValueInt64(), image.Height.ValueInt64(), image.Size.ValueInt64()
		body.Content = image.Content.ValueString()
		if !image.IsGif.IsNull() {
			isGif := 0
			if image.IsGif.ValueBool() {
				isGif = 1
			}
			body.IsGif = &isGif
		}
	case !m.File.IsNull():
		var file fileBodyModel
		diags.Append(m.File.As(ctx, &file, options)...)
		msg.Type = workplus.MessageTypeFile
		body.MediaID = file.MediaID.ValueString()
		body.Name = file.Name.ValueString()
		body.Size = file.Size.ValueInt64()
		if !file.FileStatus.IsNull() {
			status := int(file.FileStatus.ValueInt64())
			body.FileStatus = &status
		}
	case !m.Articles.IsNull():
		var articles []articleModel
		diags.Append(m.Articles.ElementsAs(ctx, &articles, false)...)
		msg.Type = workplus.MessageTypeArticle
		for i, a := range articles {
			article := workplus.Article{
				Title:        a.Title.ValueString(),
				Summary:      a.Summary.ValueString(),
				URL:          a.URL.ValueString(),
				CoverURL:     a.CoverURL.ValueString(),
				ShowCover:    a.ShowCover.ValueBoolPointer(),
				CoverEnabled: a.ShowCover.ValueBoolPointer(),
				Author:       a.Author.ValueString(),
				Content:      a.Content.ValueString(),
			}
			created, err := parseOptionalTime(a.CreateTime)
			if err != nil {
				diags.AddAttributeError(path.Root("articles").AtListIndex(i).AtName("create_time"), "Invalid time", err.Error())
			} else if created != nil {
				article.CreateTime = created.UnixMilli()
			}
			body.Articles = append(body.Articles, article)
		}
	case !m.Template.IsNull():
		var template templateBodyModel
		diags.Append(m.Template.As(ctx, &template, options)...)
		var data []templateDataModel
		diags.Append(template.Data.ElementsAs(ctx, &data, false)...)
		msg.Type = workplus.MessageTypeTemplate
		body.TemplateID = template.TemplateID.ValueString()
		body.TopColor = template.TopColor.ValueString()
		body.TopAvatar = template.TopAvatar.ValueString()
		body.TopTitle = template.TopTitle.ValueString()
		body.EmphasisKeyword = template.EmphasisKeyword.ValueString()
		for _, d := range data {
			entry := workplus.TemplateData{
				Key:       d.Key.ValueString(),
				Value:     d.Value.ValueString(),
				Color:     d.Color.ValueString(),
				TextStyle: d.TextStyle.ValueString(),
			}
			if !d.FontSize.IsNull() {
				entry.FontSize = strconv.FormatInt(d.FontSize.ValueInt64(), 10)
			}
			body.Data = append(body.Data, entry)
		}
	}
	return msg, diags
}

// sendFailure explains why an app message was not sent, or may have been.
// WorkPlus app messages carry no request id, so after an ambiguous failure
// (a lost answer, or a gateway's 502, 503 or 504, which a backend that
// delivered can be behind) nothing is sent again: the user finds out first. retry says what would
// send again ("applying again", "invoking the action again").
func (m appMessageContentModel) sendFailure(err error, msg workplus.AppMessage, retry string) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case workplus.IsNoSuchEmployee(err):
		diags.AddAttributeError(m.firstRecipientPath(), "Unknown recipients",
			fmt.Sprintf("WorkPlus knows no employee for one or more of the recipients in client_ids, usernames or scopes, and sent nothing. Check them against the organization. (%v)", err))
	case workplus.IsAmbiguous(err), isGatewayFailure(err, appMessageEndpoint):
		what := "The connection failed after the message was sent"
		if status, ok := gatewayFailure(err, appMessageEndpoint); ok {
			what = fmt.Sprintf("A gateway answered HTTP %d, which does not say whether WorkPlus behind it delivered the message", status)
		}
		diags.AddError("The WorkPlus app message may have been delivered",
			fmt.Sprintf("%s, so it may or may not have been delivered, and it was not sent again. "+
				"WorkPlus app messages carry no request id, so %s sends it again: first check whether it arrived, by asking a recipient or in the app's message records in the WorkPlus admin console "+
				"(against the emulator: its inbox at /_emulator/ui/ or GET /_emulator/state). (%v)", what, retry, err))
	case workplus.IsNotFound(err) && msg.Type == workplus.MessageTypeTemplate:
		diags.AddAttributeError(path.Root("template").AtName("template_id"), "Template not found",
			fmt.Sprintf("WorkPlus has no template %q; nothing was sent. (%v)", msg.Body.TemplateID, err))
	default:
		diags.AddError("Could not send the WorkPlus app message", err.Error())
	}
	return diags
}
