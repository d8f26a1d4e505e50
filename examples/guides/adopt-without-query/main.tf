# Terraform 1.7 to 1.13, which have no `terraform query`: import every template
# with for_each import blocks fed by the workplus_templates data source.
terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

provider "workplus" {}

data "workplus_templates" "all" {
  include_content = true # sample, actions and rows, which the module needs
}

locals {
  # Keyed by id, so each template keeps its address when others come and go;
  # each template's content is flattened into it for the module.
  templates = { for t in data.workplus_templates.all.templates : t.id => merge(t, t.content) }
}

import {
  for_each = local.templates
  to       = module.templates.workplus_template.this[each.key]
  id       = each.key
}

module "templates" {
  source    = "./modules/templates"
  templates = local.templates
}

# After the import, `terraform output -json templates > templates.json` and
# `templates = jsondecode(file("templates.json"))` freeze the set in Git.
output "templates" {
  value = module.templates.templates
}
