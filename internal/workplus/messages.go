package workplus

import (
	"context"
	"errors"
	"net/url"
	"strconv"
)

var errNoCredentials = errors.New("the provider is configured with an access token; fetching a new token needs client_id and client_secret")

// SendAppMessage sends an app message (POST /v1/apps/mbox). It is not
// idempotent and the API has no request id, so after an ambiguous failure it
// is not sent again: the caller gets an *AmbiguousError and decides.
func (c *Client) SendAppMessage(ctx context.Context, sourceType string, msg AppMessage) (*PushPlan, error) {
	query := url.Values{}
	if sourceType != "" {
		query.Set("source_type", sourceType)
	}
	if msg.ForAll != nil {
		query.Set("for_all", strconv.FormatBool(*msg.ForAll))
	}
	var plan PushPlan
	err := c.do(ctx, call{api: openAPI, method: "POST", path: "/v1/apps/mbox", query: query, body: msg, out: &plan})
	if err != nil {
		return nil, err
	}
	return &plan, nil
}
