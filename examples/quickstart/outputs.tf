output "template_ids" {
  description = "The ids WorkPlus gave the templates."
  value = {
    release_notice   = workplus_template.release_notice.id
    approval_request = workplus_template.approval_request.id
    incident_summary = workplus_template.incident_summary.id
  }
}

output "release_notice_placeholders" {
  description = "The data keys a release notice message must fill."
  value       = workplus_template.release_notice.placeholders
}

output "templates_in_app" {
  description = "How many templates the app has, seeded ones included."
  value       = data.workplus_templates.all.total_count
}

output "expiring_push_certificates" {
  description = "Push certificates that expire within 30 days."
  value       = [for c in data.workplus_push_certificates.audit.expiring : "${c.vendor}/${c.environment}: ${c.expires_in_days} days"]
}
