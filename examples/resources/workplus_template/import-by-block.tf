# Terraform 1.5 and later can import with a block, and
# `terraform plan -generate-config-out=generated.tf` writes its configuration.
import {
  to = workplus_template.deployment
  id = "86007b6c-5cd1-4a9d-a5a6-f85ba8fdd03f"
}
