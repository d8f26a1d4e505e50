package main

import (
	"fmt"
	"time"
)

// profileDate is when the profiles quoted below were taken (the
// investigation of issue #15); the harness measures times, not profiles.
const profileDate = "2026-11-30"

// planShares splits the no-change plan's cost over terraform_data into the
// framework floor's share and ours, in CPU time (terraform and the provider
// processes), which contention from other work on the machine distorts less
// than wall time.
func (r *report) planShares() string {
	m := r.planSides
	if m == nil || !m.has(planFloor) {
		return "The framework floor was not measured."
	}
	wp, floor, bare, data := m.medianCPU(planWorkplus), m.medianCPU(planFloor), m.medianCPU(planBare), m.medianCPU(planData)
	over := wp - data
	share := func(d time.Duration) string {
		if over <= 0 {
			return dur(d)
		}
		return fmt.Sprintf("%s (%.0f%%)", dur(d), float64(d)/float64(over)*100)
	}
	ours := fmt.Sprintf("Of the %s the plan costs beyond terraform_data, the framework floor accounts for %s and the provider's own work (requests, Read's conversion, ModifyPlan) for %s.", dur(over), share(floor-data), share(wp-floor))
	if wp < floor {
		ours = fmt.Sprintf("The plan costs %s beyond terraform_data, and the provider measured %s below the framework floor, which is within this machine's noise.", dur(over), dur(floor-wp))
	}
	checks := fmt.Sprintf("Validators, defaults and plan modifiers (floor − bare schema) account for %s.", dur(floor-bare))
	if floor < bare {
		checks = fmt.Sprintf("Validators, defaults and plan modifiers (floor − bare schema) are within the noise: the bare schema measured %s more than the floor.", dur(bare-floor))
	}
	return fmt.Sprintf("In CPU time (medians: workplus %s, framework floor %s, bare schema %s, terraform_data %s): %s %s In wall time: workplus %s, floor %s, bare %s, terraform_data %s.",
		dur(wp), dur(floor), dur(bare), dur(data), ours, checks,
		dur(m.median(planWorkplus)), dur(m.median(planFloor)), dur(m.median(planBare)), dur(m.median(planData)))
}

// planWhy explains a no-change plan over the target.
func (r *report) planWhy() string {
	out := ""
	if m := r.planSides; m != nil && m.has(planFloor) {
		floorRatio := m.ratio(planFloor, planData)
		out += fmt.Sprintf("The framework floor — a resource with our schema that makes no request and has no ModifyPlan — is itself %.2f× terraform_data in wall time (%.2f× in CPU)", floorRatio, float64(m.medianCPU(planFloor))/float64(m.medianCPU(planData)))
		if floorRatio > targetPlanRatio {
			out += ", over the target with none of the provider's code running, so no change inside the provider can meet it"
		}
		out += ". " + r.planShares() + " "
	}
	out += "Where the framework's time goes is in \"Framework costs\" below (profile, minimal reproduction, and the upstream issue). What would close it: terraform-plugin-framework skipping `NullifyCollectionBlocks`/`ReifyNullCollectionBlocks` for schemas without blocks and not copying the attribute map on every path step."
	return out
}

// listWhy explains a large-list comparison over the target.
func (r *report) listWhy() string {
	return fmt.Sprintf("The provider's share is small: a CPU profile of `BenchmarkTemplatesDataSourceRead10k/default` (%s) puts the 100 list requests and their decoding at about 28%% of the read and building the 10,000 values at about 13%%; the framework's walks after Read take the rest — `ReifyNullCollectionBlocks` about 44%% (it resolves the schema path of every null value, here each template's null `content`) and `SchemaSemanticEquality` about 25%%. Then Terraform core decodes the msgpack and stores the value, as it stores the decoded JSON on the other side. What would close it: the framework skipping the null-block reification for schemas without blocks (\"Framework costs\" below).", profileDate)
}

func (r *report) writeList(w func(string, ...any)) {
	n := r.opts.listTemplates
	w("## 4. Large lists: `workplus_templates` over %d templates\n\n", n)
	w("`terraform plan` of `data \"workplus_templates\" \"all\" {}` (the default shape: id, app_id, title, tags, placeholders; `content` null), of the same with `include_content = true`, and of one whose `kw` matches nothing, against an emulator binary seeded with exactly %d templates (checked: exactly ceil(%d/100) = %d `GET /v1/templates` per full listing, 1 for none). The floor is Terraform decoding the same records itself: a `terraform_data` whose `input = jsondecode(file(\"records.json\"))`, where records.json is the data source's own `templates` value (taken from the state of an untimed apply with `terraform show -json`), and `[]` for none. All five alternate, the order rotating every round; the target is judged on the default shape, whole plan against whole plan.\n\n", n, n, ceilDiv(n, 100))
	l := r.list
	if l == nil || l.Sides == nil {
		w("Not measured: the section failed (see the summary).\n\n")
		return
	}
	multiTable(w, l.Sides, func(s string) string { return s }, jsonLight)
	m := l.Sides
	if m.has(listNone) && m.has(jsonNone) {
		w("Beyond the empty result (median minus the empty side's median): default shape %s against %s for jsondecode; include_content %s.\n\n",
			dur(m.median(listLight)-m.median(listNone)), dur(m.median(jsonLight)-m.median(jsonNone)), dur(m.median(listFull)-m.median(listNone)))
	}
	w("The full records' jsondecode is not timed here: planning it takes Terraform minutes (one run on %s: 210 s, against 44 s for the data source with `include_content`, under a load average of about 15), which would make `make bench` too slow for one more ratio that is not close.\n\n", profileDate)
	w("Records: %s (default shape) and %s (full), as JSON. Requests: %d list requests for all templates, %d for none. Seeding the emulator with %d templates through `POST /_emulator/seed` took %s (not timed above).\n\n",
		mib(l.RecordBytes[recordsLight]), mib(l.RecordBytes[recordsFull]), l.FullRequests, l.BaseRequests, n, dur(l.SeedLoad))
	w("The provider's read alone: the Go benchmark `BenchmarkTemplatesDataSourceRead10k` (internal/provider) calls the provider server's tfprotov6 `ReadDataSource` — the call Terraform makes over gRPC — against an in-process emulator, in both shapes.\n\n")
	w("| shape | median per read | samples | requests/op | allocated per read | allocations per template |\n|---|---|---|---|---|---|\n")
	for _, shape := range []string{"default", "include_content"} {
		name := "BenchmarkTemplatesDataSourceRead10k/" + shape
		if ns, count, ok := r.gobench.median(name, "ns/op"); ok {
			reqs, _, _ := r.gobench.median(name, "requests/op")
			bytes, _, _ := r.gobench.median(name, "B/op")
			allocs, _, _ := r.gobench.median(name, "allocs/op")
			w("| %s | %s | %d | %.0f | %s | %.0f |\n", shape, nsDur(ns), count, reqs, mib(int64(bytes)), allocs/float64(n))
		}
	}
	w("\nWhy `content` is one nested object rather than nine attributes that are null in the default shape: the framework's `ReifyNullCollectionBlocks` resolves the schema path of every null value in a response, and nine nulls per template made the default shape slower than the full one (measured %s with the Go benchmark: about 2,180 allocations per template against 2,550 for the full shape; one null object per template brought it to about 830).\n\n", profileDate)
}

func (r *report) writeQuery(w func(string, ...any)) {
	w("## 6. `terraform query` with the `workplus_template` list resource\n\n")
	q := r.query
	if q == nil {
		w("Not run (the section was not selected).\n\n")
		return
	}
	if q.Skipped != "" {
		w("Not run: %s. scripts/bench.sh passes `BENCH_TERRAFORM_QUERY` (default `terraform`) as `-terraform-query`.\n\n", q.Skipped)
		return
	}
	w("`terraform query` (Terraform %s) of `list \"workplus_template\" \"all\" { limit = %d }` against an emulator binary seeded with %d templates, with `include_resource = false` and `true`, alternating. Beside it, the data source's plans of section 4 (Terraform %s).\n\n", q.Terraform, q.Templates, q.Templates, r.machine.terraform)
	if q.Sides != nil {
		multiTable(w, q.Sides, func(s string) string { return s }, queryIDs)
		for _, side := range q.Sides.Names {
			w("- requests, %s: %s\n", side, countsString(q.Requests[side]))
		}
		w("\n")
	}
	if l := r.list; l != nil && l.Sides != nil && l.Sides.has(listLight) {
		w("For comparison (section 4): data source plan, default shape %s, include_content %s.\n\n", dur(l.Sides.median(listLight)), dur(l.Sides.median(listFull)))
	}
}

func (r *report) writeFramework(w func(string, ...any)) {
	w("## Framework costs: profile, minimal reproduction, upstream issue\n\n")
	w("### Profiles\n\n")
	w("Taken %[1]s on this machine, with a provider built with `-tags profile` (internal/pluginprocess/profile.go writes a CPU profile of each provider process to `$WORKPLUS_CPUPROFILE_DIR`) during a real `terraform plan`, and with `go test -cpuprofile` on the tfprotov6 benchmarks:\n\n", profileDate)
	w("- **No-change plan of 300 templates, provider process** (GOGC=100, before `internal/pluginprocess` relaxed it): `fromproto6.DynamicValue` → `NullifyCollectionBlocks` 28%% of the provider's CPU, almost all of it `fromtftypes.AttributePath` and `Schema.AttributeAtTerraformPath` resolving the schema path of every value — and each step of that calls `schema.Schema.GetAttributes`, which builds a new map of every attribute (`schemaAttributes`, 25%% on its own). Our schema has no blocks, so the walk cannot change anything. `SchemaModifyPlan` 12%%, `ValidateResourceConfig` 11%%, `TransformDefaults` 7%%; GC and allocation about a third. The provider's own `Read` and `ModifyPlan` a few per cent.\n")
	w("- **The framework floor's process** (floorprovider, the same plan, no requests, no ModifyPlan, GOGC=400): `NullifyCollectionBlocks` 28%%, `SchemaModifyPlan` 14%%, `ValidateResourceConfig` 12%%, `TransformDefaults` 7%%, `SchemaSemanticEquality` 4%%. Its bare-schema variant (no validators, defaults or plan modifiers) is within the noise of it: in the investigation's 5 alternating rounds the user CPU of the whole plan was 6.07, 6.11, 5.50, 5.84 and 4.32 s for the floor against 6.11, 5.58, 5.40, 6.00 and 4.80 s for the bare schema (section 2 has this run's medians). The walks run whether or not an attribute has a validator, default or plan modifier, so folding our defaults and `UseStateForUnknown`/`RequiresReplace` modifiers into one `ModifyPlan` could save at most the floor − bare difference, which also holds the validators that must stay; the numbers do not support losing the schema-declared defaults (which the documentation shows) for it, so that change was not made.\n")
	w("- **`SchemaModifyPlan`** spends two thirds of its time in `Plan.SetAttribute`, writing every top-level attribute back into the plan whether or not a plan modifier changed it.\n")
	w("- **`BenchmarkTemplatesDataSourceRead10k/default`**: the framework's `ReadDataSource` after our `Read` — `ReifyNullCollectionBlocks` about 44%% of the read (the same path resolution, for every null value), `SchemaSemanticEquality` about 25%%; our `Read` (100 requests, decoding, building the values directly as `tftypes.Value`s) about 40%%.\n\n")
	w("What the provider changed because of them, each with its benchmark: GOGC 400 for the plugin process unless `GOGC` is set (`internal/pluginprocess`; measured %[1]s with 4 alternating rounds of the 300-template no-change plan: the CPU of the whole plan, terraform and provider, was 7.3–9.3 s at GOGC=100 and 6.0–7.0 s at GOGC=400; GOGC=off, with or without a 1 GiB memory limit, cut user time to 5.1–5.6 s but added 1.4–2.7 s of system time for page faults, 6.9–8.3 s in all); `workplus_templates` builds its state directly as `tftypes.Value`s and defaults to a light shape with one null `content` object (section 4).\n\n", profileDate)
	w("### Minimal reproduction\n\n")
	w("`internal/benchharness/floorprovider` is a complete framework provider of under 150 lines: one resource with `workplus_template`'s schema (list-nested `rows` of list-nested `cells`, list-nested `actions`, a few strings), Read and ModifyPlan doing nothing. `scripts/bench.sh` builds it; section 2 plans 300 of them next to 300 `terraform_data` with the same values. Profiling its process (`go build -tags profile ./internal/benchharness/floorprovider`, then `WORKPLUS_CPUPROFILE_DIR=dir terraform plan`) shows the walks above with no provider code in them.\n\n")
	w("### Upstream issue text (terraform-plugin-framework)\n\n")
	w("> **Title:** `NullifyCollectionBlocks` / `ReifyNullCollectionBlocks` walk every value even when the schema has no blocks, and each path lookup copies the attribute map\n>\n")
	w("> **terraform-plugin-framework version:** v1.19.0\n>\n")
	w("> **Summary.** `fromproto6.DynamicValue` calls `(*fwschemadata.Data).NullifyCollectionBlocks` for every Config, State, Plan and ProposedNewState a request carries, and `toproto6.DynamicValue` calls `ReifyNullCollectionBlocks` for every state it returns. Both `tftypes.Transform` the whole value and, for each value (Nullify: every known value; Reify: every null), call `Schema.AttributeAtTerraformPath` and `fromtftypes.AttributePath`, which walk the schema step by step; every step calls `GetAttributes()`, and `resource/schema.Schema.GetAttributes` (like the nested-object and data source ones) builds a new `map[string]fwschema.Attribute` each call. For a schema without any list or set blocks — `SchemaBlockPathExpressions` is empty — none of this can change the value.\n>\n")
	w("> **Impact.** A resource with a list-nested attribute of list-nested objects (about 45 values per resource): in a no-change plan of 300 resources, `NullifyCollectionBlocks` is 28%% of the provider's CPU and `schemaAttributes` alone 25%%; the plan takes about twice as long as the same values in `terraform_data`, and a provider whose Read and ModifyPlan do nothing is already most of that gap. A data source returning 10,000 objects spends 44%% of `ReadDataSource` in `ReifyNullCollectionBlocks` when each object has one null nested attribute.\n>\n")
	w("> **Reproduction.** A provider with one resource: `rows = ListNestedAttribute{cells = ListNestedAttribute{content, align strings}}` plus a few string attributes, Read doing nothing; apply 300 with `count`, then profile the provider during `terraform plan` (`runtime/pprof` around `providerserver.Serve`).\n>\n")
	w("> **Proposal.** (1) Return early from both functions when `SchemaBlockPathExpressions` is empty (no blocks anywhere in the schema) — no behaviour change. (2) Otherwise, prune the walk: descend only into attributes and elements on a path to a block. (3) Cache the `map[string]fwschema.Attribute` that `GetAttributes` returns (schemas are immutable once returned), or let `AttributeAtTerraformPath` look a name up without building the map. (4) In `SchemaModifyPlan`, write an attribute back into the plan only when its plan modifiers changed it; today `Plan.SetAttribute` runs for every top-level attribute of every resource in every plan (two thirds of `SchemaModifyPlan`'s time). (1) alone removes about a quarter of the provider's CPU in the plan above.\n\n")
}
