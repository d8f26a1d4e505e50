package emulator

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// templateType is the type the vendor gives templates created through the
// Open API.
const templateType = "DEFAULT"

var (
	sourceTypes = []string{workplus.SourceTypeNative, workplus.SourceTypeISV}
	aligns      = []string{workplus.AlignLeft, workplus.AlignRight, workplus.AlignCenter}
)

// listTemplates pages through the caller's org's templates in creation order.
// Without kw a page is a slice of the org's list; with kw it is one pass over
// precomputed lower-case fields.
func (e *Emulator) listTemplates(c *call) (any, error) {
	q := c.r.URL.Query()
	skip, err := queryInt(c.r, "skip", 0, 0)
	if err != nil {
		return nil, err
	}
	limit, err := queryInt(c.r, "limit", 10, 0)
	if err != nil {
		return nil, err
	}
	limit = min(limit, e.opts.MaxPageSize)
	kw := strings.ToLower(q.Get("kw"))

	e.mu.RLock()
	defer e.mu.RUnlock()
	all := e.st.templatesByOrg[c.org.ID]
	page := workplus.TemplatePage{Records: []workplus.Template{}}
	if kw == "" {
		page.TotalCount = len(all)
		for _, rec := range all[min(skip, len(all)):min(skip+limit, len(all))] {
			page.Records = append(page.Records, rec.val.t)
		}
		return page, nil
	}
	for _, rec := range all {
		if !strings.Contains(rec.val.title, kw) && !strings.Contains(rec.val.tags, kw) {
			continue
		}
		if page.TotalCount >= skip && len(page.Records) < limit {
			page.Records = append(page.Records, rec.val.t)
		}
		page.TotalCount++
	}
	return page, nil
}

func (e *Emulator) getTemplate(c *call) (any, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	t, err := e.orgTemplate(c)
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (e *Emulator) createTemplate(c *call) (any, error) {
	app, err := e.queryApp(c, true)
	if err != nil {
		return nil, err
	}
	in, err := decodeTemplateInput(c)
	if err != nil {
		return nil, err
	}
	now := c.now.UnixMilli()
	t := workplus.Template{
		ID:          newUUID(),
		DomainID:    c.org.DomainID,
		OrgID:       app.OrgID,
		AppID:       app.ID,
		Type:        templateType,
		Operator:    app.ID,
		CreateTime:  now,
		RefreshTime: now,
	}
	setInput(&t, in)

	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.commit(putTemplate(t)); err != nil {
		return nil, err
	}
	return t, nil
}

// updateTemplate replaces every mutable field (API.md). app_id is optional
// here, as the vendor's own example leaves it out; when given, it must be an
// app of the org and becomes the operator.
func (e *Emulator) updateTemplate(c *call) (any, error) {
	app, err := e.queryApp(c, false)
	if err != nil {
		return nil, err
	}
	in, err := decodeTemplateInput(c)
	if err != nil {
		return nil, err
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	t, err := e.orgTemplate(c)
	if err != nil {
		return nil, err
	}
	setInput(&t, in)
	t.RefreshTime = c.now.UnixMilli()
	if app.ID != "" {
		t.Operator = app.ID
	}
	if err := e.commit(putTemplate(t)); err != nil {
		return nil, err
	}
	return t, nil
}

// deleteTemplate is the emulator's extension (API.md); result null.
func (e *Emulator) deleteTemplate(c *call) (any, error) {
	if e.opts.DisableDelete {
		return nil, &apiError{HTTP: http.StatusMethodNotAllowed, Message: "deleting templates is not supported by this server."}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, err := e.orgTemplate(c)
	if err != nil {
		return nil, err
	}
	if err := e.commit(del(bucketTemplates, t.ID)); err != nil {
		return nil, err
	}
	return nil, nil
}

// orgTemplate finds the {id} template of the caller's org; other orgs'
// templates do not exist for the caller. The caller holds e.mu.
func (e *Emulator) orgTemplate(c *call) (workplus.Template, error) {
	rec, ok := e.st.templates.get(c.id)
	if !ok || rec.t.OrgID != c.org.ID {
		return workplus.Template{}, errNoTemplate
	}
	return rec.t, nil
}

// queryApp reads the app_id and source_type query parameters of template
// writes. app_id must name an app of the caller's org.
func (e *Emulator) queryApp(c *call, required bool) (App, error) {
	if _, err := queryEnum(c.r, "source_type", workplus.SourceTypeNative, sourceTypes); err != nil {
		return App{}, err
	}
	id := c.r.URL.Query().Get("app_id")
	if id == "" {
		if required {
			return App{}, badRequest("missing query parameter app_id.")
		}
		return App{}, nil
	}
	e.mu.RLock()
	app, ok := e.st.apps.get(id)
	e.mu.RUnlock()
	if !ok || app.OrgID != c.org.ID {
		return App{}, badRequest("query parameter app_id: no app %q in the token's organisation.", id)
	}
	return app, nil
}

func decodeTemplateInput(c *call) (workplus.TemplateInput, error) {
	var in workplus.TemplateInput
	if err := decodeJSON(c.r.Body, &in); err != nil {
		return in, err
	}
	if err := validateContents(in.Contents); err != nil {
		return in, badRequest("%v", err)
	}
	return in, nil
}

// validateContents checks what the vendor documents as an enum: every cell's
// alignment, which may also be left out (seed 001; API.md).
func validateContents(contents [][]workplus.TemplateCell) error {
	for i, row := range contents {
		for j, cell := range row {
			if cell.Align != "" && !oneOf(cell.Align, aligns) {
				return fmt.Errorf("contents[%d][%d].align: %s", i, j, enumMessage(cell.Align, aligns))
			}
		}
	}
	return nil
}

func setInput(t *workplus.Template, in workplus.TemplateInput) {
	t.Title, t.Tags, t.Sample, t.Actions, t.Contents = in.Title, in.Tags, in.Sample, in.Actions, in.Contents
	normalizeTemplate(t)
}

// normalizeTemplate turns absent lists into empty ones, so answers always
// carry arrays where the vendor's do, never null.
func normalizeTemplate(t *workplus.Template) {
	if t.Actions == nil {
		t.Actions = []workplus.TemplateAction{}
	}
	if t.Contents == nil {
		t.Contents = [][]workplus.TemplateCell{}
	}
	for i, row := range t.Contents {
		if row == nil {
			t.Contents[i] = []workplus.TemplateCell{}
		}
	}
}
