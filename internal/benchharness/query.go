package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ---- 6. terraform query with the workplus_template list resource ----

// queryResult is `terraform query` of every template, without and with
// include_resource; Skipped says why it did not run.
type queryResult struct {
	Skipped   string
	Terraform string
	Templates int
	Sides     *multiResult
	Requests  map[string]map[string]int
}

const (
	queryIDs       = "terraform query, include_resource = false"
	queryResources = "terraform query, include_resource = true"
	// minQueryVersion is the first Terraform with list resources.
	minQueryVersion = "1.14"
)

func (h *harness) query(ctx context.Context) error {
	n := h.opts.listTemplates
	res := &queryResult{Templates: n}
	h.rep.query = res
	tq := *h.tf
	tq.bin = h.opts.terraformQuery
	version, err := terraformVersion(ctx, &tq)
	if err != nil {
		res.Skipped = fmt.Sprintf("`%s version -json` failed (%v); set BENCH_TERRAFORM_QUERY to a Terraform ≥ %s", tq.bin, err, minQueryVersion)
		return nil
	}
	res.Terraform = version
	if !versionAtLeast(version, minQueryVersion) {
		res.Skipped = fmt.Sprintf("Terraform %s (`%s`) has no `terraform query`, which needs %s or later; set BENCH_TERRAFORM_QUERY to one", version, tq.bin, minQueryVersion)
		return nil
	}
	emu, err := h.startEmulator(ctx, "query")
	if err != nil {
		return err
	}
	defer emu.stop()
	if err := emu.seed(ctx, benchSeed(n)); err != nil {
		return err
	}
	fns := map[string]func() (time.Duration, error){}
	res.Requests = map[string]map[string]int{}
	for side, include := range map[string]bool{queryIDs: false, queryResources: true} {
		dir, err := h.dir(fmt.Sprintf("query-include-resource-%t", include))
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "main.tf"), providerBlock(emu.URL, authToken, "")); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "all.tfquery.hcl"), fmt.Sprintf("list \"workplus_template\" \"all\" {\n  provider         = workplus\n  limit            = %d\n  include_resource = %t\n}\n", n, include)); err != nil {
			return err
		}
		if side == queryIDs {
			has, err := hasListResource(ctx, &tq, dir, "workplus_template")
			if err != nil {
				return err
			}
			if !has {
				res.Skipped = "the provider has no `workplus_template` list resource (template_list_resource.go, issue #12) in this build"
				return nil
			}
		}
		fns[side] = func() (time.Duration, error) {
			if err := emu.clearRequests(ctx); err != nil {
				return 0, err
			}
			d, _, err := tq.run(ctx, dir, "query", "-no-color")
			if err != nil {
				return d, err
			}
			counts, err := emu.counts(ctx)
			res.Requests[side] = counts
			return d, err
		}
	}
	// h.tf.lastCPU is what alternateN records; tq keeps its own.
	wrapped := map[string]func() (time.Duration, error){}
	for side, fn := range fns {
		wrapped[side] = func() (time.Duration, error) {
			d, err := fn()
			h.tf.lastCPU = tq.lastCPU
			return d, err
		}
	}
	res.Sides, err = h.alternateN(h.opts.listRuns, "terraform query", []string{queryIDs, queryResources}, wrapped)
	return err
}

func terraformVersion(ctx context.Context, t *terraform) (string, error) {
	out, err := t.runQuiet(ctx, ".", "version", "-json")
	if err != nil {
		return "", err
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		return "", err
	}
	return v.Version, nil
}

// versionAtLeast compares the major and minor parts of dotted versions.
func versionAtLeast(version, least string) bool {
	parse := func(s string) (int, int) {
		parts := strings.SplitN(s, ".", 3)
		if len(parts) < 2 {
			return 0, 0
		}
		major, _ := strconv.Atoi(parts[0])
		minor, _ := strconv.Atoi(parts[1])
		return major, minor
	}
	ma, mi := parse(version)
	la, li := parse(least)
	return ma > la || ma == la && mi >= li
}

// hasListResource reports whether the provider's schema, as terraform sees it
// in dir, has the list resource typeName.
func hasListResource(ctx context.Context, t *terraform, dir, typeName string) (bool, error) {
	out, err := t.runQuiet(ctx, dir, "providers", "schema", "-json")
	if err != nil {
		return false, err
	}
	var schemas struct {
		ProviderSchemas map[string]struct {
			ListResourceSchemas map[string]json.RawMessage `json:"list_resource_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(out), &schemas); err != nil {
		return false, fmt.Errorf("terraform providers schema -json: %w", err)
	}
	for _, p := range schemas.ProviderSchemas {
		if _, ok := p.ListResourceSchemas[typeName]; ok {
			return true, nil
		}
	}
	return false, nil
}
