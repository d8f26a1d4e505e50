package workplus

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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
	file, _ := cache.path(key)
	info, err := os.Stat(file)
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
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Error("the expired token's file was not removed")
	}
	if err := os.WriteFile(file, []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := cache.Load(key); ok {
		t.Error("a corrupt cache file was trusted")
	}
}

// TestFileTokenCache_namesDoNotRevealTheSecret: whoever sees the cache's
// file names cannot test guesses of the client secret offline. The old
// cache named files by a plain SHA-256 over the secret and known fields, so
// hashing a guess and looking for the name confirmed it.
func TestFileTokenCache_namesDoNotRevealTheSecret(t *testing.T) {
	t.Parallel()
	creds := ClientCredentials{DomainID: "atwork", OrgID: "org", ClientID: "ci", ClientSecret: "hunter2"}
	endpoint := "https://w.example.com"
	first := FileTokenCache{Dir: t.TempDir()}
	first.Store(TokenCacheKey(endpoint, creds), &Token{AccessToken: "tok", ExpireTime: time.Now().Add(time.Hour).UnixMilli()})

	guess := sha256.Sum256([]byte(strings.Join([]string{endpoint, creds.DomainID, creds.OrgID, creds.ClientID, creds.ClientSecret}, "\x00")))
	entries, err := os.ReadDir(first.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tokenFiles := 0
	for _, e := range entries {
		if strings.Contains(e.Name(), hex.EncodeToString(guess[:])) || strings.Contains(e.Name(), creds.ClientSecret) {
			t.Errorf("the file name %s confirms a guess of the secret", e.Name())
		}
		if strings.HasSuffix(e.Name(), ".json") {
			tokenFiles++
		}
	}
	if tokenFiles != 1 {
		t.Fatalf("%d token files, want 1: %v", tokenFiles, entries)
	}
	if info, err := os.Stat(filepath.Join(first.Dir, hmacKeyFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("HMAC key file: %v, %v; want mode 0600", info, err)
	}
	// Another cache directory has another key, so the names differ too.
	second := FileTokenCache{Dir: t.TempDir()}
	a, _ := first.path(TokenCacheKey(endpoint, creds))
	b, _ := second.path(TokenCacheKey(endpoint, creds))
	if filepath.Base(a) == filepath.Base(b) {
		t.Error("two caches name the same credentials alike: the key is not random")
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
	if tokens, _ := filepath.Glob(filepath.Join(cache.Dir, "*.json")); len(tokens) != 1 {
		t.Fatalf("cache holds %d token files after a rejection and renewal, want the renewed token only", len(tokens))
	}
	if n := srv.requests("POST /v1/token"); n != 2 {
		t.Errorf("tokens fetched = %d, want 2 after a rejection", n)
	}
}
