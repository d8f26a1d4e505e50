package workplus

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TokenCache keeps tokens between processes. Terraform starts a new provider
// process for each phase of a run (plan, then apply), so without a cache
// every phase would exchange the credentials again.
type TokenCache interface {
	Load(key string) (*Token, bool)
	Store(key string, token *Token)
	Delete(key string)
}

// FileTokenCache stores each token in its own file under Dir, readable only
// by the current user, named by an HMAC of the endpoint and credentials (so a
// changed secret never reuses a token). The HMAC key is random, made on first
// use and kept in Dir readable only by the user: a plain hash of the secret
// and known fields would let anyone who sees the file names test guesses of
// the secret offline. A file holds the token and its expiry, nothing else;
// expired and rejected tokens are removed. Errors are ignored on purpose: the
// cache only saves a request, it never fails one.
type FileTokenCache struct {
	Dir string
}

// DefaultTokenCacheDir is where the provider keeps tokens unless told
// otherwise: the user's cache directory.
func DefaultTokenCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "terraform-provider-workplus", "tokens")
}

// TokenCacheKey identifies the credentials a token was issued for. It holds
// the secret: a cache must not store it as it is (FileTokenCache keys its
// file names with an HMAC of it).
func TokenCacheKey(endpoint string, creds ClientCredentials) string {
	return strings.Join([]string{endpoint, creds.DomainID, creds.OrgID, creds.ClientID, creds.ClientSecret}, "\x00")
}

// hmacKeyFile holds the random key of the file names' HMAC.
const hmacKeyFile = "hmac.key"

func (c FileTokenCache) path(key string) (string, bool) {
	hmacKey, ok := c.hmacKey()
	if !ok {
		return "", false
	}
	mac := hmac.New(sha256.New, hmacKey)
	mac.Write([]byte(key))
	return filepath.Join(c.Dir, hex.EncodeToString(mac.Sum(nil))+".json"), true
}

// hmacKey reads the cache's HMAC key, making it on first use. Two processes
// racing to make it agree: only one O_EXCL create wins, the other reads it.
func (c FileTokenCache) hmacKey() ([]byte, bool) {
	file := filepath.Join(c.Dir, hmacKeyFile)
	if key, err := os.ReadFile(file); err == nil && len(key) == 32 {
		return key, true
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return nil, false
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, false
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		existing, readErr := os.ReadFile(file)
		return existing, readErr == nil && len(existing) == 32
	}
	_, writeErr := f.Write(key)
	if err := errors.Join(writeErr, f.Close()); err != nil {
		_ = os.Remove(file)
		return nil, false
	}
	return key, true
}

// Load returns the cached token for key when it is still valid.
func (c FileTokenCache) Load(key string) (*Token, bool) {
	file, ok := c.path(key)
	if !ok {
		return nil, false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	var token Token
	if json.Unmarshal(data, &token) != nil || token.AccessToken == "" {
		c.Delete(key)
		return nil, false
	}
	if !time.Now().Add(tokenExpirySkew).Before(time.UnixMilli(token.ExpireTime)) {
		c.Delete(key)
		return nil, false
	}
	return &token, true
}

// Store writes the token atomically (temporary file, then rename), so a
// concurrent reader never sees half a file.
func (c FileTokenCache) Store(key string, token *Token) {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return
	}
	data, err := json.Marshal(Token{AccessToken: token.AccessToken, ExpireTime: token.ExpireTime})
	if err != nil {
		return
	}
	file, ok := c.path(key)
	if !ok {
		return
	}
	tmp, err := os.CreateTemp(c.Dir, "token.*.tmp")
	if err != nil {
		return
	}
	_, writeErr := tmp.Write(data)
	closeErr := tmp.Close()
	if err := errors.Join(writeErr, closeErr, os.Chmod(tmp.Name(), 0o600)); err != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), file) != nil {
		_ = os.Remove(tmp.Name())
	}
}

// Delete forgets the token for key.
func (c FileTokenCache) Delete(key string) {
	if file, ok := c.path(key); ok {
		_ = os.Remove(file)
	}
}
