# By exact title, within the provider's app.
data "workplus_template" "approval" {
  title = "审批请求 / Approval request"
}

# By id.
data "workplus_template" "by_id" {
  id = "86007b6c-5cd1-4a9d-a5a6-f85ba8fdd03f"
}

output "approval_placeholders" {
  value = data.workplus_template.approval.placeholders
}
