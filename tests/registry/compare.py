"""The app served from the OCI artifact against the app served from the checkout.

    compare.py CHECKOUT_URL ARTIFACT_URL       the same requests to both, the same answers
    compare.py --wait URL SECONDS              wait until URL answers (any status)
    compare.py --manifest REGISTRY_URL NAME TAG  print the artifact's layers and size

Files must be byte for byte the same; a demo's report is compared by what does not
depend on timing (status, content type, the demo, each task's id and outcome, the
results but for their timings and which instance answered), since two runs never take the same milliseconds.
"""

import hashlib
import json
import sys
import time
import urllib.error
import urllib.request

# Files (compared byte for byte) and demos (compared by what a run decides).
FILES = [
    "/ui/",                        # the playground's page
    "/ui/app.js",                  # and its script
    "/openapi.json",               # every route, declared once
    "/pyodide/pyodide.asm.wasm",   # the largest Pyodide file (the browser's Python)
]
DEMOS = [
    "/demo/gather?delays=60,20,40&fail=1&return_exceptions=true",
    "/demo/wait?delays=80,10&return_when=first_completed",
]


def get(url, accept=None):
    request = urllib.request.Request(url, headers={"accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("content-type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type"), error.read()


def wait(url, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            get(url)
            return
        except OSError as error:
            if time.monotonic() > deadline:
                sys.exit(f"{url} did not answer within {seconds} s: {error}")
            time.sleep(0.2)


def manifest(registry, name, tag):
    status, _, body = get(
        f"{registry}/v2/{name}/manifests/{tag}",
        accept="application/vnd.oci.image.manifest.v1+json",
    )
    if status != 200:
        sys.exit(f"the registry has no {name}:{tag} ({status}): {body[:200]!r}")
    layers = json.loads(body)["layers"]
    total = sum(layer["size"] for layer in layers)
    largest = max(layer["size"] for layer in layers)
    print(
        f"registry: {name}:{tag} has {len(layers)} layers, {total / 1e6:.1f} MB "
        f"(largest {largest / 1e6:.1f} MB)"
    )


def decided(body):
    """What a run of a demo decides, without its timings."""
    report = json.loads(body)
    return {
        "demo": report.get("demo"),
        "outcome": report.get("outcome"),
        "tasks": [(task["id"], task["outcome"]) for task in report.get("tasks", [])],
        "results": [
            {k: v for k, v in result.items() if not k.endswith(("_ms", "instance"))} if isinstance(result, dict) else result
            for result in report.get("results", [])
        ],
    }


def compare(checkout, artifact):
    failures = []
    for path in FILES:
        a, b = get(checkout + path), get(artifact + path)
        if a[0] != 200 or a != b:
            failures.append(
                f"{path}: checkout {a[0]} {a[1]} {len(a[2])} bytes, artifact {b[0]} {b[1]} {len(b[2])} bytes"
            )
        else:
            print(f"same: {path} ({a[1]}, {len(a[2])} bytes, sha256 {hashlib.sha256(a[2]).hexdigest()[:12]})")
    for path in DEMOS:
        a, b = get(checkout + path), get(artifact + path)
        if a[0] != 200 or a[:2] != b[:2] or decided(a[2]) != decided(b[2]):
            failures.append(f"{path}: checkout {a[0]} {a[2][:300]!r}, artifact {b[0]} {b[2][:300]!r}")
        else:
            print(f"same: {path} ({decided(a[2])['tasks']})")
    if failures:
        sys.exit("the artifact differs from the checkout:\n  " + "\n  ".join(failures))
    print(f"registry: the artifact answers as the checkout does ({len(FILES)} files, {len(DEMOS)} demos)")


if __name__ == "__main__":
    if sys.argv[1] == "--wait":
        wait(sys.argv[2], float(sys.argv[3]))
    elif sys.argv[1] == "--manifest":
        manifest(*sys.argv[2:5])
    else:
        compare(sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"))
