// Package certgen creates real, throw-away push credentials for the WorkPlus
// emulator's default seed and for tests.
//
// The provider never generates credentials in production; it only stores what
// the user supplies. But the emulator and the test suites need credentials
// that look exactly like what APNs/FCM operators upload (parseable
// certificates with known dates, PKCS#12 bundles, service-account JSON), so
// that code auditing those values is exercised against real encodings rather
// than hand-written fixtures that drift from reality.
package certgen

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// defaultValidity is used when Options.NotAfter is zero. One year matches the
// lifetime of an APNs certificate, so seeded data behaves like the real thing.
const defaultValidity = 365 * 24 * time.Hour

// Options describes the certificate to generate.
//
// Zero times are replaced by defaults so the emulator can seed a certificate
// that is valid "now" without computing dates: a zero NotBefore becomes one
// hour ago (tolerating clock skew between emulator and provider), and a zero
// NotAfter becomes NotBefore plus one year. Tests that assert on dates should
// set both explicitly. Times are stored with second precision in UTC, as
// X.509 requires; Bundle.Cert reflects the encoded values.
type Options struct {
	CommonName   string
	Organization string
	NotBefore    time.Time
	NotAfter     time.Time
	// Serial is optional; when nil a random positive 128-bit serial is used,
	// which keeps generated certificates distinguishable from one another.
	Serial *big.Int
}

// Bundle holds one generated certificate in every encoding the WorkPlus API
// accepts, so a test can pick the representation it needs without
// re-encoding (and possibly diverging from) the original.
type Bundle struct {
	Cert    *x509.Certificate
	CertDER []byte
	// CertPEM is a single "CERTIFICATE" PEM block.
	CertPEM string
	// KeyPEM is the private key as a PKCS#8 "PRIVATE KEY" PEM block.
	KeyPEM string
	// PKCS12 contains the certificate and key protected by an EMPTY password,
	// the way operators commonly export APNs .p12 files; it decodes with
	// pkcs12.DecodeChain(data, "").
	PKCS12 []byte
}

// Generate makes a self-signed ECDSA P-256 certificate. P-256 keeps
// generation fast enough to run in every test while still producing a
// certificate that standard tooling (openssl, keychain) accepts.
func Generate(opts Options) (*Bundle, error) {
	notBefore := opts.NotBefore
	if notBefore.IsZero() {
		notBefore = time.Now().Add(-time.Hour)
	}
	notAfter := opts.NotAfter
	if notAfter.IsZero() {
		notAfter = notBefore.Add(defaultValidity)
	}
	if !notAfter.After(notBefore) {
		return nil, fmt.Errorf("certgen: NotAfter (%s) must be after NotBefore (%s)",
			notAfter.Format(time.RFC3339), notBefore.Format(time.RFC3339))
	}

	serial := opts.Serial
	if serial == nil {
		var err error
		serial, err = randomSerial()
		if err != nil {
			return nil, err
		}
	} else if serial.Sign() <= 0 {
		// RFC 5280 §4.1.2.2 requires a positive serial; Go would reject a
		// negative one anyway, but with a less obvious message.
		return nil, fmt.Errorf("certgen: serial must be positive, got %s", serial)
	} else {
		// Copy so the caller mutating their *big.Int later cannot affect us.
		serial = new(big.Int).Set(serial)
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("certgen: generating ECDSA key: %w", err)
	}

	subject := pkix.Name{CommonName: opts.CommonName}
	if opts.Organization != "" {
		subject.Organization = []string{opts.Organization}
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      subject,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		// Push certificates authenticate the sender to the push service, i.e.
		// they are TLS client certificates.
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("certgen: creating certificate: %w", err)
	}
	// Parse the DER back so Cert reflects exactly what was encoded (UTC,
	// truncated to seconds) rather than the template.
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("certgen: parsing generated certificate: %w", err)
	}

	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("certgen: marshalling private key: %w", err)
	}

	p12, err := pkcs12.Modern.Encode(key, cert, nil, "")
	if err != nil {
		return nil, fmt.Errorf("certgen: encoding PKCS#12: %w", err)
	}

	return &Bundle{
		Cert:    cert,
		CertDER: der,
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})),
		PKCS12:  p12,
	}, nil
}

// randomSerial returns a random positive serial of at most 128 bits. It
// retries on zero, which RFC 5280 forbids, instead of adding one, so the
// distribution stays uniform.
func randomSerial() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 128)
	for {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return nil, fmt.Errorf("certgen: generating serial: %w", err)
		}
		if n.Sign() > 0 {
			return n, nil
		}
	}
}

// serviceAccount mirrors the key file Google Cloud produces for a service
// account, field for field and in the same order, so consumers that are
// picky about the format (or compare documents) see the genuine layout.
type serviceAccount struct {
	Type                    string `json:"type"`
	ProjectID               string `json:"project_id"`
	PrivateKeyID            string `json:"private_key_id"`
	PrivateKey              string `json:"private_key"`
	ClientEmail             string `json:"client_email"`
	ClientID                string `json:"client_id"`
	AuthURI                 string `json:"auth_uri"`
	TokenURI                string `json:"token_uri"`
	AuthProviderX509CertURL string `json:"auth_provider_x509_cert_url"`
	ClientX509CertURL       string `json:"client_x509_cert_url"`
	UniverseDomain          string `json:"universe_domain"`
}

// FCMServiceAccountJSON returns an FCM/Google service-account key file whose
// private_key is a freshly generated RSA-2048 key in PKCS#8 PEM, the form
// Google issues. The key is real so that code which parses or signs with it
// can be tested, but it is not registered anywhere and cannot authenticate.
//
// An empty clientEmail defaults to the address Firebase gives its Admin SDK
// service account, since that is what FCM users almost always upload.
func FCMServiceAccountJSON(projectID, clientEmail string) (string, error) {
	projectID = strings.TrimSpace(projectID)
	if projectID == "" {
		return "", errors.New("certgen: projectID must not be empty")
	}
	clientEmail = strings.TrimSpace(clientEmail)
	if clientEmail == "" {
		clientEmail = "firebase-adminsdk@" + projectID + ".iam.gserviceaccount.com"
	}

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("certgen: generating RSA key: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", fmt.Errorf("certgen: marshalling RSA key: %w", err)
	}

	// Google's private_key_id is 40 lower-case hex characters.
	keyID := make([]byte, 20)
	if _, err := rand.Read(keyID); err != nil {
		return "", fmt.Errorf("certgen: generating key id: %w", err)
	}
	// Google's client_id is a 21-digit decimal number.
	clientID, err := randomDigits(21)
	if err != nil {
		return "", err
	}

	sa := serviceAccount{
		Type:                    "service_account",
		ProjectID:               projectID,
		PrivateKeyID:            hex.EncodeToString(keyID),
		PrivateKey:              string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})),
		ClientEmail:             clientEmail,
		ClientID:                clientID,
		AuthURI:                 "https://accounts.google.com/o/oauth2/auth",
		TokenURI:                "https://oauth2.googleapis.com/token",
		AuthProviderX509CertURL: "https://www.googleapis.com/oauth2/v1/certs",
		ClientX509CertURL:       "https://www.googleapis.com/robot/v1/metadata/x509/" + url.PathEscape(clientEmail),
		UniverseDomain:          "googleapis.com",
	}
	out, err := json.MarshalIndent(sa, "", "  ")
	if err != nil {
		return "", fmt.Errorf("certgen: encoding service account JSON: %w", err)
	}
	return string(out) + "\n", nil
}

// randomDigits returns n random decimal digits, the first one non-zero so the
// value keeps its length when treated as a number.
func randomDigits(n int) (string, error) {
	var b strings.Builder
	for i := 0; i < n; i++ {
		lo := int64(0)
		if i == 0 {
			lo = 1
		}
		d, err := rand.Int(rand.Reader, big.NewInt(10-lo))
		if err != nil {
			return "", fmt.Errorf("certgen: generating client id: %w", err)
		}
		b.WriteByte(byte('0' + lo + d.Int64()))
	}
	return b.String(), nil
}
