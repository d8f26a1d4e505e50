# A deployment notice with a two-column body and a button to the build.
resource "workplus_template" "deployment" {
  title  = "Deployment finished"
  tags   = "ci,deploy"
  sample = "payments-api 2.4.0 deployed to production"

  rows = [
    { cells = [{ content = "{{service.DATA}} {{version.DATA}}", align = "center" }] },
    {
      cells = [
        { content = "Environment" },
        { content = "{{environment.DATA}}", align = "right" },
      ]
    },
    {
      cells = [
        { content = "Duration" },
        { content = "{{duration.DATA}}", align = "right" },
      ]
    },
  ]

  actions = [
    { name = "Open build", value = "https://ci.example.com/builds/latest" },
  ]
}

# The keys a template message built on this template must fill:
# ["duration", "environment", "service", "version"]
output "deployment_placeholders" {
  value = workplus_template.deployment.placeholders
}
