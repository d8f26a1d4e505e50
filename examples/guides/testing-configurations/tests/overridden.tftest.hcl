# override_resource sets one resource's computed values for a run, over the
# mock's defaults: for example a template the server already numbered. Each
# test file has a state of its own, so the template is created here with the
# override.
mock_provider "workplus" {}

variables {
  service = "payments-api"
}

run "overridden_template" {
  override_resource {
    target = workplus_template.deployment
    values = {
      id           = "11111111-0000-4000-8000-000000000002"
      placeholders = ["environment", "version"]
    }
  }

  assert {
    condition     = output.template_id == "11111111-0000-4000-8000-000000000002"
    error_message = "override_resource did not set the id"
  }

  assert {
    condition     = output.placeholders == tolist(["environment", "version"])
    error_message = "override_resource did not set placeholders"
  }
}
