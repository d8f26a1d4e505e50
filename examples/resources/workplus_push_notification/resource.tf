variable "release" {
  type    = string
  default = "2.4.0"
}

# Tell every device about a release, once per version: a new version changes
# triggers, which sends a new push.
resource "workplus_push_notification" "release" {
  all      = true
  title    = "Version ${var.release} is out"
  body     = "Update to get the new dashboard."
  badge    = "+1"
  triggers = { release = var.release }

  ios     = { sound = "default", thread_id = "releases" }
  android = { click_action = "open_app", channel_id = "releases" }
}

# An image push to two tags, through the vendors' services only, with extra
# data for the app and a display window.
resource "workplus_push_notification" "sale" {
  tags            = ["beijing", "shanghai"]
  type            = "image"
  title           = "Weekend sale"
  body            = "Everything half price until Sunday."
  attachment_url  = "https://cdn.example.com/push/sale.png"
  ext             = jsonencode({ campaign = "weekend-sale", discount = 50 })
  show_begin_time = "2030-06-01T08:00:00+08:00"
  show_end_time   = "2030-06-02T22:00:00+08:00"

  huawei = { badge_class = "com.example.shop.MainActivity" }
  vivo   = { classification = 0 }

  distribution_strategy = "ospush_only"
  ospush_sequence       = ["huawei", "xiaomi", "ups", "fcm"]
}

# A pass-through (cmd) message that the app handles itself; nothing is shown.
resource "workplus_push_notification" "refresh_config" {
  user_ids = [1001, 1002]
  type     = "cmd"
  ext      = jsonencode({ action = "refresh-config" })
}

output "release_delivery" {
  value = {
    task_id  = workplus_push_notification.release.task_id
    target   = workplus_push_notification.release.total_target
    received = workplus_push_notification.release.total_received
  }
}
