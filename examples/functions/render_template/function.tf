# Preview the message a template sends, at plan time, before anything is sent.
# Provider functions need Terraform 1.8 or later.
resource "workplus_template" "deployment" {
  title = "Deployment finished"

  rows = [
    { cells = [{ content = "{{service.DATA}} {{version.DATA}}", align = "center" }] },
    {
      cells = [
        { content = "Environment" },
        { content = "{{environment.DATA}}", align = "right" },
      ]
    },
  ]
}

locals {
  release = {
    service     = "payments-api"
    version     = "2.4.0"
    environment = "生产环境"
  }
}

# payments-api 2.4.0
# Environment 生产环境
output "deployment_preview" {
  value = provider::workplus::render_template(workplus_template.deployment.rows, local.release)
}

# Literal rows work too. Every cell sets align, which may be null:
# function arguments cannot leave an object's attribute out.
output "greeting_preview" {
  value = provider::workplus::render_template(
    [{ cells = [{ content = "Hello {{name.DATA}}", align = null }] }],
    { name = "WorkPlus" },
  )
}

# A check block warns, without failing the run, when the preview loses the version.
check "deployment_preview_names_version" {
  assert {
    condition     = strcontains(provider::workplus::render_template(workplus_template.deployment.rows, local.release), local.release.version)
    error_message = "The deployment notice does not show the version being deployed."
  }
}
