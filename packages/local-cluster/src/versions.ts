// The versions of everything the local cluster runs. Bumping KUBERNETES_VERSION (and the wrapper modules in
// ../go) is the whole upgrade: the build cache is keyed by it, so every clone rebuilds once.

/** The Kubernetes release built from k8s.io/kubernetes (go/kube/go.mod must require the same tag). */
export const KUBERNETES_VERSION = 'v1.36.3';
/** go.etcd.io/etcd/server/v3 in go/etcd/go.mod. */
export const ETCD_VERSION = 'v3.6.16';
/** sigs.k8s.io/kwok in go/kwok/go.mod; also the tag the seed's kwok stages were copied from. */
export const KWOK_VERSION = 'v0.8.0';
/** The `go` line of the wrapper modules: older toolchains refuse them. */
export const MINIMUM_GO_VERSION = '1.26.0';
