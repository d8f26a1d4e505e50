// Package emulator is a WorkPlus server for tests, demos and users' pipelines.
// It speaks the Open API (/v1/...) and the Push API (/push/...) with the
// vendor's envelopes and error codes (shared/API.md, shared/seeds), using the
// wire types of package workplus, the same the client uses, so the two cannot
// drift apart.
//
// # State
//
// A Seed (JSON or YAML, DefaultSeed when none) gives the starting State:
// orgs, apps, tokens, client credentials, employees, devices, certificates,
// templates. Requests add templates, tokens, push tasks and app messages.
// Reads are served from memory. With Options.StateFile, every change is
// committed to a bbolt file, one bucket per kind and one key per object,
// before the request is answered; an emulator restarted on the file carries
// on where the last acknowledged write left it, even after a SIGKILL.
//
// # Faults
//
// FaultRules add latency, error statuses (with Retry-After) and dropped
// connections, before or after the request is processed. The random draws
// come from one RNG seeded with Options.FaultSeed, so a run is reproducible.
//
// # Control API
//
// Plain JSON under /_emulator/, never logged and never faulted; with
// Options.AdminToken set, every call needs the X-Emulator-Admin-Token header
// (the inbox, opened in a browser, takes it as ?admin_token= instead).
//
//	GET    /_emulator/health     {"ok": true}
//	POST   /_emulator/reset      back to the seed the emulator started with
//	GET    /_emulator/state      the State
//	POST   /_emulator/seed       replace the state with a posted seed (JSON or YAML)
//	GET    /_emulator/requests   {"requests": [...], "counts": {"GET /v1/templates": 3}}
//	DELETE /_emulator/requests   forget them
//	GET    /_emulator/faults     the fault rules
//	PUT    /_emulator/faults     replace them (a JSON array)
//	DELETE /_emulator/faults     clear them
//	GET    /_emulator/ui/        the web inbox: templates as message cards, app messages,
//	                             push tasks, certificates; ?format=json gives its version
//	                             and counts, ?part=live the part that updates itself
package emulator
