package workplus

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// FuzzDecodeResponse feeds arbitrary bodies and statuses to the envelope
// decoder of both APIs: it must return nil or an *APIError, never panic.
func FuzzDecodeResponse(f *testing.F) {
	seeds := []string{
		`{"status":0,"message":"Everything is ok.","result":{"id":"t1","contents":[[{"content":"x","align":"left"}]]}}`,
		`{"status":10011,"message":"token not found.","result":null}`,
		`{"code":200,"data":{"task_id":1},"message":null}`,
		`{"code":404,"data":null,"message":"certificate not configured."}`,
		`<html>502</html>`, ``, `{"status":0,"result":`, `{"status":"0"}`, `[]`, `null`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), 200, true)
		f.Add([]byte(s), 502, false)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int, open bool) {
		kind := pushAPI
		if open {
			kind = openAPI
		}
		var out Template
		var tasks []TaskDetail
		cl := call{api: kind, method: "GET", path: "/fuzz", out: &out}
		if !open {
			cl.out = &tasks
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		err := decodeResponse(cl, resp, body)
		if err == nil {
			return
		}
		if _, ok := err.(*APIError); !ok {
			t.Fatalf("decodeResponse returned %T: %v", err, err)
		}
		if err.Error() == "" {
			t.Fatal("empty error text")
		}
	})
}
