"""`make bench`: devhost (and Spin, when installed) against an aiohttp peer, side by
side on this machine, in one run. Prints a markdown table and writes it to
bench/results.md.

Run through `make bench`, which builds everything and provides a virtualenv with
aiohttp (from PyPI) and wrk (from Debian).
"""

import asyncio
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DEVHOST = Path(os.environ.get("DEVHOST", ROOT / "target" / "host" / "devhost"))
WASM_DIR = ROOT / "target" / "wasm32-wasip2" / "release"
FANOUT = [10, 100, 1000]
FANOUT_DELAY_MS = 200
BURST = 2000
WRK_ROUNDS = 3


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, timeout=60):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def wait_ready(url, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            get(url, timeout=2)
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


class Server:
    """A server under test: a name, a base URL and the process behind it."""

    def __init__(self, name, command, port, env=None, ready="/hello?delay_ms=0"):
        self.name = name
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_ready(f"{self.base}{ready}", self.process)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def fanout_ratio(server, n):
    """Median over 3 runs of elapsed / ideal for a gather of n upstream calls."""
    ratios = []
    for _ in range(3):
        body = json.loads(get(f"{server.base}/demo/gather?n={n}&delay_ms={FANOUT_DELAY_MS}"))
        ratios.append(body["elapsed_ms"] / FANOUT_DELAY_MS)
    return statistics.median(ratios)


# What wrk loads: the hello page, and the upstream's JSON with its length declared
# (every complete reply now) and sent chunked (every reply before: on Spin, which
# sets no TCP_NODELAY, the last chunk can wait ~40 ms for a delayed ACK).
WRK_PATHS = ["/hello?delay_ms=0", "/upstream", "/upstream?framing=chunked"]


def wrk(server, path):
    """Requests/s and p50/p99 latency (ms) of `path` with wrk."""
    output = subprocess.run(
        ["wrk", "-t2", "-c64", "-d5s", "--latency", f"{server.base}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(label):
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, percentile("50"), percentile("99")


def offload_speedup(server):
    """Median over 3 runs of /demo/cpu's inline / offloaded time for 4 x 250 ms of
    CPU work: how much the WASI 0.2 worker's parallel instances gain on this machine
    (the tests only check that offloaded jobs overlap; the gain depends on free cores)."""
    speedups = []
    for _ in range(3):
        body = json.loads(get(f"{server.base}/demo/cpu?n=4&work_ms=250&mode=both"))
        speedups.append(body["runs"]["offload"]["speedup"])
    return statistics.median(speedups)


async def burst(server):
    """Wall time (ms) for BURST concurrent /hello?delay_ms=1000."""
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async def one():
            async with session.get(f"{server.base}/hello?delay_ms=1000") as response:
                await response.read()
                return response.status

        started = time.monotonic()
        statuses = await asyncio.gather(*(one() for _ in range(BURST)))
        elapsed = (time.monotonic() - started) * 1000
    bad = sum(status != 200 for status in statuses)
    if bad:
        raise RuntimeError(f"{server.name}: {bad} of {BURST} requests failed")
    return elapsed


POLLS = 200_000
FIXTURES = ROOT / "tests" / "fixtures" / "spin.toml"


def poll_cost(name):
    """What recording a task's polls costs (common::recorder), on the runtime
    `name`: the probe fixture times POLLS empty polls, bare and measured, in Wasm.
    Median of 3 of (bare, measured, overhead) ns per poll."""
    port = free_port()
    flags = ["--from", str(FIXTURES), "--listen", f"127.0.0.1:{port}", "--quiet",
             "--variable", "secret_token=bench"]
    if name == "spin":
        command = [os.environ["SPIN_BIN"], "up", *flags, "--state-dir", tempfile.mkdtemp(prefix="spin-bench-")]
    else:
        command = [str(DEVHOST), *flags]
    server = Server(name, command, port, ready="/probe/ready")
    try:
        runs = [json.loads(get(f"{server.base}/probe/cost?poll_cost={POLLS}"))["poll_cost"] for _ in range(3)]
    finally:
        server.stop()
    pick = lambda key: statistics.median(run[key] for run in runs)
    return pick("bare_ns_per_poll"), pick("measured_ns_per_poll"), pick("overhead_ns_per_poll")


def measuring_share(server, overhead_ns):
    """A demo's own polls times the overhead per poll, as a share of its elapsed time."""
    body = json.loads(get(f"{server.base}/demo/gather?delays=300,200,100"))
    polls = sum(task["polls"] for task in body["tasks"])
    cost_ms = polls * overhead_ns / 1e6
    return polls, cost_ms, cost_ms / body["elapsed_ms"]


# The bare fan-out (tests/fixtures/bare-fanout): the same n upstream calls as
# /demo/gather?n=N&delay_ms=D, sent, read and parsed with a plain join_all and
# nothing recorded. Served beside the app from one manifest, in interleaved rounds,
# it prices what the app adds: tasks, trace, polls measured, the report.
BARE_ROUTE = "/bench/bare-fanout"
BARE_N = 1000
BARE_DELAYS = [0, 200]
BARE_ROUNDS = 6
BENCH_MANIFEST = ROOT / "target" / "bench" / "spin.toml"


def bench_manifest():
    """spin.toml plus the bare fan-out fixture, written to target/bench/spin.toml.
    Every `source` is made absolute, so Spin and devhost (which both resolve a
    relative source against the manifest's directory) find the app's .wasm files
    from there; spin.toml itself stays as users ship it."""
    def absolute(match):
        path = Path(match.group(2))
        return match.group(1) + json.dumps(str(path if path.is_absolute() else ROOT / path))

    text = re.sub(r'^(source\s*=\s*)"([^"]+)"', absolute, (ROOT / "spin.toml").read_text(), flags=re.M)
    text += f"""
# --- bench only (bench/run.py): the bare fan-out fixture beside /demo/gather --------

[[trigger.http]]
route = "{BARE_ROUTE}"
component = "bare-fanout"

[component.bare-fanout]
source = {json.dumps(str(WASM_DIR / "bare_fanout.wasm"))}
description = "make bench only: n upstream calls with a plain join_all, nothing recorded."
allowed_outbound_hosts = ["http://upstream.spin.internal"]
"""
    BENCH_MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    BENCH_MANIFEST.write_text(text)
    return BENCH_MANIFEST


def bench_servers():
    """The bench manifest on devhost and, when SPIN_BIN is set, on Spin."""
    manifest = str(bench_manifest())
    ready = f"{BARE_ROUTE}?n=1&delay_ms=0"
    servers = []
    try:
        port = free_port()
        servers.append(Server("devhost", [
            str(DEVHOST), "--from", manifest, "--listen", f"127.0.0.1:{port}", "--quiet",
            "--cache-dir", str(ROOT / "target" / "devhost-cache"),
        ], port, ready=ready))
        if os.environ.get("SPIN_BIN"):
            port = free_port()
            servers.append(Server("spin", [
                os.environ["SPIN_BIN"], "up", "--from", manifest, "--listen", f"127.0.0.1:{port}",
                "--quiet", "--state-dir", tempfile.mkdtemp(prefix="spin-bench-"),
            ], port, ready=ready))
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def timed_get(url):
    """(wall time in ms of the whole request, as this client saw it; the JSON body)."""
    started = time.monotonic()
    body = get(url, timeout=120)
    wall = (time.monotonic() - started) * 1000
    return wall, json.loads(body)


def bare_fanout(peer):
    """Interleaved rounds, on each runtime serving the bench manifest, of the bare
    fixture and /demo/gather with the same n and delay (their order swapped every
    round), and the peer's gather beside them. Returns the runtimes' names and
    {(name, kind, delay): {"wall": ms, "elapsed": ms, "after": ms}}, each the median
    over BARE_ROUNDS of the request's wall time, the reply's own elapsed_ms, and the
    difference (what the request costs after the fan-out: for the app, building and
    sending its report)."""
    servers = bench_servers()
    samples = {}
    try:
        def one(base, name, kind, delay):
            path = BARE_ROUTE if kind == "bare" else "/demo/gather"
            wall, body = timed_get(f"{base}{path}?n={BARE_N}&delay_ms={delay}")
            if kind == "bare" and body["ok"] != BARE_N:
                raise RuntimeError(f"{name}: the bare fan-out had {body['ok']} of {BARE_N} calls ok")
            if body.get("outcome", "ok") != "ok":
                raise RuntimeError(f"{name}: /demo/gather answered outcome {body['outcome']!r}")
            samples.setdefault((name, kind, delay), []).append((wall, body["elapsed_ms"]))

        for delay in BARE_DELAYS:  # warm-up: instances, compiled code, pools
            for server in servers:
                for kind in ("bare", "app"):
                    timed_get(f"{server.base}{BARE_ROUTE if kind == 'bare' else '/demo/gather'}"
                              f"?n={BARE_N}&delay_ms={delay}")
            timed_get(f"{peer.base}/demo/gather?n={BARE_N}&delay_ms={delay}")
        samples.clear()
        for round_number in range(BARE_ROUNDS):
            kinds = ("bare", "app") if round_number % 2 == 0 else ("app", "bare")
            for delay in BARE_DELAYS:
                for server in servers:
                    for kind in kinds:
                        one(server.base, server.name, kind, delay)
                one(peer.base, peer.name, "app", delay)
    finally:
        for server in servers:
            server.stop()
    medians = {
        key: {
            "wall": statistics.median(wall for wall, _ in runs),
            "elapsed": statistics.median(elapsed for _, elapsed in runs),
            "after": statistics.median(wall - elapsed for wall, elapsed in runs),
        }
        for key, runs in samples.items()
    }
    return [server.name for server in servers], medians


def bare_fanout_lines(names, medians, peer_name):
    """The bare fan-out table for results.md: one column per runtime and delay."""
    columns = [(name, delay) for name in [*names, peer_name] for delay in BARE_DELAYS]

    def row(label, cell):
        values = []
        for name, delay in columns:
            app, bare = medians.get((name, "app", delay)), medians.get((name, "bare", delay))
            value = cell(app, bare) if app and (bare or name == peer_name) else None
            values.append("-" if value is None else value)
        return f"| {label} | " + " | ".join(values) + " |"

    both = lambda f: (lambda app, bare: f(app, bare) if bare else None)
    per_call_us = lambda a, b: f"{(a - b) / BARE_N * 1000:+.1f}"
    return [
        f"What /demo/gather adds to a plain fan-out: the bare fixture ({BARE_ROUTE}) sends, reads and parses "
        f"the same {BARE_N} upstream calls with join_all and records nothing; both run from one manifest, "
        "interleaved. The app's extra cost per call is (app - bare) / n; elapsed_ms is each reply's own "
        "time for its fan-out, wall time the client's for the whole request, and wall time - elapsed_ms "
        "what follows the fan-out (for /demo/gather: building the report and sending it). "
        "aiohttp has no bare fixture: its gather is shown beside.",
        "",
        f"| bare fan-out beside /demo/gather, n={BARE_N}, median of {BARE_ROUNDS} interleaved rounds "
        f"(bare: {BARE_ROUTE}, tests/fixtures/bare-fanout) | "
        + " | ".join(f"{name} {delay} ms" for name, delay in columns) + " |",
        "|---|" + "---|" * len(columns),
        row("bare fan-out: its elapsed_ms", both(lambda app, bare: f"{bare['elapsed']:.1f}")),
        row("/demo/gather (aiohttp: its gather): its elapsed_ms", lambda app, bare: f"{app['elapsed']:.1f}"),
        row("fan-out, app / bare (elapsed_ms)", both(lambda app, bare: f"{app['elapsed'] / bare['elapsed']:.2f}")),
        row("fan-out, the app's extra cost per call (us): (app - bare) / n, elapsed_ms",
            both(lambda app, bare: per_call_us(app["elapsed"], bare["elapsed"]))),
        row("bare fan-out: request wall time (ms)", both(lambda app, bare: f"{bare['wall']:.1f}")),
        row("/demo/gather (aiohttp: its gather): request wall time (ms)", lambda app, bare: f"{app['wall']:.1f}"),
        row("whole request, app / bare (wall time)", both(lambda app, bare: f"{app['wall'] / bare['wall']:.2f}")),
        row("whole request, the app's extra cost per call (us): (app - bare) / n, wall time",
            both(lambda app, bare: per_call_us(app["wall"], bare["wall"]))),
        row("/demo/gather (aiohttp: its gather): building and sending the report (ms): wall time - elapsed_ms",
            lambda app, bare: f"{app['after']:.1f}"),
        row("bare fan-out: the same for its small reply (ms): wall time - elapsed_ms",
            both(lambda app, bare: f"{bare['after']:.1f}")),
    ]


def devhost_first_answer(cache_dir):
    """Seconds from starting devhost to its first answer, without or with the cache."""
    port = free_port()
    flags = ["--cache-dir", cache_dir] if cache_dir else ["--no-cache"]
    started = time.monotonic()
    server = Server("devhost", [str(DEVHOST), "--listen", f"127.0.0.1:{port}", "--quiet", *flags], port)
    elapsed = time.monotonic() - started
    server.stop()
    return elapsed


def wasm_sizes():
    manifest = (ROOT / "spin.toml").read_text()
    files = sorted(set(re.findall(r'source = "target/wasm32-wasip2/release/([\w-]+\.wasm)"', manifest)))
    return [(name, (WASM_DIR / name).stat().st_size) for name in files]


def spin_server():
    """Spin from SPIN_BIN (the Makefile sets it when it found Spin 4.1+), else none."""
    binary = os.environ.get("SPIN_BIN") or None
    if not binary:
        print("bench: no Spin 4.1+ found (set SPIN_BIN): devhost and aiohttp only", file=sys.stderr)
        return None
    port = free_port()
    state = tempfile.mkdtemp(prefix="spin-bench-")
    return Server("spin", [binary, "up", "--listen", f"127.0.0.1:{port}", "--quiet", "--state-dir", state], port)


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    peer_port, devhost_port = free_port(), free_port()
    peer = Server("aiohttp", [sys.executable, str(ROOT / "bench" / "peer.py"), str(peer_port)], peer_port)
    devhost = Server("devhost", [str(DEVHOST), "--listen", f"127.0.0.1:{devhost_port}", "--quiet"], devhost_port)
    servers = [devhost, peer]
    spin = spin_server()
    if spin:
        servers.insert(1, spin)
    ours = [s for s in servers if s is not peer]
    rows = []
    try:
        # Warm-up: instances, caches, connection pools.
        for server in servers:
            fanout_ratio(server, 100)
        for n in FANOUT:
            ratios = {s.name: fanout_ratio(s, n) for s in servers}
            rows.append((f"gather n={n} x {FANOUT_DELAY_MS} ms: elapsed / ideal",
                         {k: f"{v:.3f}" for k, v in ratios.items()},
                         {s.name: f"{ratios[s.name] / ratios['aiohttp']:.2f}" for s in ours}))
        # wrk, alternated (ours, peer, ours, peer, ...): the median run of each side,
        # since this machine's noise moves single runs by 20% or more.
        for path in WRK_PATHS:
            results = {s.name: [] for s in servers}
            for _ in range(WRK_ROUNDS):
                for server in servers:
                    results[server.name].append(wrk(server, path))
            best = {name: sorted(runs)[len(runs) // 2] for name, runs in results.items()}
            rows.append((f"{path} requests/s (wrk -t2 -c64 -d5s, median of {WRK_ROUNDS})",
                         {k: f"{v[0]:.0f}" for k, v in best.items()},
                         {s.name: f"{best[s.name][0] / best['aiohttp'][0]:.2f}" for s in ours}))
            for index, label in [(1, "p50"), (2, "p99")]:
                rows.append((f"{path} {label} latency (ms)",
                             {k: f"{v[index]:.2f}" for k, v in best.items()},
                             {s.name: f"{best[s.name][index] / best['aiohttp'][index]:.2f}" for s in ours}))
        speedups = {s.name: offload_speedup(s) for s in ours}
        costs = {s.name: poll_cost(s.name) for s in ours}
        shares = {s.name: measuring_share(s, costs[s.name][2]) for s in ours}
        walls = {}
        for server in servers:
            walls[server.name] = asyncio.run(burst(server))
        rows.append((f"{BURST} concurrent /hello?delay_ms=1000: wall time (ms)",
                     {k: f"{v:.0f}" for k, v in walls.items()},
                     {s.name: f"{walls[s.name] / walls['aiohttp']:.2f}" for s in ours}))
        bare_names, bare = bare_fanout(peer)
    finally:
        for server in servers:
            server.stop()

    with tempfile.TemporaryDirectory() as cache:
        devhost_first_answer(cache)
        cached = statistics.median(devhost_first_answer(cache) for _ in range(3))
    cold = statistics.median(devhost_first_answer(None) for _ in range(3))
    sizes = wasm_sizes()

    names = [s.name for s in servers]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}; one run, side by side. "
        "Ratios are ours / aiohttp (for latency and time, lower is better).",
        "",
        "| measure | " + " | ".join(names) + " | " + " | ".join(f"{s.name} / aiohttp" for s in ours) + " |",
        "|---|" + "---|" * (len(names) + len(ours)),
    ]
    for label, values, ratios in rows:
        lines.append(f"| {label} | " + " | ".join(values[n] for n in names) + " | "
                     + " | ".join(ratios[s.name] for s in ours) + " |")
    lines += [
        "",
        "| /demo/cpu n=4 x 250 ms: inline / offloaded (median of 3) | " + " | ".join(s.name for s in ours) + " |",
        "|---|" + "---|" * len(ours),
        "| speed-up | " + " | ".join(f"{speedups[s.name]:.2f}x" for s in ours) + " |",
        "",
        f"| recording polls (a task of common::task::spawn, unrecorded, then in a watched handler), {POLLS:,} empty polls in Wasm, median of 3 | "
        + " | ".join(s.name for s in ours) + " |",
        "|---|" + "---|" * len(ours),
        "| a poll, unrecorded (ns) | " + " | ".join(f"{costs[s.name][0]:.0f}" for s in ours) + " |",
        "| a poll, recorded (ns) | " + " | ".join(f"{costs[s.name][1]:.0f}" for s in ours) + " |",
        "| overhead per poll (ns) | " + " | ".join(f"{costs[s.name][2]:.0f}" for s in ours) + " |",
        "| /demo/gather?delays=300,200,100: polls measured | " + " | ".join(f"{shares[s.name][0]}" for s in ours) + " |",
        "| their measuring cost (ms), share of elapsed | "
        + " | ".join(f"{shares[s.name][1]:.3f}, {shares[s.name][2] * 100:.3f}%" for s in ours) + " |",
        "",
        *bare_fanout_lines(bare_names, bare, peer.name),
        "",
        "| devhost start to first answer | seconds |",
        "|---|---|",
        f"| cold (--no-cache), median of 3 | {cold:.2f} |",
        f"| compile cache, median of 3 | {cached:.2f} |",
        f"| cold / cached | {cold / cached:.1f}x |",
        "",
        "| component (.wasm, release) | bytes |",
        "|---|---|",
    ]
    lines += [f"| {name} | {size:,} |" for name, size in sizes]
    lines.append(f"| total ({len(sizes)} files) | {sum(size for _, size in sizes):,} |")
    table = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
