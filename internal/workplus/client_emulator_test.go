package workplus_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// These tests run the client against the in-process emulator, so both sides
// of the contract are checked together.

func newClient(t *testing.T, url string, mutate ...func(*workplus.Config)) *workplus.Client {
	t.Helper()
	cfg := workplus.Config{Endpoint: url, AccessToken: emulator.DemoAccessToken, MaxRetries: -1}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := workplus.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClient_templateEndpoints(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{emulator.StatusModeHTTP, emulator.StatusModeAlways200} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			emu := emulatortest.Start(t, emulator.Options{StatusMode: mode})
			c := newClient(t, emu.URL)
			ctx := t.Context()
			in := workplus.TemplateInput{
				Title: "接口模板2", Tags: "标签信息", Sample: "消息示例",
				Actions:  []workplus.TemplateAction{{Name: "查看详情", Value: "https://baidu.com"}},
				Contents: [][]workplus.TemplateCell{{{Content: "我是第一行:{{data1.DATA}}", Align: workplus.AlignCenter}}},
			}
			created, err := c.CreateTemplate(ctx, emulator.DemoAppID, workplus.SourceTypeNative, in)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if created.ID == "" || created.AppID != emulator.DemoAppID || created.DomainID != emulator.DemoDomainID || created.CreateTime == 0 || !workplus.SameContent(created.Input(), in) {
				t.Fatalf("created = %+v", created)
			}
			got, err := c.GetTemplate(ctx, created.ID)
			if err != nil || !workplus.SameContent(got.Input(), in) {
				t.Fatalf("get = %+v, %v", got, err)
			}
			in.Title = "接口模板3"
			updated, err := c.UpdateTemplate(ctx, created.ID, emulator.DemoAppID, "", in)
			if err != nil || updated.Title != "接口模板3" || updated.ID != created.ID {
				t.Fatalf("update = %+v, %v", updated, err)
			}
			page, err := c.ListTemplates(ctx, workplus.ListTemplatesInput{Keyword: "接口模板", Limit: 10})
			if err != nil || page.TotalCount != 1 || len(page.Records) != 1 {
				t.Fatalf("list = %+v, %v", page, err)
			}
			if err := c.DeleteTemplate(ctx, created.ID); err != nil {
				t.Fatalf("delete: %v", err)
			}
			_, err = c.GetTemplate(ctx, created.ID)
			if !workplus.IsNotFound(err) {
				t.Fatalf("get after delete = %v, want not found", err)
			}
			if err := c.DeleteTemplate(ctx, created.ID); !workplus.IsNotFound(err) {
				t.Fatalf("second delete = %v, want not found", err)
			}
		})
	}
}

func TestClient_deleteOnAServerWithoutIt(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{DisableDelete: true})
	err := newClient(t, emu.URL).DeleteTemplate(t.Context(), emulator.DefaultSeed().Templates[0].ID)
	if !workplus.IsMethodNotAllowed(err) {
		t.Fatalf("delete = %v, want method not allowed", err)
	}
}

func TestClient_appMessages(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	c := newClient(t, emu.URL)
	seed := emulator.DefaultSeed()
	employee := seed.Employees[0]
	plan, err := c.SendAppMessage(t.Context(), "", workplus.AppMessage{
		Type: workplus.MessageTypeText, Body: workplus.AppMessageBody{Content: "hello"},
		ClientIDs: []string{employee.ClientID}, Platforms: []string{workplus.PlatformAndroid},
	})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if plan.ID == "" || plan.MaterialID == "" || plan.Expects != 1 || plan.Oks != 1 || len(plan.ClientIDs) != 1 || plan.ClientIDs[0] != employee.OrgPath+employee.ClientID {
		t.Errorf("plan = %+v", plan)
	}
	tpl := seed.Templates[1]
	forAll := true
	plan, err = c.SendAppMessage(t.Context(), "", workplus.AppMessage{
		Type: workplus.MessageTypeTemplate, ForAll: &forAll,
		Body: workplus.AppMessageBody{TemplateID: tpl.ID, Data: []workplus.TemplateData{{Key: "week", Value: "12"}, {Key: "owner", Value: "ops"}}, TopColor: "#00ff00"},
	})
	if err != nil || plan.Expects != len(seed.Employees) {
		t.Errorf("template message to all = %+v, %v", plan, err)
	}
	_, err = c.SendAppMessage(t.Context(), "", workplus.AppMessage{
		Type: workplus.MessageTypeText, Body: workplus.AppMessageBody{Content: "x"}, ClientIDs: []string{"nobody"},
	})
	if !workplus.IsNoSuchEmployee(err) {
		t.Errorf("unknown recipient = %v, want 202012", err)
	}
	if emu.Emulator.AppMessageCount() != 2 {
		t.Errorf("app messages = %d, want 2", emu.Emulator.AppMessageCount())
	}
}

func TestClient_pushEndpoints(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	c := newClient(t, emu.URL)
	ctx := t.Context()

	cert, err := c.GetCertificate(ctx, emulator.DemoAppID, workplus.VendorAPNs, workplus.EnvironmentProduction)
	if err != nil || cert.Certificate == "" || cert.Name == "" {
		t.Fatalf("apns certificate = %+v, %v", cert, err)
	}
	_, err = c.GetCertificate(ctx, emulator.DemoAppID, workplus.VendorMeizu, workplus.EnvironmentProduction)
	if !workplus.IsNotFound(err) {
		t.Fatalf("unconfigured meizu = %v, want not found", err)
	}

	req := workplus.NotifyRequest{
		Audience: workplus.Audience{All: true},
		Setting:  &workplus.PushSetting{RequestID: "deploy-42"},
		Message:  workplus.PushMessage{Type: workplus.PushTypeText, Title: "Deploy", Body: "done"},
	}
	first, err := c.Notify(ctx, emulator.DemoAppID, req)
	if err != nil || first.TaskID == 0 {
		t.Fatalf("notify = %+v, %v", first, err)
	}
	again, err := c.Notify(ctx, emulator.DemoAppID, req)
	if err != nil || again.TaskID != first.TaskID || emu.Emulator.PushTaskCount() != 1 {
		t.Fatalf("repeated request_id: task %d (first %d), %d tasks", again.TaskID, first.TaskID, emu.Emulator.PushTaskCount())
	}
	details, err := c.TaskDetails(ctx, emulator.DemoAppID, []int64{first.TaskID, 9999})
	if err != nil || len(details) != 1 || details[0].TaskID != first.TaskID {
		t.Fatalf("task detail = %+v, %v", details, err)
	}
	var target int64
	for _, ch := range details[0].Channels() {
		target += ch.Target
	}
	if target == 0 {
		t.Errorf("a push to all devices targeted none: %+v", details[0])
	}
}

func TestClient_credentialsTokenRenewedAfterExpiry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	emu := emulatortest.Start(t, emulator.Options{TokenTTL: time.Hour, Now: clock})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) {
		cfg.AccessToken = ""
		cfg.Credentials = &workplus.ClientCredentials{
			DomainID: emulator.DemoDomainID, OrgID: emulator.DemoOrgID,
			ClientID: emulator.DemoClientID, ClientSecret: emulator.DemoClientSecret,
		}
	})
	for range 3 {
		if _, err := c.ListTemplates(t.Context(), workplus.ListTemplatesInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := emu.Emulator.RouteCounts()["POST /v1/token"]; n != 1 {
		t.Fatalf("tokens fetched = %d, want 1", n)
	}
	// The server's clock moves past the token's life; the client's does not,
	// so only the server's 10011 tells the client to renew.
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	if _, err := c.ListTemplates(t.Context(), workplus.ListTemplatesInput{}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := emu.Emulator.RouteCounts()["POST /v1/token"]; n != 2 {
		t.Errorf("tokens fetched = %d, want 2", n)
	}

	bad := newClient(t, emu.URL, func(cfg *workplus.Config) {
		cfg.AccessToken = ""
		cfg.Credentials = &workplus.ClientCredentials{ClientID: emulator.DemoClientID, ClientSecret: "wrong"}
	})
	_, err := bad.ListTemplates(t.Context(), workplus.ListTemplatesInput{})
	var apiErr *workplus.APIError
	if !errors.As(err, &apiErr) || apiErr.Endpoint != "/v1/token" || apiErr.HTTPStatus != 401 {
		t.Errorf("wrong secret = %v", err)
	}
}

func TestClient_staticTokenRejected(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	_, err := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.AccessToken = "expired" }).
		GetCertificate(t.Context(), emulator.DemoAppID, workplus.VendorAPNs, 1)
	if !workplus.IsTokenRejected(err) {
		t.Fatalf("err = %v, want 10011", err)
	}
}
