# Runs against a real WorkPlus API: the emulator that ships with the
# provider, reached through WORKPLUS_ENDPOINT, WORKPLUS_ACCESS_TOKEN and
# WORKPLUS_APP_ID (see the guide "Testing configurations that use WorkPlus").
variables {
  service = "payments-api"
}

run "plans_the_placeholders" {
  command = plan

  # placeholders follow the planned rows, so they are known at plan time.
  assert {
    condition     = workplus_template.deployment.placeholders == tolist(["environment", "version"])
    error_message = "the template's placeholders are not version and environment"
  }
}

run "creates_the_template" {
  assert {
    condition     = length(output.template_id) > 0
    error_message = "the template has no id after apply"
  }

  assert {
    condition     = workplus_template.deployment.title == "payments-api deployed"
    error_message = "the title does not name the service"
  }
}
