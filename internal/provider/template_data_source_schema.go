package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// templateReadDescriptions documents a template as the data sources read
// it. They describe what is there, not what setting an attribute does:
// defaults, replacement and plan-time warnings belong to the resource.
var templateReadDescriptions = func() map[string]string {
	d := map[string]string{}
	for name, text := range templateDescriptions {
		d[name] = text
	}
	for name, text := range map[string]string{
		"app_id":       "The app the template belongs to.",
		"tags":         "The template's tags, as one free-form string (for example `release,ci`); empty when it has none.",
		"sample":       "The sample of the rendered message shown to people choosing a template; empty when it has none.",
		"actions":      "The buttons shown under the message, in order; empty when it has none.",
		"action_value": "What the button opens, as stored: usually a URL such as `https://ci.example.com/builds/1`.",
		"content":      "The cell's text as stored, `{{name.DATA}}` placeholders included. Braces that are not a placeholder are shown to readers as written.",
		"align":        "`left`, `right` or `center`; `left` when WorkPlus stores none.",
	} {
		d[name] = text
	}
	return d
}()

// templateDataSourceAttributes is the read-only schema of a template, shared
// by workplus_template and the elements of workplus_templates.
func templateDataSourceAttributes() map[string]schema.Attribute {
	d := templateReadDescriptions
	attributes := map[string]schema.Attribute{
		"actions": schema.ListNestedAttribute{
			MarkdownDescription: d["actions"],
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"name":  schema.StringAttribute{MarkdownDescription: d["action_name"], Computed: true},
				"value": schema.StringAttribute{MarkdownDescription: d["action_value"], Computed: true},
			}},
		},
		"rows": schema.ListNestedAttribute{
			MarkdownDescription: d["rows"],
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"cells": schema.ListNestedAttribute{
					MarkdownDescription: d["cells"],
					Computed:            true,
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"content": schema.StringAttribute{MarkdownDescription: d["content"], Computed: true},
						"align":   schema.StringAttribute{MarkdownDescription: d["align"], Computed: true},
					}},
				},
			}},
		},
		"placeholders": schema.ListAttribute{MarkdownDescription: d["placeholders"], ElementType: types.StringType, Computed: true},
	}
	for _, name := range []string{"id", "app_id", "title", "tags", "sample", "domain_id", "org_id", "type", "operator"} {
		attributes[name] = schema.StringAttribute{MarkdownDescription: d[name], Computed: true}
	}
	for _, name := range []string{"created_at", "updated_at"} {
		attributes[name] = schema.StringAttribute{MarkdownDescription: d[name], CustomType: timetypes.RFC3339Type{}, Computed: true}
	}
	return attributes
}
