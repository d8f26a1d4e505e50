# Templates that moved into a module keep their ids the same way.
moved {
  from = workplus_template.release
  to   = module.release_notices.workplus_template.this
}
