# Needs Terraform 1.10 or later. The certificate and the app secret are read
# when needed and written to neither the plan nor the state; the
# workplus_push_certificate data source keeps only their audit.
ephemeral "workplus_push_certificate" "apns" {
  vendor      = "apns"
  environment = "production"
}

# Ephemeral values may go where Terraform never stores them: provider blocks,
# provisioners, other ephemeral resources and write-only arguments. Here a
# provisioner hands the certificate to a script that stores it in a vault.
resource "terraform_data" "backup_apns_certificate" {
  provisioner "local-exec" {
    command = "./store-in-vault.sh apns-production"
    environment = {
      CERTIFICATE = ephemeral.workplus_push_certificate.apns.certificate
    }
  }
}
