# Every template whose title or tags contain "release", across all pages.
# The server filters by kw; each template carries its id, app_id, title, tags
# and placeholders.
data "workplus_templates" "release" {
  kw = "release"
}

output "release_template_titles" {
  value = [for t in data.workplus_templates.release.templates : t.title]
}

# The template titled exactly "Build result" in one app, with its content
# (sample, actions, rows, ...). app_id and the exact title are filtered by the
# provider, because the list API cannot.
data "workplus_templates" "build_result" {
  app_id          = "dafc2d03-3991-4de0-91d6-de3135c1fb4f"
  title           = "Build result"
  include_content = true
}

output "build_result_rows" {
  value = one(data.workplus_templates.build_result.templates[*].content.rows)
}
