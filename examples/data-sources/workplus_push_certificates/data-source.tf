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

# A check warns, and the plan still succeeds, while a certificate has 30
# days left or fewer. To fail the pipeline instead, use a postcondition on the
# data source: see the guide "Auditing push certificates".
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
