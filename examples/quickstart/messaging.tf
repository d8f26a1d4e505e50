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

# The push certificates of the app, for presence and expiry. The emulator's
# seed has one that expires within 30 days, so the check below warns.
data "workplus_push_certificates" "audit" {
  expiring_within_days = 30
}

check "push_certificates_not_expiring" {
  assert {
    condition     = length(data.workplus_push_certificates.audit.expiring) == 0
    error_message = "Push certificates expire within 30 days: ${join(", ", [for c in data.workplus_push_certificates.audit.expiring : "${c.vendor}/${c.environment} on ${c.not_after}"])}"
  }
}
