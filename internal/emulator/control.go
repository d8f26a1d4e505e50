package emulator

import (
	"errors"
	"io"
	"net/http"
)

// The control API (/_emulator/...) answers plain JSON, never the vendor
// envelopes, so no client can mistake it for WorkPlus.

type controlOK struct {
	OK bool `json:"ok"`
}

// stateSummary is what reset and seed answer: enough to see that the right
// state is in place without dumping it.
type stateSummary struct {
	Orgs         int `json:"orgs"`
	Apps         int `json:"apps"`
	AccessTokens int `json:"access_tokens"`
	Employees    int `json:"employees"`
	Devices      int `json:"devices"`
	Certificates int `json:"certificates"`
	Templates    int `json:"templates"`
	PushTasks    int `json:"push_tasks"`
	AppMessages  int `json:"app_messages"`
}

func (e *Emulator) summary() stateSummary {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return stateSummary{
		Orgs:         len(e.st.orgs.list),
		Apps:         len(e.st.apps.list),
		AccessTokens: len(e.st.tokens.list),
		Employees:    len(e.st.employees.list),
		Devices:      len(e.st.devices.list),
		Certificates: len(e.st.certificates.list),
		Templates:    len(e.st.templates.list),
		PushTasks:    len(e.st.tasks.list),
		AppMessages:  len(e.st.messages.list),
	}
}

func (e *Emulator) controlHealth(*call) (any, error) { return controlOK{OK: true}, nil }

func (e *Emulator) controlReset(*call) (any, error) {
	if err := e.reset(); err != nil {
		return nil, err
	}
	return e.summary(), nil
}

func (e *Emulator) controlState(*call) (any, error) { return e.Snapshot(), nil }

// controlSeed replaces the state with a posted seed, JSON or YAML. Reset still
// returns to the seed the emulator started with.
func (e *Emulator) controlSeed(c *call) (any, error) {
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &apiError{HTTP: http.StatusRequestEntityTooLarge, Message: "seed is too large."}
		}
		return nil, badRequest("reading seed: %v", err)
	}
	seed, err := LoadSeed(data)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	st, err := seed.resolve(c.now)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if err := e.replaceState(st); err != nil {
		return nil, err
	}
	return e.summary(), nil
}

type requestsDump struct {
	Requests []RequestRecord `json:"requests"`
	Counts   map[string]int  `json:"counts"`
}

func (e *Emulator) controlRequests(*call) (any, error) {
	return requestsDump{Requests: e.Requests(), Counts: e.RouteCounts()}, nil
}

func (e *Emulator) controlClearRequests(*call) (any, error) {
	e.ResetRequestLog()
	return requestsDump{Requests: []RequestRecord{}, Counts: map[string]int{}}, nil
}

func (e *Emulator) controlFaults(*call) (any, error) { return e.faults.list(), nil }

// controlSetFaults replaces the rules; unlike SetFaults it rejects the whole
// list when one rule is invalid, since the caller can fix and resend it.
func (e *Emulator) controlSetFaults(c *call) (any, error) {
	var rules []FaultRule
	if err := decodeJSON(c.r.Body, &rules); err != nil {
		return nil, err
	}
	if err := e.checkFaults(rules); err != nil {
		return nil, badRequest("%v", err)
	}
	e.faults.set(rules)
	return e.faults.list(), nil
}

func (e *Emulator) controlClearFaults(*call) (any, error) {
	e.faults.set(nil)
	return []FaultRule{}, nil
}
