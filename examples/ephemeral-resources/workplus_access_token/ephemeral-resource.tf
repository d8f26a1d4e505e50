# Needs Terraform 1.10 or later, and a provider configured with client
# credentials (domain_id, org_id, client_id and client_secret, or their
# WORKPLUS_* environment variables) rather than a static access_token.
ephemeral "workplus_access_token" "ci" {}

# Ephemeral values may go where Terraform never stores them: provider
# blocks, provisioners and other ephemeral resources. Here a provisioner
# smoke-tests the Push API with a token of its own, which is written to
# neither the plan nor the state.
resource "terraform_data" "push_api_smoke_test" {
  provisioner "local-exec" {
    command = "curl -fsS -o /dev/null -H \"access-token: $WORKPLUS_TOKEN\" -H \"app_id: $WORKPLUS_APP_ID\" \"$WORKPLUS_ENDPOINT/push/certificate?provider=1\""
    environment = {
      WORKPLUS_TOKEN = ephemeral.workplus_access_token.ci.access_token
    }
  }
}
