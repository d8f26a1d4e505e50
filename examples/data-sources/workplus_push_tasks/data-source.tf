# Delivery statistics of pushes sent outside Terraform, by task id.
data "workplus_push_tasks" "campaign" {
  task_ids = [1, 2]
}

output "campaign_delivery" {
  value = {
    for t in data.workplus_push_tasks.campaign.tasks :
    t.task_id => "${t.total_received} of ${t.total_target} devices received it"
  }
}
