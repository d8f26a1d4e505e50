package workplus

import "sync"

// templateClaims are the template ids that resources of this provider process
// manage, per deployment. Every client for one endpoint shares them, so two
// provider configurations (aliases) for the same server see each other's
// claims too.
type templateClaims struct {
	mu  sync.Mutex
	ids map[string]bool
}

var (
	claimsMu         sync.Mutex
	claimsByEndpoint = map[string]*templateClaims{}
)

func claimsFor(endpoint string) *templateClaims {
	claimsMu.Lock()
	defer claimsMu.Unlock()
	c, ok := claimsByEndpoint[endpoint]
	if !ok {
		c = &templateClaims{ids: map[string]bool{}}
		claimsByEndpoint[endpoint] = c
	}
	return c
}

// claim records id and reports whether it was free until now.
func (c *templateClaims) claim(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids[id] {
		return false
	}
	c.ids[id] = true
	return true
}

func (c *templateClaims) owned(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ids[id]
}
