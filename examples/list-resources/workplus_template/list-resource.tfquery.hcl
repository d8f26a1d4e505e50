# Every template the token can see. Terraform lists at most 100 results of a
# list block unless limit says otherwise.
list "workplus_template" "all" {
  provider = workplus
  limit    = 1000
}
