package workplus

import (
	"context"
	"sync"
	"time"
)

// TokenSource supplies the access token for each request.
type TokenSource interface {
	// Token returns a token that is valid as far as the source knows.
	Token(ctx context.Context) (string, error)
	// Invalidate drops token if it is still the current one, after the server
	// rejected it (10011), so the next Token call fetches a new one.
	Invalidate(token string)
	// Renewable reports whether Invalidate can lead to a different token.
	Renewable() bool
}

// StaticToken is a ready access token. It is never renewed.
type StaticToken string

// Token returns the token.
func (s StaticToken) Token(context.Context) (string, error) { return string(s), nil }

// Invalidate does nothing: there is no other token to fall back to.
func (StaticToken) Invalidate(string) {}

// Renewable is false.
func (StaticToken) Renewable() bool { return false }

// tokenExpirySkew renews a token this long before the server's expire_time, so
// a request does not set out with a token that expires on the way.
const tokenExpirySkew = 30 * time.Second

// credentialsToken exchanges client credentials for a token once, and again
// when it expires or the server rejects it. The mutex is held during the
// fetch, so concurrent callers wait for one fetch instead of each making one.
type credentialsToken struct {
	client *Client
	creds  ClientCredentials
	now    func() time.Time
	cache  TokenCache // may be nil
	key    string     // the cache key of creds

	mu      sync.Mutex
	current *Token
}

func newCredentialsToken(c *Client, creds ClientCredentials, cache TokenCache) *credentialsToken {
	return &credentialsToken{client: c, creds: creds, now: time.Now, cache: cache, key: TokenCacheKey(c.openBase.String(), creds)}
}

func (s *credentialsToken) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil && s.cache != nil {
		s.current, _ = s.cache.Load(s.key)
	}
	if s.current != nil && s.now().Add(tokenExpirySkew).Before(time.UnixMilli(s.current.ExpireTime)) {
		return s.current.AccessToken, nil
	}
	token, err := s.client.exchangeCredentials(ctx, s.creds)
	if err != nil {
		return "", err
	}
	s.current = token
	if s.cache != nil {
		s.cache.Store(s.key, token)
	}
	return token.AccessToken, nil
}

func (s *credentialsToken) Invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current != nil && s.current.AccessToken == token {
		s.current = nil
		if s.cache != nil {
			s.cache.Delete(s.key)
		}
	}
}

func (s *credentialsToken) Renewable() bool { return true }

// exchangeCredentials calls POST /v1/token. It is idempotent: a second token
// for the same client does no harm.
func (c *Client) exchangeCredentials(ctx context.Context, creds ClientCredentials) (*Token, error) {
	var token Token
	err := c.do(ctx, call{
		api: openAPI, method: "POST", path: "/v1/token", noAuth: true, idempotent: true,
		body: TokenRequest{
			GrantType: "client_credentials", Scope: "app",
			DomainID: creds.DomainID, OrgID: creds.OrgID, ClientID: creds.ClientID, ClientSecret: creds.ClientSecret,
		},
		out: &token,
	})
	if err != nil {
		return nil, err
	}
	return &token, nil
}

// FetchToken exchanges the configured client credentials for a new token,
// independent of the token the client itself uses. It fails for a client
// configured with a static access token.
func (c *Client) FetchToken(ctx context.Context) (*Token, error) {
	source, ok := c.tokens.(*credentialsToken)
	if !ok {
		return nil, errNoCredentials
	}
	return c.exchangeCredentials(ctx, source.creds)
}
