package provider

import (
	"fmt"

	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
)

// sendingResourceAttributes turns shared message arguments into a sending
// resource's: what was sent cannot be changed or recalled, so each argument
// forces a new resource, which sends anew. Nested attributes inherit that
// from their object, except that the template's placeholders, which are never
// sent, do not force anything.
func sendingResourceAttributes(attributes map[string]actionschema.Attribute) (map[string]schema.Attribute, error) {
	converted := make(map[string]schema.Attribute, len(attributes))
	var err error
	for name, attribute := range attributes {
		if template, ok := attribute.(actionschema.SingleNestedAttribute); ok && name == "template" {
			converted[name], err = templateResourceAttribute(template)
		} else {
			converted[name], err = resourceAttribute(attribute, true)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return converted, nil
}

// templateResourceAttribute replaces on every template argument but
// placeholders, rather than on the whole object.
func templateResourceAttribute(template actionschema.SingleNestedAttribute) (schema.SingleNestedAttribute, error) {
	nested := make(map[string]schema.Attribute, len(template.Attributes))
	for name, attribute := range template.Attributes {
		var err error
		if nested[name], err = resourceAttribute(attribute, name != placeholdersAttribute); err != nil {
			return schema.SingleNestedAttribute{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: template.MarkdownDescription,
		Optional:            template.Optional,
		Required:            template.Required,
		Validators:          template.Validators,
		Attributes:          nested,
	}, nil
}

// resourceAttribute is the resource form of one shared argument. The shared
// schema uses only the kinds below; a new kind is an error the resource's
// Schema reports, and TestSendingSchemaConverts fails on it.
func resourceAttribute(attribute actionschema.Attribute, replace bool) (schema.Attribute, error) {
	switch a := attribute.(type) {
	case actionschema.StringAttribute:
		return resourceStringAttribute(a, replace), nil
	case actionschema.BoolAttribute:
		converted := schema.BoolAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators}
		if replace {
			converted.PlanModifiers = []planmodifier.Bool{boolplanmodifier.RequiresReplace()}
		}
		return converted, nil
	case actionschema.Int64Attribute:
		converted := schema.Int64Attribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators}
		if replace {
			converted.PlanModifiers = []planmodifier.Int64{int64planmodifier.RequiresReplace()}
		}
		return converted, nil
	case actionschema.ListAttribute:
		converted := schema.ListAttribute{MarkdownDescription: a.MarkdownDescription, ElementType: a.ElementType, Required: a.Required, Optional: a.Optional, Validators: a.Validators}
		if replace {
			converted.PlanModifiers = replaceList
		}
		return converted, nil
	case actionschema.SetAttribute:
		return resourceSetAttribute(a, replace), nil
	case actionschema.SingleNestedAttribute:
		converted := schema.SingleNestedAttribute{
			MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators,
		}
		var err error
		if converted.Attributes, err = nestedResourceAttributes(a.Attributes); err != nil {
			return nil, err
		}
		if replace {
			converted.PlanModifiers = replaceObject
		}
		return converted, nil
	case actionschema.ListNestedAttribute:
		converted := schema.ListNestedAttribute{
			MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators,
		}
		var err error
		if converted.NestedObject.Attributes, err = nestedResourceAttributes(a.NestedObject.Attributes); err != nil {
			return nil, err
		}
		if replace {
			converted.PlanModifiers = replaceList
		}
		return converted, nil
	}
	return nil, fmt.Errorf("the sending schema has no resource form for %T", attribute)
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

func nestedResourceAttributes(attributes map[string]actionschema.Attribute) (map[string]schema.Attribute, error) {
	converted := make(map[string]schema.Attribute, len(attributes))
	for name, attribute := range attributes {
		var err error
		if converted[name], err = resourceAttribute(attribute, false); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return converted, nil
}
