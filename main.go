package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

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

	server, err := providerserver.NewProtocol6WithError(provider.New(version)())()
	if err != nil {
		log.Fatal(err.Error())
	}
	var serveOpts []tf6server.ServeOpt
	if debug {
		serveOpts = append(serveOpts, tf6server.WithManagedDebug())
	}
	err = tf6server.Serve("registry.terraform.io/workplus/workplus", func() tfprotov6.ProviderServer { return server }, serveOpts...)
	pluginprocess.Done()
	if err != nil {
		log.Fatal(err.Error())
	}
}
