// Package provider implements the workplus Terraform provider: one file per
// resource, data source, list resource, action, function and ephemeral
// resource, each beside its test.
//
// The sending resources and actions share their message arguments. Those are
// written once, as a table in the action schema's terms (message_schema.go),
// rather than twice as terraform-provider-aws's publish_action.go writes
// an action's schema: a push has over forty arguments, and two copies of
// them drifted apart in review before. The resources take the same table
// through one converter (message_resource_schema.go), which makes every
// argument force replacement, because a sent message cannot be changed; it
// reports an attribute kind it does not know as a schema error, never a
// panic, and TestSendingSchemaConverts holds resource and action to the same
// arguments. What spans arguments is checked in message_validation.go, the
// requests are built in message_requests.go, and failures to send are
// explained in message_failures.go.
package provider
