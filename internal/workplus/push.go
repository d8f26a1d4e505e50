package workplus

import (
	"context"
	"net/url"
	"strconv"
)

// GetCertificate reads the push certificate of one vendor and environment. A
// vendor that is not configured is an error for which IsNotFound is true.
func (c *Client) GetCertificate(ctx context.Context, appID string, vendor Vendor, environment int) (*Certificate, error) {
	query := url.Values{
		"provider":    {strconv.Itoa(int(vendor))},
		"environment": {strconv.Itoa(environment)},
	}
	var cert Certificate
	err := c.do(ctx, call{api: pushAPI, method: "GET", path: "/push/certificate", query: query, appID: appID, out: &cert, idempotent: true})
	if err != nil {
		return nil, err
	}
	return &cert, nil
}

// Notify sends a push notification. With setting.request_id set, the server
// de-duplicates, so the request is retried like an idempotent one; without it
// a retry could push twice, so it is not.
func (c *Client) Notify(ctx context.Context, appID string, req NotifyRequest) (*NotifyResult, error) {
	var result NotifyResult
	idempotent := req.Setting != nil && req.Setting.RequestID != ""
	err := c.do(ctx, call{api: pushAPI, method: "POST", path: "/push/notify", appID: appID, body: req, out: &result, idempotent: idempotent})
	if err != nil {
		return nil, err
	}
	return &result, nil
}

// TaskDetails reads the delivery statistics of push tasks. Unknown ids are
// absent from the answer.
func (c *Client) TaskDetails(ctx context.Context, appID string, taskIDs []int64) ([]TaskDetail, error) {
	var details []TaskDetail
	err := c.do(ctx, call{api: pushAPI, method: "POST", path: "/push/task/detail", appID: appID, body: TaskDetailRequest{List: taskIDs}, out: &details, idempotent: true})
	if err != nil {
		return nil, err
	}
	return details, nil
}
