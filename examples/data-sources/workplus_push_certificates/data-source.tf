# Every vendor and environment of the provider's app. The audit carries no
# secrets, so it can be printed in pipeline logs.
data "workplus_push_certificates" "audit" {
  expiring_within_days = 30
}

output "configured_push_credentials" {
  value = [
    for c in data.workplus_push_certificates.audit.certificates :
    "${c.vendor}/${c.environment}: ${c.certificate_format == null ? "keys only" : c.certificate_format}, ${c.expires_in_days == null ? "no expiry" : "${c.expires_in_days} days left"}"
    if c.configured
  ]
}

# The check runs on every plan and apply and reports a failed assertion as a
# warning, so nothing else stops. To fail a scheduled pipeline 30 days before
# a certificate breaks push delivery, look for it in the JSON output:
#
#   terraform plan -json | tee plan.json
#   ! grep -q '"summary":"Check block assertion failed"' plan.json
check "push_certificates_not_expiring" {
  assert {
    condition = length(data.workplus_push_certificates.audit.expiring) == 0
    error_message = format(
      "Push certificates expire within 30 days: %s",
      join(", ", [
        for c in data.workplus_push_certificates.audit.expiring :
        "${c.vendor} ${c.environment} (${c.name}) on ${c.not_after}"
      ])
    )
  }
}

# A precondition, by contrast, is an error: this one stops every plan once a
# certificate has expired.
resource "terraform_data" "push_certificate_gate" {
  lifecycle {
    precondition {
      condition     = alltrue([for c in data.workplus_push_certificates.audit.expiring : c.expires_in_days > 0])
      error_message = "A push certificate has expired: ${join(", ", [for c in data.workplus_push_certificates.audit.expiring : "${c.vendor} ${c.environment}" if c.expires_in_days <= 0])}."
    }
  }
}
