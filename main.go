package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/workplus/terraform-provider-workplus/internal/pluginprocess"
	"github.com/workplus/terraform-provider-workplus/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	pluginprocess.Tune()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/workplus/workplus",
		Debug:   debug,
	})
	pluginprocess.Done()
	if err != nil {
		log.Fatal(err.Error())
	}
}
