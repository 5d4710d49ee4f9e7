// Command etcd is etcd's own server entry point, built from the same module graph as the Kubernetes binaries
// so that the local cluster needs no etcd package from the operating system.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
