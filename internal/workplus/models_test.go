package workplus

import (
	"encoding/json"
	"testing"
)

// A list answer as seed 001 shows it has no tags and app_id "DEFAULT": such a
// record must not pass for a whole template, or an untagged template would be
// indistinguishable from one whose tags were left out.
func TestTemplatePage_marksPartialRecords(t *testing.T) {
	const answer = `{"total_count": 4, "records": [
		{"id": "documented", "app_id": "DEFAULT", "title": "t"},
		{"id": "no-tags", "app_id": "app", "title": "t"},
		{"id": "empty-tags", "app_id": "app", "title": "t", "tags": ""},
		{"id": "whole", "app_id": "app", "title": "t", "tags": "ops"}]}`
	var page TemplatePage
	if err := json.Unmarshal([]byte(answer), &page); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"documented": true, "no-tags": true, "empty-tags": false, "whole": false}
	if page.TotalCount != 4 || len(page.Records) != 4 {
		t.Fatalf("decoded %d of %d records", len(page.Records), page.TotalCount)
	}
	for _, r := range page.Records {
		if r.Partial != want[r.ID] {
			t.Errorf("%s: Partial = %v, want %v", r.ID, r.Partial, want[r.ID])
		}
	}
	if page.Records[3].Tags != "ops" || page.Records[3].AppID != "app" {
		t.Errorf("whole record decoded as %+v", page.Records[3])
	}
}
