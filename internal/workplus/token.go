package workplus

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
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

// settler is implemented by token sources that learn from each answer
// whether their token is accepted. The client reports every attempt's outcome.
type settler interface {
	Settle(token string, err error)
}

// staticToken is a ready access token. It is never renewed. Until an answer
// shows whether the server accepts it, one request at a time carries it;
// once the server rejects it, every later request fails with that rejection,
// unsent. So N resources with a bad token make one request, not N.
//
// While the server does not answer at all (timeouts, refused connections),
// no request can learn anything of the token, and queueing the callers one
// attempt at a time would turn one outage into the sum of their retries. So
// the gate stands aside until the next answer, which closes it again or
// settles the token.
type staticToken struct {
	token string

	mu          sync.Mutex
	accepted    bool
	rejected    error
	probe       chan struct{} // open while one request finds out; nil otherwise
	unreachable bool          // the last attempt got no answer: requests go out ungated
}

func (s *staticToken) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	for {
		switch {
		case s.accepted, s.unreachable && s.rejected == nil:
			s.mu.Unlock()
			return s.token, nil
		case s.rejected != nil:
			s.mu.Unlock()
			return "", s.rejected
		case s.probe == nil:
			s.probe = make(chan struct{})
			s.mu.Unlock()
			return s.token, nil
		}
		probe := s.probe
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-probe:
		}
		s.mu.Lock()
	}
}

// Settle records what an answer said of the token: a 10011 rejects it, a
// success or a WorkPlus envelope that judged the request accepts it, and
// anything else lets the next request find out (all of the waiting requests
// when there was no answer at all). A proxy's 502 page, a 429 or
// a server failure says nothing of the token: the server may not have
// looked at it.
func (s *staticToken) Settle(token string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if token != s.token || s.accepted || s.rejected != nil {
		return
	}
	var te *transportError
	s.unreachable = errors.As(err, &te)
	switch {
	case IsTokenRejected(err):
		s.rejected = &TokenRejectedError{Err: err}
	case err == nil || isJudgedByServer(err):
		s.accepted = true
	}
	if s.probe != nil {
		close(s.probe)
		s.probe = nil
	}
}

// isJudgedByServer reports a WorkPlus envelope error that the server gave
// after it checked the request, such as a missing template or a bad field.
func isJudgedByServer(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.HasCode && !isRateLimited(apiErr) && !isRetryableStatus(apiErr, true)
}

// Invalidate does nothing: there is no other token to fall back to.
func (*staticToken) Invalidate(string) {}

// Renewable is false.
func (*staticToken) Renewable() bool { return false }

// tokenExpirySkew renews a token this long before the server's expire_time, so
// a request does not set out with a token that expires on the way.
const tokenExpirySkew = 30 * time.Second

// credentialsToken exchanges client credentials for a token once, and again
// when it expires or the server rejects it. One exchange is in flight at a
// time: callers that need a token while it runs wait for it and share its
// outcome, success or failure, and its retries. So an outage of the token
// endpoint costs one exchange, not one per waiting caller.
type credentialsToken struct {
	client *Client
	creds  ClientCredentials
	now    func() time.Time
	cache  TokenCache // may be nil
	key    string     // the cache key of creds

	exchanges singleflight.Group

	mu      sync.Mutex
	current *Token
	// rejected is the token endpoint's definitive refusal of creds; once set,
	// Token returns it without asking again.
	rejected error
}

func newCredentialsToken(c *Client, creds ClientCredentials, cache TokenCache) *credentialsToken {
	return &credentialsToken{client: c, creds: creds, now: time.Now, cache: cache, key: TokenCacheKey(c.openBase.String(), creds)}
}

func (s *credentialsToken) Token(ctx context.Context) (string, error) {
	if token, settled, err := s.known(); settled {
		return token, err
	}
	// The exchange does not end with the caller that happened to start it:
	// the others wait on it too. Each caller stops waiting at its own
	// deadline; the exchange itself is bounded by the retry policy.
	exchange := s.exchanges.DoChan("", func() (any, error) {
		return s.exchange(context.WithoutCancel(ctx))
	})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case result := <-exchange:
		if result.Err != nil {
			return "", result.Err
		}
		token, _ := result.Val.(string) // exchange returns a string
		return token, nil
	}
}

// known returns the current token or the remembered rejection, settled false
// when a token must be fetched.
func (s *credentialsToken) known() (token string, settled bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil && s.cache != nil {
		s.current, _ = s.cache.Load(s.key)
		if s.current != nil {
			s.client.secrets.add(s.current.AccessToken)
		}
	}
	if s.current != nil && s.now().Add(tokenExpirySkew).Before(time.UnixMilli(s.current.ExpireTime)) {
		return s.current.AccessToken, true, nil
	}
	if s.rejected != nil {
		return "", true, s.rejected
	}
	return "", false, nil
}

// exchange fetches a token unless one arrived since the caller looked (an
// exchange that ended just before this one began).
func (s *credentialsToken) exchange(ctx context.Context) (string, error) {
	if token, settled, err := s.known(); settled {
		return token, err
	}
	token, err := s.client.exchangeCredentials(ctx, s.creds)
	s.mu.Lock()
	defer s.mu.Unlock()
	if isCredentialsRejection(err) {
		s.rejected = &CredentialsRejectedError{Err: err}
		return "", s.rejected
	}
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

// isCredentialsRejection reports a token endpoint answer that no retry can
// change: a 4xx other than 429, or an envelope error that is not a server
// failure.
func isCredentialsRejection(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || isRateLimited(apiErr) || isRetryableStatus(apiErr, true) {
		return false
	}
	return apiErr.HTTPStatus >= 400 && apiErr.HTTPStatus < 500 || apiErr.HasCode && apiErr.Code != StatusOK
}

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
	c.secrets.add(token.AccessToken)
	c.secrets.add(token.RefreshToken)
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
