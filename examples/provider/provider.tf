# Client credentials are exchanged for a token once per run and renewed when it
# expires. In pipelines, set them through WORKPLUS_CLIENT_ID and
# WORKPLUS_CLIENT_SECRET instead of variables.
provider "workplus" {
  endpoint      = "https://workplus.example.com"
  domain_id     = "atwork"
  org_id        = "85939199-6424-4f28-84d4-fce2aedf0e64"
  client_id     = var.workplus_client_id
  client_secret = var.workplus_client_secret
  app_id        = "dafc2d03-3991-4de0-91d6-de3135c1fb4f"
}

variable "workplus_client_id" {
  type = string
}

variable "workplus_client_secret" {
  type      = string
  sensitive = true
}
