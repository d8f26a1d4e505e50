package provider

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// TestSendingSchemaConverts checks that each sending resource and its action
// take the same message arguments, from the one shared schema, that the
// resource and action schemas are valid, and that every message argument of
// a resource forces replacement except template.placeholders, which is never
// sent.
func TestSendingSchemaConverts(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		resource resource.Resource
		action   action.Action
		shared   []string
		ownArgs  []string // the action's arguments besides the shared ones
	}{
		{NewPushNotificationResource(), NewSendPushNotificationAction(), slices.Collect(maps.Keys(pushMessageAttributes())), []string{"app_id", "request_id", "wait_for_statistics"}},
		{NewAppMessageResource(), NewSendAppMessageAction(), slices.Collect(maps.Keys(appMessageAttributes())), nil},
	} {
		var resourceSchema resource.SchemaResponse
		c.resource.Schema(ctx, resource.SchemaRequest{}, &resourceSchema)
		var actionSchema action.SchemaResponse
		c.action.Schema(ctx, action.SchemaRequest{}, &actionSchema)
		if diags := append(resourceSchema.Schema.ValidateImplementation(ctx), actionSchema.Schema.ValidateImplementation(ctx)...); diags.HasError() {
			t.Fatalf("%T / %T: invalid schema: %v", c.resource, c.action, diags)
		}

		wantAction := slices.Sorted(slices.Values(append(slices.Clone(c.shared), c.ownArgs...)))
		if got := slices.Sorted(maps.Keys(actionSchema.Schema.Attributes)); !slices.Equal(got, wantAction) {
			t.Errorf("%T arguments %v, want %v", c.action, got, wantAction)
		}
		for _, name := range c.shared {
			attribute, ok := resourceSchema.Schema.Attributes[name]
			if !ok {
				t.Errorf("%T lacks the shared argument %s", c.resource, name)
				continue
			}
			if name == "template" {
				template, _ := attribute.(schema.SingleNestedAttribute)
				for nested, a := range template.Attributes {
					if got, want := forcesReplacement(a), nested != placeholdersAttribute; got != want {
						t.Errorf("%T template.%s forces replacement: %v, want %v", c.resource, nested, got, want)
					}
				}
				continue
			}
			if !forcesReplacement(attribute) {
				t.Errorf("%T %s does not force replacement", c.resource, name)
			}
		}
	}
}

// forcesReplacement reports whether an attribute has a plan modifier that
// can require replacement; every sending resource uses RequiresReplace.
func forcesReplacement(attribute schema.Attribute) bool {
	var count int
	switch a := attribute.(type) {
	case schema.StringAttribute:
		count = len(a.PlanModifiers)
	case schema.BoolAttribute:
		count = len(a.PlanModifiers)
	case schema.Int64Attribute:
		count = len(a.PlanModifiers)
	case schema.ListAttribute:
		count = len(a.PlanModifiers)
	case schema.SetAttribute:
		count = len(a.PlanModifiers)
	case schema.SingleNestedAttribute:
		count = len(a.PlanModifiers)
	case schema.ListNestedAttribute:
		count = len(a.PlanModifiers)
	}
	return count > 0
}
