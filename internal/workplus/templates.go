package workplus

import (
	"context"
	"errors"
	"fmt"
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
// Creating is not idempotent. The transport re-sends a create only where the
// request provably never reached the server (the connection was refused) or
// the server refused it (429). After any other failure (a connection lost
// after the request was written, a 5xx) the template may or may not exist,
// and CreateTemplate adopts one only on proof:
//   - exactly one candidate: a template of appID whose every field equals in
//     (read with GET, because a list record need not show tags or the app);
//   - created after this call began, on the server's clock: the offset of
//     that clock comes from the Date headers of the server's answers (see
//     serverClock). Without a Date header there is no proof;
//   - not claimed by another resource of this process (ClaimTemplate).
//
// In every other case it sends nothing more and returns an
// *AmbiguousCreateError that names the candidates and the import command.
//
// What remains unproven is the Date header's one-second precision: a twin
// that someone else created in the second before this call began, while
// this call's own request was lost before the server acted on it, would be
// adopted. Both conditions together, with identical content in the same app,
// are the residual risk; every wider case fails instead.
func (c *Client) CreateTemplate(ctx context.Context, appID, sourceType string, in TemplateInput) (*Template, error) {
	began := time.Now()
	var t Template
	err := c.do(ctx, call{api: openAPI, method: "POST", path: "/v1/templates", query: templateQuery(appID, sourceType), body: in, out: &t})
	if err == nil {
		c.ClaimTemplate(t.ID)
		return &t, nil
	}
	if !mayHaveCreated(err) {
		return nil, err
	}
	return c.adoptCreatedTemplate(ctx, appID, in, began, err)
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

// adoptCreatedTemplate applies CreateTemplate's rule after createErr.
func (c *Client) adoptCreatedTemplate(ctx context.Context, appID string, in TemplateInput, began time.Time, createErr error) (*Template, error) {
	fail := &AmbiguousCreateError{Title: in.Title, AppID: appID, Err: createErr}
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), searchBudget)
		defer cancel()
	}
	candidates, unprovable, err := c.findCreatedTemplates(ctx, appID, in)
	if err != nil {
		fail.Reason = "searching the server for it failed: " + err.Error()
		return nil, fail
	}
	since, known := c.clock.atLeast(began)
	if !known {
		fail.Candidates = append(ids(candidates), unprovable...)
		sort.Strings(fail.Candidates)
		fail.Reason = "the server's answers carry no Date header, so its create times cannot be compared with when this call began"
		return nil, fail
	}
	var recent []*Template
	for _, t := range candidates {
		if t.CreateTime >= since.UnixMilli() {
			recent = append(recent, t)
		}
	}
	var free []*Template
	for _, t := range recent {
		if claimed := c.claims.owned(t.ID); claimed {
			fail.Claimed = append(fail.Claimed, t.ID)
			continue
		}
		free = append(free, t)
	}
	fail.Candidates = append(ids(free), unprovable...)
	sort.Strings(fail.Candidates)
	switch {
	case len(unprovable) > 0:
		fail.Reason = "the server's list shows no create time for " + strings.Join(unprovable, ", ")
	case len(free) == 0 && len(fail.Claimed) > 0:
		fail.Reason = "the only templates with this content created since the call began already belong to other resources of this run"
	case len(free) == 0:
		fail.Reason = "no template with this content was created in the app since the call began"
	case len(free) > 1:
		fail.Reason = fmt.Sprintf("%d templates with this content were created in the app since the call began", len(free))
	case !c.claims.claim(free[0].ID):
		fail.Reason = "the only candidate was claimed by another resource of this run meanwhile"
	default:
		return free[0], nil
	}
	return nil, fail
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

func ids(templates []*Template) []string {
	out := make([]string, 0, len(templates))
	for _, t := range templates {
		out = append(out, t.ID)
	}
	return out
}

// ClaimTemplate records that a resource of this process manages template
// id, so an ambiguous create never adopts it.
func (c *Client) ClaimTemplate(id string) {
	c.claims.claim(id)
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
