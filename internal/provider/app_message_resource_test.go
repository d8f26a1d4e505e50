package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// Employees and templates of the emulator's default seed.
const (
	zhangsanClientID  = "c24b6a94cfb14b79af12a1399edc9e31"
	aliceClientID     = "7b3e1c4a9d5f4eab8c2d3e4f5a6b7c82"
	leaveTemplateID   = "32790e3d-2ce2-45ad-b9c2-c562f39882c3" // placeholders days, kind, name
	employeesInSeed   = 10
	employeesUnder303 = 3
	leavePlaceholders = `["days", "kind", "name"]`
	leaveTemplateData = `[{ key = "name", value = "张三" }, { key = "days", value = "3" }, { key = "kind", value = "年假" }]`
	appMessageAddr    = "workplus_app_message.test"
)

// expectAppMessages checks how many app messages the emulator accepted.
func (e *testEmulator) expectAppMessages(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.Emulator.AppMessageCount(); got != want {
			return fmt.Errorf("the emulator accepted %d app messages, want %d", got, want)
		}
		return nil
	}
}

// expectAppMessage compares the request of the emulator's i-th app message
// with want.
func (e *testEmulator) expectAppMessage(i int, want workplus.AppMessage) resource.TestCheckFunc {
	return func(*terraform.State) error {
		messages := e.Emulator.Snapshot().AppMessages
		if len(messages) <= i {
			return fmt.Errorf("the emulator has %d app messages, want at least %d", len(messages), i+1)
		}
		return equalJSON(want, messages[i].Request)
	}
}

func textMessageConfig(triggers string) string {
	return `
resource "workplus_app_message" "test" {
  text = {
    content = "Deploy finished"
    at_all  = false
  }
  client_ids = ["` + zhangsanClientID + `"]
  usernames  = ["alice"]
  triggers   = { build = "` + triggers + `" }
}
`
}

func TestAccAppMessageResource_text(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	sameID := statecheck.CompareValue(compare.ValuesSame())
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	no := false
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.config(textMessageConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(appMessageAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttributes(appMessageAddr, map[string]knownvalue.Check{
						"id":          knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`)),
						"material_id": knownvalue.NotNull(),
						"expects":     e.pushPlanCounterCheck(2),
						"oks":         e.pushPlanCounterCheck(2),
						"fails":       knownvalue.Int64Exact(0),
						"recipients": knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("/232/301/" + zhangsanClientID),
							knownvalue.StringExact("/232/302/" + aliceClientID),
						}),
						"platforms": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("IOS"), knownvalue.StringExact("ANDROID")}),
					}),
					sameID.AddStateValue(appMessageAddr, tfjsonpath.New("id")),
					newID.AddStateValue(appMessageAddr, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectAppMessages(1),
					e.expectAppMessage(0, workplus.AppMessage{
						Type:      "TEXT",
						Body:      workplus.AppMessageBody{Content: "Deploy finished", AtAll: &no},
						ClientIDs: []string{zhangsanClientID},
						Usernames: []string{"alice"},
						Platforms: []string{"ANDROID", "IOS"},
					}),
				),
			},
			{
				// Applying again sends nothing.
				Config: e.config(textMessageConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(appMessageAddr, tfjsonpath.New("id"))},
				Check:             e.expectAppMessages(1),
			},
			{
				Config:   e.config(textMessageConfig("1")),
				PlanOnly: true,
			},
			{
				// New triggers send exactly one more message.
				Config: e.config(textMessageConfig("2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(appMessageAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{newID.AddStateValue(appMessageAddr, tfjsonpath.New("id"))},
				Check:             e.expectAppMessages(2),
			},
		},
	})
}

func TestAccAppMessageResource_types(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	yes, no, gif, status := true, false, 1, 0
	created := time.Date(2016, 6, 6, 9, 33, 52, 0, time.UTC)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.config(`
resource "workplus_app_message" "image" {
  image = {
    media_id = "Z3JvdXAxL00wMC8wMC80OC9yQkFCR1ZkaFI5Q0FjNmp2QUFBSFBIRkhXSkk1NDEuanBn"
    width    = 280
    height   = 280
    size     = 1852
    is_gif   = true
  }
  client_ids = ["` + zhangsanClientID + `"]
  platforms  = ["PC", "IOS"]
}
`),
				Check: resource.ComposeAggregateTestCheckFunc(e.expectAppMessage(0, workplus.AppMessage{
					Type:      "IMAGE",
					Body:      workplus.AppMessageBody{MediaID: "Z3JvdXAxL00wMC8wMC80OC9yQkFCR1ZkaFI5Q0FjNmp2QUFBSFBIRkhXSkk1NDEuanBn", Width: 280, Height: 280, Size: 1852, IsGif: &gif},
					ClientIDs: []string{zhangsanClientID},
					Platforms: []string{"IOS", "PC"},
				})),
			},
			{
				Config: e.config(`
resource "workplus_app_message" "file" {
  file = {
    media_id    = "Z3JvdXAxL00wMC8wMC80Ny9yQkFCR1ZkaEdBZUFYRkxmQUFFVy1JYmNRbTgwNjkuZ2lm"
    name        = "IMG_0778.GIF"
    size        = 71416
    file_status = 0
  }
  scopes = ["/232/303/"]
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("workplus_app_message.file", tfjsonpath.New("expects"), e.pushPlanCounterCheck(employeesUnder303)),
					statecheck.ExpectKnownValue("workplus_app_message.file", tfjsonpath.New("recipients"), knownvalue.ListSizeExact(employeesUnder303)),
				},
				Check: e.expectAppMessage(1, workplus.AppMessage{
					Type:      "FILE",
					Body:      workplus.AppMessageBody{MediaID: "Z3JvdXAxL00wMC8wMC80Ny9yQkFCR1ZkaEdBZUFYRkxmQUFFVy1JYmNRbTgwNjkuZ2lm", Name: "IMG_0778.GIF", Size: 71416, FileStatus: &status},
					Scopes:    []string{"/232/303/"},
					Platforms: []string{"ANDROID", "IOS"},
				}),
			},
			{
				Config: e.config(`
resource "workplus_app_message" "articles" {
  articles = [
    {
      title       = "云南丽江"
      summary     = "Travel notes"
      url         = "https://example.com/lijiang"
      cover_url   = "Z3JvdXAxL00wMC8wMC8zQi9yQkFCR1ZkVlFwYUFicjJ3QUFQa2NkSHlFM280MDMuanBn"
      show_cover  = true
      author      = "凯里"
      create_time = "2016-06-06T09:33:52Z"
    },
    {
      title      = "Second"
      content    = "<p>Inline</p>"
      show_cover = false
    },
  ]
  for_all = true
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("workplus_app_message.articles", tfjsonpath.New("expects"), e.pushPlanCounterCheck(employeesInSeed)),
					statecheck.ExpectKnownValue("workplus_app_message.articles", tfjsonpath.New("recipients"), knownvalue.ListSizeExact(employeesInSeed)),
				},
				Check: e.expectAppMessage(2, workplus.AppMessage{
					Type: "ARTICLE",
					Body: workplus.AppMessageBody{Articles: []workplus.Article{
						{
							Title: "云南丽江", Summary: "Travel notes", URL: "https://example.com/lijiang",
							CoverURL:  "Z3JvdXAxL00wMC8wMC8zQi9yQkFCR1ZkVlFwYUFicjJ3QUFQa2NkSHlFM280MDMuanBn",
							ShowCover: &yes, CoverEnabled: &yes, Author: "凯里", CreateTime: created.UnixMilli(),
						},
						{Title: "Second", Content: "<p>Inline</p>", ShowCover: &no, CoverEnabled: &no},
					}},
					ForAll:    &yes,
					Platforms: []string{"ANDROID", "IOS"},
				}),
			},
			{
				// A template created in the same run: its placeholders are
				// known while planning, so the data is checked against them.
				Config: e.config(`
resource "workplus_template" "build" {
  title = "Build finished"
  rows = [
    { cells = [{ content = "Build {{number.DATA}} of {{project.DATA}}" }] },
  ]
}
resource "workplus_app_message" "template" {
  template = {
    template_id  = workplus_template.build.id
    placeholders = workplus_template.build.placeholders
    data = [
      { key = "project", value = "api", color = "#00ff00", font_size = 12, text_style = "bold" },
      { key = "number", value = "42" },
    ]
    top_color        = "#336699"
    top_title        = "CI"
    top_avatar       = "avatar-media-id"
    emphasis_keyword = "number.DATA"
  }
  usernames = ["lisi"]
}
`),
				Check: func(s *terraform.State) error {
					templateID := s.RootModule().Resources["workplus_template.build"].Primary.ID
					return e.expectAppMessage(3, workplus.AppMessage{
						Type: "TEMPLATE",
						Body: workplus.AppMessageBody{
							TemplateID: templateID,
							Data: []workplus.TemplateData{
								{Key: "project", Value: "api", Color: "#00ff00", FontSize: "12", TextStyle: "bold"},
								{Key: "number", Value: "42"},
							},
							TopColor: "#336699", TopTitle: "CI", TopAvatar: "avatar-media-id", EmphasisKeyword: "number.DATA",
						},
						Usernames: []string{"lisi"},
						Platforms: []string{"ANDROID", "IOS"},
					})(s)
				},
			},
		},
	})
}

func TestAccAppMessageResource_validation(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	step := func(config, pattern string) resource.TestStep {
		return resource.TestStep{
			Config:      e.config(config),
			PlanOnly:    true,
			ExpectError: errorPattern(pattern),
		}
	}
	message := func(body string) string {
		return "resource \"workplus_app_message\" \"test\" {\n" + body + "\n}\n"
	}
	text := `text = { content = "hi" }`
	template := func(placeholders, data string) string {
		return message(`
usernames = ["lisi"]
template = {
  template_id  = "` + leaveTemplateID + `"
  placeholders = ` + placeholders + `
  data         = ` + data + `
}`)
	}
	exactlyOne := `Exactly one of these attributes must be configured:\s*\[text,image,file,articles,template\]`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(message(`usernames = ["lisi"]`), exactlyOne),
			step(message(text+"\nfile = { media_id = \"m\" }\nusernames = [\"lisi\"]"), exactlyOne),
			step(message(text), `Missing recipients.*Set at least one of client_ids, usernames and scopes, or for_all = true`),
			step(message(text+"\nfor_all = false"), `Missing recipients`),
			step(message(text+"\nfor_all = true\nclient_ids = [\""+zhangsanClientID+"\"]"), `Conflicting recipients.*for_all = true`),
			step(message(text+"\nclient_ids = []"), `Attribute client_ids list must contain at least 1 elements`),
			step(message(text+"\nscopes = [\"232/301/\"]"), `Attribute scopes\[0\] must be an org path such as /232/301/`),
			step(message(text+"\nusernames = [\"lisi\"]\nplatforms = [\"WATCH\"]"), `Attribute platforms\[Value\("WATCH"\)\] value must be one of`),
			step(message("usernames = [\"lisi\"]\narticles = []"), `Attribute articles list must contain at least 1 elements`),
			step(message("usernames = [\"lisi\"]\narticles = [{ title = \"t\", url = \"example.com\" }]"), `articles\[0\].url "example.com" must be a URL with a scheme`),
			step(message("usernames = [\"lisi\"]\narticles = [{ title = \"t\", create_time = \"yesterday\" }]"), `articles\[0\].create_time "yesterday" is not an RFC 3339 time`),
			step(template(leavePlaceholders, `[{ key = "name", value = "x", color = "red" }]`), `Attribute template.data\[0\].color must be a color written #rrggbb`),
			step(template(leavePlaceholders, `[{ key = "name", value = "x", text_style = "italic" }]`), `Attribute template.data\[0\].text_style value must be one of`),
			step(message("usernames = [\"lisi\"]\ntemplate = {\ntemplate_id = \"x\"\ntop_color = \"#12345\"\ndata = [{ key = \"a\", value = \"b\" }]\n}"), `Attribute template.top_color must be a color written #rrggbb`),
			// Placeholders known while planning.
			step(template(leavePlaceholders, `[{ key = "name", value = "x" }, { key = "days", value = "1" }, { key = "kind", value = "k" }, { key = "reason", value = "r" }]`),
				`Unknown template placeholder.*template.data\[3\].key "reason" is not a placeholder of the template. Its placeholders \(template.placeholders\) are: days, kind, name`),
			step(template(leavePlaceholders, `[{ key = "name", value = "x" }, { key = "days", value = "1" }]`),
				`Missing template data.*placeholder "kind" \(template.placeholders\) has no entry in template.data`),
			step(template(leavePlaceholders, `[{ key = "name", value = "x" }, { key = "days", value = "1" }, { key = "kind", value = "k" }, { key = "days", value = "2" }]`),
				`Duplicate template data.*template.data\[3\].key "days" is given more than once`),
			// Placeholders of a template planned in the same run.
			step(`
resource "workplus_template" "build" {
  title = "Build finished"
  rows  = [{ cells = [{ content = "Build {{number.DATA}} of {{project.DATA}}" }] }]
}
`+message(`
usernames = ["lisi"]
template = {
  template_id  = workplus_template.build.id
  placeholders = workplus_template.build.placeholders
  data         = [{ key = "number", value = "42" }, { key = "projet", value = "api" }]
}`), eitherOrder(
				`template.data\[1\].key "projet" is not a placeholder of the template. Its placeholders \(template.placeholders\) are: number, project`,
				`placeholder "project" \(template.placeholders\) has no entry`)),
		},
	})
}

// eitherOrder matches output holding both patterns in either order: Terraform
// 1.15 prints a resource's error diagnostics in another order than 1.11, which
// keeps the order the provider reported them in.
func eitherOrder(first, second string) string {
	return "(?:" + first + ".*" + second + "|" + second + ".*" + first + ")"
}

// TestAccAppMessageResource_placeholdersOnly changes only template.placeholders,
// as when the template gains a placeholder after the message was sent: the
// message is updated in place and nothing is sent.
func TestAccAppMessageResource_placeholdersOnly(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := func(placeholders string) string {
		return e.config(`
resource "workplus_app_message" "test" {
  template = {
    template_id  = "` + leaveTemplateID + `"
    placeholders = ` + placeholders + `
    data         = ` + leaveTemplateData + `
  }
  client_ids = ["` + zhangsanClientID + `"]
}
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(leavePlaceholders),
				Check:  e.expectAppMessages(1),
			},
			{
				Config: config(`["days", "kind", "name", "approver"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(appMessageAddr, plancheck.ResourceActionUpdate),
				}},
				Check: e.expectAppMessages(1),
			},
		},
	})
}

// TestAccAppMessageResource_unknownRecipients gets 202012 from WorkPlus: the
// error names the recipients attributes and nothing is recorded in the state.
func TestAccAppMessageResource_unknownRecipients(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.config(`
resource "workplus_app_message" "test" {
  text      = { content = "hi" }
  usernames = ["lisi", "nobody"]
}
`),
				ExpectError: errorPattern(`Unknown recipients.*recipients in client_ids, usernames or scopes.*202012`),
			},
			{
				// Nothing was sent or recorded: the fixed configuration
				// creates, and sends the first message.
				Config: e.config(`
resource "workplus_app_message" "test" {
  text      = { content = "hi" }
  usernames = ["lisi"]
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(appMessageAddr, plancheck.ResourceActionCreate),
				}},
				Check: e.expectAppMessages(1),
			},
		},
	})
}

// TestAccAppMessageResource_ambiguous drops the connection after WorkPlus
// accepted the message: the error says it may have been delivered.
func TestAccAppMessageResource_ambiguous(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /v1/apps/mbox", Drop: emulator.DropAfter, Count: 1}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      e.config(textMessageConfig("1")),
				ExpectError: errorPattern(`The WorkPlus app message may have been delivered.*applying again sends it again`),
			},
			{
				// Delivered once and not retried, since a message without a
				// request id could be delivered twice.
				Config: e.providerConfig(),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectAppMessages(1),
					e.expectRouteCalls("POST /v1/apps/mbox", 1, "a message without a request id is never re-sent"),
				),
			},
		},
	})
}

func TestAccAppMessageResource_templateNotFound(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "workplus_app_message" "test" {
  template = {
    template_id = "no-such-template"
    data        = [{ key = "a", value = "b" }]
  }
  usernames = ["lisi"]
}
`),
			ExpectError: regexp.MustCompile(`(?s)Template not found.*WorkPlus has no template "no-such-template"`),
		}},
	})
}
