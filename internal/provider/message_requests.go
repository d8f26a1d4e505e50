package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

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

// sourceTypeOr is the message's source_type, else the provider's.
func (m appMessageContentModel) sourceTypeOr(providerDefault string) string {
	if m.SourceType.IsNull() {
		return providerDefault
	}
	return m.SourceType.ValueString()
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
