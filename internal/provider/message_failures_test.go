package provider

import (
	"strings"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// TestPushFailure_adviceOnlyWhereARetryCanHelp: the advice to pin the
// request_id before trying again is given where the push may have gone
// out, not after the server judged it and refused it (issue #21 §1).
func TestPushFailure_adviceOnlyWhereARetryCanHelp(t *testing.T) {
	const requestID = "tf-00000000000000000000000000000001"
	for name, c := range map[string]struct {
		err       error
		wantRetry bool
	}{
		"refused":           {&workplus.APIError{Method: "POST", Endpoint: pushEndpoint, HTTPStatus: 400, Code: 400, HasCode: true, Message: "bad audience"}, false},
		"refused, HTTP 200": {&workplus.APIError{Method: "POST", Endpoint: pushEndpoint, HTTPStatus: 200, Code: 40000, HasCode: true, Message: "bad audience"}, false},
		"gateway":           {&workplus.APIError{Method: "POST", Endpoint: pushEndpoint, HTTPStatus: 502}, true},
		"lost answer":       {&workplus.AmbiguousError{Method: "POST", Endpoint: pushEndpoint}, true},
		"rate limited":      {&workplus.APIError{Method: "POST", Endpoint: pushEndpoint, HTTPStatus: 429, Code: 42900, HasCode: true}, true},
	} {
		_, detail := pushFailure(c.err, requestID, false, "in this action's configuration")
		if got := strings.Contains(detail, `request_id = "`+requestID+`"`); got != c.wantRetry {
			t.Errorf("%s: advice to set request_id given: %v, want %v:\n%s", name, got, c.wantRetry, detail)
		}
		if !c.wantRetry && !strings.Contains(detail, "nothing was pushed") {
			t.Errorf("%s: a refusal does not say that nothing was pushed:\n%s", name, detail)
		}
	}
}
