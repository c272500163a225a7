# spin-async-demo: `make up` to serve, `make test` to check everything.
# The .wasm paths in spin.toml are under ./target; CI may symlink ./target elsewhere.

CARGO      ?= cargo
LISTEN     ?= 127.0.0.1:3000
WASM_TARGET = wasm32-wasip2
COMPONENTS  = hello upstream not-found echo ws asynctasks testcb messages openapi ui \
              demo-sequential demo-tasks demo-gather demo-wait demo-as-completed demo-timeout demo-cancel demo-shield demo-future demo-event-loop demo-blocking demo-cpu
# WASI 0.2 components are built on their own: built together with the others, cargo
# would unify features and hand them the spin-sdk 7 half of `common`.
P2_COMPONENTS = cpu-worker
P2_FIXTURES   = probe2
FIXTURES    = probe
DEVHOST     = target/debug/devhost

.PHONY: build build-fixtures devhost up test fuzz bench soak fmt lint clean wasm-target

wasm-target:
	@rustup target list --installed 2>/dev/null | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)

## build: every app component, in release (small .wasm files)
build: wasm-target
	$(CARGO) build --target $(WASM_TARGET) --release $(addprefix -p ,$(COMPONENTS))
	$(CARGO) build --target $(WASM_TARGET) --release $(addprefix -p ,$(P2_COMPONENTS))

build-fixtures: wasm-target
	$(CARGO) build --target $(WASM_TARGET) --release $(addprefix -p ,$(FIXTURES))
	$(CARGO) build --target $(WASM_TARGET) --release $(addprefix -p ,$(P2_FIXTURES))

devhost:
	$(CARGO) build -p devhost

## up: serve on $(LISTEN) with Spin 4.1+ when installed, else with devhost
up: build
	@if command -v spin >/dev/null 2>&1 && spin --version | grep -Eq 'spin (4\.[1-9]|4\.[1-9][0-9]|[5-9]\.|[1-9][0-9]+\.)'; then \
		echo "Serving with $$(spin --version)"; \
		spin up --listen $(LISTEN); \
	else \
		echo "Spin 4.1+ not found: serving with devhost (see README)"; \
		$(CARGO) build -p devhost && $(DEVHOST) --listen $(LISTEN); \
	fi

## test: formatting, lints, unit tests, the integration suite, the fuzzer and the browser test against devhost
test: build build-fixtures devhost lint
	$(CARGO) test --workspace $(addprefix --exclude ,$(COMPONENTS) $(P2_COMPONENTS) $(FIXTURES) $(P2_FIXTURES))
	$(MAKE) fuzz
	$(MAKE) browser

## fuzz: schemathesis (PyPI, into target/fuzz-venv) against devhost from /openapi.json
fuzz: build devhost
	tests/fuzz/run.sh

## browser: /ui/ in Debian's Chromium (apt), driven by playwright-core (npm; it downloads no browser)
.PHONY: browser
browser: build devhost
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@test tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json || (cd tests/browser && npm ci --no-audit --no-fund)
	node tests/browser/ui.spec.mjs

## bench: devhost (and Spin, if installed) against an aiohttp peer; writes bench/results.md
BENCH_VENV ?= target/bench-venv
bench: build
	$(CARGO) build --profile host -p devhost
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
	@test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r bench/requirements.txt
	DEVHOST=target/host/devhost $(BENCH_VENV)/bin/python bench/run.py

## soak: thousands of requests, hundreds at a time, against devhost: no errors, memory back near baseline
soak: build devhost
	@test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r bench/requirements.txt
	$(BENCH_VENV)/bin/python bench/soak.py

fmt:
	$(CARGO) fmt --all

lint: wasm-target
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy --target $(WASM_TARGET) $(addprefix -p ,$(COMPONENTS) $(FIXTURES)) -- -D warnings
	$(CARGO) clippy --target $(WASM_TARGET) $(addprefix -p ,$(P2_COMPONENTS) $(P2_FIXTURES)) -- -D warnings

clean:
	$(CARGO) clean
