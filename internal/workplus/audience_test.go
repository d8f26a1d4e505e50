package workplus

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAudience_roundTrip(t *testing.T) {
	t.Parallel()
	cases := map[string]Audience{
		`"all"`:                          {All: true},
		`{"tag":["beijing","shanghai"]}`: {Tags: []string{"beijing", "shanghai"}},
		`{"alias":["a1"]}`:               {Aliases: []string{"a1"}},
		`{"user_id":[111,222]}`:          {UserIDs: []int64{111, 222}},
		`{"push_token":["t1","t2"]}`:     {PushTokens: []string{"t1", "t2"}},
	}
	for wire, audience := range cases {
		got, err := json.Marshal(audience)
		if err != nil || string(got) != wire {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", audience, got, err, wire)
		}
		var back Audience
		if err := json.Unmarshal([]byte(wire), &back); err != nil || back.Kind() != audience.Kind() || back.Len() != audience.Len() {
			t.Errorf("Unmarshal(%s) = %+v, %v", wire, back, err)
		}
	}
}

func TestAudience_invalid(t *testing.T) {
	t.Parallel()
	for wire, reason := range map[string]string{
		`"everyone"`:                  `string form must be "all"`,
		`{}`:                          "exactly one",
		`{"tag":["a"],"alias":["b"]}`: "exactly one",
		`{"group":["a"]}`:             `unknown form "group"`,
		`{"user_id":["abc"]}`:         "audience.user_id",
		`{"tag":"beijing"}`:           "audience.tag",
		`42`:                          "must be",
		`null`:                        "must be",
	} {
		var a Audience
		err := json.Unmarshal([]byte(wire), &a)
		if err == nil || !strings.Contains(err.Error(), reason) {
			t.Errorf("Unmarshal(%s) = %v, want an error saying %q", wire, err, reason)
		}
	}
	tooMany := Audience{Tags: make([]string, MaxAudienceEntries+1)}
	if err := tooMany.Validate(); err == nil || !strings.Contains(err.Error(), "501 entries, more than the limit of 500") {
		t.Errorf("Validate(501 tags) = %v", err)
	}
	if err := (Audience{Tags: []string{}}).Validate(); err == nil || !strings.Contains(err.Error(), "list is empty") {
		t.Errorf("Validate(empty tags) = %v", err)
	}
	if _, err := json.Marshal(Audience{}); err == nil {
		t.Error("Marshal of an empty audience must fail")
	}
}

func FuzzAudienceUnmarshal(f *testing.F) {
	for _, seed := range []string{`"all"`, `{"tag":["a"]}`, `{"user_id":[1,2]}`, `{"push_token":[]}`, `{}`, `[]`, `{"tag":["a"],"alias":[]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Audience
		if err := json.Unmarshal(data, &a); err != nil {
			return
		}
		if a.Kind() == "" {
			t.Fatalf("accepted %s without exactly one form: %+v", data, a)
		}
		if a.Validate() == nil {
			if _, err := json.Marshal(a); err != nil {
				t.Fatalf("valid audience %+v does not marshal: %v", a, err)
			}
		}
	})
}
