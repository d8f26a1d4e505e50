# Terraform 1.12 and later can import by resource identity. A template's
# identity is its id.
import {
  to = workplus_template.deployment
  identity = {
    id = "86007b6c-5cd1-4a9d-a5a6-f85ba8fdd03f"
  }
}
