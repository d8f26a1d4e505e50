package workplus

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ListTemplatesInput selects a page of templates.
type ListTemplatesInput struct {
	Keyword string
	Skip    int
	Limit   int
}

// ListTemplates reads one page of GET /v1/templates.
func (c *Client) ListTemplates(ctx context.Context, in ListTemplatesInput) (*TemplatePage, error) {
	query := url.Values{}
	if in.Keyword != "" {
		query.Set("kw", in.Keyword)
	}
	query.Set("skip", strconv.Itoa(in.Skip))
	if in.Limit > 0 {
		query.Set("limit", strconv.Itoa(in.Limit))
	}
	var page TemplatePage
	err := c.do(ctx, call{api: openAPI, method: "GET", path: "/v1/templates", query: query, out: &page, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &page, nil
}

// ListAllTemplates reads every page matching keyword, asking for pageSize
// records a page (see EachTemplate).
func (c *Client) ListAllTemplates(ctx context.Context, keyword string, pageSize int) ([]Template, error) {
	var all []Template
	for t, err := range c.EachTemplate(ctx, keyword, pageSize) {
		if err != nil {
			return nil, err
		}
		all = append(all, t)
	}
	return all, nil
}

// EachTemplate yields the templates matching keyword, reading a page when the
// one before is used up and no page after the caller stops, asking for
// pageSize records a page. A server may cap the page lower than asked; the
// first page shows the cap, and later pages use it, so N templates take
// ceil(N/cap) requests. Paging stops once total_count records are read or a
// page comes back shorter than the server's page size. An error is yielded
// once, last.
func (c *Client) EachTemplate(ctx context.Context, keyword string, pageSize int) iter.Seq2[Template, error] {
	return func(yield func(Template, error) bool) {
		read, effective := 0, pageSize
		for {
			page, err := c.ListTemplates(ctx, ListTemplatesInput{Keyword: keyword, Skip: read, Limit: pageSize})
			if err != nil {
				yield(Template{}, err)
				return
			}
			for _, t := range page.Records {
				if !yield(t, nil) {
					return
				}
			}
			got := len(page.Records)
			firstPage := read == 0
			read += got
			if got == 0 || read >= page.TotalCount {
				return
			}
			if firstPage && got < effective {
				effective = got // the server capped the first page
				continue
			}
			if got < effective {
				return
			}
		}
	}
}

// CompleteTemplate returns a listed template whole: t itself when the list
// answer showed all of it, else the template read by id. It returns nil and
// no error when the template was deleted after it was listed.
func (c *Client) CompleteTemplate(ctx context.Context, t Template) (*Template, error) {
	if !t.Partial {
		return &t, nil
	}
	full, err := c.GetTemplate(ctx, t.ID)
	if IsNotFound(err) {
		return nil, nil
	}
	return full, err
}

// GetTemplate reads one template.
func (c *Client) GetTemplate(ctx context.Context, id string) (*Template, error) {
	var t Template
	err := c.do(ctx, call{api: openAPI, method: "GET", path: "/v1/templates/" + url.PathEscape(id), out: &t, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func templateQuery(appID, sourceType string) url.Values {
	query := url.Values{"app_id": {appID}}
	if sourceType != "" {
		query.Set("source_type", sourceType)
	}
	return query
}

// CreateTemplate creates a template.
//
// Creating is not idempotent, and the API has no idempotency key for
// templates, so nothing the server answers can prove which writer made a
// template with given content. The transport re-sends a create only where
// the request provably never reached the server (the connection could not
// be made) or the server refused it (429, a rejected token). After any other
// failure (a connection lost after the request was written, a 5xx) the
// template may or may not exist, and CreateTemplate never adopts one: an
// identical template may belong to another resource, provider alias or
// workspace that created the same content at the same moment (issue 19). It
// sends nothing more and returns an *AmbiguousCreateError that names the
// templates with this content created since the call began, by the server's
// clock, each with its import command.
func (c *Client) CreateTemplate(ctx context.Context, appID, sourceType string, in TemplateInput) (*Template, error) {
	began := time.Now()
	var t Template
	err := c.do(ctx, call{api: openAPI, method: "POST", path: "/v1/templates", query: templateQuery(appID, sourceType), body: in, out: &t})
	if err == nil {
		return &t, nil
	}
	if !mayHaveCreated(err) {
		return nil, err
	}
	return nil, c.describeUnknownCreate(ctx, appID, in, began, err)
}

// mayHaveCreated reports a create failure after which the template may exist.
func mayHaveCreated(err error) bool {
	if IsAmbiguous(err) {
		return true
	}
	var apiErr *APIError
	return errors.As(err, &apiErr) && isRetryableStatus(apiErr, true) && !isRateLimited(apiErr)
}

// searchBudget bounds the search after an ambiguous create when the caller's
// own deadline has already passed: the search only reads, and without it the
// user learns nothing about what the lost request did.
const searchBudget = 30 * time.Second

// describeUnknownCreate lists, for the user to decide, the templates that
// the create that failed with createErr may have made.
func (c *Client) describeUnknownCreate(ctx context.Context, appID string, in TemplateInput, began time.Time, createErr error) *AmbiguousCreateError {
	fail := &AmbiguousCreateError{Title: in.Title, AppID: appID, Err: createErr}
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), searchBudget)
		defer cancel()
	}
	candidates, unprovable, err := c.findCreatedTemplates(ctx, appID, in)
	// After the search: its answers' Date headers may be the first the
	// client has seen, and they bound the server's clock at began too.
	since, known := c.clock.atLeast(began)
	if known {
		fail.Since = since.UTC().Truncate(time.Second)
	}
	if err != nil {
		fail.SearchErr = err
		return fail
	}
	for _, t := range candidates {
		// since is never later than the server's clock when the call
		// began (serverClock), so no template this call made is left out.
		if !known || t.CreateTime >= since.UnixMilli() {
			fail.Candidates = append(fail.Candidates, t.ID)
		}
	}
	fail.Candidates = append(fail.Candidates, unprovable...)
	sort.Strings(fail.Candidates)
	switch {
	case !known:
		fail.Reason = "the server's answers carry no Date header, so the list holds every template with this content, whenever it was created"
	case len(unprovable) > 0:
		fail.Reason = "the server's list shows no create time for " + strings.Join(unprovable, ", ") + ", so they are listed whenever they were created"
	}
	return fail
}

// findCreatedTemplates returns the templates of appID whose content equals
// in, and the ids of those among them whose list record shows no create
// time. Seed 001's list records have no tags and app_id "DEFAULT", so the
// list only narrows by title and the fields it shows; a remaining record
// that does not show its tags and app is read with GET (CompleteTemplate).
// The create time comes from the list: seed 001 shows it as 0 in GET answers.
func (c *Client) findCreatedTemplates(ctx context.Context, appID string, in TemplateInput) ([]*Template, []string, error) {
	listed, err := c.ListAllTemplates(ctx, in.Title, DefaultPageSize)
	if err != nil {
		return nil, nil, err
	}
	var matches []*Template
	var unprovable []string
	for _, record := range listed {
		if !sameListedContent(record, in) {
			continue
		}
		full, err := c.CompleteTemplate(ctx, record)
		if err != nil {
			return nil, nil, err
		}
		if full == nil {
			continue // deleted since it was listed
		}
		if full.AppID != appID || !SameContent(full.Input(), in) {
			continue
		}
		if record.CreateTime == 0 {
			unprovable = append(unprovable, record.ID)
			continue
		}
		full.CreateTime = record.CreateTime
		if full.RefreshTime == 0 {
			full.RefreshTime = record.RefreshTime
		}
		matches = append(matches, full)
	}
	return matches, unprovable, nil
}

// sameListedContent compares what a list record shows of a template (seed
// 001: no tags) with in.
func sameListedContent(record Template, in TemplateInput) bool {
	listed := record.Input()
	listed.Tags = in.Tags
	return SameContent(listed, in)
}

// DefaultPageSize is the page size asked for when the caller has no preference.
const DefaultPageSize = 100

// SameContent reports whether two template inputs would render the same
// template, treating nil and empty lists alike.
func SameContent(a, b TemplateInput) bool {
	return a.Title == b.Title && a.Tags == b.Tags && a.Sample == b.Sample &&
		(len(a.Actions) == 0 && len(b.Actions) == 0 || reflect.DeepEqual(a.Actions, b.Actions)) &&
		(len(a.Contents) == 0 && len(b.Contents) == 0 || reflect.DeepEqual(a.Contents, b.Contents))
}

// UpdateTemplate replaces every mutable field of a template. Sending the full
// object makes it idempotent, so it is retried like a read.
func (c *Client) UpdateTemplate(ctx context.Context, id, appID, sourceType string, in TemplateInput) (*Template, error) {
	var t Template
	err := c.do(ctx, call{api: openAPI, method: "POST", path: "/v1/templates/" + url.PathEscape(id), query: templateQuery(appID, sourceType), body: in, out: &t, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// DeleteTemplate deletes a template through the DELETE extension (API.md).
// Callers check IsNotFound and IsMethodNotAllowed.
func (c *Client) DeleteTemplate(ctx context.Context, id string) error {
	return c.do(ctx, call{api: openAPI, method: "DELETE", path: "/v1/templates/" + url.PathEscape(id), idempotent: true})
}
