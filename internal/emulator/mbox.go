package emulator

import (
	"reflect"
	"strings"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// messageTypeDefault is in seed 000's enum of types without a description;
// the emulator delivers it as plain text (API.md).
const messageTypeDefault = "DEFAULT"

var (
	messageTypes = []string{messageTypeDefault, workplus.MessageTypeText, workplus.MessageTypeImage, workplus.MessageTypeFile, workplus.MessageTypeArticle, workplus.MessageTypeTemplate}
	platforms    = []string{workplus.PlatformAndroid, workplus.PlatformIOS, workplus.PlatformPC}
	textStyles   = []string{"normal", "bold"}
)

// expectDelay is how far ahead the vendor's example puts expect_time.
const expectDelay = 30 * time.Minute

// sendAppMessage accepts POST /v1/apps/mbox: it resolves the recipients to
// employees, records the message and answers the push plan.
func (e *Emulator) sendAppMessage(c *call) (any, error) {
	sourceType, aerr := queryEnum(c.r, "source_type", workplus.SourceTypeNative, sourceTypes)
	if aerr != nil {
		return nil, aerr
	}
	forAll, aerr := queryBool(c.r, "for_all")
	if aerr != nil {
		return nil, aerr
	}
	var msg workplus.AppMessage
	if aerr := e.decodeVendor(c, &msg); aerr != nil {
		return nil, aerr
	}
	if aerr := checkAppMessage(&msg); aerr != nil {
		return nil, aerr
	}
	// for_all counts only when no recipients are listed (seed 000); the
	// record says what was done, not what was asked.
	noRecipients := len(msg.ClientIDs) == 0 && len(msg.Usernames) == 0 && len(msg.Scopes) == 0
	forAll = (forAll || (msg.ForAll != nil && *msg.ForAll)) && noRecipients

	e.mu.Lock()
	defer e.mu.Unlock()
	if msg.Type == workplus.MessageTypeTemplate {
		if err := e.checkTemplateData(c, msg.Body); err != nil {
			return nil, err
		}
	}
	recipients, aerr := e.st.recipients(c.org.ID, msg, forAll)
	if aerr != nil {
		return nil, aerr
	}
	now := c.now.UnixMilli()
	plan := workplus.PushPlan{
		DomainID:    c.org.DomainID,
		OrgID:       c.org.ID,
		ID:          newUUID(),
		AppID:       c.app.ID,
		MaterialID:  newUUID(),
		Expects:     len(recipients),
		Oks:         len(recipients),
		CreateTime:  now,
		RefreshTime: now,
		ExpectTime:  c.now.Add(expectDelay).UnixMilli(),
		Scopes:      append([]string{}, msg.Scopes...),
		ClientIDs:   make([]string, len(recipients)),
	}
	for i, r := range recipients {
		plan.ClientIDs[i] = r.OrgPath + r.ClientID
	}
	record := AppMessageRecord{ID: plan.ID, AppID: c.app.ID, SourceType: sourceType, ForAll: forAll, Request: msg, Plan: plan}
	if err := e.commit(put(bucketAppMessages, record.ID, record)); err != nil {
		return nil, err
	}
	return e.shapePushPlan(plan), nil
}

// checkAppMessage validates what needs no state and normalises the enums:
// the vendor lists types in both cases, so any case is accepted and stored
// upper-case; platforms default to IOS and ANDROID.
func checkAppMessage(msg *workplus.AppMessage) *apiError {
	if msg.Type == "" {
		return badRequest("missing type")
	}
	if t := strings.ToUpper(msg.Type); oneOf(t, messageTypes) {
		msg.Type = t
	} else {
		return badRequest("field type: %s", enumMessage(msg.Type, messageTypes))
	}
	if reflect.ValueOf(msg.Body).IsZero() {
		return badRequest("missing body")
	}
	if len(msg.Platforms) == 0 {
		msg.Platforms = []string{workplus.PlatformIOS, workplus.PlatformAndroid}
	}
	for i, p := range msg.Platforms {
		if up := strings.ToUpper(p); oneOf(up, platforms) {
			msg.Platforms[i] = up
		} else {
			return badRequest("field platforms[%d]: %s", i, enumMessage(p, platforms))
		}
	}
	for i, s := range msg.Scopes {
		if !strings.HasPrefix(s, "/") {
			return badRequest("field scopes[%d]: %q is not an org path like /122/234/", i, s)
		}
	}
	return nil
}

// checkTemplateData validates a TEMPLATE message against its template: every
// data key must be one of the template's placeholders. The caller holds e.mu.
func (e *Emulator) checkTemplateData(c *call, body workplus.AppMessageBody) error {
	if body.TemplateID == "" {
		return badRequest("missing body.template_id")
	}
	rec, ok := e.st.templates.get(body.TemplateID)
	if !ok || rec.t.OrgID != c.org.ID {
		return errNoTemplate
	}
	if len(body.Data) == 0 {
		return badRequest("missing body.data")
	}
	names := workplus.Placeholders(rec.t.Contents)
	for i, d := range body.Data {
		if !oneOf(d.Key, names) {
			return badRequest("field body.data[%d].key: %q is not a placeholder of template %s (placeholders: %s)",
				i, d.Key, rec.t.ID, strings.Join(names, ", "))
		}
		if d.TextStyle != "" && !oneOf(d.TextStyle, textStyles) {
			return badRequest("field body.data[%d].text_style: %s", i, enumMessage(d.TextStyle, textStyles))
		}
	}
	return nil
}

// recipients resolves client ids, usernames and scopes to the org's
// employees, each once, in the order asked. for_all counts only when no list
// is given, as the vendor documents.
func (m *memState) recipients(orgID string, msg workplus.AppMessage, forAll bool) ([]Employee, *apiError) {
	var out []Employee
	seen := map[string]bool{}
	add := func(e Employee) {
		if !seen[e.ClientID] {
			seen[e.ClientID] = true
			out = append(out, e)
		}
	}
	if len(msg.ClientIDs) == 0 && len(msg.Usernames) == 0 && len(msg.Scopes) == 0 {
		if !forAll {
			return nil, badRequest("no recipients: set client_ids, usernames or scopes, or for_all=true")
		}
		for _, e := range m.employees.list {
			if e.val.OrgID == orgID {
				add(e.val)
			}
		}
		return out, nil
	}
	for _, id := range msg.ClientIDs {
		e, ok := m.employees.get(id)
		if !ok || e.OrgID != orgID {
			return nil, errNoSuchEmpl
		}
		add(e)
	}
	for _, name := range msg.Usernames {
		e, ok := m.employees.get(m.usernames[name])
		if !ok || e.OrgID != orgID {
			return nil, errNoSuchEmpl
		}
		add(e)
	}
	for _, scope := range msg.Scopes {
		if !strings.HasSuffix(scope, "/") {
			scope += "/"
		}
		matched := false
		for _, e := range m.employees.list {
			if e.val.OrgID == orgID && strings.HasPrefix(e.val.OrgPath, scope) {
				matched = true
				add(e.val)
			}
		}
		if !matched {
			return nil, errNoSuchEmpl
		}
	}
	return out, nil
}
