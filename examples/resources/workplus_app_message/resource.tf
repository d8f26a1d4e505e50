variable "build_number" {
  type    = string
  default = "1042"
}

# A text message to two people, sent again for every build.
resource "workplus_app_message" "build_finished" {
  text = {
    content = "Build ${var.build_number} of payments-api finished."
  }
  usernames = ["zhangsan", "lisi"]
  triggers  = { build = var.build_number }
}

# A template message. placeholders lets the plan check data against the
# template's placeholders before anything is sent.
resource "workplus_template" "deployment" {
  title = "Deployment finished"
  rows = [
    { cells = [{ content = "{{service.DATA}} {{version.DATA}}", align = "center" }] },
    { cells = [{ content = "Environment" }, { content = "{{environment.DATA}}", align = "right" }] },
  ]
}

resource "workplus_app_message" "deployment" {
  template = {
    template_id  = workplus_template.deployment.id
    placeholders = workplus_template.deployment.placeholders
    top_title    = "CI"
    top_color    = "#1f6feb"
    data = [
      { key = "service", value = "payments-api", text_style = "bold" },
      { key = "version", value = "2.4.0" },
      { key = "environment", value = "production", color = "#d73a49" },
    ]
  }
  scopes    = ["/232/301/"]
  platforms = ["IOS", "ANDROID", "PC"]
  triggers  = { build = var.build_number }
}

# Articles for everybody in the organization.
resource "workplus_app_message" "newsletter" {
  articles = [
    {
      title       = "June newsletter"
      summary     = "What shipped this month"
      url         = "https://intranet.example.com/newsletter/2030-06"
      cover_url   = "https://intranet.example.com/newsletter/2030-06/cover.png"
      show_cover  = true
      author      = "Platform team"
      create_time = "2030-06-01T09:00:00+08:00"
    },
  ]
  for_all = true
}

output "deployment_recipients" {
  value = workplus_app_message.deployment.recipients
}
