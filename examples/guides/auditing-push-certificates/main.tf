data "workplus_push_certificates" "audit" {
  # What `expiring` lists, and what the check below warns about.
  expiring_within_days = 30

  lifecycle {
    # A postcondition is an error: `terraform plan` and `apply` exit 1, so the
    # pipeline fails while there are still 14 days to upload a new certificate.
    postcondition {
      condition = alltrue([
        for c in self.certificates : coalesce(c.expires_in_days, 9999) > 14
      ])
      error_message = format("Push certificates expire within 14 days or have expired: %s. Upload new ones in the WorkPlus console.",
        join(", ", [
          for c in self.certificates : "${c.vendor} ${c.environment} (${c.name}) on ${c.not_after}"
          if coalesce(c.expires_in_days, 9999) <= 14
      ]))
    }
  }
}

# A check only warns: the plan still succeeds (exit 0) and everything else in
# the configuration is planned and applied. Use it for early notice.
check "push_certificates_not_expiring" {
  assert {
    condition = length(data.workplus_push_certificates.audit.expiring) == 0
    error_message = format("Push certificates expire within 30 days: %s",
      join(", ", [
        for c in data.workplus_push_certificates.audit.expiring :
        "${c.vendor} ${c.environment} (${c.name}) on ${c.not_after}"
    ]))
  }
}
