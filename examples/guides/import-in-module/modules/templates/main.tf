terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

variable "templates" {
  description = "Templates by id, as workplus_templates lists them; other attributes are ignored."
  type = map(object({
    app_id  = string
    title   = string
    tags    = string
    sample  = string
    actions = list(object({ name = string, value = string }))
    rows    = list(object({ cells = list(object({ content = string, align = string })) }))
  }))
}

# Import blocks inside a module need Terraform 1.16. Once every template is
# in the state, the block imports nothing more and can stay.
import {
  for_each = var.templates
  to       = workplus_template.this[each.key]
  id       = each.key
}

resource "workplus_template" "this" {
  for_each = var.templates

  app_id  = each.value.app_id
  title   = each.value.title
  tags    = each.value.tags
  sample  = each.value.sample
  actions = each.value.actions
  rows    = each.value.rows
}

output "templates" {
  description = "The templates as this module takes them, to keep in Git once adopted."
  value = {
    for id, t in workplus_template.this : id => {
      app_id  = t.app_id
      title   = t.title
      tags    = t.tags
      sample  = t.sample
      actions = t.actions
      rows    = t.rows
    }
  }
}
