# A release notice built on a message template. Setting placeholders lets the
# plan check the data against the template before anything is sent.
resource "workplus_template" "release_notice" {
  title = "Release notice"
  rows = [
    { cells = [{ content = "{{service.DATA}} {{version.DATA}} is live", align = "center" }] },
    { cells = [{ content = "Changes: {{summary.DATA}}" }] },
  ]
}

variable "release_version" {
  type    = string
  default = "2.4.0"
}

action "workplus_send_app_message" "release_notice" {
  config {
    template = {
      template_id  = workplus_template.release_notice.id
      placeholders = workplus_template.release_notice.placeholders
      data = [
        { key = "service", value = "payments-api", text_style = "bold" },
        { key = "version", value = var.release_version },
        { key = "summary", value = "faster refunds, new audit log" },
      ]
    }
    # Everyone in the department /232/301/.
    scopes = ["/232/301/"]
  }
}

# Send the notice each time the release version changes.
resource "terraform_data" "release" {
  input = var.release_version

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.workplus_send_app_message.release_notice]
    }
  }
}
