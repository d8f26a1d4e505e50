package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// defaultOperationTimeout bounds an operation whose timeouts block leaves it
// unset. One request is bounded by request_timeout and its retries by the
// client's total wait; this bounds everything an operation does, searches
// after a lost create included.
const defaultOperationTimeout = 10 * time.Minute

// timeoutsDescription is appended to each resource's timeouts block.
const timeoutsDescription = "How long an operation may take, including retries, as a Go duration such as `30s` or `5m` (default 10m). When it runs out, the operation fails with the last error."

// withTimeout bounds ctx by the configured timeout of one operation;
// readTimeout is one of a timeouts.Value's methods (Create, Update, Delete).
func withTimeout(ctx context.Context, readTimeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics)) (context.Context, context.CancelFunc, diag.Diagnostics) {
	d, diags := readTimeout(ctx, defaultOperationTimeout)
	if diags.HasError() {
		return ctx, func() {}, diags
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, diags
}

func timeoutsOpts(create, update, del bool) timeouts.Opts {
	return timeouts.Opts{Create: create, Update: update, Delete: del, CreateDescription: timeoutsDescription, UpdateDescription: timeoutsDescription, DeleteDescription: timeoutsDescription}
}

// errInvalidTimeout stands in for an unparsable timeouts value, which the
// block's own validator reports while planning.
var errInvalidTimeout = errors.New("the timeouts block holds a value that is not a Go duration")
