package provider

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// shortcutCase is one planning situation: what the configuration sets and
// what the prior state holds, attribute by attribute.
type shortcutCase struct {
	config, prior map[string]tftypes.Value
	alignConfig   tftypes.Value // the first cell's align in the configuration
	alignPrior    tftypes.Value // and in the prior state
	private       []byte
	identity      bool
	description   []string
}

// shortcutOption sets one attribute of a case.
type shortcutOption struct {
	name  string
	apply func(c *shortcutCase)
}

func stringOption(attribute string, config, prior *string) shortcutOption {
	show := func(s *string) string {
		if s == nil {
			return "null"
		}
		return fmt.Sprintf("%q", *s)
	}
	return shortcutOption{
		name: fmt.Sprintf("%s config %s prior %s", attribute, show(config), show(prior)),
		apply: func(c *shortcutCase) {
			c.config[attribute] = tftypes.NewValue(tftypes.String, config)
			c.prior[attribute] = tftypes.NewValue(tftypes.String, prior)
		},
	}
}

func ptr(s string) *string { return &s }

// TestPlanShortcut_agreesWithTheFramework plans random combinations of
// configuration and prior state through the provider's server and through
// the framework's own, and requires the same answer from both: the shortcut
// may only skip work, never change a plan. It also requires that the
// shortcut is taken for an unchanged template, and that it is declined
// whenever the framework would plan anything but the prior state.
func TestPlanShortcut_agreesWithTheFramework(t *testing.T) {
	ctx := context.Background()
	for _, providerAppID := range []string{"app-1", ""} {
		t.Run("provider app_id "+fmt.Sprintf("%q", providerAppID), func(t *testing.T) {
			shortcut := configuredServer(t, providerAppID, true).(*planShortcutServer)
			framework := configuredServer(t, providerAppID, false)
			templateType := shortcut.stateTypes.state
			identityType := templateIdentitySchema().Type().TerraformType(ctx)

			options := shortcutOptions(templateType)
			random := rand.New(rand.NewPCG(1, uint64(len(providerAppID))))
			taken, declined := 0, 0
			for i := range 300 {
				c := newShortcutCase(templateType)
				for _, choices := range options {
					// The first case is the unchanged template; the others
					// change a few attributes each, so both answers are common.
					choice := choices[0]
					if i > 0 && random.IntN(3) == 0 {
						choice = choices[random.IntN(len(choices))]
					}
					choice.apply(c)
					c.description = append(c.description, choice.name)
				}
				req := c.request(t, templateType, identityType)

				_, shortcutTaken := shortcut.unchangedTemplatePlan(req)
				got, err := shortcut.PlanResourceChange(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				want, err := framework.PlanResourceChange(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if diff := planDifference(t, templateType, identityType, got, want); diff != "" {
					t.Fatalf("case %d (%v), shortcut taken %v: %s", i, c.description, shortcutTaken, diff)
				}
				if i == 0 && !shortcutTaken {
					t.Fatalf("the shortcut was not taken for an unchanged template: %v", c.description)
				}
				if shortcutTaken {
					taken++
				} else {
					declined++
				}
			}
			if taken < 5 || declined < 5 {
				t.Errorf("the cases took the shortcut %d times and declined it %d times; both should happen often", taken, declined)
			}
		})
	}
}

// shortcutOptions are, per attribute, the situations a case can be in; the
// first of each leaves the template unchanged under provider app "app-1".
func shortcutOptions(templateType tftypes.Object) [][]shortcutOption {
	actionType := templateType.AttributeTypes["actions"].(tftypes.List).ElementType.(tftypes.Object)
	actionsOf := func(n int) tftypes.Value {
		var actions []tftypes.Value
		for i := range n {
			actions = append(actions, tftypes.NewValue(actionType, map[string]tftypes.Value{
				"name": tfString(fmt.Sprintf("Open %d", i)), "value": tfString("https://example.com"),
			}))
		}
		return tftypes.NewValue(templateType.AttributeTypes["actions"], actions)
	}
	actionsOption := func(name string, config, prior tftypes.Value) shortcutOption {
		return shortcutOption{name: name, apply: func(c *shortcutCase) { c.config["actions"], c.prior["actions"] = config, prior }}
	}
	nullActions := tftypes.NewValue(templateType.AttributeTypes["actions"], nil)
	alignOption := func(config, prior *string) shortcutOption {
		option := stringOption("align", config, prior)
		return shortcutOption{name: option.name, apply: func(c *shortcutCase) {
			c.alignConfig = tftypes.NewValue(tftypes.String, config)
			c.alignPrior = tftypes.NewValue(tftypes.String, prior)
		}}
	}
	timeoutsType := templateType.AttributeTypes["timeouts"].(tftypes.Object)
	timeouts := func(create *string) tftypes.Value {
		if create == nil {
			return tftypes.NewValue(timeoutsType, nil)
		}
		return tftypes.NewValue(timeoutsType, map[string]tftypes.Value{
			"create": tftypes.NewValue(tftypes.String, *create),
			"update": tftypes.NewValue(tftypes.String, nil),
			"delete": tftypes.NewValue(tftypes.String, nil),
		})
	}
	timeoutsOption := func(config, prior *string) shortcutOption {
		return shortcutOption{name: fmt.Sprintf("timeouts %v %v", config != nil, prior != nil), apply: func(c *shortcutCase) {
			c.config["timeouts"], c.prior["timeouts"] = timeouts(config), timeouts(prior)
		}}
	}
	return [][]shortcutOption{
		{stringOption("tags", nil, ptr("")), stringOption("tags", nil, ptr("ops")), stringOption("tags", ptr("ops"), ptr("ops")),
			stringOption("tags", ptr(""), ptr("")), stringOption("tags", ptr("ops"), ptr(""))},
		{stringOption("sample", nil, ptr("")), stringOption("sample", nil, ptr("s")), stringOption("sample", ptr("s"), ptr("s"))},
		{actionsOption("actions null, [] in state", nullActions, actionsOf(0)),
			actionsOption("actions null, one in state", nullActions, actionsOf(1)),
			actionsOption("actions one, one in state", actionsOf(1), actionsOf(1)),
			actionsOption("actions [], [] in state", actionsOf(0), actionsOf(0)),
			actionsOption("actions two, one in state", actionsOf(2), actionsOf(1))},
		{alignOption(nil, ptr("left")), alignOption(nil, ptr("right")), alignOption(ptr("right"), ptr("right")),
			alignOption(ptr("left"), ptr("left")), alignOption(ptr("center"), ptr("left"))},
		{stringOption("app_id", nil, ptr("app-1")), stringOption("app_id", nil, ptr("app-2")),
			stringOption("app_id", ptr("app-2"), ptr("app-2")), stringOption("app_id", ptr("app-3"), ptr("app-1"))},
		{stringOption("source_type", nil, nil), stringOption("source_type", nil, ptr("NATIVE")),
			stringOption("source_type", ptr("NATIVE"), ptr("NATIVE")), stringOption("source_type", ptr("ISV"), ptr("NATIVE"))},
		{stringOption("title", ptr("Deploy"), ptr("Deploy")), stringOption("title", ptr("Deploy v2"), ptr("Deploy"))},
		{timeoutsOption(nil, nil), timeoutsOption(ptr("1m"), ptr("1m")), timeoutsOption(ptr("1m"), nil)},
		{{name: "no private state", apply: func(*shortcutCase) {}},
			{name: "private state", apply: func(c *shortcutCase) { c.private = []byte(`{"note":"eyJhIjoxfQ=="}`) }}},
		{{name: "no identity", apply: func(*shortcutCase) {}},
			{name: "identity", apply: func(c *shortcutCase) { c.identity = true }}},
	}
}

// newShortcutCase is a template in state as the provider stores it, and a
// configuration with its computed attributes unset.
func newShortcutCase(templateType tftypes.Object) *shortcutCase {
	c := &shortcutCase{config: map[string]tftypes.Value{}, prior: map[string]tftypes.Value{}}
	for name, typ := range templateType.AttributeTypes {
		c.config[name] = tftypes.NewValue(typ, nil)
	}
	for name, value := range map[string]tftypes.Value{
		"id": tfString("t-1"), "domain_id": tfString("atwork"), "org_id": tfString("org"), "type": tfString("DEFAULT"),
		"operator": tfString("app-1"), "created_at": tfString("2026-01-02T03:04:05Z"), "updated_at": tfString("2026-01-02T03:04:05Z"),
		"placeholders": tftypes.NewValue(templateType.AttributeTypes["placeholders"], []tftypes.Value{tfString("name")}),
	} {
		c.prior[name] = value
	}
	return c
}

// request is the PlanResourceChange request Terraform sends for the case,
// with the proposed new state Terraform computes: the configuration, with
// the prior state's values where an Optional and Computed attribute is unset.
func (c *shortcutCase) request(t testing.TB, templateType, identityType tftypes.Type) *tfprotov6.PlanResourceChangeRequest {
	t.Helper()
	rowsType := templateType.(tftypes.Object).AttributeTypes["rows"].(tftypes.List)
	cellsType := rowsType.ElementType.(tftypes.Object).AttributeTypes["cells"].(tftypes.List)
	cellType := cellsType.ElementType.(tftypes.Object)
	rows := func(firstAlign tftypes.Value) tftypes.Value {
		cells := []tftypes.Value{
			tftypes.NewValue(cellType, map[string]tftypes.Value{"content": tfString("Hi {{name.DATA}}"), "align": firstAlign}),
			tftypes.NewValue(cellType, map[string]tftypes.Value{"content": tfString("Bye"), "align": tfString("left")}),
		}
		return tftypes.NewValue(rowsType, []tftypes.Value{
			tftypes.NewValue(rowsType.ElementType, map[string]tftypes.Value{"cells": tftypes.NewValue(cellsType, cells)}),
		})
	}
	c.config["rows"], c.prior["rows"] = rows(c.alignConfig), rows(c.alignPrior)

	proposed := map[string]tftypes.Value{}
	for name, value := range c.config {
		proposed[name] = value
		if value.IsNull() && name != "timeouts" && name != "title" {
			proposed[name] = c.prior[name] // Optional and Computed, or Computed
		}
	}
	if c.alignConfig.IsNull() {
		proposed["rows"] = rows(c.alignPrior)
	}

	encode := func(attributes map[string]tftypes.Value) *tfprotov6.DynamicValue {
		value, err := tfprotov6.NewDynamicValue(templateType, tftypes.NewValue(templateType, attributes))
		if err != nil {
			t.Fatal(err)
		}
		return &value
	}
	req := &tfprotov6.PlanResourceChangeRequest{
		TypeName:         templateResourceType,
		Config:           encode(c.config),
		PriorState:       encode(c.prior),
		ProposedNewState: encode(proposed),
		PriorPrivate:     c.private,
	}
	if c.identity {
		identity, err := tfprotov6.NewDynamicValue(identityType, tftypes.NewValue(identityType, map[string]tftypes.Value{"id": tfString("t-1")}))
		if err != nil {
			t.Fatal(err)
		}
		req.PriorIdentity = &tfprotov6.ResourceIdentityData{IdentityData: &identity}
	}
	return req
}

// planDifference describes how two plan answers differ, or is "".
func planDifference(t *testing.T, templateType, identityType tftypes.Type, got, want *tfprotov6.PlanResourceChangeResponse) string {
	t.Helper()
	decode := func(v *tfprotov6.DynamicValue, typ tftypes.Type) tftypes.Value { return decodeDynamic(t, v, typ) }
	identity := func(r *tfprotov6.PlanResourceChangeResponse) tftypes.Value {
		return decodeIdentity(t, r.PlannedIdentity, identityType)
	}
	diagnostics := func(r *tfprotov6.PlanResourceChangeResponse) []string { return diagnosticTexts(r.Diagnostics) }
	switch {
	case !decode(got.PlannedState, templateType).Equal(decode(want.PlannedState, templateType)):
		return fmt.Sprintf("planned state\n%v\nwant\n%v", decode(got.PlannedState, templateType), decode(want.PlannedState, templateType))
	case !identity(got).Equal(identity(want)):
		return fmt.Sprintf("planned identity %v, want %v", identity(got), identity(want))
	case fmt.Sprint(got.RequiresReplace) != fmt.Sprint(want.RequiresReplace):
		return fmt.Sprintf("requires replace %v, want %v", got.RequiresReplace, want.RequiresReplace)
	case !reflect.DeepEqual(diagnostics(got), diagnostics(want)):
		return fmt.Sprintf("diagnostics %v, want %v", diagnostics(got), diagnostics(want))
	case string(got.PlannedPrivate) != string(want.PlannedPrivate):
		return fmt.Sprintf("planned private %q, want %q", got.PlannedPrivate, want.PlannedPrivate)
	case (got.Deferred == nil) != (want.Deferred == nil):
		return fmt.Sprintf("deferred %v, want %v", got.Deferred, want.Deferred)
	}
	return ""
}

// configuredServer is the provider's server (with the shortcut) or the
// framework's, configured with a static token and providerAppID; planning
// templates makes no request.
func configuredServer(t testing.TB, providerAppID string, withShortcut bool) tfprotov6.ProviderServer {
	return configuredServerAt(t, "http://127.0.0.1:9", providerAppID, withShortcut)
}

// configuredServerAt is configuredServer for a server at endpoint.
func configuredServerAt(t testing.TB, endpoint, providerAppID string, withShortcut bool) tfprotov6.ProviderServer {
	t.Helper()
	for _, name := range []string{"endpoint", "push_endpoint", "access_token", "domain_id", "org_id", "client_id", "client_secret",
		"app_id", "source_type"} {
		t.Setenv(envName(name), "")
	}
	ctx := context.Background()
	factory := NewProtocol6Server("test")
	if !withShortcut {
		factory = providerserver.NewProtocol6WithError(New("test")())
	}
	server, err := factory()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType := schema.Provider.ValueType().(tftypes.Object)
	settings := map[string]tftypes.Value{}
	for name, typ := range providerType.AttributeTypes {
		settings[name] = tftypes.NewValue(typ, nil)
	}
	settings["endpoint"] = tfString(endpoint)
	settings["access_token"] = tfString(emulator.DemoAccessToken)
	if providerAppID != "" {
		settings["app_id"] = tfString(providerAppID)
	}
	config, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, settings))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &config})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configuring the provider: %v %v", err, resp.Diagnostics)
	}
	return server
}

// BenchmarkTemplatePlanUnchanged is one PlanResourceChange of an unchanged
// template, the call a no-change plan makes for every template, through the
// provider's server (the plan shortcut) and through the framework's alone.
func BenchmarkTemplatePlanUnchanged(b *testing.B) {
	ctx := context.Background()
	for _, side := range []struct {
		name         string
		withShortcut bool
	}{{"shortcut", true}, {"framework", false}} {
		b.Run(side.name, func(b *testing.B) {
			server := configuredServer(b, "app-1", side.withShortcut)
			templateType := configuredServer(b, "app-1", true).(*planShortcutServer).stateTypes.state
			c := newShortcutCase(templateType)
			for _, choices := range shortcutOptions(templateType) {
				choices[0].apply(c)
			}
			req := c.request(b, templateType, templateIdentitySchema().Type().TerraformType(ctx))
			b.ReportAllocs()
			for b.Loop() {
				resp, err := server.PlanResourceChange(ctx, req)
				if err != nil || len(resp.Diagnostics) > 0 {
					b.Fatalf("planning: %v %v", err, resp.Diagnostics)
				}
			}
		})
	}
}

// TestReadShortcut_agreesWithTheFramework refreshes templates through the
// provider's server and through the framework's own, and requires the same
// answer from both, with one request per refresh: for a template as the
// state holds it (the shortcut answers), for a prior state that differs from
// the server in each attribute in turn, for a template deleted on the
// server, with and without identities, and with private state.
func TestReadShortcut_agreesWithTheFramework(t *testing.T) {
	ctx := context.Background()
	emu := newTestEmulator(t, emulator.Options{})
	created, err := emu.client.CreateTemplate(ctx, emulator.DemoAppID, "", workplus.TemplateInput{
		Title: "Deploy", Tags: "ops", Sample: "s",
		Actions:  []workplus.TemplateAction{{Name: "Open", Value: "https://example.com"}},
		Contents: [][]workplus.TemplateCell{{{Content: "Hi {{name.DATA}}"}, {Content: "Bye", Align: workplus.AlignRight}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	shortcut := configuredServerAt(t, emu.URL, emulator.DemoAppID, true).(*planShortcutServer)
	framework := configuredServerAt(t, emu.URL, emulator.DemoAppID, false)
	templateType := shortcut.stateTypes.state
	identityType := shortcut.identityType

	encode := func(typ tftypes.Type, value tftypes.Value) *tfprotov6.DynamicValue {
		dv, err := tfprotov6.NewDynamicValue(typ, value)
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	// The state as Read stores it, taken from the framework.
	stored := map[string]tftypes.Value{}
	for name, typ := range templateType.AttributeTypes {
		stored[name] = tftypes.NewValue(typ, nil)
	}
	stored["id"] = tfString(created.ID)
	first, err := framework.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: templateResourceType, CurrentState: encode(templateType, tftypes.NewValue(templateType, stored))})
	if err != nil || len(first.Diagnostics) > 0 {
		t.Fatalf("reading the template: %v %v", err, first.Diagnostics)
	}
	refreshed, err := first.NewState.Unmarshal(templateType)
	if err != nil {
		t.Fatal(err)
	}
	stored = rawAttributes(refreshed)
	var createdAt string
	if err := stored["created_at"].As(&createdAt); err != nil || !strings.HasSuffix(createdAt, "Z") {
		t.Fatalf("created_at %q (%v), want a UTC time", createdAt, err)
	}

	type readCase struct {
		name     string
		prior    map[string]tftypes.Value
		identity *tfprotov6.ResourceIdentityData
		private  []byte
		taken    bool
	}
	with := func(name string, value tftypes.Value) map[string]tftypes.Value {
		changed := maps.Clone(stored)
		changed[name] = value
		return changed
	}
	identityOf := func(id string) *tfprotov6.ResourceIdentityData {
		return &tfprotov6.ResourceIdentityData{IdentityData: encode(identityType, tftypes.NewValue(identityType, map[string]tftypes.Value{"id": tfString(id)}))}
	}
	cases := []readCase{
		{name: "unchanged", prior: stored, taken: true},
		{name: "unchanged, with identity", prior: stored, identity: identityOf(created.ID), taken: true},
		{name: "unchanged, null identity", prior: stored, identity: &tfprotov6.ResourceIdentityData{IdentityData: encode(identityType, tftypes.NewValue(identityType, nil))}, taken: true},
		{name: "another identity", prior: stored, identity: identityOf("other")},
		{name: "private state", prior: stored, private: []byte(`{"note":"eyJhIjoxfQ=="}`)},
		{name: "source_type and timeouts kept", prior: with("source_type", tfString(workplus.SourceTypeNative)), taken: true},
		{name: "created_at in another format", prior: with("created_at", tfString(strings.Replace(createdAt, "Z", "+00:00", 1)))},
	}
	for _, name := range []string{"title", "tags", "sample", "app_id", "domain_id", "org_id", "type", "operator", "updated_at"} {
		cases = append(cases, readCase{name: name + " drifted", prior: with(name, tfString("drifted"))})
	}
	cases = append(cases,
		readCase{name: "actions drifted", prior: with("actions", tftypes.NewValue(templateType.AttributeTypes["actions"], []tftypes.Value{}))},
		readCase{name: "placeholders drifted", prior: with("placeholders", tftypes.NewValue(templateType.AttributeTypes["placeholders"], []tftypes.Value{}))},
		readCase{name: "rows drifted", prior: with("rows", tftypes.NewValue(templateType.AttributeTypes["rows"], []tftypes.Value{}))},
	)
	run := func(c readCase) {
		req := &tfprotov6.ReadResourceRequest{
			TypeName: templateResourceType, CurrentState: encode(templateType, tftypes.NewValue(templateType, c.prior)),
			CurrentIdentity: c.identity, Private: c.private,
		}
		_, _, taken := shortcut.unchangedTemplateRead(ctx, req)
		if taken != c.taken {
			t.Errorf("%s: shortcut taken %v, want %v", c.name, taken, c.taken)
		}
		emu.Emulator.ResetRequestLog()
		got, err := shortcut.ReadResource(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(emu.Emulator.Requests()); n != 1 {
			t.Errorf("%s: the provider's server made %d requests, want 1", c.name, n)
		}
		want, err := framework.ReadResource(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if diff := readDifference(t, templateType, identityType, got, want); diff != "" {
			t.Errorf("%s: %s", c.name, diff)
		}
	}
	for _, c := range cases {
		run(c)
	}
	if err := emu.client.DeleteTemplate(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	run(readCase{name: "deleted on the server", prior: stored})
}

// readDifference describes how two refresh answers differ, or is "".
func readDifference(t *testing.T, templateType, identityType tftypes.Type, got, want *tfprotov6.ReadResourceResponse) string {
	t.Helper()
	decode := func(v *tfprotov6.DynamicValue, typ tftypes.Type) tftypes.Value { return decodeDynamic(t, v, typ) }
	identity := func(r *tfprotov6.ReadResourceResponse) tftypes.Value {
		return decodeIdentity(t, r.NewIdentity, identityType)
	}
	switch {
	case !decode(got.NewState, templateType).Equal(decode(want.NewState, templateType)):
		return fmt.Sprintf("new state\n%v\nwant\n%v", decode(got.NewState, templateType), decode(want.NewState, templateType))
	case !identity(got).Equal(identity(want)):
		return fmt.Sprintf("new identity %v, want %v", identity(got), identity(want))
	case fmt.Sprint(diagnosticTexts(got.Diagnostics)) != fmt.Sprint(diagnosticTexts(want.Diagnostics)):
		return fmt.Sprintf("diagnostics %v, want %v", diagnosticTexts(got.Diagnostics), diagnosticTexts(want.Diagnostics))
	case string(got.Private) != string(want.Private):
		return fmt.Sprintf("private %q, want %q", got.Private, want.Private)
	}
	return ""
}

func diagnosticTexts(diagnostics []*tfprotov6.Diagnostic) []string {
	var texts []string
	for _, d := range diagnostics {
		texts = append(texts, fmt.Sprintf("%v %s: %s", d.Severity, d.Summary, d.Detail))
	}
	return texts
}

// decodeDynamic is v decoded as typ; the zero value when v is absent.
func decodeDynamic(t *testing.T, v *tfprotov6.DynamicValue, typ tftypes.Type) tftypes.Value {
	t.Helper()
	if v == nil {
		return tftypes.Value{}
	}
	value, err := v.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return value
}

// decodeIdentity is an answer's identity; the zero value when absent.
func decodeIdentity(t *testing.T, identity *tfprotov6.ResourceIdentityData, typ tftypes.Type) tftypes.Value {
	t.Helper()
	if identity == nil {
		return tftypes.Value{}
	}
	return decodeDynamic(t, identity.IdentityData, typ)
}
