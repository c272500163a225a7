"""`make soak`: a bounded load run against devhost on loopback. Thousands of
requests, hundreds at a time, across the routes; afterwards no request may have
failed and devhost's resident memory must be back near where it started.

    python bench/soak.py [--requests N] [--concurrency C]
"""

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DEVHOST = Path(os.environ.get("DEVHOST", ROOT / "target" / "debug" / "devhost"))

# A mix of what the app does: sleeps, fan-outs, streams, timeouts, uploads.
MIX = [
    ("GET", "/hello?delay_ms=20", None),
    ("GET", "/upstream?delay_ms=10&bytes=1000", None),
    ("GET", "/demo/gather?n=5&delay_ms=10", None),
    ("GET", "/demo/as-completed?delays=20,10,5", None),
    ("GET", "/demo/timeout?delay_ms=100&timeout_ms=10", None),
    ("GET", "/demo/wait?delays=50,5&return_when=first_completed", None),
    ("POST", "/echo", b"one\ntwo\nthree\n"),
    ("GET", "/demo/event-loop?step_ms=0", None),
]


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def run(base, requests, concurrency, pid):
    errors = []
    peak = rss_kib(pid)
    limit = asyncio.Semaphore(concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as session:
        async def one(index):
            method, path, body = MIX[index % len(MIX)]
            async with limit:
                try:
                    async with session.request(method, base + path, data=body) as response:
                        await response.read()
                        if response.status != 200:
                            errors.append(f"{method} {path}: {response.status}")
                except Exception as error:  # noqa: BLE001 - every failure counts
                    errors.append(f"{method} {path}: {error!r}")

        async def watch():
            nonlocal peak
            while True:
                peak = max(peak, rss_kib(pid))
                await asyncio.sleep(0.1)

        watcher = asyncio.create_task(watch())
        started = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(requests)))
        elapsed = time.monotonic() - started
        watcher.cancel()
    return errors, peak, elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=8000)
    parser.add_argument("--concurrency", type=int, default=300)
    args = parser.parse_args()

    port = 3300 + os.getpid() % 1000
    base = f"http://127.0.0.1:{port}"
    devhost = subprocess.Popen([str(DEVHOST), "--listen", f"127.0.0.1:{port}", "--quiet"], cwd=ROOT,
                               stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                asyncio.run(run(base, 1, 1, devhost.pid))
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        # Warm-up, then the baseline once idle instances have expired (1 s).
        asyncio.run(run(base, len(MIX) * 20, 20, devhost.pid))
        time.sleep(2.5)
        before = rss_kib(devhost.pid)
        errors, peak, elapsed = asyncio.run(run(base, args.requests, args.concurrency, devhost.pid))
        time.sleep(2.5)
        after = rss_kib(devhost.pid)
    finally:
        devhost.terminate()
        devhost.wait(10)

    print(f"soak: {args.requests} requests, {args.concurrency} at a time, {len(MIX)} kinds, in {elapsed:.1f} s "
          f"({args.requests / elapsed:.0f}/s)")
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    print(f"devhost RSS: before {before / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB, after {after / 1024:.1f} MiB")
    # Allocators keep some freed memory for reuse; what matters is that the load's
    # memory is given back and nothing grows with the number of requests (40000
    # requests end where 8000 do).
    back_near_baseline = after <= before + 48 * 1024
    print("memory back near its baseline: " + ("yes" if back_near_baseline else "NO"))
    sys.exit(0 if not errors and back_near_baseline else 1)


if __name__ == "__main__":
    main()
