# The templates of a team, one per key. The keys are the templates' addresses
# in the state (workplus_template.notice["deployment"]), not their titles.
locals {
  notices = {
    deployment = "Deployment notice"
    incident   = "Incident notice"
  }
}

resource "workplus_template" "notice" {
  for_each = local.notices

  title = each.value
  rows = [
    { cells = [{ content = "{{service.DATA}}: {{summary.DATA}}" }] },
  ]
}

# The key was "deploy" before. This moves the existing template to the new
# key: the plan shows no change, and WorkPlus keeps the template's id.
moved {
  from = workplus_template.notice["deploy"]
  to   = workplus_template.notice["deployment"]
}
