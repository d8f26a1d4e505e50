variable "release_version" {
  type    = string
  default = "2.4.0"
}

# A push to the devices tagged beijing, with the delivery statistics reported
# as the action runs.
action "workplus_send_push_notification" "release" {
  config {
    tags                = ["beijing"]
    title               = "payments-api ${var.release_version}"
    body                = "Released to production"
    ext                 = jsonencode({ version = var.release_version })
    wait_for_statistics = "30s"
  }
}

# Push whenever the release version changes: the deployment is created or
# updated, and the action runs once after it.
resource "terraform_data" "release" {
  input = var.release_version

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.workplus_send_push_notification.release]
    }
  }
}

# Or push on demand, with no change to any resource:
#   terraform apply -invoke=action.workplus_send_push_notification.release
