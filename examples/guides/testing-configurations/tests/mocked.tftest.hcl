# Runs offline: Terraform does not start the provider under a mock, it makes
# up every computed value. Give the ones a test asserts on, so that they are
# what the provider would compute: placeholders (which the provider derives
# from rows), the id and the times.
mock_provider "workplus" {
  mock_resource "workplus_template" {
    defaults = {
      id           = "00000000-0000-4000-8000-000000000001"
      placeholders = ["environment", "version"]
      created_at   = "2026-01-01T00:00:00Z"
      updated_at   = "2026-01-01T00:00:00Z"
    }
  }
}

variables {
  service = "payments-api"
}

run "mocked_template" {
  assert {
    condition     = output.placeholders == tolist(["environment", "version"])
    error_message = "placeholders are not the mock's"
  }

  assert {
    condition     = output.template_id == "00000000-0000-4000-8000-000000000001"
    error_message = "the id is not the mock's"
  }
}
