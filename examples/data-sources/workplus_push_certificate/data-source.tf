# The APNs production certificate of the provider's app, audited offline.
data "workplus_push_certificate" "apns" {
  vendor = "apns"

  lifecycle {
    # A postcondition fails the plan (exit 1), so a scheduled pipeline goes
    # red two weeks before the phones stop receiving pushes. A `check` block
    # would only warn; see the guide "Auditing push certificates".
    postcondition {
      condition     = coalesce(self.expires_in_days, 9999) > 14
      error_message = "The APNs production certificate (${coalesce(self.subject, "none")}) expires on ${coalesce(self.not_after, "-")}: upload a new one."
    }
  }
}

# The development (sandbox) credential.
data "workplus_push_certificate" "apns_sandbox" {
  vendor      = "apns"
  environment = "development"
}

output "apns_expires" {
  value = {
    format    = data.workplus_push_certificate.apns.certificate_format
    subject   = data.workplus_push_certificate.apns.subject
    not_after = data.workplus_push_certificate.apns.not_after
    days_left = data.workplus_push_certificate.apns.expires_in_days
  }
}
