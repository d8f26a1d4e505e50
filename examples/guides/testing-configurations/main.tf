# A team's module: the deployment notice template its pipelines send.
terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

variable "service" {
  type        = string
  description = "The service whose deployments the notice announces."
}

resource "workplus_template" "deployment" {
  title = "${var.service} deployed"
  tags  = "ci,${var.service}"
  rows = [
    { cells = [{ content = "{{version.DATA}} is live", align = "center" }] },
    { cells = [{ content = "Environment" }, { content = "{{environment.DATA}}", align = "right" }] },
  ]
  actions = [
    { name = "Open build", value = "https://ci.example.com/${var.service}" },
  ]
}

output "template_id" {
  value = workplus_template.deployment.id
}

output "placeholders" {
  value = workplus_template.deployment.placeholders
}
