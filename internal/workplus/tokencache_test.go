package workplus

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFileTokenCache(t *testing.T) {
	t.Parallel()
	cache := FileTokenCache{Dir: filepath.Join(t.TempDir(), "tokens")}
	key := TokenCacheKey("https://w.example.com", ClientCredentials{ClientID: "c", ClientSecret: "s"})
	if key == TokenCacheKey("https://w.example.com", ClientCredentials{ClientID: "c", ClientSecret: "other"}) {
		t.Fatal("a changed secret must give another key")
	}
	if _, ok := cache.Load(key); ok {
		t.Fatal("empty cache returned a token")
	}
	cache.Store(key, &Token{AccessToken: "tok", RefreshToken: "never-stored", ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
	got, ok := cache.Load(key)
	if !ok || got.AccessToken != "tok" || got.RefreshToken != "" {
		t.Fatalf("Load = %+v, %v", got, ok)
	}
	info, err := os.Stat(filepath.Join(cache.Dir, key+".json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("cache file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
	if dir, _ := os.Stat(cache.Dir); dir.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode = %v, want 0700", dir.Mode().Perm())
	}
	cache.Store(key, &Token{AccessToken: "old", ExpireTime: time.Now().Add(10 * time.Second).UnixMilli()})
	if _, ok := cache.Load(key); ok {
		t.Error("a token about to expire was returned")
	}
	if _, err := os.Stat(filepath.Join(cache.Dir, key+".json")); !os.IsNotExist(err) {
		t.Error("the expired token's file was not removed")
	}
	if err := os.WriteFile(filepath.Join(cache.Dir, key+".json"), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := cache.Load(key); ok {
		t.Error("a corrupt cache file was trusted")
	}
}

// TestCredentialsToken_sharedAcrossProcesses stands two clients in for the
// plan and apply processes of one terraform apply: the second reuses the
// first one's token, and a rejection removes it from the cache.
func TestCredentialsToken_sharedAcrossProcesses(t *testing.T) {
	t.Parallel()
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/token" {
			writeOpen(w, 200, 0, MessageOK, Token{AccessToken: "tok", ExpireTime: time.Now().Add(time.Hour).UnixMilli()})
			return
		}
		if r.URL.Query().Get("reject") != "" {
			writeOpen(w, 401, StatusTokenNotFound, MessageTokenNotFound, nil)
			return
		}
		writeOpen(w, 200, 0, MessageOK, Template{ID: "t1"})
	})
	cache := FileTokenCache{Dir: t.TempDir()}
	process := func() *Client {
		return testClient(t, srv.URL, func(c *Config) {
			c.AccessToken = ""
			c.Credentials = &ClientCredentials{ClientID: "c", ClientSecret: "s"}
			c.TokenCache = cache
			c.MaxRetries = -1
		})
	}
	for range 2 {
		if _, err := process().GetTemplate(t.Context(), "t1"); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.requests("POST /v1/token"); n != 1 {
		t.Fatalf("two processes fetched %d tokens, want 1", n)
	}
	c := process()
	_ = c.do(t.Context(), call{api: openAPI, method: "GET", path: "/v1/templates/t1", query: map[string][]string{"reject": {"1"}}, idempotent: true})
	if entries, _ := os.ReadDir(cache.Dir); len(entries) != 1 {
		t.Fatalf("cache holds %d files after a rejection and renewal, want the renewed token only", len(entries))
	}
	if n := srv.requests("POST /v1/token"); n != 2 {
		t.Errorf("tokens fetched = %d, want 2 after a rejection", n)
	}
}
