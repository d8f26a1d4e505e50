package emulator_test

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// The benchmarks call ServeHTTP directly: they measure the emulator, not the
// loopback network.

func newBenchEmulator(b *testing.B, opts emulator.Options) *emulator.Emulator {
	b.Helper()
	e, err := emulator.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	return e
}

func serveBench(b *testing.B, e *emulator.Emulator, method, target, body string) {
	rec := httptest.NewRecorder()
	// A loopback Host, as a real client of a local emulator sends.
	req := httptest.NewRequest(method, "http://127.0.0.1"+target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	e.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s %s: HTTP %d %s", method, target, rec.Code, rec.Body)
	}
}

func BenchmarkGetTemplate(b *testing.B) {
	e := newBenchEmulator(b, emulator.Options{})
	target := "/v1/templates/32790e3d-2ce2-45ad-b9c2-c562f39882c3?access_token=" + emulator.DemoAccessToken
	for b.Loop() {
		serveBench(b, e, "GET", target, "")
	}
}

// 100,000 templates, one in ten matching the keyword; each request pages
// through the matches from the middle.
func BenchmarkListKeyword100k(b *testing.B) {
	seed := emulator.DefaultSeed()
	for i := range 100_000 {
		title := fmt.Sprintf("Template %d", i)
		if i%10 == 0 {
			title = fmt.Sprintf("Quarterly Report %d", i)
		}
		seed.Templates = append(seed.Templates, workplus.Template{ID: fmt.Sprintf("t-%06d", i), AppID: emulator.DemoAppID, Title: title, Tags: "bench"})
	}
	e := newBenchEmulator(b, emulator.Options{Seed: seed})
	target := "/v1/templates?kw=REPORT&skip=5000&limit=100&access_token=" + emulator.DemoAccessToken
	for b.Loop() {
		serveBench(b, e, "GET", target, "")
	}
}

func BenchmarkCreateTemplate(b *testing.B) {
	for _, mode := range []string{"memory", "state-file"} {
		b.Run(mode, func(b *testing.B) {
			opts := emulator.Options{}
			if mode == "state-file" {
				opts.StateFile = filepath.Join(b.TempDir(), "state.db")
			}
			e := newBenchEmulator(b, opts)
			target := "/v1/templates?app_id=" + emulator.DemoAppID + "&access_token=" + emulator.DemoAccessToken
			for b.Loop() {
				serveBench(b, e, "POST", target, templateBody)
			}
		})
	}
}
