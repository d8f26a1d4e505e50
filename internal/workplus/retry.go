package workplus

import (
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// retryPolicy decides whether a failed attempt is sent again and after how long.
//
// The policy is our own rather than go-retryablehttp's because safety depends
// on what the request does, not only on what went wrong:
//   - Idempotent requests (reads, template update, token, task detail, push
//     notify with its request_id) are re-sent after transport errors, 429 and
//     5xx other than 501.
//   - Non-idempotent requests (template create, app message send) are re-sent
//     only when the server provably did not act: the connection was refused
//     (nothing was sent) or the server said 429 (it refused to act). After any
//     other failure the request may have taken effect; the caller gets the
//     error (an *AmbiguousError for a dropped connection) and must find out
//     before trying again. CreateTemplate names the templates it may have
//     made and leaves the choice to the user.
type retryPolicy struct {
	maxRetries    int
	waitMin       time.Duration
	waitMax       time.Duration
	maxRetryAfter time.Duration
	maxTotalWait  time.Duration
}

// shouldRetry returns how long to wait before attempt+1, and whether to make it.
func (p retryPolicy) shouldRetry(idempotent bool, attempt int, err error) (time.Duration, bool) {
	if attempt > p.maxRetries {
		return 0, false
	}
	var retryAfter time.Duration
	var te *transportError
	var apiErr *APIError
	switch {
	case errors.Is(err, errRedirect):
		return 0, false
	case errors.As(err, &te):
		if te.permanent() {
			return 0, false
		}
		if !idempotent && !te.notSent() {
			return 0, false
		}
	case errors.As(err, &apiErr):
		if !isRetryableStatus(apiErr, idempotent) {
			return 0, false
		}
		retryAfter = apiErr.RetryAfter
	default:
		return 0, false
	}
	if retryAfter > p.maxRetryAfter {
		return 0, false
	}
	if retryAfter > 0 {
		return retryAfter, true
	}
	return p.backoff(attempt), true
}

// backoff is exponential with equal jitter: half the step is fixed, half is
// random, so concurrent clients spread out but never retry immediately.
func (p retryPolicy) backoff(attempt int) time.Duration {
	step := p.waitMin << min(attempt-1, 30)
	if step <= 0 || step > p.waitMax {
		step = p.waitMax
	}
	half := step / 2
	return half + rand.N(half+1) //nolint:gosec // jitter, not security
}

// isRateLimited reports a 429: the server refused to act on the request.
func isRateLimited(e *APIError) bool {
	return e.HTTPStatus == http.StatusTooManyRequests ||
		e.HasCode && (e.Code == StatusRateLimited || e.Code == http.StatusTooManyRequests)
}

func isRetryableStatus(e *APIError, idempotent bool) bool {
	if isRateLimited(e) {
		return true
	}
	if !idempotent {
		return false
	}
	serverError := e.HTTPStatus >= 500 && e.HTTPStatus != http.StatusNotImplemented ||
		e.HasCode && (e.Code == StatusInternal || e.Code == StatusUnavailable ||
			e.Code >= 500 && e.Code < 600 && e.Code != http.StatusNotImplemented)
	return serverError
}

// isDialError reports a connection that was never established, so no byte of
// the request reached the server.
func isDialError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// maxRetryAfterSeconds is the longest Retry-After, in seconds, that a
// time.Duration holds (about 292 years).
const maxRetryAfterSeconds = math.MaxInt64 / int64(time.Second)

// parseRetryAfter reads Retry-After as seconds or as an HTTP date. Seconds
// beyond what a time.Duration holds saturate rather than wrap around, so
// they stay over any cap and end the retries.
func parseRetryAfter(value string) time.Duration {
	if value == "" {
		return 0
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if seconds > 0 {
			return time.Duration(min(seconds, maxRetryAfterSeconds)) * time.Second
		}
		return 0
	}
	if at, err := http.ParseTime(value); err == nil {
		if d := time.Until(at); d > 0 {
			return d
		}
	}
	return 0
}
