# Templates kept as YAML, one workplus_template each. Terraform converts the
# decoded YAML to the resource's attribute types and drops any key it does
# not know, so a typo such as `aling: right` would silently plan a left
# cell. The precondition below refuses unknown keys instead, naming each.
locals {
  templates = yamldecode(file("${path.module}/templates.yaml"))

  known_keys = {
    template = ["title", "tags", "sample", "rows", "actions"]
    row      = ["cells"]
    cell     = ["content", "align"]
    action   = ["name", "value"]
  }

  unknown_keys = flatten([
    for name, template in local.templates : concat(
      [for key in keys(template) : "${name}.${key}" if !contains(local.known_keys.template, key)],
      flatten([for i, row in try(template.rows, []) : concat(
        [for key in keys(row) : "${name}.rows[${i}].${key}" if !contains(local.known_keys.row, key)],
        flatten([for j, cell in try(row.cells, []) :
          [for key in keys(cell) : "${name}.rows[${i}].cells[${j}].${key}" if !contains(local.known_keys.cell, key)]
        ]),
      )]),
      flatten([for i, action in try(template.actions, []) :
        [for key in keys(action) : "${name}.actions[${i}].${key}" if !contains(local.known_keys.action, key)]
      ]),
    )
  ])
}

resource "workplus_template" "from_yaml" {
  for_each = local.templates

  title   = each.value.title
  tags    = try(each.value.tags, "")
  sample  = try(each.value.sample, "")
  rows    = each.value.rows
  actions = try(each.value.actions, [])

  lifecycle {
    precondition {
      condition     = length(local.unknown_keys) == 0
      error_message = "templates.yaml has keys workplus_template does not know (a typo?): ${join(", ", local.unknown_keys)}."
    }
  }
}

output "placeholders" {
  value = { for name, template in workplus_template.from_yaml : name => template.placeholders }
}
