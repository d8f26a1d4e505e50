package emulator

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/certaudit"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// The web inbox (/_emulator/ui/) shows what people would have received, the
// way Mailpit shows mail: templates as the card a phone shows, app messages
// of every type with their data filled in, push tasks with a bar chart of
// their channel statistics, and the certificates of each app with their
// expiry. It is read-only.
//
// Everything in it came from a client and is untrusted: the page is rendered
// by html/template, colors and font sizes are validated before they reach a
// style attribute, and only http(s) URLs become links or images.
//
// The page keeps itself current without a reload: it polls
// /_emulator/ui/?format=json for a version (a hash of what the page shows)
// and, when that changes, fetches /_emulator/ui/?part=live, the part of the
// page below the header, and swaps it in.

var (
	//go:embed ui/inbox.html
	uiHTML string
	//go:embed ui/inbox.css
	uiCSS string
	//go:embed ui/inbox.js
	uiJS string
)

const (
	// uiPollInterval is how often the page asks whether anything changed.
	uiPollInterval = 2 * time.Second
	// uiMaxItems caps each list on the page; older entries are counted.
	uiMaxItems = 200
	// uiMaxRecipients caps the recipients shown on a message card.
	uiMaxRecipients = 12
	// certSoonDays: a certificate expiring within this many days is flagged.
	certSoonDays = 30
	// Font sizes of template data are clamped to a range a phone could show.
	minFontSize, maxFontSize = 10, 40
	// defaultTopColor is the header color of a template card without one.
	defaultTopColor = "#2f6fde"
)

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

var uiTemplate = template.Must(template.New("ui").Funcs(template.FuncMap{
	"join": strings.Join,
}).Parse(uiHTML))

// htmlPage is a control API answer that is a web page rather than JSON,
// with its Content-Security-Policy.
type htmlPage struct {
	body []byte
	csp  string
}

// uiPage is the whole page: the live part plus what never changes.
type uiPage struct {
	View   uiView
	CSS    template.CSS
	JS     template.JS
	PollMS int64
	Links  uiLinks
}

// uiLinks lead from the page to the JSON it summarises, carrying the page's
// admin_token on, since a browser cannot send the header.
type uiLinks struct {
	State, Requests string
	RemoteImages    string // "" when they are shown
}

// uiView is what the page shows; its JSON hash is the page's version.
type uiView struct {
	Version   string `json:"-"`
	Counts    uiCounts
	Messages  []uiMessage
	Tasks     []uiTask
	Templates []uiTemplateView
	CertApps  []uiCertApp
	Hidden    uiCounts // entries left out by uiMaxItems
}

type uiCounts struct {
	Messages     int `json:"app_messages"`
	Tasks        int `json:"push_tasks"`
	Templates    int `json:"templates"`
	Certificates int `json:"certificates"`
	Devices      int `json:"devices"`
	Employees    int `json:"employees"`
}

// uiStatus is the answer of ?format=json, what the page polls.
type uiStatus struct {
	Version string   `json:"version"`
	Counts  uiCounts `json:"counts"`
}

// uiCard is a template message as a phone shows it: a colored header, the
// template's title and rows, and its actions as buttons. For a template
// itself (Preview) the placeholders show instead of values.
type uiCard struct {
	AppName  string
	Initial  string
	TopTitle string
	TopColor string // #rrggbb, validated
	Avatar   string // an http(s) URL, or ""
	Title    string
	Emphasis string
	Rows     [][]uiCell
	Actions  []uiAction
	Preview  bool
}

type uiCell struct {
	Align    string // left, right or center
	Segments []uiSegment
	Raw      string // the content as written, when it does not parse
	Error    string
}

// uiSegment is literal text, a placeholder, or a placeholder's value.
type uiSegment struct {
	Text        string
	Placeholder string // the {{name.DATA}} label, for placeholders and values
	Key         string // the placeholder's name
	Filled      bool   // Text is the value a message supplied
	Missing     bool   // a message supplied no value
	Color       string // #rrggbb, validated
	FontSize    int    // px, clamped; 0 for the default
	Bold        bool
}

type uiAction struct {
	Name string
	URL  string // http(s) only, else ""
	Raw  string
}

type uiTemplateView struct {
	ID, Title, Sample string
	Tags              []string
	Placeholders      []string
	Created, Updated  string
	Card              uiCard
}

type uiRecipient struct {
	Path, Name, Username string
}

type uiMessage struct {
	ID, Type, Time, SourceType string
	ForAll, AtAll, IsGif       bool
	Text                       string // the message as plain text
	Card                       *uiCard
	Body                       workplus.AppMessageBody
	Articles                   []uiArticle
	Size                       string
	Recipients                 []uiRecipient // the first uiMaxRecipients
	MoreRecipients             int
	Paths                      []string // every recipient's org path and client id
	Scopes, Platforms          []string
	Expects, Oks, Fails        int
	Warnings                   []string
}

type uiArticle struct {
	Title, Summary, Author, URL, Cover string
}

type uiTask struct {
	TaskID                      int64
	Time, Type, Title, Body     string
	BigText, Attachment         string
	AudienceKind                string
	Audience                    []string
	Strategy, RequestID         string
	Sequence                    []string
	Channels                    []uiChannel
	Target, Sent, Received      int64
	TargetPct, SentPct, RecvPct int
}

type uiChannel struct {
	Name                   string
	Target, Sent, Received int64
	// Bar widths in percent of the task's largest target.
	TargetPct, SentPct, ReceivedPct int
}

type uiCertApp struct {
	AppID, AppName string
	Envs           []string
	Rows           []uiCertRow
}

type uiCertRow struct {
	Vendor string
	Cells  []uiCertCell
}

type uiCertCell struct {
	Configured bool
	Name       string
	Kind       string // the certificate's format and whether there is an app key and secret
	Badge      string // expired, soon, ok, none, error
	BadgeText  string
	Subject    string
	NotAfter   string
	Detail     string
}

func (e *Emulator) controlUI(c *call) (any, error) {
	q := c.r.URL.Query()
	format, part := q.Get("format"), q.Get("part")
	switch {
	case format != "" && format != "json":
		return nil, badRequest("query parameter format: only \"json\" is known, got %q", format)
	case part != "" && part != "live":
		return nil, badRequest("query parameter part: only \"live\" is known, got %q", part)
	}
	remoteImages, aerr := queryBool(c.r, "remote_images")
	if aerr != nil {
		return nil, aerr
	}
	view, err := e.inboxView(c.now, remoteImages)
	if err != nil {
		return nil, err
	}
	if format == "json" {
		return uiStatus{Version: view.Version, Counts: view.Counts}, nil
	}
	var buf bytes.Buffer
	if part == "live" {
		err = uiTemplate.ExecuteTemplate(&buf, "live", view)
	} else {
		err = uiTemplate.ExecuteTemplate(&buf, "page", uiPage{View: view, CSS: template.CSS(uiCSS), JS: template.JS(uiJS),
			PollMS: uiPollInterval.Milliseconds(), Links: inboxLinks(c.r, remoteImages)})
	}
	if err != nil {
		return nil, err
	}
	return htmlPage{body: buf.Bytes(), csp: inboxCSP(remoteImages)}, nil
}

func inboxLinks(r *http.Request, remoteImages bool) uiLinks {
	keep := url.Values{}
	if token := r.URL.Query().Get("admin_token"); token != "" {
		keep.Set("admin_token", token)
	}
	with := func(path string, extra ...string) string {
		q := maps.Clone(keep)
		for i := 0; i+1 < len(extra); i += 2 {
			q.Set(extra[i], extra[i+1])
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	links := uiLinks{State: with("/_emulator/state"), Requests: with("/_emulator/requests")}
	if !remoteImages {
		links.RemoteImages = with(r.URL.Path, "remote_images", "true")
	}
	return links
}

// inboxCSP is the page's Content-Security-Policy: its own inline script and
// style (by hash), style attributes (colors are validated before they get
// there), requests to itself, and images only from itself unless remote
// ones were asked for: a remote image in a message would tell its sender
// when, and from where, the inbox was opened.
func inboxCSP(remoteImages bool) string {
	images := "'self' data:"
	if remoteImages {
		images += " http: https:"
	}
	return "default-src 'none'; script-src '" + cspHash(uiJS) + "'; style-src '" + cspHash(uiCSS) +
		"'; style-src-attr 'unsafe-inline'; img-src " + images +
		"; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// inboxView builds what the page shows from a snapshot of the state. Remote
// images (avatars, article covers) are left out unless asked for.
func (e *Emulator) inboxView(now time.Time, remoteImages bool) (uiView, error) {
	s := e.Snapshot()
	v := uiView{Counts: uiCounts{
		Messages: len(s.AppMessages), Tasks: len(s.PushTasks), Templates: len(s.Templates),
		Certificates: len(s.Certificates), Devices: len(s.Devices), Employees: len(s.Employees),
	}}
	apps := map[string]App{}
	for _, a := range s.Apps {
		apps[a.ID] = a
	}
	templates := map[string]workplus.Template{}
	for _, t := range s.Templates {
		templates[t.ID] = t
	}
	employees := map[string]Employee{}
	for _, em := range s.Employees {
		employees[em.ClientID] = em
	}

	for _, m := range slices.Backward(s.AppMessages) {
		if len(v.Messages) == uiMaxItems {
			v.Hidden.Messages++
			continue
		}
		v.Messages = append(v.Messages, messageView(m, templates, apps, employees))
	}
	for _, t := range slices.Backward(s.PushTasks) {
		if len(v.Tasks) == uiMaxItems {
			v.Hidden.Tasks++
			continue
		}
		v.Tasks = append(v.Tasks, taskView(t))
	}
	// Templates most recently changed first: that is the one under review.
	byChange := slices.Clone(s.Templates)
	slices.Reverse(byChange) // newest creation first among equal refresh times
	slices.SortStableFunc(byChange, func(a, b workplus.Template) int {
		switch {
		case a.RefreshTime > b.RefreshTime:
			return -1
		case a.RefreshTime < b.RefreshTime:
			return 1
		}
		return 0
	})
	for _, t := range byChange {
		if len(v.Templates) == uiMaxItems {
			v.Hidden.Templates++
			continue
		}
		v.Templates = append(v.Templates, templateView(t, apps[t.AppID]))
	}
	v.CertApps = certificateView(s.Apps, s.Certificates, now)
	if !remoteImages {
		hideRemoteImages(&v)
	}

	data, err := json.Marshal(v)
	if err != nil {
		return uiView{}, fmt.Errorf("hashing the inbox: %w", err)
	}
	sum := sha256.Sum256(data)
	v.Version = hex.EncodeToString(sum[:8])
	return v, nil
}

func hideRemoteImages(v *uiView) {
	for i := range v.Messages {
		m := &v.Messages[i]
		if m.Card != nil {
			m.Card.Avatar = ""
		}
		for j := range m.Articles {
			m.Articles[j].Cover = ""
		}
	}
	for i := range v.Templates {
		v.Templates[i].Card.Avatar = ""
	}
}

func templateView(t workplus.Template, app App) uiTemplateView {
	return uiTemplateView{
		ID: t.ID, Title: t.Title, Sample: t.Sample,
		Tags:         splitTags(t.Tags),
		Placeholders: workplus.Placeholders(t.Contents),
		Created:      formatMS(t.CreateTime),
		Updated:      formatMS(t.RefreshTime),
		Card:         newCard(t, app, nil, nil),
	}
}

// newCard renders a template as a phone card. With body (a TEMPLATE
// message) the placeholders are filled with its data and the header takes its
// top_*; warn collects what the message got wrong.
func newCard(t workplus.Template, app App, body *workplus.AppMessageBody, warn func(string)) uiCard {
	card := uiCard{AppName: app.Name, Title: t.Title, TopColor: defaultTopColor, Preview: body == nil}
	if card.AppName == "" {
		card.AppName = "App " + shorten(t.AppID, 8)
	}
	card.TopTitle = card.AppName
	data := map[string]uiSegment{}
	if body != nil {
		if body.TopTitle != "" {
			card.TopTitle = body.TopTitle
		}
		if body.TopColor != "" {
			if c, ok := validColor(body.TopColor); ok {
				card.TopColor = c
			} else {
				warn(fmt.Sprintf("top_color %q is not a #rrggbb color: ignored", shorten(body.TopColor, 60)))
			}
		}
		if body.TopAvatar != "" {
			card.Avatar = httpURL(body.TopAvatar)
			if card.Avatar == "" {
				warn(fmt.Sprintf("top_avatar %q is not an http(s) URL: not shown", shorten(body.TopAvatar, 60)))
			}
		}
		card.Emphasis = body.EmphasisKeyword
		for i, d := range body.Data {
			data[d.Key] = dataStyle(i, d, warn)
		}
	}
	card.Initial = initial(card.TopTitle)
	for _, row := range t.Contents {
		cells := make([]uiCell, 0, len(row))
		for _, c := range row {
			cells = append(cells, cellView(c, data, body != nil))
		}
		card.Rows = append(card.Rows, cells)
	}
	for _, a := range t.Actions {
		card.Actions = append(card.Actions, uiAction{Name: a.Name, URL: httpURL(a.Value), Raw: a.Value})
	}
	if body != nil {
		var missing []string
		for _, name := range workplus.Placeholders(t.Contents) {
			if _, ok := data[name]; !ok {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			warn("no data for placeholder(s) " + strings.Join(missing, ", "))
		}
	}
	return card
}

// dataStyle validates the presentation of one data entry: a #rrggbb color,
// a numeric font size (px, clamped) and text_style bold.
func dataStyle(i int, d workplus.TemplateData, warn func(string)) uiSegment {
	seg := uiSegment{Text: d.Value, Filled: true, Bold: d.TextStyle == "bold"}
	if d.Color != "" {
		if c, ok := validColor(d.Color); ok {
			seg.Color = c
		} else {
			warn(fmt.Sprintf("data[%d].color %q is not a #rrggbb color: ignored", i, shorten(d.Color, 60)))
		}
	}
	if d.FontSize != "" {
		if size, ok := validFontSize(d.FontSize); ok {
			seg.FontSize = size
		} else {
			warn(fmt.Sprintf("data[%d].font_size %q is not a number: ignored", i, shorten(d.FontSize, 60)))
		}
	}
	return seg
}

// cellView splits a cell into text and placeholders with
// workplus.ParseContent; a cell that does not parse shows as written.
func cellView(c workplus.TemplateCell, data map[string]uiSegment, message bool) uiCell {
	cell := uiCell{Align: c.Align}
	if !oneOf(cell.Align, aligns) {
		cell.Align = workplus.AlignLeft
	}
	segments, err := workplus.ParseContent(c.Content)
	if err != nil {
		cell.Raw, cell.Error = c.Content, err.Error()
		return cell
	}
	for _, s := range segments {
		if s.Placeholder == "" {
			cell.Segments = append(cell.Segments, uiSegment{Text: s.Text})
			continue
		}
		label := "{{" + s.Placeholder + ".DATA}}"
		seg, ok := data[s.Placeholder]
		switch {
		case ok:
			seg.Placeholder, seg.Key = label, s.Placeholder
		default:
			seg = uiSegment{Placeholder: label, Key: s.Placeholder, Missing: message}
		}
		cell.Segments = append(cell.Segments, seg)
	}
	return cell
}

func messageView(m AppMessageRecord, templates map[string]workplus.Template, apps map[string]App, employees map[string]Employee) uiMessage {
	req := m.Request
	v := uiMessage{
		ID: m.ID, Type: req.Type, Time: formatMS(m.Plan.CreateTime), SourceType: m.SourceType, ForAll: m.ForAll,
		Text: messageText(req, templates), Body: req.Body,
		Scopes: m.Plan.Scopes, Platforms: req.Platforms, Paths: m.Plan.ClientIDs,
		Expects: m.Plan.Expects, Oks: m.Plan.Oks, Fails: m.Plan.Fails,
		AtAll: req.Body.AtAll != nil && *req.Body.AtAll,
		IsGif: req.Body.IsGif != nil && *req.Body.IsGif != 0,
	}
	warn := func(s string) { v.Warnings = append(v.Warnings, s) }
	for _, path := range m.Plan.ClientIDs {
		if len(v.Recipients) == uiMaxRecipients {
			v.MoreRecipients++
			continue
		}
		r := uiRecipient{Path: path}
		id := path[strings.LastIndex(path, "/")+1:]
		if em, ok := employees[id]; ok {
			r.Name, r.Username = em.Name, em.Username
		}
		if r.Name == "" {
			r.Name = shorten(id, 8)
		}
		v.Recipients = append(v.Recipients, r)
	}
	switch req.Type {
	case workplus.MessageTypeTemplate:
		t, ok := templates[req.Body.TemplateID]
		if !ok {
			warn("template " + req.Body.TemplateID + " no longer exists: shown as plain text")
			break
		}
		card := newCard(t, apps[m.AppID], &req.Body, warn)
		v.Card = &card
	case workplus.MessageTypeArticle:
		for _, a := range req.Body.Articles {
			art := uiArticle{Title: a.Title, Summary: a.Summary, Author: a.Author, URL: httpURL(a.URL)}
			if (a.ShowCover == nil || *a.ShowCover) && (a.CoverEnabled == nil || *a.CoverEnabled) {
				art.Cover = httpURL(a.CoverURL)
			}
			v.Articles = append(v.Articles, art)
		}
	case workplus.MessageTypeImage, workplus.MessageTypeFile:
		if req.Body.Size > 0 {
			v.Size = byteSize(req.Body.Size)
		}
	}
	return v
}

// messageText renders a message as plain text: its content, its articles'
// titles, or its template filled with its data.
func messageText(m workplus.AppMessage, templates map[string]workplus.Template) string {
	switch m.Type {
	case workplus.MessageTypeTemplate:
		t, ok := templates[m.Body.TemplateID]
		if !ok {
			return "(template " + m.Body.TemplateID + " no longer exists)"
		}
		values := map[string]string{}
		for _, d := range m.Body.Data {
			values[d.Key] = d.Value
		}
		text, err := workplus.RenderText(t.Contents, values)
		if err != nil {
			return t.Title + ": " + err.Error()
		}
		return t.Title + "\n" + text
	case workplus.MessageTypeArticle:
		var titles []string
		for _, a := range m.Body.Articles {
			titles = append(titles, a.Title)
		}
		return strings.Join(titles, "\n")
	case workplus.MessageTypeFile:
		return m.Body.Name
	}
	return m.Body.Content
}

func taskView(t PushTask) uiTask {
	msg := t.Request.Message
	v := uiTask{
		TaskID: t.TaskID, Time: formatMS(t.CreateTime), Type: msg.Type,
		Title: msg.Title, Body: msg.Body, BigText: msg.BigText, Attachment: msg.AttachmentURL,
		Strategy: t.Strategy, Sequence: t.OspushSequence, RequestID: t.RequestID,
	}
	a := t.Request.Audience
	v.AudienceKind = a.Kind()
	switch {
	case a.All:
	case a.Tags != nil:
		v.Audience = a.Tags
	case a.Aliases != nil:
		v.Audience = a.Aliases
	case a.PushTokens != nil:
		v.Audience = a.PushTokens
	case a.UserIDs != nil:
		for _, id := range a.UserIDs {
			v.Audience = append(v.Audience, strconv.FormatInt(id, 10))
		}
	}
	var most int64
	for _, ch := range t.Detail.Channels() {
		if ch.Target == 0 {
			continue
		}
		most = max(most, ch.Target)
		v.Target += ch.Target
		v.Sent += ch.Sent
		v.Received += ch.Received
		v.Channels = append(v.Channels, uiChannel{Name: ch.Channel, Target: ch.Target, Sent: ch.Sent, Received: ch.Received})
	}
	for i := range v.Channels {
		ch := &v.Channels[i]
		ch.TargetPct, ch.SentPct, ch.ReceivedPct = percent(ch.Target, most), percent(ch.Sent, most), percent(ch.Received, most)
	}
	v.TargetPct, v.SentPct, v.RecvPct = 100, percent(v.Sent, v.Target), percent(v.Received, v.Target)
	return v
}

// certificateView lays out every app's certificates as a vendor ×
// environment grid, each audited with certaudit.Inspect at now.
func certificateView(apps []App, certs []Certificate, now time.Time) []uiCertApp {
	byKey := map[string]Certificate{}
	appIDs := []string{}
	names := map[string]string{}
	for _, a := range apps {
		appIDs = append(appIDs, a.ID)
		names[a.ID] = a.Name
	}
	for _, c := range certs {
		byKey[certificateKey(c.AppID, c.Vendor, c.Environment)] = c
		if _, ok := names[c.AppID]; !ok {
			names[c.AppID] = ""
			appIDs = append(appIDs, c.AppID)
		}
	}
	envs := []int{workplus.EnvironmentDevelopment, workplus.EnvironmentProduction}
	var out []uiCertApp
	for _, id := range appIDs {
		ca := uiCertApp{AppID: id, AppName: names[id], Envs: []string{"development", "production"}}
		for _, vendor := range workplus.VendorNames() {
			row := uiCertRow{Vendor: vendor}
			for _, env := range envs {
				cert, ok := byKey[certificateKey(id, vendor, env)]
				if !ok {
					row.Cells = append(row.Cells, uiCertCell{Badge: "none", BadgeText: "not configured"})
					continue
				}
				row.Cells = append(row.Cells, certCell(cert, now))
			}
			ca.Rows = append(ca.Rows, row)
		}
		out = append(out, ca)
	}
	return out
}

func certCell(c Certificate, now time.Time) (cell uiCertCell) {
	cell = uiCertCell{Configured: true, Name: c.Name}
	var kinds []string
	defer func() { // after the format, whichever way out
		if c.AppKey != "" {
			kinds = append(kinds, "app key")
		}
		if c.AppSecret != "" {
			kinds = append(kinds, "app secret")
		}
		cell.Kind = strings.Join(kinds, " · ")
	}()
	if strings.TrimSpace(c.Certificate) == "" {
		cell.Badge, cell.BadgeText = "ok", "no expiry"
		return cell
	}
	audit, err := certaudit.Inspect(c.Certificate, now)
	kinds = append(kinds, audit.Format)
	switch {
	case err != nil:
		cell.Badge, cell.BadgeText, cell.Detail = "error", "unreadable", err.Error()
	case audit.Format == certaudit.FormatUnknown:
		cell.Badge, cell.BadgeText = "none", "unknown format"
	case audit.ExpiresInDays == nil:
		cell.Subject = audit.Subject
		cell.Badge, cell.BadgeText = "ok", "no expiry"
	default:
		cell.Subject = audit.Subject
		cell.NotAfter = audit.NotAfter.Format("2006-01-02")
		switch days := *audit.ExpiresInDays; {
		case days < 0:
			cell.Badge, cell.BadgeText = "expired", "expired"
		case days == 0:
			cell.Badge, cell.BadgeText = "soon", "expires today"
		case days == 1:
			cell.Badge, cell.BadgeText = "soon", "expires in 1 day"
		case days < certSoonDays:
			cell.Badge, cell.BadgeText = "soon", fmt.Sprintf("expires in %d days", days)
		default:
			cell.Badge, cell.BadgeText = "ok", fmt.Sprintf("valid, %d days left", days)
		}
	}
	return cell
}

// validColor accepts #rrggbb only: anything else could carry CSS into the
// style attribute it ends up in.
func validColor(s string) (string, bool) {
	if !hexColor.MatchString(s) {
		return "", false
	}
	return strings.ToLower(s), true
}

// validFontSize accepts a number of pixels, "14" or "14px", and clamps it.
func validFontSize(s string) (int, bool) {
	n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "px"), 64)
	if err != nil || math.IsNaN(n) || n <= 0 || n > 1000 {
		return 0, false
	}
	return min(max(int(n+0.5), minFontSize), maxFontSize), true
}

// httpURL returns s when it is an absolute http(s) URL, else "".
func httpURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

func splitTags(tags string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(tags, func(r rune) bool { return r == ',' || r == '，' }) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func initial(s string) string {
	for _, r := range strings.TrimSpace(s) {
		return strings.ToUpper(string(r))
	}
	return "W"
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func percent(part, whole int64) int {
	if whole <= 0 || part <= 0 {
		return 0
	}
	return int(min(100, max(1, (part*100+whole/2)/whole)))
}

func formatMS(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05 UTC")
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}
