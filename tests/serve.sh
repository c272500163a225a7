#!/usr/bin/env bash
# Serves the app (spin.toml) on 127.0.0.1:PORT for the fuzzer and the browser test,
# on the runtime the test run chose: `$SPIN_BIN up` when SPIN_BIN is set, devhost
# (target/debug/devhost, `make devhost`) when it is empty or unset. Both take the
# same flags. It execs the runtime, so a signal to this script reaches it.
#
#   tests/serve.sh PORT [more flags of `spin up`]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:?usage: tests/serve.sh PORT [flags]}
shift
if [ -n "${SPIN_BIN:-}" ]; then
    exec "$SPIN_BIN" up --from spin.toml --listen "127.0.0.1:$port" --quiet "$@"
fi
test -x target/debug/devhost || { echo "target/debug/devhost is missing: run \`make devhost\`" >&2; exit 1; }
exec target/debug/devhost --from spin.toml --listen "127.0.0.1:$port" --quiet "$@"
