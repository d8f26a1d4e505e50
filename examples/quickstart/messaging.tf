# Sending with the resources, for every Terraform version: each send is
# recorded in the state. With Terraform 1.14 or later, scripts/demo.sh uses
# actions/messaging.tf instead, which sends the same through actions.

# Send the release notice as a template message. Setting placeholders lets the
# plan check the data against the template before anything is sent.
resource "workplus_app_message" "release_announcement" {
  template = {
    template_id  = workplus_template.release_notice.id
    placeholders = workplus_template.release_notice.placeholders
    top_title    = "Release bot"
    top_color    = "#1f6feb"
    data = [
      { key = "service", value = "payments-api", text_style = "bold" },
      { key = "version", value = "2.4.0" },
      { key = "environment", value = "production", color = "#d73a49" },
      { key = "summary", value = "faster refunds, new audit log" },
    ]
  }
  # Everyone in the department /232/301/ (the emulator's seed).
  scopes = ["/232/301/"]
  # A new version sends a new announcement; re-applying sends nothing.
  triggers = { version = "2.4.0" }
}

# A push notification to the devices tagged beijing.
resource "workplus_push_notification" "release_push" {
  tags  = ["beijing"]
  title = "payments-api 2.4.0"
  body  = "Released to production"

  triggers = { version = "2.4.0" }
}

output "release_announcement" {
  description = "The push plan of the template message: who it reached."
  value = {
    expects    = workplus_app_message.release_announcement.expects
    oks        = workplus_app_message.release_announcement.oks
    recipients = workplus_app_message.release_announcement.recipients
  }
}

output "release_push_delivery" {
  description = "Per-channel delivery statistics of the push."
  value = {
    task_id = workplus_push_notification.release_push.task_id
    target  = workplus_push_notification.release_push.total_target
    sent    = workplus_push_notification.release_push.total_sent
  }
}
