# spin-async-demo: `make up` to serve, `make test` to check everything.
# The .wasm paths in spin.toml are under ./target; CI may symlink ./target elsewhere.

CARGO      ?= cargo
LISTEN     ?= 127.0.0.1:3000
WASM_TARGET = wasm32-wasip2
# Every component and test fixture is the workspace minus its two native crates.
# (No crate has features, so the WASI 0.2 worker builds together with the WASI 0.3
# components: it depends on `basics`, never on spin-sdk 7.)
WASM_CRATES = --workspace --exclude devhost --exclude integration-tests
# The native crates, named together in every native build, test and lint: cargo
# unifies features over the packages a command names, so one set of names means
# one set of features and one compile of wasmtime, which `make up` makes and
# `make test` reuses. (`cargo test --workspace` would add the components' features,
# serde_json's preserve_order among them, and compile wasmtime a second time.)
NATIVE_CRATES = -p basics -p catalogue -p common -p devhost -p integration-tests
DEVHOST     = target/debug/devhost

# Spin 4.1+ for `make up`, `make test` and `make bench`: SPIN_BIN when set, else
# `spin` on PATH. SPIN_VERSION is empty when there is none (or it is older).
SPIN_BIN    ?= $(shell command -v spin 2>/dev/null)
SPIN_VERSION := $(shell test -n "$(SPIN_BIN)" && "$(SPIN_BIN)" --version 2>/dev/null | grep -E '^spin (4\.([1-9]|[1-9][0-9])|[5-9]|[1-9][0-9]+)\.')
# A path is made absolute: the app suite runs in tests/, not here.
SPIN_PATH   := $(if $(findstring /,$(SPIN_BIN)),$(abspath $(SPIN_BIN)),$(SPIN_BIN))

.PHONY: build devhost up test fuzz bench soak fmt lint clean wasm-target

wasm-target:
	@rustup target list --installed 2>/dev/null | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)

## build: every app component and test fixture, in release (small .wasm files)
build: wasm-target
	$(CARGO) build --target $(WASM_TARGET) --release $(WASM_CRATES)

devhost:
	$(CARGO) build $(NATIVE_CRATES)

## up: serve on $(LISTEN) with Spin 4.1+ (SPIN_BIN, else spin on PATH) when found, else with devhost
up: build
ifneq ($(SPIN_VERSION),)
	@echo "Serving with $(SPIN_VERSION) ($(SPIN_BIN))"
	"$(SPIN_BIN)" up --listen $(LISTEN)
else
	@echo "Spin 4.1+ not found (set SPIN_BIN or put spin on PATH): serving with devhost (see README)"
	$(CARGO) build $(NATIVE_CRATES) && $(DEVHOST) --listen $(LISTEN)
endif

## test: formatting, lints, unit tests; then the app suite, the fuzzer, the browser
## test and the oracle on devhost and, when Spin 4.1+ is found, again on Spin
test: build devhost lint spin-check
	$(CARGO) test $(NATIVE_CRATES) --lib --bins --test host_features
	$(MAKE) unit-js
	$(MAKE) suite SUITE_SPIN=
ifneq ($(SPIN_VERSION),)
	$(MAKE) suite SUITE_SPIN="$(SPIN_PATH)"
	@echo "make test: the app suite, the fuzzer, the browser test and the oracle ran on devhost and on $(SPIN_VERSION)"
else
	@echo "make test: the app suite, the fuzzer, the browser test and the oracle ran on devhost only: no Spin 4.1+ found (set SPIN_BIN)"
endif

## unit-js: the page's pure modules (src/plumbing/ui/assets: words, markdown, timeline, differences, ...) under node's own test runner
.PHONY: unit-js
unit-js:
	node --test tests/unit/

# A SPIN_BIN given by hand that is not Spin 4.1+ is an error, not a quiet devhost-only run.
.PHONY: spin-check suite
spin-check:
ifneq ($(filter environment command line,$(origin SPIN_BIN)),)
	@test -z "$(SPIN_BIN)" || test -n "$(SPIN_VERSION)" || { echo "SPIN_BIN=$(SPIN_BIN) is not Spin 4.1 or newer ($$("$(SPIN_BIN)" --version 2>&1 | head -1))" >&2; exit 1; }
endif

## suite: the app suite, the fuzzer, the browser test and the oracle on one runtime (SUITE_SPIN: a Spin binary, or empty for devhost)
suite:
	SPIN_BIN="$(SUITE_SPIN)" $(CARGO) test $(NATIVE_CRATES) --test app
	SPIN_BIN="$(SUITE_SPIN)" $(MAKE) fuzz
	SPIN_BIN="$(SUITE_SPIN)" $(MAKE) browser
	SPIN_BIN="$(SUITE_SPIN)" $(MAKE) oracle
	$(if $(SUITE_SPIN),SPIN_BIN="$(SUITE_SPIN)" $(MAKE) registry)

## fuzz: schemathesis (PyPI, into target/fuzz-venv) from /openapi.json, on Spin when SPIN_BIN is set, else devhost
fuzz: build devhost
	tests/fuzz/run.sh

## browser: /ui/ in Debian's Chromium (apt, with fonts-noto-cjk for the Chinese screenshots), driven by playwright-core (npm; it downloads no browser); runtime as for fuzz
.PHONY: browser
browser: build devhost
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@# Chinese text in the screenshots (target/screenshots/) needs a CJK font.
	@dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; }
	@test tests/browser/node_modules/.package-lock.json -nt tests/browser/package-lock.json || (cd tests/browser && npm ci --no-audit --no-fund)
	node tests/browser/ui.spec.mjs

## oracle: each lesson's asyncio program in Pyodide (the one the app serves at /pyodide/; under Node) against the app, compared with the Rust demo
.PHONY: oracle
oracle: build devhost
	node tests/oracle/oracle.mjs

## publish: push the built app as an OCI artifact, REGISTRY=host[:port]/name:tag (what SpinKube pulls);
## a loopback registry (127.0.0.1, localhost) is spoken to over plain HTTP (--insecure)
.PHONY: publish registry
publish: build
	@test -n "$(REGISTRY)" || { echo "usage: make publish REGISTRY=<host[:port]/name:tag>, e.g. ghcr.io/<you>/spin-async-demo:0.1.0" >&2; exit 2; }
	@test -n "$(SPIN_VERSION)" || { echo "make publish needs Spin 4.1+ (SPIN_BIN, or spin on PATH)" >&2; exit 1; }
	"$(SPIN_BIN)" registry push $(if $(filter 127.0.0.1:% localhost:% [::1]:%,$(REGISTRY)),--insecure) "$(REGISTRY)"

## registry: publish to Debian's docker-registry on loopback and check `spin up --from` the artifact against the checkout (Spin only)
registry: build
	tests/registry/run.sh

## bench: devhost and Spin (when found: SPIN_BIN, else spin on PATH) against an aiohttp peer; writes bench/results.md
BENCH_VENV ?= target/bench-venv
bench: build
	$(CARGO) build --profile host -p devhost
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
	@test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r bench/requirements.txt
	DEVHOST=target/host/devhost SPIN_BIN="$(if $(SPIN_VERSION),$(SPIN_PATH))" $(BENCH_VENV)/bin/python bench/run.py
	$(MAKE) size

## size: where a component's bytes go, per crate (twiggy into target/tools); writes bench/size.md
.PHONY: size
size: build
	python3 bench/size.py

## soak: thousands of requests, hundreds at a time, against devhost: no errors, memory back near baseline
soak: build devhost
	@test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r bench/requirements.txt
	$(BENCH_VENV)/bin/python bench/soak.py

fmt:
	$(CARGO) fmt --all

lint: wasm-target
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(NATIVE_CRATES) --all-targets -- -D warnings
	$(CARGO) clippy --target $(WASM_TARGET) $(WASM_CRATES) -- -D warnings

clean:
	$(CARGO) clean
