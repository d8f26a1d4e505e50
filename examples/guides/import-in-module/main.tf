# Terraform 1.16 and later: the module that manages the templates imports
# them itself, so a caller only says which templates it takes.
terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

provider "workplus" {}

data "workplus_templates" "ours" {
  kw              = var.tag # a tag only this state's templates carry
  include_content = true
}

variable "tag" {
  type    = string
  default = ""
}

module "templates" {
  source    = "./modules/templates"
  templates = { for t in data.workplus_templates.ours.templates : t.id => merge(t, t.content) }
}
