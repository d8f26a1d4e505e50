# Every template whose title or tags contain "release", across all pages.
data "workplus_templates" "release" {
  kw = "release"
}

output "release_template_titles" {
  value = [for t in data.workplus_templates.release.templates : t.title]
}
