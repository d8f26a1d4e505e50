package emulator

import (
	"bytes"
	_ "embed"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// The inbox page (/_emulator/ui/) shows what a person would have received:
// app messages newest first, with template messages rendered, and push tasks
// with their channel counts. It is read-only and served by html/template, so
// everything a client sent is escaped.

//go:embed ui.html
var uiHTML string

var uiTemplate = template.Must(template.New("ui").Funcs(template.FuncMap{
	"ms": func(ms int64) string {
		if ms == 0 {
			return ""
		}
		return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"join": strings.Join,
}).Parse(uiHTML))

// htmlPage is a control API answer that is a web page rather than JSON.
type htmlPage []byte

type uiMessage struct {
	AppMessageRecord
	Text string // what the reader sees, as far as text goes
}

type uiTask struct {
	PushTask
	Audience string
	Channels []workplus.ChannelStats
}

type uiData struct {
	Messages  []uiMessage
	Tasks     []uiTask
	Templates []workplus.Template
	Summary   stateSummary
}

func (e *Emulator) controlUI(*call) (any, error) {
	s := e.Snapshot()
	data := uiData{Templates: s.Templates, Summary: e.summary()}
	templates := map[string]workplus.Template{}
	for _, t := range s.Templates {
		templates[t.ID] = t
	}
	for _, m := range slices.Backward(s.AppMessages) {
		data.Messages = append(data.Messages, uiMessage{AppMessageRecord: m, Text: messageText(m.Request, templates)})
	}
	for _, t := range slices.Backward(s.PushTasks) {
		task := uiTask{PushTask: t}
		if aud, err := t.Request.Audience.MarshalJSON(); err == nil {
			task.Audience = string(aud)
		}
		for _, ch := range t.Detail.Channels() {
			if ch.Target > 0 {
				task.Channels = append(task.Channels, ch)
			}
		}
		data.Tasks = append(data.Tasks, task)
	}
	var buf bytes.Buffer
	if err := uiTemplate.Execute(&buf, data); err != nil {
		return nil, err
	}
	return htmlPage(buf.Bytes()), nil
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
