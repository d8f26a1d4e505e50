package workplus_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// These tests pin the rule of CreateTemplate after a create whose outcome is
// unknown: never adopt a template, never re-send, and fail naming every
// template with this content created since the call began (issue 19 §2).

func twinInput(title string) workplus.TemplateInput {
	return workplus.TemplateInput{
		Title: title, Tags: "twins", Sample: "same content",
		Contents: [][]workplus.TemplateCell{{{Content: "{{who.DATA}} deployed", Align: workplus.AlignLeft}}},
	}
}

// createOutcome is what one create ended with: an id or an error.
type createOutcome struct {
	id  string
	err error
}

// createTwins creates n identical templates concurrently through one client,
// as one provider process with n identical resources does.
func createTwins(t *testing.T, c *workplus.Client, in workplus.TemplateInput, n int) []createOutcome {
	t.Helper()
	outcomes := make([]createOutcome, n)
	var wg sync.WaitGroup
	for i := range outcomes {
		wg.Go(func() {
			got, err := c.CreateTemplate(t.Context(), emulator.DemoAppID, "", in)
			if err == nil {
				outcomes[i].id = got.ID
			}
			outcomes[i].err = err
		})
	}
	wg.Wait()
	return outcomes
}

// checkNoSharedIDNothingOrphaned fails when two creates returned the same
// template, or a template with the title exists that no create returned and
// no error names (the user would never learn of it).
func checkNoSharedIDNothingOrphaned(t *testing.T, emu *emulatortest.Instance, title string, outcomes []createOutcome) {
	t.Helper()
	owner := map[string]int{}
	for i, o := range outcomes {
		if o.err != nil {
			continue
		}
		if prev, ok := owner[o.id]; ok {
			t.Errorf("creates %d and %d both got template %s", prev, i, o.id)
		}
		owner[o.id] = i
	}
	for _, tpl := range emu.Emulator.Snapshot().Templates {
		if tpl.Title != title {
			continue
		}
		if _, ok := owner[tpl.ID]; ok {
			continue
		}
		named := false
		for _, o := range outcomes {
			if o.err != nil && strings.Contains(o.err.Error(), tpl.ID) && strings.Contains(o.err.Error(), "terraform import") {
				named = true
			}
		}
		if !named {
			t.Errorf("template %s is orphaned: no create returned it and no error names it with an import command (outcomes %v)", tpl.ID, outcomes)
		}
	}
}

func countTitle(emu *emulatortest.Instance, title string) int {
	n := 0
	for _, tpl := range emu.Emulator.Snapshot().Templates {
		if tpl.Title == title {
			n++
		}
	}
	return n
}

func TestCreateTemplate_parallelTwinsBothProcessedThenDropped(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/templates", Drop: emulator.DropAfter, Count: 2},
	}})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.MaxRetries = 3 })
	in := twinInput("Twins after")
	outcomes := createTwins(t, c, in, 2)
	checkNoSharedIDNothingOrphaned(t, emu, in.Title, outcomes)
	if n := emu.Emulator.RouteCounts()["POST /v1/templates"]; n != 2 {
		t.Errorf("POST /v1/templates sent %d times, want 2 (one per resource, nothing re-sent)", n)
	}
	if n := countTitle(emu, in.Title); n != 2 {
		t.Errorf("%d templates exist, want the 2 created", n)
	}
}

func TestCreateTemplate_parallelTwinsOneDroppedBeforeOneAfter(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/templates", Drop: emulator.DropAfter, Count: 1},
		{Route: "POST /v1/templates", Drop: emulator.DropBefore, Count: 1},
	}})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.MaxRetries = 3 })
	in := twinInput("Twins before and after")
	outcomes := createTwins(t, c, in, 2)
	checkNoSharedIDNothingOrphaned(t, emu, in.Title, outcomes)
	if n := countTitle(emu, in.Title); n != 1 {
		t.Errorf("%d templates exist, want the 1 the processed create made (nothing re-sent)", n)
	}
	failures := 0
	for _, o := range outcomes {
		if o.err != nil {
			failures++
		}
	}
	if failures == 0 {
		t.Errorf("both creates succeeded with one template on the server: %v", outcomes)
	}
}

// TestCreateTemplate_droppedBeforeDoesNotAdoptAnEarlierTwin: a template
// created before belongs to its resource; a second identical create whose
// request never got processed must not take it over.
func TestCreateTemplate_droppedBeforeDoesNotAdoptAnEarlierTwin(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.MaxRetries = 3 })
	in := twinInput("Claimed twin")
	first, err := c.CreateTemplate(t.Context(), emulator.DemoAppID, "", in)
	if err != nil {
		t.Fatal(err)
	}
	emu.Emulator.SetFaults([]emulator.FaultRule{{Route: "POST /v1/templates", Drop: emulator.DropBefore, Count: 1}})
	second, err := c.CreateTemplate(t.Context(), emulator.DemoAppID, "", in)
	if err == nil && second.ID == first.ID {
		t.Fatalf("the second create adopted the first one's template %s", first.ID)
	}
	if err == nil {
		t.Fatalf("the second create re-sent a request that may have reached the server and got %s", second.ID)
	}
	if n := countTitle(emu, in.Title); n != 1 {
		t.Errorf("%d templates exist, want 1", n)
	}
}

// TestCreateTemplate_droppedAfterNamesItsTemplate: even when exactly one
// template with this content was created since the call began, the create
// does not adopt it (a twin of another workspace looks the same) but names
// it, with its import command. It runs against the emulator's answers and
// against answers shaped as the seeds document them (list records without
// tags, app_id "DEFAULT"). The old client adopted the one candidate.
func TestCreateTemplate_droppedAfterNamesItsTemplate(t *testing.T) {
	t.Parallel()
	for name, documented := range map[string]bool{"emulator shape": false, "documented shape": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			emu := emulatortest.Start(t, emulator.Options{DocumentedShape: documented, Faults: []emulator.FaultRule{
				{Route: "POST /v1/templates", Drop: emulator.DropAfter, Count: 1},
			}})
			c := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.MaxRetries = 3 })
			in := twinInput("Dropped after")
			got, err := c.CreateTemplate(t.Context(), emulator.DemoAppID, "", in)
			if got != nil {
				t.Errorf("adopted %s", got.ID)
			}
			var unknown *workplus.AmbiguousCreateError
			if !errors.As(err, &unknown) {
				t.Fatalf("want an AmbiguousCreateError, got %v", err)
			}
			var created []string
			for _, tpl := range emu.Emulator.Snapshot().Templates {
				if tpl.Title == in.Title {
					created = append(created, tpl.ID)
				}
			}
			if len(created) != 1 || fmt.Sprint(unknown.Candidates) != fmt.Sprint(created) {
				t.Fatalf("candidates %v, want the one created template %v", unknown.Candidates, created)
			}
			if line := "terraform import '" + workplus.ImportAddressPlaceholder + "' " + created[0]; !strings.Contains(err.Error(), line) {
				t.Errorf("the error lacks %q:\n%v", line, err)
			}
			if unknown.Since.IsZero() {
				t.Error("the error does not say since when, on the server's clock")
			}
			if n := emu.Emulator.RouteCounts()["POST /v1/templates"]; n != 1 {
				t.Errorf("POST /v1/templates sent %d times, want 1", n)
			}
		})
	}
}

func findTemplate(emu *emulatortest.Instance, id string) (workplus.Template, bool) {
	for _, tpl := range emu.Emulator.Snapshot().Templates {
		if tpl.ID == id {
			return tpl, true
		}
	}
	return workplus.Template{}, false
}

// TestCreateTemplate_ambiguousErrorNamesCandidatesAndImport: when the proof
// fails, the error lists the candidates, sorted, each with its import
// command.
func TestCreateTemplate_ambiguousErrorNamesCandidatesAndImport(t *testing.T) {
	t.Parallel()
	// The searches are slow, so both creates are on the server before either
	// search reads the list.
	emu := emulatortest.Start(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/templates", Drop: emulator.DropAfter, Count: 2},
		{Route: "GET /v1/templates", LatencyMS: 300},
	}})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.MaxRetries = 3 })
	in := twinInput("Two candidates")
	// A first answer settles that the static token is accepted; until then
	// the client sends one request at a time, which would order the creates.
	if _, err := c.GetTemplate(t.Context(), "00000000-0000-0000-0000-000000000000"); !workplus.IsNotFound(err) {
		t.Fatal(err)
	}
	outcomes := createTwins(t, c, in, 2)
	var ids []string
	for _, tpl := range emu.Emulator.Snapshot().Templates {
		if tpl.Title == in.Title {
			ids = append(ids, tpl.ID)
		}
	}
	sort.Strings(ids)
	for i, o := range outcomes {
		var ambiguous *workplus.AmbiguousCreateError
		if !errors.As(o.err, &ambiguous) {
			t.Fatalf("create %d: want an AmbiguousCreateError, got %v", i, o.err)
		}
		if fmt.Sprint(ambiguous.Candidates) != fmt.Sprint(ids) {
			t.Errorf("create %d: candidates %v, want %v", i, ambiguous.Candidates, ids)
		}
		for _, id := range ids {
			if !strings.Contains(o.err.Error(), "terraform import '"+workplus.ImportAddressPlaceholder+"' "+id) {
				t.Errorf("create %d: the error does not name %s with an import command: %v", i, id, o.err)
			}
		}
	}
}

// TestCreateTemplate_lostTwinDoesNotTakeALateAnsweredTwin is issue 19 §2's
// race within one process: twin B's create is lost before the server acts,
// twin A's is processed but answered late. B's search sees A's template,
// created after B began and not yet returned to A. The old client adopted it
// for B and then returned it to A as well: one template, two resources.
func TestCreateTemplate_lostTwinDoesNotTakeALateAnsweredTwin(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	race := emulatortest.StartLostTwinCreates(t, emu, 0)
	c := newClient(t, race.URL, func(cfg *workplus.Config) { cfg.MaxRetries = 3 })
	// Settle the static token first: until then the client sends one request
	// at a time, which would keep A's create behind B's.
	if _, err := c.GetTemplate(t.Context(), "00000000-0000-0000-0000-000000000000"); !workplus.IsNotFound(err) {
		t.Fatal(err)
	}
	in := twinInput("Late twin")
	lost := make(chan createOutcome, 1)
	go func() {
		got, err := c.CreateTemplate(t.Context(), emulator.DemoAppID, "", in)
		o := createOutcome{err: err}
		if err == nil {
			o.id = got.ID
		}
		lost <- o
	}()
	<-race.Arrived()
	late := make(chan createOutcome, 1)
	go func() {
		got, err := c.CreateTemplate(t.Context(), emulator.DemoAppID, "", in)
		o := createOutcome{err: err}
		if err == nil {
			o.id = got.ID
		}
		late <- o
	}()
	b := <-lost
	race.Release()
	a := <-late
	outcomes := []createOutcome{a, b}
	checkNoSharedIDNothingOrphaned(t, emu, in.Title, outcomes)
	if a.err != nil {
		t.Fatalf("the late-answered create failed: %v", a.err)
	}
	var unknown *workplus.AmbiguousCreateError
	if !errors.As(b.err, &unknown) {
		t.Fatalf("the lost create: want an AmbiguousCreateError, got id %q, error %v", b.id, b.err)
	}
	if fmt.Sprint(unknown.Candidates) != fmt.Sprint([]string{a.id}) {
		t.Errorf("the lost create names %v, want A's template %s (created since it began), for the user to check", unknown.Candidates, a.id)
	}
	if n := countTitle(emu, in.Title); n != 1 {
		t.Errorf("%d templates exist, want A's 1 (nothing re-sent)", n)
	}
}

// TestCreateTemplate_resentAfter429: a 429 says the server refused to act,
// so the create is sent again, and one template exists.
func TestCreateTemplate_resentAfter429(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/templates", Status: 429, Count: 1},
	}})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.MaxRetries = 3; cfg.RetryWaitMin = time.Millisecond })
	in := twinInput("Rate limited")
	got, err := c.CreateTemplate(t.Context(), emulator.DemoAppID, "", in)
	if err != nil {
		t.Fatalf("CreateTemplate: %v", err)
	}
	if tpl, ok := findTemplate(emu, got.ID); !ok || tpl.Title != in.Title {
		t.Errorf("got %s, which is not the created template", got.ID)
	}
	if n := countTitle(emu, in.Title); n != 1 {
		t.Errorf("%d templates exist, want 1", n)
	}
	if n := emu.Emulator.RouteCounts()["POST /v1/templates"]; n != 2 {
		t.Errorf("POST /v1/templates sent %d times, want 2 (the refused one and the one processed)", n)
	}
}
