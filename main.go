package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/workplus/terraform-provider-workplus/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quietSDKLogsUnlessAsked()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/workplus/workplus",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// logSettings are the variables through which a user asks Terraform, and so
// the provider (Terraform passes its environment on), for logs.
var logSettings = []string{
	"TF_LOG", "TF_LOG_PATH", "TF_LOG_CORE", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_WORKPLUS",
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
}

// quietSDKLogsUnlessAsked turns the plugin SDK's own logging off when nobody
// asked for logs. The SDK otherwise writes a dozen TRACE lines per request,
// which Terraform parses only to discard: measured, a third of the CPU of a
// plan over 300 templates (BENCHMARKS.md, section 2). Anyone who sets any
// TF_LOG variable gets every log line as usual.
func quietSDKLogsUnlessAsked() {
	for _, name := range logSettings {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_WORKPLUS"} {
		_ = os.Setenv(name, "off")
	}
}
