# The APNs production certificate of the provider's app, audited offline.
data "workplus_push_certificate" "apns" {
  vendor = "apns"
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

# Fail the plan, not the phones, when the production certificate is about to
# expire.
check "apns_production_certificate" {
  assert {
    condition     = coalesce(data.workplus_push_certificate.apns.expires_in_days, 9999) > 14
    error_message = "The APNs production certificate (${data.workplus_push_certificate.apns.subject}) expires on ${data.workplus_push_certificate.apns.not_after}: upload a new one."
  }
}
