"""`make size` (and the end of `make bench`): where a component's bytes go.

Builds a lesson (/demo/gather), the bare fan-out fixture beside it and the smallest
component (not-found: spin-sdk 7 and a JSON error) once more, in release but
unstripped and as core modules (`--skip-wit-component`), into target/size-profile,
so that twiggy (from crates.io, into target/tools) can name every function. Sums
each function's bytes by the crate its name starts with, and writes bench/size.md:
the release sizes, then per crate what the lesson and the fixture carry beyond
not-found. Debug sections and names are what `strip = true` removes: they are left
out of the sums.
"""

import collections
import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE_DIR = ROOT / "target" / "size-profile"
TOOLS = ROOT / "target" / "tools"
TWIGGY = TOOLS / "bin" / "twiggy"
RELEASE = ROOT / "target" / "wasm32-wasip2" / "release"
# (package, .wasm stem, what it is)
COMPONENTS = [
    ("demo-gather", "demo_gather", "a lesson: /demo/gather"),
    ("bare-fanout", "bare_fanout", "the bare fan-out fixture: the same calls, no recorder or report"),
    ("not-found", "not_found", "the floor: spin-sdk 7 and one JSON error"),
]


def twiggy():
    if not TWIGGY.exists():
        subprocess.run(["cargo", "install", "--quiet", "--locked", "twiggy", "--root", str(TOOLS)], check=True)
    return TWIGGY


def build():
    env = dict(os.environ, CARGO_TARGET_DIR=str(PROFILE_DIR), CARGO_PROFILE_RELEASE_STRIP="false",
               RUSTFLAGS="-C link-arg=--skip-wit-component")
    packages = [arg for package, _, _ in COMPONENTS for arg in ("-p", package)]
    subprocess.run(["cargo", "build", "--quiet", "--target", "wasm32-wasip2", "--release", *packages],
                   check=True, env=env, cwd=ROOT)


def by_crate(path):
    """Bytes of code and data by crate, leaving out what strip removes."""
    out = subprocess.run([str(twiggy()), "top", "-n", "1000000", "--format", "csv", str(path)],
                         check=True, capture_output=True, text=True).stdout
    sums = collections.Counter()
    for row in csv.DictReader(out.splitlines()):
        name, size = row["Name"], int(row["ShallowSize"])
        if name.startswith("custom section") or "subsection" in name:
            continue  # debug info and names: gone with strip = true
        if name.startswith("data segment"):
            sums["(data: " + name.split('"')[1] + ")"] += size
            continue
        match = re.match(r"[<&*\s]*(?:dyn |mut |const )?([A-Za-z_][A-Za-z0-9_]*)", name)
        crate = match.group(1) if match else "(other)"
        # Primitive types' impls (f64, u64, str, ...) are core's.
        if crate in {"f32", "f64", "u8", "u16", "u32", "u64", "usize", "i32", "i64", "isize", "str", "char", "bool", "T"}:
            crate = "core"
        sums[crate] += size
    return sums


def main():
    build()
    profiles = {stem: by_crate(PROFILE_DIR / "wasm32-wasip2" / "release" / f"{stem}.wasm")
                for _, stem, _ in COMPONENTS}
    floor = profiles["not_found"]
    lesson, fixture = profiles["demo_gather"], profiles["bare_fanout"]
    crates = sorted(set(lesson) | set(fixture) | set(floor), key=lambda c: -(lesson[c] - floor[c]))
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make size` (bench/size.py): "
        "release builds as shipped, then a per-crate profile of unstripped core modules (twiggy), "
        "code and data only.",
        "",
        "| component | release .wasm (KB) | what it is |",
        "|---|---|---|",
    ]
    for _, stem, what in COMPONENTS:
        release = RELEASE / f"{stem}.wasm"
        size = f"{release.stat().st_size / 1024:.1f}" if release.exists() else "(run make build)"
        lines.append(f"| {stem} | {size} | {what} |")
    lines += [
        "",
        "| crate | demo_gather beyond not_found (KB) | bare_fanout beyond not_found (KB) | not_found (KB) |",
        "|---|---|---|---|",
    ]
    for crate in crates:
        extra, bare = lesson[crate] - floor[crate], fixture[crate] - floor[crate]
        if abs(extra) < 512 and abs(bare) < 512 and floor[crate] < 2048:
            continue
        lines.append(f"| {crate} | {extra / 1024:.1f} | {bare / 1024:.1f} | {floor[crate] / 1024:.1f} |")
    total = lambda profile: sum(profile.values()) / 1024  # noqa: E731
    lines.append(f"| all | {total(lesson) - total(floor):.1f} | {total(fixture) - total(floor):.1f} | {total(floor):.1f} |")
    (ROOT / "bench" / "size.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
