package certgen

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"regexp"
	"testing"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

func TestGenerate(t *testing.T) {
	nb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	na := time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)
	b, err := Generate(Options{
		CommonName:   "Apple Push Services: com.example.app",
		Organization: "Example Ltd",
		NotBefore:    nb,
		NotAfter:     na,
		Serial:       big.NewInt(0x1234),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := b.Cert
	if got, want := c.Subject.String(), "CN=Apple Push Services: com.example.app,O=Example Ltd"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
	if c.Issuer.String() != c.Subject.String() {
		t.Errorf("issuer %q != subject %q for a self-signed cert", c.Issuer, c.Subject)
	}
	if !c.NotBefore.Equal(nb) || !c.NotAfter.Equal(na) {
		t.Errorf("validity = %s..%s, want %s..%s", c.NotBefore, c.NotAfter, nb, na)
	}
	if c.SerialNumber.Cmp(big.NewInt(0x1234)) != 0 {
		t.Errorf("serial = %s", c.SerialNumber)
	}
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
		t.Errorf("not self-signed: %v", err)
	}
	if !bytes.Equal(c.Raw, b.CertDER) {
		t.Error("Cert.Raw != CertDER")
	}

	blk, rest := pem.Decode([]byte(b.CertPEM))
	if blk == nil || blk.Type != "CERTIFICATE" || !bytes.Equal(blk.Bytes, b.CertDER) || len(bytes.TrimSpace(rest)) != 0 {
		t.Errorf("CertPEM does not hold exactly CertDER")
	}
	kblk, _ := pem.Decode([]byte(b.KeyPEM))
	if kblk == nil || kblk.Type != "PRIVATE KEY" {
		t.Fatalf("KeyPEM is not a PKCS#8 PRIVATE KEY block")
	}
	key, err := x509.ParsePKCS8PrivateKey(kblk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !key.(*ecdsa.PrivateKey).PublicKey.Equal(c.PublicKey) {
		t.Error("KeyPEM does not match the certificate")
	}

	pk, pc, ca, err := pkcs12.DecodeChain(b.PKCS12, "")
	if err != nil {
		t.Fatalf("PKCS12 does not decode with an empty password: %v", err)
	}
	if !bytes.Equal(pc.Raw, b.CertDER) || len(ca) != 0 || !pk.(*ecdsa.PrivateKey).PublicKey.Equal(c.PublicKey) {
		t.Error("PKCS12 content does not match the bundle")
	}
}

func TestGenerateDefaultsAndRandomSerial(t *testing.T) {
	a, err := Generate(Options{CommonName: "a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(Options{CommonName: "b"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if now.Before(a.Cert.NotBefore) || now.After(a.Cert.NotAfter) {
		t.Errorf("default validity %s..%s does not cover now", a.Cert.NotBefore, a.Cert.NotAfter)
	}
	if a.Cert.SerialNumber.Sign() <= 0 || a.Cert.SerialNumber.BitLen() > 128 {
		t.Errorf("bad random serial %s", a.Cert.SerialNumber)
	}
	if a.Cert.SerialNumber.Cmp(b.Cert.SerialNumber) == 0 {
		t.Error("two random serials are equal")
	}
}

func TestGenerateErrors(t *testing.T) {
	nb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, o := range map[string]Options{
		"inverted dates": {NotBefore: nb, NotAfter: nb.Add(-time.Hour)},
		"equal dates":    {NotBefore: nb, NotAfter: nb},
		"zero serial":    {Serial: big.NewInt(0)},
		"negative":       {Serial: big.NewInt(-5)},
	} {
		if _, err := Generate(o); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
}

func TestFCMServiceAccountJSON(t *testing.T) {
	s, err := FCMServiceAccountJSON("demo-project", "push@demo-project.iam.gserviceaccount.com")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"type":         "service_account",
		"project_id":   "demo-project",
		"client_email": "push@demo-project.iam.gserviceaccount.com",
		"token_uri":    "https://oauth2.googleapis.com/token",
	} {
		if m[k] != want {
			t.Errorf("%s = %q, want %q", k, m[k], want)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(m["private_key_id"]) {
		t.Errorf("private_key_id = %q", m["private_key_id"])
	}
	if !regexp.MustCompile(`^[1-9][0-9]{20}$`).MatchString(m["client_id"]) {
		t.Errorf("client_id = %q", m["client_id"])
	}
	blk, _ := pem.Decode([]byte(m["private_key"]))
	if blk == nil || blk.Type != "PRIVATE KEY" {
		t.Fatal("private_key is not a PKCS#8 PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if rk, ok := k.(*rsa.PrivateKey); !ok || rk.N.BitLen() != 2048 {
		t.Errorf("private_key is not RSA-2048")
	}

	d, err := FCMServiceAccountJSON("p", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(d), &m); err != nil || m["client_email"] != "firebase-adminsdk@p.iam.gserviceaccount.com" {
		t.Errorf("default client_email = %q (%v)", m["client_email"], err)
	}
	if _, err := FCMServiceAccountJSON("  ", "x@y"); err == nil {
		t.Error("empty project id: want error")
	}
}
