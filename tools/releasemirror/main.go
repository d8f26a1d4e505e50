// Command releasemirror serves the workplus/workplus zips of a release directory (make release-snapshot's
// dist/) as a Terraform provider network mirror over HTTPS on 127.0.0.1, for
// scripts/release-mirror-check.sh. It makes its own CA and server
// certificate (for 127.0.0.1 and localhost), writes the CA to -ca-file for
// SSL_CERT_FILE, and the base URL to -url-file once it listens.
//
// The protocol is the documented one: GET
// /<host>/<namespace>/<type>/index.json lists the versions, and
// /<host>/<namespace>/<type>/<version>.json lists one zip per platform with
// its zh: hash, read from the release's SHA256SUMS.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

func main() {
	dir := flag.String("dir", "dist", "the release directory")
	caFile := flag.String("ca-file", "", "where to write the CA certificate (PEM)")
	urlFile := flag.String("url-file", "", "where to write the mirror's base URL")
	flag.Parse()
	if *caFile == "" || *urlFile == "" {
		log.Fatal("releasemirror: -ca-file and -url-file are required")
	}

	versions, err := readRelease(*dir)
	if err != nil {
		log.Fatalf("releasemirror: %v", err)
	}
	cert, caPEM, err := newCertificate()
	if err != nil {
		log.Fatalf("releasemirror: %v", err)
	}
	if err := os.WriteFile(*caFile, caPEM, 0o644); err != nil {
		log.Fatalf("releasemirror: %v", err)
	}
	listener, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		log.Fatalf("releasemirror: %v", err)
	}
	base := fmt.Sprintf("https://%s/", listener.Addr())
	if err := os.WriteFile(*urlFile, []byte(base), 0o644); err != nil {
		log.Fatalf("releasemirror: %v", err)
	}
	log.Printf("releasemirror: %s serves workplus/workplus from %s", base, *dir)
	log.Fatal(http.Serve(listener, handler(*dir, versions)))
}

// release is one version's zips, by platform, with their SHA256SUMS hash.
type release map[string]archive

type archive struct {
	file, sha256 string
}

var zipName = regexp.MustCompile(`^terraform-provider-workplus_([0-9][^_]*)_([a-z0-9]+_[a-z0-9]+)\.zip$`)

// readRelease reads every *_SHA256SUMS in dir: the hashes a mirror
// announces must be the release's, not recomputed from what is served.
func readRelease(dir string) (map[string]release, error) {
	sums, err := filepath.Glob(filepath.Join(dir, "terraform-provider-workplus_*_SHA256SUMS"))
	if err != nil || len(sums) == 0 {
		return nil, fmt.Errorf("no terraform-provider-workplus_*_SHA256SUMS in %s: run make release-snapshot", dir)
	}
	versions := map[string]release{}
	for _, path := range sums {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			sum, file, ok := strings.Cut(scanner.Text(), "  ")
			m := zipName.FindStringSubmatch(file)
			if !ok || m == nil {
				continue
			}
			if versions[m[1]] == nil {
				versions[m[1]] = release{}
			}
			versions[m[1]][m[2]] = archive{file: file, sha256: sum}
		}
		f.Close()
		if err := scanner.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("the SHA256SUMS in %s list no provider zip", dir)
	}
	return versions, nil
}

// handler serves workplus/workplus under any registry host name, so that
// Terraform (registry.terraform.io) and OpenTofu (registry.opentofu.org)
// both find it.
func handler(dir string, versions map[string]release) http.Handler {
	const prefix = "/{host}/workplus/workplus/"
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"index.json", func(w http.ResponseWriter, _ *http.Request) {
		list := map[string]struct{}{}
		for v := range versions {
			list[v] = struct{}{}
		}
		writeJSON(w, map[string]any{"versions": list})
	})
	mux.HandleFunc("GET "+prefix+"{file}", func(w http.ResponseWriter, r *http.Request) {
		file := r.PathValue("file")
		if version, ok := strings.CutSuffix(file, ".json"); ok {
			rel, ok := versions[version]
			if !ok {
				http.NotFound(w, r)
				return
			}
			archives := map[string]any{}
			for platform, a := range rel {
				// Relative to this document's URL, as the protocol allows.
				archives[platform] = map[string]any{"url": a.file, "hashes": []string{"zh:" + a.sha256}}
			}
			writeJSON(w, map[string]any{"archives": archives})
			return
		}
		if !zipName.MatchString(file) {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(dir, file))
	})
	return logRequests(mux)
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s", r.Method, r.URL.Path)
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// newCertificate makes a CA and a server certificate it signs, valid for an
// hour for 127.0.0.1 and localhost.
func newCertificate() (tls.Certificate, []byte, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "workplus release-mirror test CA"},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leafTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTemplate, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}, caPEM, nil
}
