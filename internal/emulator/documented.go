package emulator

import "github.com/workplus/terraform-provider-workplus/internal/workplus"

// The documented-shape mode (Options.DocumentedShape) answers exactly as the
// seeds show, where that is thinner than the emulator's own answers (API.md,
// "Thinner answers"): templates as seed 001 shows them, the app message
// answer as seed 000 does. The Push API answers (seed 002) already carry
// exactly the fields its tables list and message null, so they need no hook.
// A client that works against this mode relies on nothing the vendor does
// not document.

// documentedListApp is the app_id seed 001 shows in every list record: the
// list does not say which app a template belongs to.
const documentedListApp = "DEFAULT"

// documentedListRecord is a template as seed 001's list shows it: no tags,
// no type, app_id "DEFAULT".
type documentedListRecord struct {
	ID          string                    `json:"id"`
	DomainID    string                    `json:"domain_id"`
	OrgID       string                    `json:"org_id"`
	AppID       string                    `json:"app_id"`
	Title       string                    `json:"title"`
	Sample      string                    `json:"sample"`
	Operator    string                    `json:"operator"`
	CreateTime  int64                     `json:"create_time"`
	RefreshTime int64                     `json:"refresh_time"`
	Actions     []workplus.TemplateAction `json:"actions"`
	Contents    [][]workplus.TemplateCell `json:"contents"`
}

type documentedPage struct {
	TotalCount int                    `json:"total_count"`
	Records    []documentedListRecord `json:"records"`
}

// shapeTemplatePage returns page as this emulator's mode answers it.
func (e *Emulator) shapeTemplatePage(page workplus.TemplatePage) any {
	if !e.opts.DocumentedShape {
		return page
	}
	out := documentedPage{TotalCount: page.TotalCount, Records: make([]documentedListRecord, 0, len(page.Records))}
	for _, t := range page.Records {
		out.Records = append(out.Records, documentedListRecord{
			ID: t.ID, DomainID: t.DomainID, OrgID: t.OrgID, AppID: documentedListApp,
			Title: t.Title, Sample: t.Sample, Operator: t.Operator,
			CreateTime: t.CreateTime, RefreshTime: t.RefreshTime,
			Actions: t.Actions, Contents: t.Contents,
		})
	}
	return out
}

// shapeTemplate returns a create, update or get answer as this emulator's
// mode answers it: seed 001 shows create_time and refresh_time as 0 there.
func (e *Emulator) shapeTemplate(t workplus.Template) any {
	if !e.opts.DocumentedShape {
		return t
	}
	t.CreateTime, t.RefreshTime = 0, 0
	return t
}

// shapePushPlan returns an app message's push plan (POST /v1/apps/mbox) as
// this emulator's mode answers it. Seed 000's only answer shows expects,
// fails and oks of 0 and refresh_time 0 for a message with a recipient in
// client_ids, so a client cannot count on the counters or that time.
func (e *Emulator) shapePushPlan(plan workplus.PushPlan) any {
	if !e.opts.DocumentedShape {
		return plan
	}
	plan.Expects, plan.Fails, plan.Oks, plan.RefreshTime = 0, 0, 0, 0
	return plan
}
