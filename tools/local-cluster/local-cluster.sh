#!/usr/bin/env bash
# A real, local Kubernetes control plane with the Argo Rollouts controller, for end-to-end tests and live demos.
#
#   local-cluster.sh build                 build (or reuse) the binaries, cached by version
#   local-cluster.sh up [options]          start etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
#                                          kwok (fake nodes that make pods Ready) and the Argo Rollouts controller;
#                                          install the CRDs, RBAC and the sample application; write a kubeconfig
#   local-cluster.sh down                  stop everything `up` started and delete the state directory
#   local-cluster.sh status                what is running, where, and the kubeconfig to use
#   local-cluster.sh demo                  `up` plus Prometheus and a metrics exporter whose canary can regress
#   local-cluster.sh regress on|off        make the demo canary's error ratio bad (on) or good (off)
#   local-cluster.sh deploy [IMAGE_TAG]    start a new revision of the demo's canary and blue-green rollouts
#
# Options (also as environment variables):
#   --state-dir DIR       RC_CLUSTER_STATE   where pids, logs, certificates, etcd data and the kubeconfig live
#                                            (default: ${TMPDIR:-/tmp}/release-console-cluster-$USER)
#   --prometheus-url URL  RC_PROMETHEUS_URL  the Prometheus the sample AnalysisTemplate queries
#                                            (default: the demo's own Prometheus, or http://127.0.0.1:9090)
#   --watch-pid PID                          stop the cluster when process PID exits (used by the test harness)
#   --no-sample                              do not create the sample application
#   --keep-logs                              down: keep DIR/logs (the test harness keeps them for diagnosis)
# Binaries are cached under ${RC_CACHE_DIR:-$HOME/.cache/release-console}/local-cluster/<versions>/bin.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GOMOD_DIR="$HERE/gomod"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"

die() { echo "local-cluster: error: $*" >&2; exit 1; }
say() { echo "local-cluster: $*" >&2; }

# ------------------------------------------------------------------ versions (one source: the wrapper go.mod files)
mod_version() { # module path, go.mod file
  awk -v m="$1" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$2"
}
K8S_VERSION="$(mod_version k8s.io/kubernetes "$GOMOD_DIR/go.mod")"
ARGO_ROLLOUTS_VERSION="$(mod_version github.com/argoproj/argo-rollouts "$GOMOD_DIR/go.mod")"
ETCD_VERSION="$(mod_version go.etcd.io/etcd/server/v3 "$GOMOD_DIR/go.mod")"
KWOK_VERSION="$(mod_version sigs.k8s.io/kwok "$GOMOD_DIR/kwok/go.mod")"
[ -n "$K8S_VERSION" ] && [ -n "$ARGO_ROLLOUTS_VERSION" ] && [ -n "$ETCD_VERSION" ] && [ -n "$KWOK_VERSION" ] \
  || die "could not read the versions from $GOMOD_DIR/go.mod and $GOMOD_DIR/kwok/go.mod"

# Version stamps, as the projects' own release builds set them: tools that read a server's version misbehave
# on the defaults (v0.0.0-master, 99.99.99).
LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  LDFLAGS+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  LDFLAGS+=" -X $pkg.buildDate=1970-01-01T00:00:00Z -X $pkg.gitCommit="
done
# Argo Rollouts reports its tag when commit, tag and a clean tree are all set; a module has no commit to give.
for v in "version=${ARGO_ROLLOUTS_VERSION#v}" "gitTag=$ARGO_ROLLOUTS_VERSION" gitCommit=unknown gitTreeState=clean; do
  LDFLAGS+=" -X github.com/argoproj/argo-rollouts/utils/version.$v"
done
# The cache key: the versions, plus a hash of everything else that shapes the binaries.
BUILD_KEY="k8s-${K8S_VERSION}_argo-rollouts-${ARGO_ROLLOUTS_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_$(
  { cat "$GOMOD_DIR/go.mod" "$GOMOD_DIR/go.sum" "$GOMOD_DIR/etcd/main.go" "$GOMOD_DIR/kwok/go.mod" "$GOMOD_DIR/kwok/go.sum"
    echo "$LDFLAGS"; } | sha256sum | cut -c1-10)"
CACHE_DIR="${RC_CACHE_DIR:-$HOME/.cache/release-console}/local-cluster"
BUILD_DIR="$CACHE_DIR/$BUILD_KEY"
BIN="$BUILD_DIR/bin"
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl rollouts-controller kwok)

# ------------------------------------------------------------------ options
DEFAULT_STATE="${TMPDIR:-/tmp}/release-console-cluster-${USER:-$(id -un)}"
STATE="${RC_CLUSTER_STATE:-$DEFAULT_STATE}"
PROMETHEUS_URL="${RC_PROMETHEUS_URL:-}"
WATCH_PID=""
SAMPLE=1
KEEP_LOGS=0
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --state-dir) STATE="$2"; shift 2 ;;
    --state-dir=*) STATE="${1#*=}"; shift ;;
    --prometheus-url) PROMETHEUS_URL="$2"; shift 2 ;;
    --prometheus-url=*) PROMETHEUS_URL="${1#*=}"; shift ;;
    --watch-pid) WATCH_PID="$2"; shift 2 ;;
    --watch-pid=*) WATCH_PID="${1#*=}"; shift ;;
    --no-sample) SAMPLE=0; shift ;;
    --keep-logs) KEEP_LOGS=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
set -- "${ARGS[@]+"${ARGS[@]}"}"
mkdir -p "$(dirname "$STATE")"
STATE="$(cd "$(dirname "$STATE")" && pwd)/$(basename "$STATE")"
PIDS="$STATE/pids"
LOGS="$STATE/logs"
PKI="$STATE/pki"
KUBECONFIG_OUT="$STATE/kubeconfig"
ADMIN_KUBECONFIG="$STATE/setup.kubeconfig"
NAMESPACE=rc-demo
ADMIN_CONTEXT=rc-local
VIEWER_CONTEXT=rc-local-viewer

# ------------------------------------------------------------------ build
find_go() {
  local go=""
  if command -v go >/dev/null 2>&1; then go="$(command -v go)"; elif [ -x /usr/local/go/bin/go ]; then go=/usr/local/go/bin/go; fi
  [ -n "$go" ] || die "Go is not installed. Install Go 1.21 or newer (https://go.dev/doc/install, or Debian's golang-go), then run again."
  local v; v="$("$go" env GOVERSION 2>/dev/null || true)"; v="${v#go}"
  local major="${v%%.*}" rest="${v#*.}"; local minor="${rest%%.*}"
  if [ -z "$v" ] || [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 21 ]; }; then
    # Debian bookworm's golang-go is 1.19, which can neither build these modules nor switch toolchains itself:
    # fetch the toolchain named in go.mod as the Go module it is published as, through the same module proxy.
    local want; want="$(awk '$1 == "go" { print $2; exit }' "$GOMOD_DIR/go.mod")"
    say "Go ${v:-unknown} at $go is older than 1.21; fetching the Go $want toolchain module through the module proxy"
    local mod goos goarch
    goos="$("$go" env GOOS)"; goarch="$("$go" env GOARCH)"
    mod="golang.org/toolchain@v0.0.1-go${want}.${goos}-${goarch}"
    local dir; dir="$(cd "$(mktemp -d)" && GOFLAGS= GO111MODULE=on "$go" mod download -json "$mod" \
      | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || die "could not download $mod"
    [ -x "$dir/bin/go" ] || die "the toolchain module $mod has no bin/go (looked in '$dir'); install Go 1.21 or newer"
    chmod +x "$dir/bin/go" "$dir"/pkg/tool/*/* 2>/dev/null || true
    go="$dir/bin/go"
  fi
  echo "$go"
}

have_binaries() {
  local b
  for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done
  [ -f "$BUILD_DIR/manifests/crds/rollout-crd.yaml" ]
}

cmd_build() {
  if have_binaries; then
    say "binaries present in $BIN (cached; delete that directory to rebuild)"
    return 0
  fi
  # One build at a time per cache (several worktrees' test runs may ask at once); the others wait and reuse it.
  mkdir -p "$CACHE_DIR"
  exec 9> "$CACHE_DIR/.build.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -n 9 || { say "another build into $CACHE_DIR is running: waiting for it"; flock 9; }
  fi
  if have_binaries; then
    say "binaries present in $BIN (built while waiting)"
  else
    build_binaries
  fi
  exec 9>&-   # the lock must not be inherited by the cluster's processes
}

build_binaries() {
  local go; go="$(find_go)"
  local started; started="$(date +%s)"
  say "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $K8S_VERSION, etcd $ETCD_VERSION," \
    "Argo Rollouts $ARGO_ROLLOUTS_VERSION, kwok $KWOK_VERSION with $("$go" version) (cold: tens of minutes on 2 cores)"
  local tmp="$BUILD_DIR.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp/bin" "$tmp/manifests/crds" "$tmp/manifests/role"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  # The module graph is pinned by the committed go.mod/go.sum files, which is what verifies every download,
  # so the checksum database (not reachable from every network) is not consulted.
  ( cd "$GOMOD_DIR" && GOFLAGS="-mod=readonly -buildvcs=false" GOSUMDB=off CGO_ENABLED=0 GOTOOLCHAIN=local \
      nice -n 19 "$go" build -trimpath -ldflags "$LDFLAGS" -o "$tmp/bin/" \
        k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
        k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl \
        github.com/argoproj/argo-rollouts/cmd/rollouts-controller ./etcd ) \
    || die "the Go build failed (see the messages above)"
  ( cd "$GOMOD_DIR/kwok" && GOFLAGS="-mod=readonly -buildvcs=false" GOSUMDB=off CGO_ENABLED=0 GOTOOLCHAIN=local \
      nice -n 19 "$go" build -trimpath -ldflags "-s -w" -o "$tmp/bin/" sigs.k8s.io/kwok/cmd/kwok ) \
    || die "the Go build of kwok failed (see the messages above)"
  # The CRDs and the controller's ClusterRole of exactly the version that was built.
  local argo_dir
  argo_dir="$(cd "$GOMOD_DIR" && GOFLAGS=-mod=readonly GOSUMDB=off GOTOOLCHAIN=local "$go" list -m -f '{{.Dir}}' github.com/argoproj/argo-rollouts)"
  cp "$argo_dir"/manifests/crds/*-crd.yaml "$tmp/manifests/crds/"
  cp "$argo_dir/manifests/role/argo-rollouts-clusterrole.yaml" "$tmp/manifests/role/"
  chmod -R u+w "$tmp"
  { echo "kubernetes $K8S_VERSION"; echo "argo-rollouts $ARGO_ROLLOUTS_VERSION"; echo "etcd $ETCD_VERSION";
    echo "kwok $KWOK_VERSION"; "$go" version; echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(( $(date +%s) - started )) s"; } > "$tmp/VERSIONS"
  rm -rf "$BUILD_DIR"; mv "$tmp" "$BUILD_DIR"
  trap - EXIT
  say "built in $(( $(date +%s) - started )) s: $BIN"
}

# ------------------------------------------------------------------ helpers for up
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed: $2"; }

# Any TCP socket on the port, listening or connected, on any address (the Argo Rollouts controller listens on all).
port_in_use() {
  if command -v ss >/dev/null 2>&1; then [ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]
  else (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi
}
# Ports come from below the kernel's ephemeral range, which outgoing connections take from at any moment.
PORT_LOW=10000
PORT_HIGH="$(awk '{ print $1 - 1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32767)"
[ "$PORT_HIGH" -gt $((PORT_LOW + 1000)) ] 2>/dev/null || PORT_HIGH=32767
TAKEN_PORTS=" "
# free_port VAR...: sets each VAR to a distinct free loopback port (no subshell, so the ports stay distinct)
free_port() {
  local var p tries
  for var in "$@"; do
    tries=0
    while :; do
      p=$(( PORT_LOW + (RANDOM * 32768 + RANDOM) % (PORT_HIGH - PORT_LOW) ))
      if [[ "$TAKEN_PORTS" != *" $p "* ]] && ! port_in_use "$p"; then break; fi
      tries=$((tries + 1)); [ $tries -lt 200 ] || die "no free loopback port found"
    done
    TAKEN_PORTS+="$p "
    printf -v "$var" '%s' "$p"
  done
}

# start NAME BINARY ARGS...: runs in the background, logs to $LOGS/NAME.log, pid in $PIDS/NAME.pid
start() {
  local name="$1"; shift
  nohup "$@" > "$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
  echo "$name" >> "$STATE/start-order"
}

alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

# wait_for WHAT SECONDS PROCESS COMMAND...: until COMMAND succeeds; fails early if PROCESS died
wait_for() {
  local what="$1" seconds="$2" proc="$3"; shift 3
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$proc" ] && ! alive "$proc"; then
      tail -n 30 "$LOGS/$proc.log" >&2 || true
      die "$proc exited while waiting for $what (log: $LOGS/$proc.log)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      [ -n "$proc" ] && { tail -n 30 "$LOGS/$proc.log" >&2 || true; }
      die "timed out after ${seconds}s waiting for $what${proc:+ (log: $LOGS/$proc.log)}"
    fi
    sleep 0.5
  done
}

kctl() { "$BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

cert() { # NAME SUBJECT [server SANs]
  local name="$1" subj="$2" sans="${3:-}"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ -n "$sans" ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$sans"
    else echo "extendedKeyUsage=clientAuth"; fi; } > "$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 365 \
    -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
  chmod 600 "$PKI/$name.key"
}

b64() { base64 -w0 < "$1"; }

# kubeconfig FILE CONTEXT=USER...: one cluster, a context per pair (named user's client cert embedded); the first is current
kubeconfig() {
  local file="$1"; shift
  local pair ctx user
  {
    echo "apiVersion: v1"; echo "kind: Config"
    echo "clusters:"; echo "- name: rc-local"; echo "  cluster:"
    echo "    server: https://127.0.0.1:$API_PORT"; echo "    certificate-authority-data: $(b64 "$PKI/ca.crt")"
    echo "users:"
    for pair in "$@"; do user="${pair#*=}"
      echo "- name: $user"; echo "  user:"
      echo "    client-certificate-data: $(b64 "$PKI/$user.crt")"; echo "    client-key-data: $(b64 "$PKI/$user.key")"
    done
    echo "contexts:"
    for pair in "$@"; do ctx="${pair%%=*}"; user="${pair#*=}"
      echo "- name: $ctx"; echo "  context:"; echo "    cluster: rc-local"; echo "    user: $user"; echo "    namespace: $NAMESPACE"
    done
    echo "current-context: ${1%%=*}"
  } > "$file"
  chmod 600 "$file"
}

# ------------------------------------------------------------------ up
# fresh_state: refuses while a cluster from this state directory runs, else empties it.
fresh_state() {
  if [ -f "$STATE/start-order" ]; then
    local name
    for name in $(cat "$STATE/start-order"); do
      alive "$name" && die "a cluster is already running from $STATE ($name is up); run '$SELF down --state-dir $STATE' first"
    done
  fi
  rm -rf "$STATE"
  mkdir -p "$PIDS" "$LOGS"
  chmod 700 "$STATE"
  : > "$STATE/start-order"
}

cmd_up() {
  need openssl "install it (Debian: apt-get install openssl)"
  need curl "install it (Debian: apt-get install curl)"
  need base64 "install coreutils"
  cmd_build
  # demo starts Prometheus in the fresh state directory first; everything else starts from nothing.
  [ "${KEEP_STATE:-0}" = 1 ] || fresh_state
  mkdir -p "$PIDS" "$LOGS" "$PKI" "$STATE/etcd"
  say "state in $STATE"

  # Certificates: one CA; the API server's serving cert; a client cert per identity.
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -subj "/CN=release-console-local-ca" \
    -days 365 -out "$PKI/ca.crt" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  cert setup "/O=system:masters/CN=rc-setup"                   # this script (bypasses RBAC)
  cert kwok "/O=system:masters/CN=kwok"                        # stands in for every kubelet
  cert controller-manager "/CN=system:kube-controller-manager" # bootstrap RBAC grants what it needs
  cert scheduler "/CN=system:kube-scheduler"
  cert argo-rollouts "/CN=argo-rollouts"                       # bound to the controller's own ClusterRole
  cert rc-admin "/CN=rc-admin"                                 # bound to cluster-admin
  cert rc-viewer "/O=rc-viewers/CN=rc-viewer"                  # may view rollouts, not act on them
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

  free_port ETCD_PORT ETCD_PEER_PORT API_PORT KCM_PORT SCHED_PORT KWOK_PORT ARGO_METRICS_PORT ARGO_HEALTHZ_PORT
  cat > "$STATE/ports" <<PORTS
ETCD_PORT=$ETCD_PORT
API_PORT=$API_PORT
KCM_PORT=$KCM_PORT
SCHED_PORT=$SCHED_PORT
KWOK_PORT=$KWOK_PORT
ARGO_METRICS_PORT=$ARGO_METRICS_PORT
ARGO_HEALTHZ_PORT=$ARGO_HEALTHZ_PORT
PORTS
  kubeconfig "$ADMIN_KUBECONFIG" setup=setup
  kubeconfig "$STATE/kwok.kubeconfig" kwok=kwok
  kubeconfig "$STATE/controller-manager.kubeconfig" controller-manager=controller-manager
  kubeconfig "$STATE/scheduler.kubeconfig" scheduler=scheduler
  kubeconfig "$STATE/argo-rollouts.kubeconfig" argo-rollouts=argo-rollouts

  if [ -n "$WATCH_PID" ]; then
    kill -0 "$WATCH_PID" 2>/dev/null || die "--watch-pid $WATCH_PID: no such process"
    # Stops the cluster when its owner (the test JVM) exits without calling down, e.g. when it is killed.
    nohup setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; "$2" down --state-dir "$3"' \
      watchdog "$WATCH_PID" "$SELF" "$STATE" > "$LOGS/watchdog.log" 2>&1 < /dev/null &
    echo $! > "$PIDS/watchdog.pid"
  fi

  start etcd "$BIN/etcd" --name rc-local --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "rc-local=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
  wait_for "etcd" 60 etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"

  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode RBAC --cert-dir "$STATE/apiserver-certs" --profiling=false --v 1
  wait_for "kube-apiserver to be ready" 180 kube-apiserver \
    curl -sf --cacert "$PKI/ca.crt" --cert "$PKI/setup.crt" --key "$PKI/setup.key" "https://127.0.0.1:$API_PORT/readyz"

  start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --leader-elect=false --use-service-account-credentials \
    --node-monitor-grace-period 1h \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" --profiling=false --v 1
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --leader-elect=false --profiling=false --v 1
  # kwok's nodes have no kubelet to lose: the hour of grace above keeps a starved kwok (a busy CI machine) from
  # getting its nodes marked Unknown, and so every pod on them NotReady, in the middle of a test.
  start kwok "$BIN/kwok" --kubeconfig "$STATE/kwok.kubeconfig" --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --server-address "127.0.0.1:$KWOK_PORT"

  # The Argo Rollouts CRDs and the controller's ClusterRole, from the version that was built; RBAC for the users.
  kctl apply --server-side -f "$BUILD_DIR/manifests/crds/" >/dev/null
  kctl apply -f "$BUILD_DIR/manifests/role/argo-rollouts-clusterrole.yaml" >/dev/null
  kctl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: {name: argo-rollouts}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: argo-rollouts-local}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: argo-rollouts}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: argo-rollouts}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: rc-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: rc-admin}]
---
# Sees rollouts and what belongs to them; may not patch rollouts or rollouts/status. Self-reviews come from the
# system:basic-user role every authenticated user has.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: rc-rollout-viewer}
rules:
- apiGroups: [argoproj.io]
  resources: [rollouts, analysisruns, analysistemplates, clusteranalysistemplates, experiments]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [replicasets, deployments]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [pods, services, namespaces, events]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: rc-rollout-viewer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rc-rollout-viewer}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: rc-viewer}]
YAML
  local i
  for i in 0 1; do
    kctl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "250"}
  capacity: {cpu: "32", memory: 256Gi, pods: "250"}
YAML
  done

  start rollouts-controller env POD_NAMESPACE=argo-rollouts "$BIN/rollouts-controller" \
    --kubeconfig "$STATE/argo-rollouts.kubeconfig" --leader-elect=false \
    --metricsPort "$ARGO_METRICS_PORT" --healthzPort "$ARGO_HEALTHZ_PORT" --loglevel info

  wait_for "kube-controller-manager" 120 kube-controller-manager curl -skf "https://127.0.0.1:$KCM_PORT/healthz"
  wait_for "kube-scheduler" 120 kube-scheduler curl -skf "https://127.0.0.1:$SCHED_PORT/healthz"
  wait_for "kwok to make the fake nodes Ready" 120 kwok \
    bash -c '[ "$("$0" --kubeconfig "$1" get nodes -l type=kwok -o jsonpath="{.items[*].status.conditions[?(@.type==\"Ready\")].status}")" = "True True" ]' \
    "$BIN/kubectl" "$ADMIN_KUBECONFIG"
  wait_for "the Argo Rollouts controller" 120 rollouts-controller curl -sf "http://127.0.0.1:$ARGO_HEALTHZ_PORT/healthz"

  kubeconfig "$KUBECONFIG_OUT" "$ADMIN_CONTEXT=rc-admin" "$VIEWER_CONTEXT=rc-viewer"
  kctl create namespace "$NAMESPACE" >/dev/null
  # Pods need the namespace's default ServiceAccount, which kube-controller-manager creates.
  wait_for "the default ServiceAccount in $NAMESPACE" 60 kube-controller-manager kctl -n "$NAMESPACE" get serviceaccount default
  if [ "$SAMPLE" = 1 ]; then
    local url="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
    sed -e "s|__PROMETHEUS_URL__|$url|g" "$HERE/sample-app.yaml" | kctl -n "$NAMESPACE" apply -f - >/dev/null
    echo "$url" > "$STATE/prometheus-url"
    wait_for "the sample rollouts to be Healthy" 180 rollouts-controller \
      bash -c '[ "$("$0" --kubeconfig "$1" -n "$2" get rollouts.argoproj.io -o jsonpath="{.items[*].status.phase}")" = "Healthy Healthy" ]' \
      "$BIN/kubectl" "$ADMIN_KUBECONFIG" "$NAMESPACE"
  fi
  say "up: kube-apiserver https://127.0.0.1:$API_PORT, Argo Rollouts $ARGO_ROLLOUTS_VERSION"
  say "  export KUBECONFIG=$KUBECONFIG_OUT   # contexts: $ADMIN_CONTEXT (admin), $VIEWER_CONTEXT (view only)"
}

# ------------------------------------------------------------------ down
cmd_down() {
  if [ ! -d "$STATE" ] || { [ ! -d "$PIDS" ] && [ -d "$LOGS" ]; }; then say "nothing to stop in $STATE"; return 0; fi
  [ -f "$STATE/start-order" ] || [ -d "$PIDS" ] || die "$STATE does not look like a local-cluster state directory; not touching it"
  # The watchdog first, unless it is the one calling down (bash may have exec'd this script in its place).
  if [ -f "$PIDS/watchdog.pid" ]; then
    local watchdog; watchdog="$(cat "$PIDS/watchdog.pid")"
    [ "$watchdog" = "$$" ] || [ "$watchdog" = "$PPID" ] || stop_one watchdog
  fi
  # Everything at once (each process shuts down on its own; one at a time takes many seconds), then KILL after 10 s.
  local name pid pids=()
  for name in $(tac "$STATE/start-order" 2>/dev/null || true); do
    pid="$(ours "$name")" || continue
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$name:$pid")
  done
  local entry n=0
  for entry in "${pids[@]+"${pids[@]}"}"; do
    pid="${entry#*:}"
    while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    if kill -0 "$pid" 2>/dev/null; then say "${entry%%:*} ($pid) did not stop in 10 s: killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  if [ "$KEEP_LOGS" = 1 ]; then
    find "$STATE" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
    say "down: stopped; kept $LOGS, removed the rest of $STATE"
  else
    rm -rf "$STATE"
    say "down: stopped and removed $STATE"
  fi
}

# ours NAME: prints the pid of NAME if it runs and its command line names this state directory (a pid may have been
# reused since); fails otherwise.
ours() {
  local pid
  [ -f "$PIDS/$1.pid" ] || return 1
  pid="$(cat "$PIDS/$1.pid")"
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE" || return 1
  echo "$pid"
}

stop_one() {
  local pid
  pid="$(ours "$1")" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local n=0
  while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  kill -KILL "$pid" 2>/dev/null || true
}

# ------------------------------------------------------------------ status
cmd_status() {
  echo "binaries: $BIN $(have_binaries && echo '(built)' || echo '(not built: run build)')"
  [ -f "$BUILD_DIR/VERSIONS" ] && sed 's/^/  /' "$BUILD_DIR/VERSIONS"
  if [ ! -f "$STATE/start-order" ]; then echo "state: $STATE (not running)"; return 3; fi
  echo "state: $STATE"
  local name down=0
  for name in $(cat "$STATE/start-order"); do
    if alive "$name"; then echo "  $name: running (pid $(cat "$PIDS/$name.pid")), log $LOGS/$name.log"
    else echo "  $name: NOT running, log $LOGS/$name.log"; down=1; fi
  done
  [ -f "$STATE/ports" ] && sed 's/^/  /' "$STATE/ports"
  echo "kubeconfig: $KUBECONFIG_OUT (contexts $ADMIN_CONTEXT, $VIEWER_CONTEXT)"
  [ -f "$STATE/prometheus-url" ] && echo "sample analysis queries: $(cat "$STATE/prometheus-url")"
  if alive kube-apiserver; then kctl get rollouts.argoproj.io -A 2>/dev/null || true; fi
  return $down
}

# ------------------------------------------------------------------ demo
cmd_demo() {
  need prometheus "install Prometheus (Debian: apt-get install prometheus)"
  need python3 "install Python 3 (Debian: apt-get install python3)"
  cmd_build
  # Prometheus and the exporter are started before the control plane so the sample AnalysisTemplate points at them.
  local exporter_port prom_port
  fresh_state
  free_port exporter_port prom_port
  mkdir -p "$STATE/prometheus"
  echo off > "$STATE/regression"
  cat > "$STATE/prometheus.yml" <<PROM
global: {scrape_interval: 2s, evaluation_interval: 2s}
scrape_configs:
- job_name: checkout
  static_configs: [{targets: ['127.0.0.1:$exporter_port']}]
PROM
  start exporter python3 "$HERE/demo-exporter.py" --port "$exporter_port" --regression-file "$STATE/regression"
  start prometheus prometheus --config.file "$STATE/prometheus.yml" --storage.tsdb.path "$STATE/prometheus" \
    --web.listen-address "127.0.0.1:$prom_port" --storage.tsdb.retention.time 2h
  wait_for "Prometheus" 60 prometheus curl -sf "http://127.0.0.1:$prom_port/-/ready"
  PROMETHEUS_URL="http://127.0.0.1:$prom_port"
  KEEP_STATE=1 cmd_up
  local again="$SELF"
  [ "$STATE" = "$DEFAULT_STATE" ] || again="$SELF --state-dir $STATE"
  cat <<TXT

The demo cluster is up. Connect the console to the real Argo Rollouts controller:

  KUBECONFIG=$KUBECONFIG_OUT ./release-console --context=$ADMIN_CONTEXT          # admin
  KUBECONFIG=$KUBECONFIG_OUT ./release-console --context=$VIEWER_CONTEXT   # view only: buttons off, with reasons

Then drive it:
  $again deploy        # a new revision: checkout steps 20% -> pause (promote it) -> 50% -> pause 15 s -> analysis
  $again regress on     # the canary's error ratio jumps to ~20%: the next analysis fails, the controller aborts
  $again regress off    # healthy again; then retry the rollout from the console
  $again status | down

Prometheus: $PROMETHEUS_URL (query: demo_http_requests_total)
TXT
}

cmd_regress() {
  [ -f "$STATE/regression" ] || die "no demo is running from $STATE (start one with: $SELF demo)"
  case "${1:-}" in
    on|off) echo "$1" > "$STATE/regression"; say "canary regression $1" ;;
    *) die "usage: $SELF regress on|off" ;;
  esac
}

cmd_deploy() {
  alive kube-apiserver || die "no cluster is running from $STATE (start one with: $SELF demo)"
  local tag="${1:-1.$(date +%s)}"
  kctl -n "$NAMESPACE" patch rollouts.argoproj.io checkout --type merge \
    -p "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.local/checkout:$tag\"}]}}}}" >/dev/null
  kctl -n "$NAMESPACE" patch rollouts.argoproj.io storefront --type merge \
    -p "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.local/storefront:$tag\"}]}}}}" >/dev/null
  say "deployed image tag $tag to checkout (canary) and storefront (blue-green)"
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  demo) cmd_demo ;;
  regress) shift; cmd_regress "$@" ;;
  deploy) shift; cmd_deploy "$@" ;;
  env) echo "KUBECONFIG=$KUBECONFIG_OUT"; echo "BIN=$BIN" ;;
  *) die "usage: $SELF build|up|down|status|demo|regress on|off|deploy [TAG]|env [--state-dir DIR] (see --help)" ;;
esac
