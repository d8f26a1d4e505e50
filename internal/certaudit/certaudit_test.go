package certaudit

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/workplus/terraform-provider-workplus/internal/certgen"
)

// now is fixed so expected day counts can be written as literals.
var now = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

var (
	jan1  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dec31 = time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
)

// fixtures are generated once: key generation dominates test time and the
// fuzz seed corpus reuses them.
type fixtureSet struct {
	valid, expired, soon, chainCA *certgen.Bundle
	fcm                           string
	p12Password, p12RC2, p12Trust []byte
}

var (
	fixturesOnce sync.Once
	fixturesVal  fixtureSet
	fixturesErr  error
)

func fixtures(tb testing.TB) fixtureSet {
	tb.Helper()
	fixturesOnce.Do(func() { fixturesVal, fixturesErr = buildFixtures() })
	if fixturesErr != nil {
		tb.Fatal(fixturesErr)
	}
	return fixturesVal
}

func buildFixtures() (f fixtureSet, err error) {
	gen := func(cn string, nb, na time.Time, serial int64) *certgen.Bundle {
		if err != nil {
			return nil
		}
		var b *certgen.Bundle
		b, err = certgen.Generate(certgen.Options{
			CommonName: cn, Organization: "Example Ltd",
			NotBefore: nb, NotAfter: na, Serial: big.NewInt(serial),
		})
		return b
	}
	f.valid = gen("Apple Push Services: com.example.app", jan1, dec31, 0x0a1b2c)
	f.expired = gen("expired", jan1, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), 2)
	// 20 days and one hour ahead: floor gives exactly 20.
	f.soon = gen("soon", jan1, now.Add(20*24*time.Hour+time.Hour), 3)
	f.chainCA = gen("Example CA", jan1, dec31, 4)
	if err != nil {
		return f, err
	}
	if f.fcm, err = certgen.FCMServiceAccountJSON("demo-project", "push@demo-project.iam.gserviceaccount.com"); err != nil {
		return f, err
	}
	blk, _ := pem.Decode([]byte(f.valid.KeyPEM))
	key, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return f, err
	}
	if f.p12Password, err = pkcs12.Modern.Encode(key, f.valid.Cert, nil, "s3cret"); err != nil {
		return f, err
	}
	if f.p12RC2, err = pkcs12.LegacyRC2.Encode(key, f.valid.Cert, nil, ""); err != nil {
		return f, err
	}
	if f.p12Trust, err = pkcs12.Passwordless.EncodeTrustStore([]*x509.Certificate{f.valid.Cert}, ""); err != nil {
		return f, err
	}
	return f, nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// wrap64 wraps s at 64 columns like openssl base64 output.
func wrap64(s string) string {
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	b.WriteString(s + "\n")
	return b.String()
}

func fingerprint(der []byte) string {
	s := sha256.Sum256(der)
	return hex.EncodeToString(s[:])
}

func TestInspect(t *testing.T) {
	f := fixtures(t)
	const subject = "CN=Apple Push Services: com.example.app,O=Example Ltd"

	// certWant is the audit expected for f.valid in the given format.
	certWant := func(format string) Audit {
		return Audit{
			Format: format, Subject: subject, Issuer: subject, Serial: "0a1b2c",
			NotBefore: &jan1, NotAfter: &dec31,
			SHA256Fingerprint: fingerprint(f.valid.CertDER),
			ExpiresInDays:     ptr(int64(198)), // 2026-06-15T12:00 -> 2026-12-31T00:00 = 198.5 days
		}
	}
	shortWant := func(b *certgen.Bundle, cn, serial string, days int64) Audit {
		s := "CN=" + cn + ",O=Example Ltd"
		na := b.Cert.NotAfter
		return Audit{
			Format: FormatPEM, Subject: s, Issuer: s, Serial: serial,
			NotBefore: &jan1, NotAfter: &na,
			SHA256Fingerprint: fingerprint(b.CertDER), ExpiresInDays: ptr(days),
		}
	}

	badKeyJSON := strings.Replace(f.fcm, `-----BEGIN PRIVATE KEY-----\n`, `-----BEGIN PRIVATE KEY-----`, 1)

	tests := []struct {
		name    string
		in      string
		want    Audit
		wantErr string // substring; "" means no error
	}{
		{name: "pem", in: f.valid.CertPEM, want: certWant(FormatPEM)},
		{name: "pem with key before cert", in: f.valid.KeyPEM + f.valid.CertPEM, want: certWant(FormatPEM)},
		{name: "pem crlf and surrounding text", in: "subject=...\r\n" + strings.ReplaceAll(f.valid.CertPEM, "\n", "\r\n") + "\r\n", want: certWant(FormatPEM)},
		{name: "pem chain leaf first", in: f.valid.CertPEM + f.chainCA.CertPEM, want: certWant(FormatPEM)},
		{name: "base64 der", in: b64(f.valid.CertDER), want: certWant(FormatDER)},
		{name: "base64 der wrapped", in: wrap64(b64(f.valid.CertDER)), want: certWant(FormatDER)},
		{name: "raw base64 der", in: base64.RawStdEncoding.EncodeToString(f.valid.CertDER), want: certWant(FormatDER)},
		{name: "raw der bytes", in: string(f.valid.CertDER), want: certWant(FormatDER)},
		{name: "base64 pkcs12", in: b64(f.valid.PKCS12), want: certWant(FormatPKCS12)},
		{name: "base64 pkcs12 legacy rc2", in: wrap64(b64(f.p12RC2)), want: certWant(FormatPKCS12)},
		{name: "base64 pkcs12 trust store", in: b64(f.p12Trust), want: certWant(FormatPKCS12)},
		{name: "pkcs12 with password", in: b64(f.p12Password), want: Audit{Format: FormatPKCS12}, wantErr: "pkcs12: bundle is protected by a password"},
		{name: "expired", in: f.expired.CertPEM, want: shortWant(f.expired, "expired", "02", -15)}, // 14.5 days ago
		{name: "expiring in 20 days", in: f.soon.CertPEM, want: shortWant(f.soon, "soon", "03", 20)},
		{
			name: "fcm json", in: f.fcm,
			want: Audit{Format: FormatJSON, Subject: "push@demo-project.iam.gserviceaccount.com", Serial: jsonField(t, f.fcm, "private_key_id")},
		},
		{name: "fcm json truncated", in: f.fcm[:len(f.fcm)/2], want: Audit{Format: FormatJSON}, wantErr: "json: service account key is not valid JSON"},
		{name: "fcm json mangled key", in: badKeyJSON, want: Audit{Format: FormatJSON}, wantErr: "json: private_key"},
		{name: "fcm json no key", in: `{"type":"service_account","client_email":"a@b"}`, want: Audit{Format: FormatJSON}, wantErr: "json: private_key is missing"},
		{name: "fcm json no email", in: `{"type":"service_account","private_key":"x"}`, want: Audit{Format: FormatJSON}, wantErr: "json: client_email is missing"},
		{name: "fcm json email not string", in: `{"client_email":5}`, want: Audit{Format: FormatJSON}, wantErr: `json: "client_email" must be a string`},
		{name: "unrelated json", in: `{"hello":"world"}`, want: Audit{Format: FormatUnknown}},
		{name: "garbage", in: "this is not a certificate", want: Audit{Format: FormatUnknown}},
		{name: "base64 garbage", in: "aGVsbG8gd29ybGQ=", want: Audit{Format: FormatUnknown}},
		{name: "empty", in: "", want: Audit{Format: FormatUnknown}, wantErr: "certificate is empty"},
		{name: "whitespace", in: " \n\t ", want: Audit{Format: FormatUnknown}, wantErr: "certificate is empty"},
		{name: "truncated pem", in: f.valid.CertPEM[:len(f.valid.CertPEM)/2], want: Audit{Format: FormatPEM}, wantErr: "pem: no complete CERTIFICATE block"},
		{name: "pem key only", in: f.valid.KeyPEM, want: Audit{Format: FormatPEM}, wantErr: "pem: no complete CERTIFICATE block"},
		{
			name: "pem block not a certificate",
			in:   string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("nope")})),
			want: Audit{Format: FormatPEM}, wantErr: "pem: CERTIFICATE block is not a valid X.509 certificate",
		},
		{
			// Flip a byte inside the signature algorithm OID: still shaped
			// like a certificate, but unparseable.
			name: "der corrupt inside", in: b64(corruptTBSVersion(f.valid.CertDER)),
			want: Audit{Format: FormatDER}, wantErr: "der: not a valid X.509 certificate",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Inspect(tc.in, now)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("want error containing %q, got nil", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("error %q does not contain %q", err, tc.wantErr)
			}
			if err != nil && got.Format != FormatUnknown && !strings.HasPrefix(err.Error(), got.Format+": ") {
				t.Errorf("error %q does not name format %q", err, got.Format)
			}
			assertAudit(t, got, tc.want)
		})
	}
}

func TestInspectSentinels(t *testing.T) {
	f := fixtures(t)
	if _, err := Inspect("  ", now); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v, want ErrEmpty", err)
	}
	if _, err := Inspect(b64(f.p12Password), now); !errors.Is(err, ErrPasswordRequired) {
		t.Errorf("password: err = %v, want ErrPasswordRequired", err)
	}
}

func TestDaysUntil(t *testing.T) {
	base := time.Date(2026, 3, 1, 10, 0, 0, 500, time.UTC)
	day := 24 * time.Hour
	for _, tc := range []struct {
		t    time.Time
		want int64
	}{
		{base, 0},
		{base.Add(day - time.Nanosecond), 0},
		{base.Add(day), 1},
		{base.Add(-time.Nanosecond), -1},
		{base.Add(-day), -1},
		{base.Add(-day - time.Nanosecond), -2},
		{base.Add(20 * day), 20},
		{base.Add(20*day - time.Second), 19},
		// Beyond time.Duration's ~292-year range.
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), 2912383}, // both cross-checked with Python datetime
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), -739676},
	} {
		if got := daysUntil(tc.t, base); got != tc.want {
			t.Errorf("daysUntil(%s) = %d, want %d", tc.t, got, tc.want)
		}
	}
}

func assertAudit(t *testing.T, got, want Audit) {
	t.Helper()
	if got.Format != want.Format {
		t.Errorf("Format = %q, want %q", got.Format, want.Format)
	}
	if got.Subject != want.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, want.Subject)
	}
	if got.Issuer != want.Issuer {
		t.Errorf("Issuer = %q, want %q", got.Issuer, want.Issuer)
	}
	if got.Serial != want.Serial {
		t.Errorf("Serial = %q, want %q", got.Serial, want.Serial)
	}
	if !timeEq(got.NotBefore, want.NotBefore) {
		t.Errorf("NotBefore = %v, want %v", got.NotBefore, want.NotBefore)
	}
	if !timeEq(got.NotAfter, want.NotAfter) {
		t.Errorf("NotAfter = %v, want %v", got.NotAfter, want.NotAfter)
	}
	if got.SHA256Fingerprint != want.SHA256Fingerprint {
		t.Errorf("SHA256Fingerprint = %q, want %q", got.SHA256Fingerprint, want.SHA256Fingerprint)
	}
	if (got.ExpiresInDays == nil) != (want.ExpiresInDays == nil) ||
		(got.ExpiresInDays != nil && *got.ExpiresInDays != *want.ExpiresInDays) {
		t.Errorf("ExpiresInDays = %v, want %v", deref(got.ExpiresInDays), deref(want.ExpiresInDays))
	}
}

func timeEq(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b) && a.Location() == time.UTC
}

func ptr[T any](v T) *T { return &v }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func jsonField(t *testing.T, doc, key string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[key].(string)
	return s
}

// corruptTBSVersion returns a copy of der whose TBSCertificate version is
// set to an invalid value (v4), keeping the ASN.1 framing intact.
func corruptTBSVersion(der []byte) []byte {
	out := append([]byte(nil), der...)
	// Certificate SEQUENCE hdr, TBS SEQUENCE hdr, then [0] { INTEGER 2 }:
	// a0 03 02 01 02. Find it near the start and bump the value.
	for i := 0; i+5 <= len(out) && i < 16; i++ {
		if out[i] == 0xa0 && out[i+1] == 0x03 && out[i+2] == 0x02 && out[i+3] == 0x01 && out[i+4] == 0x02 {
			out[i+4] = 0x07
			return out
		}
	}
	return out
}

var hexRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func FuzzInspect(f *testing.F) {
	fx := fixtures(f)
	for _, s := range []string{
		fx.valid.CertPEM,
		fx.valid.KeyPEM + fx.valid.CertPEM,
		fx.valid.CertPEM[:len(fx.valid.CertPEM)/2],
		b64(fx.valid.CertDER),
		string(fx.valid.CertDER),
		b64(fx.valid.PKCS12),
		b64(fx.p12Password),
		b64(fx.p12Trust),
		fx.expired.CertPEM,
		fx.soon.CertPEM,
		fx.fcm,
		`{"type":"service_account","client_email":"a@b"}`,
		"this is not a certificate",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		a, err := Inspect(in, now)
		switch a.Format {
		case FormatPEM, FormatDER, FormatPKCS12, FormatJSON, FormatUnknown:
		default:
			t.Fatalf("invalid format %q", a.Format)
		}
		if err != nil {
			// On error only Format is set (documented contract).
			if (a != Audit{Format: a.Format}) {
				t.Fatalf("error %v but fields set: %+v", err, a)
			}
			return
		}
		switch a.Format {
		case FormatUnknown:
			if (a != Audit{Format: FormatUnknown}) {
				t.Fatalf("unknown with fields set: %+v", a)
			}
		case FormatJSON:
			if a.Subject == "" || a.Issuer != "" || a.NotBefore != nil || a.NotAfter != nil ||
				a.ExpiresInDays != nil || a.SHA256Fingerprint != "" {
				t.Fatalf("inconsistent json audit: %+v", a)
			}
		default:
			if a.NotBefore == nil || a.NotAfter == nil || a.ExpiresInDays == nil {
				t.Fatalf("x509 audit without dates: %+v", a)
			}
			if *a.ExpiresInDays != daysUntil(*a.NotAfter, now) {
				t.Fatalf("ExpiresInDays %d inconsistent with NotAfter %s", *a.ExpiresInDays, a.NotAfter)
			}
			if (*a.ExpiresInDays < 0) != a.NotAfter.Before(now) {
				t.Fatalf("ExpiresInDays %d sign disagrees with NotAfter %s", *a.ExpiresInDays, a.NotAfter)
			}
			if !hexRE.MatchString(a.SHA256Fingerprint) || a.Serial == "" {
				t.Fatalf("bad fingerprint or serial: %+v", a)
			}
		}
	})
}

func BenchmarkInspectPEM(b *testing.B) {
	in := fixtures(b).valid.CertPEM
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Inspect(in, now); err != nil {
			b.Fatal(err)
		}
	}
}
