# A small, realistic set of message templates, applied against the emulator by
# `make demo`. The provider reads its endpoint, token and app from the
# WORKPLUS_* environment variables that the demo sets.
terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

provider "workplus" {}

# A release notice that CI sends when a version ships.
resource "workplus_template" "release_notice" {
  title  = "Release notice"
  tags   = "release,ci"
  sample = "payments-api 2.4.0 is live in production"
  rows = [
    { cells = [{ content = "{{service.DATA}} {{version.DATA}} is live", align = "center" }] },
    { cells = [{ content = "Environment: {{environment.DATA}}" }] },
    { cells = [{ content = "Changes: {{summary.DATA}}" }] },
  ]
  actions = [
    { name = "Release notes", value = "https://git.example.com/payments-api/releases" },
  ]
}

# An approval request with buttons for both answers.
resource "workplus_template" "approval_request" {
  title  = "审批请求 / Approval request"
  tags   = "approval"
  sample = "张伟 requests approval for a production change"
  rows = [
    { cells = [{ content = "{{requester.DATA}} 申请审批", align = "center" }] },
    { cells = [{ content = "事项: {{subject.DATA}}" }] },
    { cells = [{ content = "截止: {{deadline.DATA}}", align = "right" }] },
  ]
  actions = [
    { name = "同意 Approve", value = "https://approvals.example.com/{id}/approve" },
    { name = "拒绝 Reject", value = "https://approvals.example.com/{id}/reject" },
  ]
}

# A two-column layout: labels on the left, values on the right.
resource "workplus_template" "incident_summary" {
  title = "Incident summary"
  tags  = "oncall,incident"
  rows = [
    { cells = [{ content = "{{title.DATA}}", align = "center" }] },
    { cells = [{ content = "Severity", align = "left" }, { content = "{{severity.DATA}}", align = "right" }] },
    { cells = [{ content = "Owner", align = "left" }, { content = "{{owner.DATA}}", align = "right" }] },
    { cells = [{ content = "Started", align = "left" }, { content = "{{started_at.DATA}}", align = "right" }] },
  ]
}

# Every template in the app, read back page by page.
data "workplus_templates" "all" {
  depends_on = [
    workplus_template.release_notice,
    workplus_template.approval_request,
    workplus_template.incident_summary,
  ]
}
