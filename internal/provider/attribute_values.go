package provider

// Helpers that parse and convert attribute values, for every resource,
// data source and action that has such an attribute.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// decodeJSONObject parses ext. Numbers stay json.Number, so they are sent
// and hashed exactly as written rather than rounded through float64.
func decodeJSONObject(text string) (map[string]any, error) {
	decoder := json.NewDecoder(strings.NewReader(text))
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil {
		return nil, fmt.Errorf("is not valid JSON: %v", err)
	}
	object, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("must be a JSON object such as {\"key\": 1}, got %s", strings.TrimSpace(text))
	}
	return object, nil
}

// checkImageURL applies the vendors' rule for image pushes: the URL's path
// ends in jpg, jpeg or png (a query string after it is fine).
func checkImageURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%q must be an absolute URL such as https://example.com/banner.png", raw)
	}
	lower := strings.ToLower(u.Path)
	for _, suffix := range []string{".jpg", ".jpeg", ".png"} {
		if strings.HasSuffix(lower, suffix) {
			return nil
		}
	}
	return fmt.Errorf("%q must end in .jpg, .jpeg or .png", raw)
}

// parseOptionalTime parses an RFC 3339 attribute; null and unknown give nil.
func parseOptionalTime(v types.String) (*time.Time, error) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v.ValueString())
	if err != nil {
		return nil, fmt.Errorf("%q is not an RFC 3339 time such as 2030-01-02T08:00:00Z", v.ValueString())
	}
	return &t, nil
}

// listInto converts a known list; a null list leaves into nil, which the
// wire types read as "not set".
func listInto[T any](ctx context.Context, list types.List, into *[]T) diag.Diagnostics {
	if list.IsNull() || list.IsUnknown() {
		return nil
	}
	values := []T{}
	diags := list.ElementsAs(ctx, &values, false)
	*into = values
	return diags
}
