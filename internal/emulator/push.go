package emulator

import (
	"math"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	pushTypes  = []string{workplus.PushTypeText, workplus.PushTypeImage, workplus.PushTypeCmd}
	strategies = []string{workplus.StrategyCombined, workplus.StrategyMxpushOnly, workplus.StrategyOspushOnly}
	// defaultOspushSequence is the vendor's default for setting.ospush_sequence.
	defaultOspushSequence = []string{"ups", "fcm"}
	imageExtensions       = []string{".jpg", ".jpeg", ".png"}
)

// Delivery channels besides the vendors' own.
const (
	channelMxpush = "mxpush"
	channelUPS    = "ups" // the domestic vendors, in ospush_sequence
)

func (e *Emulator) getCertificate(c *call) (any, error) {
	env, err := certificateEnvironment(c.r)
	if err != nil {
		return nil, err
	}
	vendor, err := certificateProvider(c.r)
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	cert, ok := e.st.certificates.get(certificateKey(c.app.ID, vendor.String(), env))
	e.mu.RUnlock()
	if !ok {
		return nil, notFound("certificate not configured.")
	}
	return workplus.Certificate{
		AppID:       c.app.ID,
		AppKey:      cert.AppKey,
		AppSecret:   cert.AppSecret,
		Certificate: cert.Certificate,
		Name:        cert.Name,
	}, nil
}

func certificateEnvironment(r *http.Request) (int, *apiError) {
	switch raw := r.URL.Query().Get("environment"); raw {
	case "":
		return workplus.EnvironmentProduction, nil
	case "0", "1":
		return int(raw[0] - '0'), nil
	default:
		return 0, badRequest("query parameter environment: must be 0 (development) or 1 (production), got %q", raw)
	}
}

func certificateProvider(r *http.Request) (workplus.Vendor, *apiError) {
	const allowed = "1 APNS, 2 Huawei, 3 Xiaomi, 4 Meizu, 5 VIVO, 6 OPPO, 7 FCM"
	raw := r.URL.Query().Get("provider")
	if raw == "" {
		return 0, badRequest("missing query parameter provider (%s)", allowed)
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < int(workplus.VendorAPNs) || n > int(workplus.VendorFCM) {
		return 0, badRequest("query parameter provider: unknown value %q, allowed: %s", raw, allowed)
	}
	return workplus.Vendor(n), nil
}

// notify accepts a push: it computes the per-channel statistics from the
// app's devices at once and stores the task. A repeated request_id pushes
// nothing and answers the first task.
func (e *Emulator) notify(c *call) (any, error) {
	var req workplus.NotifyRequest
	if err := e.decodeVendor(c, &req); err != nil {
		return nil, err
	}
	strategy, sequence, err := checkNotify(&req, e.opts.StrictFields)
	if err != nil {
		return nil, err
	}
	requestID := ""
	if req.Setting != nil {
		requestID = req.Setting.RequestID
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if requestID != "" {
		if id, ok := e.st.requestIDs[requestKey(c.app.ID, requestID)]; ok {
			return workplus.NotifyResult{TaskID: id}, nil
		}
	}
	task := PushTask{
		TaskID:         e.st.nextTaskID(),
		AppID:          c.app.ID,
		RequestID:      requestID,
		CreateTime:     c.now.UnixMilli(),
		Strategy:       strategy,
		OspushSequence: sequence,
		Request:        req,
	}
	task.Detail = e.st.taskStats(c.app.ID, req.Audience, strategy, sequence)
	task.Detail.TaskID = task.TaskID
	if err := e.commit(putTask(task)); err != nil {
		return nil, err
	}
	return workplus.NotifyResult{TaskID: task.TaskID}, nil
}

// checkNotify validates a push and returns its effective strategy and OS
// channel sequence. The message type defaults to text in place.
func checkNotify(req *workplus.NotifyRequest, strict bool) (string, []string, *apiError) {
	if err := req.Audience.Validate(); err != nil {
		return "", nil, badRequest("%v", err)
	}
	msg := &req.Message
	if err := checkPushOptions(msg, strict); err != nil {
		return "", nil, err
	}
	if msg.Type == "" {
		msg.Type = workplus.PushTypeText
	}
	if !oneOf(msg.Type, pushTypes) {
		return "", nil, badRequest("field message.type: %s", enumMessage(msg.Type, pushTypes))
	}
	if msg.Type == workplus.PushTypeImage && !isImageURL(msg.AttachmentURL) {
		return "", nil, badRequest("field message.attachment_url: an image push needs a URL ending in .jpg, .jpeg or .png, got %q", msg.AttachmentURL)
	}
	strategy, sequence := workplus.StrategyCombined, defaultOspushSequence
	if s := req.Setting; s != nil {
		if s.DistributionStrategy != "" {
			if !oneOf(s.DistributionStrategy, strategies) {
				return "", nil, badRequest("field setting.distribution_strategy: %s", enumMessage(s.DistributionStrategy, strategies))
			}
			strategy = s.DistributionStrategy
		}
		for i, ch := range s.OspushSequence {
			if !oneOf(ch, workplus.OspushChannels) {
				return "", nil, badRequest("field setting.ospush_sequence[%d]: %s", i, enumMessage(ch, workplus.OspushChannels))
			}
		}
		if len(s.OspushSequence) > 0 {
			sequence = s.OspushSequence
		}
	}
	return strategy, append([]string{}, sequence...), nil
}

var (
	badgePattern = regexp.MustCompile(`^\+?[0-9]+$`)
	clickActions = []string{"intent", "open_app"}
)

// defaultBadge is the vendor's default: "如果为空,默认为"+1"" (seed 002).
const defaultBadge = "+1"

// checkPushOptions validates the documented push options (seed 002) and
// applies the badge default in place. Every Android vendor shares one Go
// type, so the fields only one vendor has (Huawei's badge_class, vivo's
// push_mode and classification) arrive in every block: elsewhere they are
// unknown fields, dropped unless strict.
func checkPushOptions(msg *workplus.PushMessage, strict bool) *apiError {
	if msg.Badge == "" {
		msg.Badge = defaultBadge
	} else if !badgePattern.MatchString(msg.Badge) || len(msg.Badge) > 10 {
		return badRequest("field message.badge: want a number (set the badge) or +N (add N), got %q", msg.Badge)
	}
	for name, t := range map[string]*int64{"show_begin_time": msg.ShowBeginTime, "show_end_time": msg.ShowEndTime} {
		if t == nil {
			continue
		}
		if *t < 0 || *t > math.MaxInt32 {
			hint := ""
			if *t > math.MaxInt32 {
				hint = "; this looks like milliseconds"
			}
			return badRequest("field message.%s: want epoch seconds (int32), got %d%s", name, *t, hint)
		}
	}
	blocks := []struct {
		name string
		opts *workplus.AndroidOptions
	}{
		{"android", msg.Android}, {"huawei", msg.Huawei}, {"xiaomi", msg.Xiaomi}, {"oppo", msg.OPPO},
		{"vivo", msg.VIVO}, {"flyme", msg.Flyme}, {"fcm", msg.FCM},
	}
	for _, b := range blocks {
		o := b.opts
		if o == nil {
			continue
		}
		field := "field message." + b.name + "."
		if o.ClickAction != "" && !oneOf(o.ClickAction, clickActions) {
			return badRequest("%sclick_action: %s", field, enumMessage(o.ClickAction, clickActions))
		}
		if o.ClickAction == "intent" && o.Intent == "" {
			return badRequest("%sintent: required when click_action is intent", field)
		}
		if b.name != "huawei" && o.BadgeClass != "" {
			if strict {
				return badRequest("invalid JSON body: unknown field \"badge_class\" in message.%s (only huawei has it)", b.name)
			}
			o.BadgeClass = ""
		}
		for name, v := range map[string]**int64{"push_mode": &o.PushMode, "classification": &o.Classification} {
			if *v == nil {
				continue
			}
			if b.name != "vivo" {
				if strict {
					return badRequest("invalid JSON body: unknown field %q in message.%s (only vivo has it)", name, b.name)
				}
				*v = nil
				continue
			}
			if **v != 0 && **v != 1 {
				return badRequest("%s%s: must be 0 or 1, got %d", field, name, **v)
			}
		}
	}
	return nil
}

func isImageURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return false
	}
	return oneOf(strings.ToLower(path.Ext(u.Path)), imageExtensions)
}

func (e *Emulator) taskDetail(c *call) (any, error) {
	var req workplus.TaskDetailRequest
	if err := e.decodeVendor(c, &req); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	details := []workplus.TaskDetail{}
	for _, id := range req.List {
		if t, ok := e.st.tasks.get(taskKey(id)); ok && t.AppID == c.app.ID {
			details = append(details, t.Detail)
		}
	}
	return details, nil
}

// taskStats routes every device of the app that the audience selects to one
// channel and counts it there. A channel sends only with the vendor's
// production certificate (mxpush needs none); mxpush reaches online devices,
// a vendor channel every device it sent to.
func (m *memState) taskStats(appID string, aud workplus.Audience, strategy string, sequence []string) workplus.TaskDetail {
	var d workplus.TaskDetail
	selects := audienceFilter(aud)
	for _, e := range m.devices.list {
		dev := e.val
		if dev.AppID != appID || !selects(dev) {
			continue
		}
		channel := deviceChannel(dev, strategy, sequence)
		if channel == "" {
			continue
		}
		target, sent, received := d.Counters(channel)
		*target++
		if channel == channelMxpush {
			*sent++
			if dev.Online {
				*received++
			}
			continue
		}
		if _, ok := m.certificates.get(certificateKey(appID, dev.Vendor, workplus.EnvironmentProduction)); ok {
			*sent++
			*received++
		}
	}
	return d
}

// deviceChannel picks the channel a device is pushed through, or "" when the
// strategy and sequence leave it unreachable.
func deviceChannel(dev Device, strategy string, sequence []string) string {
	switch {
	case strategy == workplus.StrategyMxpushOnly:
		return channelMxpush
	case strategy == workplus.StrategyCombined && dev.Online:
		return channelMxpush
	}
	return osChannel(dev.Vendor, sequence)
}

// osChannel walks the OS channel sequence for a device's vendor. APNs is the
// only way to an iPhone and is not part of the sequence.
func osChannel(vendor string, sequence []string) string {
	if vendor == workplus.VendorAPNs.String() {
		return vendor
	}
	for _, ch := range sequence {
		if ch == vendor || (ch == channelUPS && isDomestic(vendor)) {
			if vendor == workplus.VendorMeizu.String() {
				return "flyme" // the Push API names Meizu's channel after its OS
			}
			return vendor
		}
	}
	return ""
}

func isDomestic(vendor string) bool {
	switch vendor {
	case "huawei", "xiaomi", "meizu", "oppo", "vivo":
		return true
	}
	return false
}

// audienceFilter turns an audience into a device predicate with set lookups,
// so a 500-entry list costs no more per device than a single entry.
func audienceFilter(aud workplus.Audience) func(Device) bool {
	switch aud.Kind() {
	case workplus.AudienceAll:
		return func(Device) bool { return true }
	case workplus.AudienceTag:
		tags := setOf(aud.Tags)
		return func(d Device) bool {
			for _, t := range d.Tags {
				if tags[t] {
					return true
				}
			}
			return false
		}
	case workplus.AudienceAlias:
		aliases := setOf(aud.Aliases)
		return func(d Device) bool { return d.Alias != "" && aliases[d.Alias] }
	case workplus.AudienceUserID:
		ids := setOf(aud.UserIDs)
		return func(d Device) bool { return d.UserID != 0 && ids[d.UserID] }
	case workplus.AudiencePushToken:
		tokens := setOf(aud.PushTokens)
		return func(d Device) bool { return tokens[d.PushToken] }
	}
	return func(Device) bool { return false }
}

func setOf[T comparable](list []T) map[T]bool {
	set := make(map[T]bool, len(list))
	for _, v := range list {
		set[v] = true
	}
	return set
}
