# Sending with actions (Terraform 1.14 or later): scripts/demo.sh uses this
# file instead of ../messaging.tf when the terraform running it has actions.
# Nothing about the sends is kept in the state: the release below triggers
# them once when it is created and once whenever its version changes.

# The release notice as a template message. Setting placeholders lets the
# plan check the data against the template before anything is sent.
action "workplus_send_app_message" "release_announcement" {
  config {
    template = {
      template_id  = workplus_template.release_notice.id
      placeholders = workplus_template.release_notice.placeholders
      top_title    = "Release bot"
      top_color    = "#1f6feb"
      data = [
        { key = "service", value = "payments-api", text_style = "bold" },
        { key = "version", value = terraform_data.release_version.input },
        { key = "environment", value = "production", color = "#d73a49" },
        { key = "summary", value = "faster refunds, new audit log" },
      ]
    }
    # Everyone in the department /232/301/ (the emulator's seed).
    scopes = ["/232/301/"]
  }
}

# A push notification to the devices tagged beijing, reporting the delivery
# per channel once the devices have it.
action "workplus_send_push_notification" "release_push" {
  config {
    tags                = ["beijing"]
    title               = "payments-api 2.4.0"
    body                = "Released to production"
    wait_for_statistics = "30s"
  }
}

# The release: a new version sends the announcement and the push once.
resource "terraform_data" "release_version" {
  input = "2.4.0"

  lifecycle {
    action_trigger {
      events = [after_create, after_update]
      actions = [
        action.workplus_send_app_message.release_announcement,
        action.workplus_send_push_notification.release_push,
      ]
    }
  }
}

# To push again without changing anything:
#   terraform apply -invoke=action.workplus_send_push_notification.release_push
