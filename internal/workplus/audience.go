package workplus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Audience is a push's target: the string "all", or an object with exactly one
// of tag, alias, user_id or push_token. The zero value is not valid.
type Audience struct {
	All        bool
	Tags       []string
	Aliases    []string
	UserIDs    []int64
	PushTokens []string
}

// Audience kinds, as the wire names them.
const (
	AudienceAll       = "all"
	AudienceTag       = "tag"
	AudienceAlias     = "alias"
	AudienceUserID    = "user_id"
	AudiencePushToken = "push_token"
)

// Kind returns the wire name of the one form that is set, or "" when none or
// several are.
func (a Audience) Kind() string {
	kinds := a.kinds()
	if len(kinds) != 1 {
		return ""
	}
	return kinds[0]
}

// Len returns the number of entries of a list audience (0 for "all").
func (a Audience) Len() int {
	return len(a.Tags) + len(a.Aliases) + len(a.UserIDs) + len(a.PushTokens)
}

func (a Audience) kinds() []string {
	var kinds []string
	if a.All {
		kinds = append(kinds, AudienceAll)
	}
	if a.Tags != nil {
		kinds = append(kinds, AudienceTag)
	}
	if a.Aliases != nil {
		kinds = append(kinds, AudienceAlias)
	}
	if a.UserIDs != nil {
		kinds = append(kinds, AudienceUserID)
	}
	if a.PushTokens != nil {
		kinds = append(kinds, AudiencePushToken)
	}
	return kinds
}

// Validate reports a wrong audience in the vendor's terms: exactly one form, a
// non-empty list of at most MaxAudienceEntries entries.
func (a Audience) Validate() error {
	kinds := a.kinds()
	switch {
	case len(kinds) == 0:
		return fmt.Errorf("audience is empty: it must be %q or one of tag, alias, user_id, push_token", AudienceAll)
	case len(kinds) > 1:
		return fmt.Errorf("audience has %s: it must have exactly one form", strings.Join(kinds, " and "))
	case kinds[0] == AudienceAll:
		return nil
	case a.Len() == 0:
		return fmt.Errorf("audience %s list is empty", kinds[0])
	case a.Len() > MaxAudienceEntries:
		return fmt.Errorf("audience %s list has %d entries, more than the limit of %d", kinds[0], a.Len(), MaxAudienceEntries)
	}
	return nil
}

// MarshalJSON writes "all" or {"<kind>": [...]}.
func (a Audience) MarshalJSON() ([]byte, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	switch a.Kind() {
	case AudienceAll:
		return json.Marshal(AudienceAll)
	case AudienceTag:
		return json.Marshal(map[string][]string{AudienceTag: a.Tags})
	case AudienceAlias:
		return json.Marshal(map[string][]string{AudienceAlias: a.Aliases})
	case AudienceUserID:
		return json.Marshal(map[string][]int64{AudienceUserID: a.UserIDs})
	default:
		return json.Marshal(map[string][]string{AudiencePushToken: a.PushTokens})
	}
}

// UnmarshalJSON reads "all" or an object with exactly one known key. Unknown
// keys, several keys and wrong element types are errors that name the key.
func (a *Audience) UnmarshalJSON(data []byte) error {
	*a = Audience{}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("audience: %w", err)
		}
		if s != AudienceAll {
			return fmt.Errorf("audience: string form must be %q, got %q", AudienceAll, s)
		}
		a.All = true
		return nil
	}
	var forms map[string]json.RawMessage
	if err := json.Unmarshal(data, &forms); err != nil || forms == nil {
		return fmt.Errorf("audience: must be %q or an object with one of tag, alias, user_id, push_token", AudienceAll)
	}
	if len(forms) != 1 {
		keys := make([]string, 0, len(forms))
		for k := range forms {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return fmt.Errorf("audience: must have exactly one of tag, alias, user_id, push_token, got [%s]", strings.Join(keys, ", "))
	}
	for key, raw := range forms {
		var err error
		switch key {
		case AudienceTag:
			err = unmarshalList(raw, &a.Tags)
		case AudienceAlias:
			err = unmarshalList(raw, &a.Aliases)
		case AudienceUserID:
			err = unmarshalList(raw, &a.UserIDs)
		case AudiencePushToken:
			err = unmarshalList(raw, &a.PushTokens)
		default:
			return fmt.Errorf("audience: unknown form %q: must be one of tag, alias, user_id, push_token", key)
		}
		if err != nil {
			return fmt.Errorf("audience.%s: %w", key, err)
		}
	}
	return nil
}

func unmarshalList[T any](raw json.RawMessage, into *[]T) error {
	var list []T
	if err := json.Unmarshal(raw, &list); err != nil {
		return err
	}
	if list == nil {
		list = []T{}
	}
	*into = list
	return nil
}
