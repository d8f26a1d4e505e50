package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// templateDataSourceAttributes is the read-only schema of a template, shared
// by workplus_template and the elements of workplus_templates.
func templateDataSourceAttributes() map[string]schema.Attribute {
	d := templateDescriptions
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
	for _, name := range []string{"id", "app_id", "title", "tags", "sample", "domain_id", "org_id", "type", "operator", "created_at", "updated_at"} {
		attributes[name] = schema.StringAttribute{MarkdownDescription: d[name], Computed: true}
	}
	return attributes
}
