// Package certaudit inspects push-notification credentials offline.
//
// The WorkPlus API hands push credentials back as an opaque string field
// `certificate` that may hold a PEM certificate, base64 DER, a base64 PKCS#12
// bundle, or an FCM service-account JSON key. Teams need to know what they
// stored and when it expires without contacting Apple or Google, so this
// package recognises those encodings and extracts identity and validity. It
// deliberately does no chain or revocation checking: push certificates are
// checked by the push service itself, and an offline audit must not depend on
// trust stores that differ between machines.
package certaudit

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// Formats reported in Audit.Format.
const (
	FormatPEM     = "pem"
	FormatDER     = "der"
	FormatPKCS12  = "pkcs12"
	FormatJSON    = "json"
	FormatUnknown = "unknown"
)

var (
	// ErrEmpty is returned for an empty or whitespace-only certificate, which
	// usually means the credential was never uploaded rather than that it is
	// corrupt, so callers may want to word the warning differently.
	ErrEmpty = errors.New("certificate is empty")

	// ErrPasswordRequired is returned (wrapped) for a PKCS#12 bundle that
	// does not open with an empty password. The audit cannot ask for the
	// password, and the push service cannot use such a bundle either, since
	// the API stores no password alongside it.
	ErrPasswordRequired = errors.New("bundle is protected by a password; only password-less (empty password) PKCS#12 can be audited")
)

// Audit describes one push credential.
//
// Fields are derived from the leaf certificate for the X.509 formats (pem,
// der, pkcs12). For FCM service-account JSON, which carries no certificate,
// Subject is client_email, Serial is private_key_id, and the dates,
// fingerprint and ExpiresInDays are empty because such keys do not expire on
// their own. For FormatUnknown every other field is empty.
type Audit struct {
	Format string

	// Subject and Issuer are pkix.Name.String() values (RFC 2253 style,
	// most-specific RDN first), e.g. "CN=Apple Push Services: x,O=Example".
	Subject string
	Issuer  string

	// Serial is the certificate serial as lower-case hex of its big-endian
	// bytes, without colons and padded to whole bytes (so 10 is "0a", the
	// way openssl prints it, modulo case); negative serials, which only
	// broken issuers produce, get a leading "-". For JSON it is private_key_id
	// verbatim.
	Serial string

	// NotBefore and NotAfter are in UTC; nil where the format has no dates.
	NotBefore *time.Time
	NotAfter  *time.Time

	// SHA256Fingerprint is the lower-case hex SHA-256 of the leaf
	// certificate's DER, matching `openssl x509 -fingerprint -sha256` without
	// colons. It is empty for non-X.509 formats: hashing the raw input would
	// change with whitespace or encoding and so would identify nothing.
	SHA256Fingerprint string

	// ExpiresInDays is floor((NotAfter-now)/24h): 0 during the last day,
	// negative once expired. Nil when there is no NotAfter.
	ExpiresInDays *int64
}

// Inspect identifies the format of certificate and extracts its audit fields.
//
// Inspect never fails merely because the input is unrecognisable: such input
// is reported as FormatUnknown with a nil error, since the field may
// legitimately hold a credential type this package does not know. It returns
// an error only for empty input (ErrEmpty) and for input that is recognisably
// one format but broken, e.g. a PEM block that does not parse as a
// certificate or a PKCS#12 bundle that needs a password. In the latter case
// Audit.Format names the recognised format, all other fields are empty, and
// the error message is prefixed with the format so it can be shown as a
// warning on its own.
//
// now is a parameter, not time.Now(), so that plans and tests are
// reproducible.
func Inspect(certificate string, now time.Time) (Audit, error) {
	trimmed := strings.TrimSpace(certificate)
	if trimmed == "" {
		return Audit{Format: FormatUnknown}, ErrEmpty
	}

	// JSON goes before PEM although PEM is the commoner format: a service
	// account key embeds a "-----BEGIN PRIVATE KEY-----" string, and PEM
	// text never starts with "{".
	if a, ok, err := inspectJSON(trimmed); ok {
		return a, err
	}

	if strings.Contains(trimmed, "-----BEGIN ") {
		return inspectPEM(trimmed, now)
	}

	for _, candidate := range binaryCandidates(certificate) {
		if a, ok, err := inspectBinary(candidate, now); ok {
			return a, err
		}
	}
	return Audit{Format: FormatUnknown}, nil
}

// inspectPEM returns the first CERTIFICATE block as the leaf. Other blocks
// (private keys, parameters) are skipped because operators routinely paste
// the key and certificate together, in either order.
func inspectPEM(s string, now time.Time) (Audit, error) {
	rest := []byte(s)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" && block.Type != "X509 CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return Audit{Format: FormatPEM}, fmt.Errorf("pem: CERTIFICATE block is not a valid X.509 certificate: %w", err)
		}
		return fromCert(FormatPEM, cert, now), nil
	}
	return Audit{Format: FormatPEM}, errors.New("pem: no complete CERTIFICATE block found (missing, or the text is truncated or mangled)")
}

// serviceAccountMarkers are keys whose presence makes a JSON object
// recognisably a Google credential even without "type".
var serviceAccountMarkers = []string{`"private_key"`, `"client_email"`, `"service_account"`}

// inspectJSON reports ok=false when s is not a JSON object that looks like a
// service-account key, so that other formats can be tried.
func inspectJSON(s string) (Audit, bool, error) {
	if !strings.HasPrefix(s, "{") {
		return Audit{}, false, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &obj); err != nil {
		// Truncated or hand-edited key files are a common failure; if the
		// text clearly was meant to be one, say so instead of "unknown".
		for _, m := range serviceAccountMarkers {
			if strings.Contains(s, m) {
				return Audit{Format: FormatJSON}, true, fmt.Errorf("json: service account key is not valid JSON: %w", err)
			}
		}
		return Audit{}, false, nil
	}

	// str treats an absent key as "" and a non-string value as an error.
	str := func(key string) (string, error) {
		raw, present := obj[key]
		if !present {
			return "", nil
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", fmt.Errorf("json: %q must be a string", key)
		}
		return v, nil
	}

	typ, typErr := str("type")
	_, hasKey := obj["private_key"]
	_, hasEmail := obj["client_email"]
	if typ != "service_account" && !hasKey && !hasEmail {
		return Audit{}, false, nil
	}
	if typErr != nil {
		return Audit{Format: FormatJSON}, true, typErr
	}

	email, err := str("client_email")
	if err != nil {
		return Audit{Format: FormatJSON}, true, err
	}
	if strings.TrimSpace(email) == "" {
		return Audit{Format: FormatJSON}, true, errors.New("json: client_email is missing or empty")
	}
	keyID, err := str("private_key_id")
	if err != nil {
		return Audit{Format: FormatJSON}, true, err
	}
	key, err := str("private_key")
	if err != nil {
		return Audit{Format: FormatJSON}, true, err
	}
	if err := checkPrivateKeyPEM(key); err != nil {
		return Audit{Format: FormatJSON}, true, err
	}
	return Audit{Format: FormatJSON, Subject: email, Serial: keyID}, true, nil
}

// checkPrivateKeyPEM verifies the key actually parses, because a key file
// whose private_key was mangled (e.g. "\n" escapes lost on copy-paste) looks
// fine at a glance but fails only when FCM tokens are minted.
func checkPrivateKeyPEM(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("json: private_key is missing or empty")
	}
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return errors.New("json: private_key is not a PEM block (were the \\n line breaks lost?)")
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		return nil
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return nil
	}
	return fmt.Errorf("json: private_key %s block does not parse as a PKCS#8 or PKCS#1 private key", block.Type)
}

// binaryCandidates lists the byte strings the input might encode, most likely
// first. Base64 is tried before the raw bytes because the API transports
// binary credentials as base64 text; line breaks and spaces are ignored since
// base64 is often wrapped at 64 or 76 columns. URL-safe alphabets are
// accepted too because some tools emit them, and a string can only be valid
// in at most one padded and one unpadded variant, so the order is harmless.
func binaryCandidates(s string) [][]byte {
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)

	var out [][]byte
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		if b, err := enc.DecodeString(compact); err == nil && len(b) > 0 {
			out = append(out, b)
		}
	}
	return append(out, []byte(s))
}

// inspectBinary reports ok=false when b is neither a DER certificate nor a
// PKCS#12 bundle.
func inspectBinary(b []byte, now time.Time) (Audit, bool, error) {
	if cert, err := x509.ParseCertificate(b); err == nil {
		return fromCert(FormatDER, cert, now), true, nil
	} else if looksLikeCertificate(b) {
		return Audit{Format: FormatDER}, true, fmt.Errorf("der: not a valid X.509 certificate: %w", err)
	}

	if !looksLikePKCS12(b) {
		return Audit{}, false, nil
	}
	cert, err := decodePKCS12(b)
	if err != nil {
		return Audit{Format: FormatPKCS12}, true, fmt.Errorf("pkcs12: %w", err)
	}
	return fromCert(FormatPKCS12, cert, now), true, nil
}

// decodePKCS12 opens b with an empty password. DecodeChain covers the usual
// key+certificate export; DecodeTrustStore covers certificate-only bundles
// (Java trust stores), which DecodeChain rejects for lacking a key.
//
// A panic inside the third-party decoder is converted to an error: an audit
// of a stored value must never take down the provider process.
func decodePKCS12(b []byte) (cert *x509.Certificate, err error) {
	defer func() {
		if r := recover(); r != nil {
			cert, err = nil, fmt.Errorf("decoder failed on malformed input: %v", r)
		}
	}()

	_, leaf, _, chainErr := pkcs12.DecodeChain(b, "")
	if chainErr == nil {
		return leaf, nil
	}
	if errors.Is(chainErr, pkcs12.ErrIncorrectPassword) {
		return nil, ErrPasswordRequired
	}
	if errors.Is(chainErr, pkcs12.ErrDecryption) {
		// Without a MAC a wrong password only shows up as bad padding, which
		// corruption can also cause.
		return nil, fmt.Errorf("%w (or the bundle is corrupt)", ErrPasswordRequired)
	}
	certs, trustErr := pkcs12.DecodeTrustStore(b, "")
	if trustErr == nil {
		if len(certs) == 0 {
			return nil, errors.New("bundle contains no certificate")
		}
		return certs[0], nil
	}
	// The DecodeChain error is the more relevant one: a push bundle is
	// expected to hold a key and certificate, not to be a trust store.
	return nil, chainErr
}

// looksLikeCertificate reports whether b has the outer shape of an X.509
// Certificate (SEQUENCE of TBSCertificate SEQUENCE, AlgorithmIdentifier
// SEQUENCE, signature BIT STRING), so that a certificate Go refuses to parse
// is reported as a broken DER certificate rather than as unknown data.
func looksLikeCertificate(b []byte) bool {
	var c struct {
		TBS       asn1.RawValue
		Algorithm asn1.RawValue
		Signature asn1.BitString
	}
	rest, err := asn1.Unmarshal(b, &c)
	return err == nil && len(rest) == 0 &&
		c.TBS.Class == asn1.ClassUniversal && c.TBS.Tag == asn1.TagSequence && c.TBS.IsCompound &&
		c.Algorithm.Class == asn1.ClassUniversal && c.Algorithm.Tag == asn1.TagSequence && c.Algorithm.IsCompound
}

// oidPKCS7 is the arc under which PFX authSafe content types live
// (data, signedData).
var oidPKCS7 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7}

// looksLikePKCS12 reports whether b has the outer shape of a PFX PDU
// (RFC 7292 §4: version INTEGER, authSafe ContentInfo, optional MacData).
// This separates "not PKCS#12 at all" from "PKCS#12 we cannot open" without
// matching on the decoder's error strings.
func looksLikePKCS12(b []byte) bool {
	var pfx struct {
		Version  int
		AuthSafe struct {
			ContentType asn1.ObjectIdentifier
			Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
		}
		MacData asn1.RawValue `asn1:"optional"`
	}
	rest, err := asn1.Unmarshal(b, &pfx)
	if err != nil || len(rest) != 0 {
		return false
	}
	ct := pfx.AuthSafe.ContentType
	return len(ct) == len(oidPKCS7)+1 && ct[:len(oidPKCS7)].Equal(oidPKCS7)
}

func fromCert(format string, cert *x509.Certificate, now time.Time) Audit {
	nb := cert.NotBefore.UTC()
	na := cert.NotAfter.UTC()
	sum := sha256.Sum256(cert.Raw)
	days := daysUntil(na, now)
	return Audit{
		Format:            format,
		Subject:           cert.Subject.String(),
		Issuer:            cert.Issuer.String(),
		Serial:            serialHex(cert),
		NotBefore:         &nb,
		NotAfter:          &na,
		SHA256Fingerprint: hex.EncodeToString(sum[:]),
		ExpiresInDays:     &days,
	}
}

func serialHex(cert *x509.Certificate) string {
	n := cert.SerialNumber
	if n == nil {
		return ""
	}
	h := hex.EncodeToString(n.Bytes()) // magnitude only
	if h == "" {
		h = "00"
	}
	if n.Sign() < 0 {
		h = "-" + h
	}
	return h
}

// daysUntil computes floor((t-now)/24h) from Unix seconds rather than
// time.Duration, because Duration saturates at about 292 years and
// certificates may legitimately carry dates such as 9999-12-31.
func daysUntil(t, now time.Time) int64 {
	secs := t.Unix() - now.Unix()
	if t.Nanosecond() < now.Nanosecond() {
		// Borrow a second so the sub-second remainder is non-negative and
		// can be ignored by the floor below.
		secs--
	}
	const day = 24 * 60 * 60
	d := secs / day
	if secs%day < 0 {
		d--
	}
	return d
}
