# Templates are imported by id.
terraform import workplus_template.deployment 86007b6c-5cd1-4a9d-a5a6-f85ba8fdd03f
