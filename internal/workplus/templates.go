package workplus

import (
	"context"
	"iter"
	"net/url"
	"reflect"
	"strconv"
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

// CreateTemplate creates a template. Creating is not idempotent, so a failure
// after the request may have reached the server (a dropped connection, a 5xx)
// is never answered by blindly creating again: the server is first searched
// for the template this call meant to create, one created no earlier than
// this call began, allowing for clock skew. Only when it is absent is the
// create sent again. A template with identical content that someone else
// created within that window would be adopted; that is the price of never
// creating duplicates, and identical templates are pointless anyway.
func (c *Client) CreateTemplate(ctx context.Context, appID, sourceType string, in TemplateInput) (*Template, error) {
	began := time.Now().Add(-createClockSkew)
	for attempt := 1; ; attempt++ {
		var t Template
		err := c.do(ctx, call{api: openAPI, method: "POST", path: "/v1/templates", query: templateQuery(appID, sourceType), body: in, out: &t})
		if err == nil {
			return &t, nil
		}
		if !mayHaveCreated(err) || attempt > max(c.retry.maxRetries, 0) {
			return nil, err
		}
		found, findErr := c.findCreatedTemplate(ctx, appID, in, began)
		if findErr != nil {
			return nil, err
		}
		if found != nil {
			return found, nil
		}
		if waitErr := sleep(ctx, c.retry.backoff(attempt)); waitErr != nil {
			return nil, err
		}
	}
}

// createClockSkew is how far the server's clock may run behind ours when
// matching a template's create_time against the start of a create.
const createClockSkew = 5 * time.Minute

// mayHaveCreated reports a create failure after which the template may exist.
func mayHaveCreated(err error) bool {
	if IsAmbiguous(err) {
		return true
	}
	apiErr, ok := err.(*APIError)
	return ok && isRetryableStatus(apiErr, true)
}

func (c *Client) findCreatedTemplate(ctx context.Context, appID string, in TemplateInput, since time.Time) (*Template, error) {
	candidates, err := c.ListAllTemplates(ctx, in.Title, DefaultPageSize)
	if err != nil {
		return nil, err
	}
	var newest *Template
	for i := range candidates {
		t := &candidates[i]
		if t.AppID != appID || t.CreateTime < since.UnixMilli() || !SameContent(t.Input(), in) {
			continue
		}
		if newest == nil || t.CreateTime > newest.CreateTime {
			newest = t
		}
	}
	return newest, nil
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
