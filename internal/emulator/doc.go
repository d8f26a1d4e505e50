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
// FaultRules add latency, error statuses (with Retry-After), vendor codes
// answered with HTTP 200 (202012, 10011) and dropped connections, before or after the request is processed. The random draws
// come from one RNG seeded with Options.FaultSeed, so a run is reproducible.
//
// # Control API
//
// Plain JSON under /_emulator/, never logged and never faulted: health,
// reset, state (secrets redacted unless ?secrets=true), seed, the request
// journal with filters, counts and a wait, fault rules, and the web inbox.
// CONTROL_API.md is the reference, checked against the route table by a
// test.
//
// # Safety
//
// Every request must name a loopback Host or one of Options.AllowedHosts
// (DNS rebinding); the control API and writing routes refuse cross-site
// browser requests (CSRF); JSON routes need a JSON Content-Type; query
// strings, bodies and JSON nesting are bounded. With Options.AdminToken,
// control calls but health need the X-Emulator-Admin-Token header.
package emulator
