#!/usr/bin/env bash
# `make fuzz`: start the app on a free port (tests/serve.sh: Spin when SPIN_BIN is
# set, devhost otherwise), run schemathesis against it from /openapi.json (see
# schemathesis.toml and hooks.py), stop the app. With APP_URL set, fuzz that app
# instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${FUZZ_VENV:-target/fuzz-venv}
test -x "$venv/bin/st" || { python3 -m venv "$venv" && "$venv/bin/pip" install -q -r tests/fuzz/requirements.txt; }

app_pid=
cleanup() { if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
if [ -n "${APP_URL:-}" ]; then
    base=${APP_URL%/}
else
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    base=http://127.0.0.1:$port
    RUST_LOG=warn tests/serve.sh "$port" &
    app_pid=$!
fi

runtime=devhost
if [ -n "${SPIN_BIN:-}" ]; then runtime=$("$SPIN_BIN" --version); fi
echo "fuzz: $base on $runtime"
SCHEMATHESIS_HOOKS=hooks PYTHONPATH=tests/fuzz "$venv/bin/st" --config-file tests/fuzz/schemathesis.toml \
    run "$base/openapi.json" --url "$base" --wait-for-schema 120 --no-color
