package emulator_test

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// serveFile runs an emulator on a state file without registering cleanup of
// the emulator, so a test can close and reopen the file.
func serveFile(t *testing.T, path string, opts emulator.Options) (*harness, func()) {
	t.Helper()
	opts.StateFile = path
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	h := &harness{t: t, client: srv.Client()}
	h.Instance = &emulatortest.Instance{URL: srv.URL, Emulator: e, Server: srv}
	return h, func() {
		srv.Close()
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	h, stop := serveFile(t, path, emulator.Options{})

	a := h.createTemplate("A", "")
	h.createTemplate("B", "")
	h.open("POST", "/v1/templates/"+a.ID, `{"title":"A2","contents":[]}`) // updated in place, keeps its position
	r, env := h.open("DELETE", "/v1/templates/6b0f2c1e-8d4a-4f3b-9c2e-1a5d7e9f0b3c", nil)
	h.okResult(r, env, nil)
	r, env = h.open("POST", "/v1/token", workplus.TokenRequest{GrantType: "client_credentials", ClientID: emulator.DemoClientID, ClientSecret: emulator.DemoClientSecret})
	var tok workplus.Token
	h.okResult(r, env, &tok)
	for _, id := range []string{"r1", "r2"} {
		h.push("POST", "/push/notify", `{"audience":"all","setting":{"request_id":"`+id+`"}}`)
	}
	h.open("POST", "/v1/apps/mbox?for_all=true", `{"type":"TEXT","body":{"content":"hi"}}`)
	before := h.Emulator.Snapshot()
	stop()

	// A different seed proves the file, not the seed, is loaded.
	other, err := emulator.LoadSeed([]byte(`{"orgs":[{"id":"o","domain_id":"d"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	h, stop = serveFile(t, path, emulator.Options{Seed: other})
	defer stop()
	after := h.Emulator.Snapshot()
	if !reflect.DeepEqual(normalize(t, before), normalize(t, after)) {
		t.Fatalf("state changed over restart:\nbefore %s\nafter  %s", normalize(t, before), normalize(t, after))
	}
	if got := titles(h.list("?access_token=" + tok.AccessToken)); !reflect.DeepEqual(got, []string{"请假审批通知", "系统维护公告", "值班提醒 🚨", "Expense approved", "Deploy {{service.DATA}} finished", "A2", "B"}) {
		t.Errorf("order after restart: %v (issued token must still work)", got)
	}

	// Task ids continue and request ids still de-duplicate.
	var res workplus.NotifyResult
	r2, penv := h.push("POST", "/push/notify", `{"audience":"all","setting":{"request_id":"r1"}}`)
	if h.okData(r2, penv, &res); res.TaskID != 1 {
		t.Errorf("repeated request id answered task %d, want 1", res.TaskID)
	}
	r2, penv = h.push("POST", "/push/notify", `{"audience":"all"}`)
	if h.okData(r2, penv, &res); res.TaskID != 3 {
		t.Errorf("next task id %d, want 3", res.TaskID)
	}
	// A template created after the restart sorts after the older ones.
	h.createTemplate("C", "")
	if got := titles(h.list("")); got[len(got)-1] != "C" {
		t.Errorf("order: %v", got)
	}

	// Reset writes the start seed (this run's: the other one) to the file.
	if r := h.do("POST", "/_emulator/reset", nil, nil); r.HTTP != 200 {
		t.Fatalf("reset: %d", r.HTTP)
	}
	if h.Emulator.TemplateCount() != 0 {
		t.Errorf("after reset: %d templates", h.Emulator.TemplateCount())
	}
}

func TestStateFileResetSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	h, stop := serveFile(t, path, emulator.Options{})
	h.createTemplate("gone after reset", "")
	h.do("POST", "/_emulator/reset", nil, nil)
	h.createTemplate("kept", "")
	stop()
	h, stop = serveFile(t, path, emulator.Options{})
	defer stop()
	if got := titles(h.list("")); len(got) != seededTemplates+1 || got[seededTemplates] != "kept" {
		t.Errorf("after restart: %v", got)
	}
}

func normalize(t *testing.T, s emulator.State) string {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
