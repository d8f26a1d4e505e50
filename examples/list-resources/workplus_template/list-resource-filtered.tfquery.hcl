# Templates of one app whose title or tags contain "release", with the whole
# template in each result.
list "workplus_template" "release" {
  provider         = workplus
  include_resource = true

  config {
    kw     = "release"
    app_id = "dafc2d03-3991-4de0-91d6-de3135c1fb4f"
  }
}
