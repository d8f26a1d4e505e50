package workplus

import (
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
// by the current user, named by a hash of the endpoint and credentials (so a
// changed secret never reuses a token). A file holds the token and its
// expiry, nothing else; expired and rejected tokens are removed. Errors are
// ignored on purpose: the cache only saves a request, it never fails one.
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

// TokenCacheKey identifies the credentials a token was issued for.
func TokenCacheKey(endpoint string, creds ClientCredentials) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{endpoint, creds.DomainID, creds.OrgID, creds.ClientID, creds.ClientSecret}, "\x00")))
	return hex.EncodeToString(sum[:])
}

func (c FileTokenCache) path(key string) string {
	return filepath.Join(c.Dir, key+".json")
}

// Load returns the cached token for key when it is still valid.
func (c FileTokenCache) Load(key string) (*Token, bool) {
	data, err := os.ReadFile(c.path(key))
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
	tmp, err := os.CreateTemp(c.Dir, key+".*.tmp")
	if err != nil {
		return
	}
	_, writeErr := tmp.Write(data)
	closeErr := tmp.Close()
	if err := errors.Join(writeErr, closeErr, os.Chmod(tmp.Name(), 0o600)); err != nil {
		_ = os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), c.path(key)) != nil {
		_ = os.Remove(tmp.Name())
	}
}

// Delete forgets the token for key.
func (c FileTokenCache) Delete(key string) {
	_ = os.Remove(c.path(key))
}
