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
