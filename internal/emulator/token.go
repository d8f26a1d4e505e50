package emulator

import (
	"crypto/subtle"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

const grantClientCredentials = "client_credentials"

// issueToken exchanges client credentials for a token of the client's app.
// domain_id and org_id, when sent, must be the app's: a client configured for
// another org should fail here, not on its first real call.
func (e *Emulator) issueToken(c *call) (any, error) {
	var req workplus.TokenRequest
	if err := e.decodeVendor(c, &req); err != nil {
		return nil, err
	}
	if req.GrantType != grantClientCredentials {
		return nil, badRequest("field grant_type: %s", enumMessage(req.GrantType, []string{grantClientCredentials}))
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	client, ok := e.st.clients.get(req.ClientID)
	if !ok || subtle.ConstantTimeCompare([]byte(req.ClientSecret), []byte(client.ClientSecret)) != 1 {
		return nil, errBadClient
	}
	app, _ := e.st.apps.get(client.AppID)
	org, _ := e.st.orgs.get(app.OrgID)
	if (req.OrgID != "" && req.OrgID != org.ID) || (req.DomainID != "" && req.DomainID != org.DomainID) {
		return nil, errBadClient
	}

	expires := c.now.Add(e.opts.TokenTTL).UTC()
	token := AccessToken{Token: randomToken(), AppID: app.ID, ClientID: client.ClientID, ExpiresAt: &expires}
	if err := e.commit(put(bucketTokens, token.Token, token)); err != nil {
		return nil, err
	}
	return workplus.Token{
		AccessToken: token.Token,
		// Refresh tokens are not accepted anywhere: clients fetch a new token
		// with their credentials, as the provider does.
		RefreshToken: randomToken(),
		IssuedTime:   c.now.UnixMilli(),
		ExpireTime:   expires.UnixMilli(),
		ClientID:     client.ClientID,
	}, nil
}
