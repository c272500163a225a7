#!/usr/bin/env bash
# `make registry` (in `make suite` when it runs on Spin): the OCI artifact SpinKube
# pulls is the app. It starts Debian's docker-registry on a free loopback port,
# publishes the built app there with `make publish`, serves it with
# `spin up --from <reference>` (a fresh cache, so everything comes from the
# registry) beside the app served from this checkout, and has compare.py send both
# the same requests: a demo, the playground, /openapi.json and a Pyodide file.
#
# It needs Spin (SPIN_BIN): devhost serves a manifest, not a registry reference.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${SPIN_BIN:?make registry needs Spin: set SPIN_BIN}"
command -v docker-registry >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
pids=()
# Job control: each server in its own process group, where SIGINT is not ignored, so
# Spin is stopped as Ctrl-C stops it. Its logs are shown only when the check fails:
# Spin 4.1 prints "worker failed: worker panicked" for each idle instance as it exits.
set -m
cleanup() {
    status=$?
    if [ "$status" != 0 ]; then tail -n 40 "$work"/*.log >&2 || true; fi
    for pid in "${pids[@]}"; do
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# The registry: Debian's config without its htpasswd auth, on loopback, storing in $work.
registry_port=$(free_port)
cat > "$work/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/blobs
http:
  addr: 127.0.0.1:$registry_port
YAML
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
pids+=($!)
python3 tests/registry/compare.py --wait "http://127.0.0.1:$registry_port/v2/" 30

reference="127.0.0.1:$registry_port/spin-async-demo:test"
started=$(date +%s.%N)
make --no-print-directory publish REGISTRY="$reference" SPIN_BIN="$SPIN_BIN"
pushed=$(date +%s.%N)

checkout_port=$(free_port)
artifact_port=$(free_port)
RUST_LOG=warn tests/serve.sh "$checkout_port" > "$work/checkout.log" 2>&1 &
pids+=($!)
started_up=$(date +%s.%N)
# --cache-dir: a cache of its own, so the components and files come from the registry.
RUST_LOG=warn "$SPIN_BIN" up --from "$reference" --insecure --cache-dir "$work/cache" \
    --listen "127.0.0.1:$artifact_port" --quiet > "$work/artifact.log" 2>&1 &
pids+=($!)
python3 tests/registry/compare.py --wait "http://127.0.0.1:$artifact_port/hello" 120
serving=$(date +%s.%N)

python3 - "$started" "$pushed" "$started_up" "$serving" <<'PY'
import sys
started, pushed, up, serving = map(float, sys.argv[1:])
print(f"registry: pushed in {pushed - started:.1f} s; spin up --from served after {serving - up:.1f} s")
PY
python3 tests/registry/compare.py --manifest "http://127.0.0.1:$registry_port" spin-async-demo test
python3 tests/registry/compare.py "http://127.0.0.1:$checkout_port" "http://127.0.0.1:$artifact_port"
