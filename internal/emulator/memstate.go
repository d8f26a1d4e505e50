package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// The kinds of object the emulator keeps, one store bucket each. The order is
// the order a state is written and loaded in.
const (
	bucketOrgs         = "orgs"
	bucketApps         = "apps"
	bucketTokens       = "access_tokens"
	bucketClients      = "clients"
	bucketEmployees    = "employees"
	bucketDevices      = "devices"
	bucketCertificates = "certificates"
	bucketTemplates    = "templates"
	bucketPushTasks    = "push_tasks"
	bucketAppMessages  = "app_messages"
)

var buckets = []string{
	bucketOrgs, bucketApps, bucketTokens, bucketClients, bucketEmployees, bucketDevices,
	bucketCertificates, bucketTemplates, bucketPushTasks, bucketAppMessages,
}

// op is one change to one object. It is what the store persists and what the
// in-memory state applies, so both always see the same changes. seq orders
// objects of a kind by creation; it survives updates and restarts.
type op struct {
	bucket string
	key    string
	seq    uint64
	value  any // nil deletes
}

func put(bucket, key string, value any) op { return op{bucket: bucket, key: key, value: value} }
func del(bucket, key string) op            { return op{bucket: bucket, key: key} }

func putTemplate(t workplus.Template) op { return put(bucketTemplates, t.ID, t) }
func putTask(t PushTask) op              { return put(bucketPushTasks, taskKey(t.TaskID), t) }

// taskKey pads task ids so the store's byte order is numeric order.
func taskKey(id int64) string { return fmt.Sprintf("%020d", id) }

// decodeValue reads a stored object of a bucket back into its Go type.
func decodeValue(bucket string, data []byte) (any, error) {
	switch bucket {
	case bucketOrgs:
		return decodeAs[Org](data)
	case bucketApps:
		return decodeAs[App](data)
	case bucketTokens:
		return decodeAs[AccessToken](data)
	case bucketClients:
		return decodeAs[Client](data)
	case bucketEmployees:
		return decodeAs[Employee](data)
	case bucketDevices:
		return decodeAs[Device](data)
	case bucketCertificates:
		return decodeAs[Certificate](data)
	case bucketTemplates:
		return decodeAs[workplus.Template](data)
	case bucketPushTasks:
		return decodeAs[PushTask](data)
	case bucketAppMessages:
		return decodeAs[AppMessageRecord](data)
	}
	return nil, fmt.Errorf("unknown bucket %q", bucket)
}

func decodeAs[T any](data []byte) (any, error) {
	var v T
	err := unmarshalNumbers(data, &v)
	return v, err
}

// unmarshalNumbers is json.Unmarshal keeping the digits of numbers in
// free-form values (push ext): as float64, 12345678901234567891 would come
// back as 12345678901234567000.
func unmarshalNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// stateOps lists the ops that build s from nothing, with sequence numbers in
// list order.
func stateOps(s *State) []op {
	var ops []op
	add := func(o op) {
		o.seq = uint64(len(ops) + 1)
		ops = append(ops, o)
	}
	for _, v := range s.Orgs {
		add(put(bucketOrgs, v.ID, v))
	}
	for _, v := range s.Apps {
		add(put(bucketApps, v.ID, v))
	}
	for _, v := range s.AccessTokens {
		add(put(bucketTokens, v.Token, v))
	}
	for _, v := range s.Clients {
		add(put(bucketClients, v.ClientID, v))
	}
	for _, v := range s.Employees {
		add(put(bucketEmployees, v.ClientID, v))
	}
	for _, v := range s.Devices {
		add(put(bucketDevices, v.PushToken, v))
	}
	for _, v := range s.Certificates {
		add(put(bucketCertificates, certificateKey(v.AppID, v.Vendor, v.Environment), v))
	}
	for _, v := range s.Templates {
		add(putTemplate(v))
	}
	for _, v := range s.PushTasks {
		add(putTask(v))
	}
	for _, v := range s.AppMessages {
		add(put(bucketAppMessages, v.ID, v))
	}
	return ops
}

// entry is one object with its creation sequence number.
type entry[T any] struct {
	seq uint64
	val T
}

// entries is kept sorted by seq, which is creation order.
type entries[T any] []*entry[T]

func (es entries[T]) search(seq uint64) int {
	return sort.Search(len(es), func(i int) bool { return es[i].seq >= seq })
}

func (es *entries[T]) insert(e *entry[T]) {
	i := es.search(e.seq)
	*es = append(*es, nil)
	copy((*es)[i+1:], (*es)[i:])
	(*es)[i] = e
}

func (es *entries[T]) remove(seq uint64) {
	i := es.search(seq)
	if i < len(*es) && (*es)[i].seq == seq {
		*es = append((*es)[:i], (*es)[i+1:]...)
	}
}

// ordered is a keyed collection that remembers creation order.
type ordered[T any] struct {
	byKey map[string]*entry[T]
	list  entries[T]
}

func newOrdered[T any]() ordered[T] { return ordered[T]{byKey: map[string]*entry[T]{}} }

func (o *ordered[T]) get(key string) (T, bool) {
	if e, ok := o.byKey[key]; ok {
		return e.val, true
	}
	var zero T
	return zero, false
}

// put replaces an existing object in place (keeping its position) or inserts
// a new one at its seq.
func (o *ordered[T]) put(key string, seq uint64, v T) *entry[T] {
	if e, ok := o.byKey[key]; ok {
		e.val = v
		return e
	}
	e := &entry[T]{seq: seq, val: v}
	o.byKey[key] = e
	o.list.insert(e)
	return e
}

func (o *ordered[T]) remove(key string) (*entry[T], bool) {
	e, ok := o.byKey[key]
	if ok {
		delete(o.byKey, key)
		o.list.remove(e.seq)
	}
	return e, ok
}

func (o *ordered[T]) values() []T {
	out := make([]T, len(o.list))
	for i, e := range o.list {
		out[i] = e.val
	}
	return out
}

// templateRec keeps the lower-cased search fields next to a template so that
// keyword search does no per-request case folding of stored data.
type templateRec struct {
	t     workplus.Template
	title string
	tags  string
}

// memState is the emulator's working state, the read path for every request.
// It is guarded by Emulator.mu and changed only through apply.
type memState struct {
	nextSeq uint64

	orgs         ordered[Org]
	apps         ordered[App]
	tokens       ordered[AccessToken]
	clients      ordered[Client]
	employees    ordered[Employee]
	devices      ordered[Device]
	certificates ordered[Certificate]
	templates    ordered[templateRec]
	tasks        ordered[PushTask]
	messages     ordered[AppMessageRecord]

	templatesByOrg map[string]entries[templateRec]
	usernames      map[string]string // username -> employee client id
	requestIDs     map[string]int64  // app id + "\x00" + request id -> task id
	maxTaskID      int64
}

func newMemState() *memState {
	return &memState{
		nextSeq:        1,
		orgs:           newOrdered[Org](),
		apps:           newOrdered[App](),
		tokens:         newOrdered[AccessToken](),
		clients:        newOrdered[Client](),
		employees:      newOrdered[Employee](),
		devices:        newOrdered[Device](),
		certificates:   newOrdered[Certificate](),
		templates:      newOrdered[templateRec](),
		tasks:          newOrdered[PushTask](),
		messages:       newOrdered[AppMessageRecord](),
		templatesByOrg: map[string]entries[templateRec]{},
		usernames:      map[string]string{},
		requestIDs:     map[string]int64{},
	}
}

// assignSeqs gives new objects the next sequence numbers and existing ones
// their own, so an update never moves an object.
func (m *memState) assignSeqs(ops []op) {
	next := m.nextSeq
	for i := range ops {
		if seq, ok := m.seqOf(ops[i].bucket, ops[i].key); ok {
			ops[i].seq = seq
		} else {
			ops[i].seq = next
			next++
		}
	}
}

// seqOf finds an existing object's sequence number. Templates are the only
// objects updated in place; everything else is created once and never changed.
func (m *memState) seqOf(bucket, key string) (uint64, bool) {
	if bucket == bucketTemplates {
		if e, ok := m.templates.byKey[key]; ok {
			return e.seq, true
		}
	}
	return 0, false
}

// apply makes one persisted change visible. It fails only on an op whose value
// does not fit its bucket, which is a bug or a corrupt store.
func (m *memState) apply(o op) error {
	if o.seq >= m.nextSeq {
		m.nextSeq = o.seq + 1
	}
	var ok bool
	switch o.bucket {
	case bucketOrgs:
		ok = applyTo(&m.orgs, o)
	case bucketApps:
		ok = applyTo(&m.apps, o)
	case bucketTokens:
		ok = applyTo(&m.tokens, o)
	case bucketClients:
		ok = applyTo(&m.clients, o)
	case bucketEmployees:
		ok = m.applyEmployee(o)
	case bucketDevices:
		ok = applyTo(&m.devices, o)
	case bucketCertificates:
		ok = applyTo(&m.certificates, o)
	case bucketTemplates:
		ok = m.applyTemplate(o)
	case bucketPushTasks:
		ok = m.applyTask(o)
	case bucketAppMessages:
		ok = applyTo(&m.messages, o)
	}
	if !ok {
		return fmt.Errorf("emulator: cannot apply %T to bucket %q", o.value, o.bucket)
	}
	return nil
}

// applyTo handles the kinds that need no index besides their key. Only
// templates are ever deleted; the others are put.
func applyTo[T any](o *ordered[T], change op) bool {
	v, ok := change.value.(T)
	if ok {
		o.put(change.key, change.seq, v)
	}
	return ok
}

func (m *memState) applyEmployee(o op) bool {
	v, ok := o.value.(Employee)
	if ok {
		m.employees.put(o.key, o.seq, v)
		m.usernames[v.Username] = v.ClientID
	}
	return ok
}

// applyTask also indexes the task's request id; the first task with an id
// keeps it, as de-duplication answers the first task.
func (m *memState) applyTask(o op) bool {
	v, ok := o.value.(PushTask)
	if !ok {
		return false
	}
	m.tasks.put(o.key, o.seq, v)
	if key := requestKey(v.AppID, v.RequestID); v.RequestID != "" {
		if _, seen := m.requestIDs[key]; !seen {
			m.requestIDs[key] = v.TaskID
		}
	}
	m.maxTaskID = max(m.maxTaskID, v.TaskID)
	return true
}

func (m *memState) applyTemplate(o op) bool {
	if old, ok := m.templates.remove(o.key); ok {
		org := old.val.t.OrgID
		list := m.templatesByOrg[org]
		list.remove(old.seq)
		m.templatesByOrg[org] = list
	}
	if o.value == nil {
		return true
	}
	t, ok := o.value.(workplus.Template)
	if !ok {
		return false
	}
	e := m.templates.put(o.key, o.seq, templateRec{t: t, title: strings.ToLower(t.Title), tags: strings.ToLower(t.Tags)})
	list := m.templatesByOrg[t.OrgID]
	list.insert(e)
	m.templatesByOrg[t.OrgID] = list
	return true
}

func requestKey(appID, requestID string) string { return appID + "\x00" + requestID }

// state copies the working state out in creation order. The copy shares
// slices with the working state; callers that hand it out deep-copy it.
func (m *memState) state() State {
	templates := make([]workplus.Template, len(m.templates.list))
	for i, e := range m.templates.list {
		templates[i] = e.val.t
	}
	return State{
		Orgs:         m.orgs.values(),
		Apps:         m.apps.values(),
		AccessTokens: m.tokens.values(),
		Clients:      m.clients.values(),
		Employees:    m.employees.values(),
		Devices:      m.devices.values(),
		Certificates: m.certificates.values(),
		Templates:    templates,
		PushTasks:    m.tasks.values(),
		AppMessages:  m.messages.values(),
	}
}

// nextTaskID numbers tasks 1, 2, 3... across restarts.
func (m *memState) nextTaskID() int64 { return m.maxTaskID + 1 }
