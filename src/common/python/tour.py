"""What every lesson.py shares: the Python twin of src/common.

A lesson's `lesson.py` is a complete asyncio program: it does what its Rust
component does, against the same app's `/upstream`, and answers the same JSON
contract (tasks with started/finished/outcome, events, elapsed), so the page can
draw both runs on one axis and the oracle test can compare them. This module is
the plumbing those programs stand on, as `common` is for the components:

- `Trace`: the request's timeline. `add_task(label)` declares a task, `started`,
  `finished`, `event`, `note` record it, and `report(...)` closes it.
- `Trace.upstream(delay_ms, fails)`: declares a task that GETs
  `/upstream?delay_ms=..` and returns the coroutine that runs it, recording its
  start, its end and, when it is cancelled, that too (the Rust `TracedCall`).
- `Trace.measure(task, coro)`: times every step of the coroutine, the way the
  Rust `Measured` times every poll: how long the task held the loop's thread.
- `cli(main, route)`: `python lesson.py [BASE_URL] [name=value ...]` runs the
  lesson with CPython and aiohttp and prints its report; parameters not given
  take the route's defaults from the app's own `/openapi.json`.

Under Pyodide (CPython compiled to WebAssembly, in a browser or in Node) the
same programs run on the JavaScript event loop; `fetch` then goes through
`pyodide.http.pyfetch`, and the page (or the oracle test) calls `run(...)`.
"""

import asyncio
import json
import sys
import time
from urllib.parse import urlencode

#: A poll (a step of a coroutine) longer than this holds the loop: blocking code.
LONG_POLL_MS = 10.0
#: Busy segments closer than this are merged; at most this many are kept.
MERGE_GAP_MS = 0.5
MAX_SEGMENTS = 64
#: The status a failing task asks the upstream for (as the Rust demos do).
FAILING_STATUS = 500

IN_PYODIDE = sys.platform == "emscripten"
if IN_PYODIDE:  # imported now, not inside the first task's first poll
    from pyodide.http import pyfetch


class UpstreamError(Exception):
    """The upstream answered an error status, or could not be reached."""


def burn_for(ms):
    """CPU-bound work: keeps the thread busy for `ms` without an await."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def round_ms(ms):
    return round(ms * 10) / 10


class Trace:
    """One run's timeline: tasks, events, and each task's busy time."""

    def __init__(self, base_url, session=None):
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._t0 = time.perf_counter()
        self.tasks = []
        self.events = []
        self._busy = []  # per task: [polls, busy_ms, longest_ms, segments]
        self._depth = []  # per task: measured steps under way (only the outermost counts)

    def now_ms(self):
        return round_ms((time.perf_counter() - self._t0) * 1000)

    def add_task(self, label):
        task = len(self.tasks)
        self.tasks.append({
            "id": task, "label": label, "started_ms": None, "finished_ms": None,
            "outcome": "pending", "result": None, "error": None,
        })
        self._busy.append([0, 0.0, 0.0, []])
        self._depth.append(0)
        return task

    def note(self, what):
        self.events.append({"t_ms": self.now_ms(), "task": None, "what": what})

    def event(self, task, what):
        self.events.append({"t_ms": self.now_ms(), "task": task, "what": what})

    def started(self, task):
        if self.tasks[task]["started_ms"] is None:
            self.tasks[task]["started_ms"] = self.now_ms()
            self.event(task, "started")

    def finished(self, task, outcome, result=None, error=None):
        """Marks `task` finished once; a later call only renames how it ended."""
        record = self.tasks[task]
        again = record["finished_ms"] is not None
        record["outcome"] = outcome
        if error is not None:
            record["error"] = error
        if again:
            return
        record["finished_ms"] = self.now_ms()
        record["result"] = result
        what = {"ok": "finished", "error": "finished", "cancelled": "cancelled",
                "timed_out": "timed out"}.get(outcome, "still pending")
        self.event(task, what)

    def completion_order(self):
        return [e["task"] for e in self.events if e["what"] == "finished"]

    def ids_with(self, outcome):
        return [t["id"] for t in self.tasks if t["outcome"] == outcome]

    # -- measuring: how long each task held the thread --------------------------

    def measure(self, task, coro):
        """`coro`, wrapped so each step it runs (each poll, in Rust's words) is timed.
        A coroutine itself, so `asyncio.create_task` takes it."""
        return _steps_of(_Measured(self, task, coro))

    def _ran(self, task, start_ms, end_ms):
        stats = self._busy[task]
        stats[0] += 1
        stats[1] += end_ms - start_ms
        stats[2] = max(stats[2], end_ms - start_ms)
        segments = stats[3]
        if segments and start_ms - segments[-1][1] <= MERGE_GAP_MS:
            segments[-1][1] = end_ms
        elif len(segments) < MAX_SEGMENTS:
            segments.append([start_ms, end_ms])
        else:
            segments[-1][1] = end_ms

    # -- the upstream call every concurrency lesson makes ----------------------

    def calls(self, params):
        """One traced call per delay in `params["delays"]`, the ids in `params["fail"]`
        failing: the Rust `CallPlan::declare`."""
        failing = set(ints(params.get("fail")))
        return [self.upstream(delay, fails=i in failing) for i, delay in enumerate(ints(params["delays"]))]

    def upstream(self, delay_ms, fails=False):
        """Declares a task that GETs `/upstream?delay_ms=...` (status 500 when it
        `fails`) and returns the coroutine that runs it."""
        query = {"delay_ms": delay_ms}
        if fails:
            query["status"] = FAILING_STATUS
        path = "/upstream?" + urlencode(query)
        task = self.add_task("GET " + path)
        return self.measure(task, self._call(task, path + "&" + urlencode({"id": task})))

    async def _call(self, task, path_and_query):
        self.started(task)
        try:
            status, body = await fetch_json(self, self.base_url + path_and_query)
        except asyncio.CancelledError:
            self.finished(task, "cancelled",
                          error="cancelled before the upstream answered")
            raise
        except Exception as error:  # unreachable: no answer at all
            message = f"upstream unreachable: {error}"
            self.finished(task, "error", error=message)
            raise UpstreamError(message) from error
        if status >= 400:
            message = f"upstream answered {status}"
            self.finished(task, "error", error=message)
            raise UpstreamError(message)
        result = {"delay_ms": body.get("delay_ms"), "slept_ms": body.get("slept_ms"),
                  "status": status, "upstream_instance": body.get("instance", {}).get("id")}
        self.finished(task, "ok", result=result)
        return result

    # -- the report: the JSON contract of the Rust demos -------------------------

    def report(self, demo, params, expected_ms, **extra):
        now = self.now_ms()
        tasks = []
        for record, (polls, busy_ms, longest, segments) in zip(self.tasks, self._busy):
            task = dict(record)
            lasted = None
            if task["started_ms"] is not None:
                end = task["finished_ms"] if task["finished_ms"] is not None else now
                lasted = round_ms(max(end - task["started_ms"] - busy_ms, 0.0))
            task.update(polls=polls, busy_ms=round_ms(busy_ms), waiting_ms=lasted,
                        longest_poll_ms=round_ms(longest),
                        busy=[[round_ms(a), round_ms(b)] for a, b in segments])
            tasks.append(task)
        warnings = [
            f"long poll: task {t['id']} held the thread for {t['longest_poll_ms']:.0f} ms "
            f"in one poll (over {LONG_POLL_MS:.0f} ms)"
            for t in tasks if t["longest_poll_ms"] > LONG_POLL_MS
        ]
        # A copy: tasks left running (gather's siblings) must not add to it later.
        return {"demo": demo, "runtime": "python " + sys.version.split()[0],
                "params": params, "elapsed_ms": now, "expected_ms": expected_ms,
                "tasks": tasks, "events": list(self.events), "warnings": warnings,
                "long_poll_ms": LONG_POLL_MS, **extra}


async def _steps_of(measured):
    return await measured


class _Measured:
    """An awaitable that drives `coro` step by step and times each step."""

    def __init__(self, trace, task, coro):
        self._trace, self._task, self._coro = trace, task, coro

    def _step(self, steps, send, error):
        """One step of the coroutine, timed unless an outer wrapper of the same task
        is timing it already."""
        trace, task = self._trace, self._task
        outermost = trace._depth[task] == 0
        trace._depth[task] += 1
        start = trace.now_ms()
        try:
            return steps.throw(error) if error is not None else steps.send(send)
        finally:
            trace._depth[task] -= 1
            if outermost:
                trace._ran(task, start, trace.now_ms())

    def __await__(self):
        steps = self._coro.__await__()
        send, error = None, None
        while True:
            try:
                yielded = self._step(steps, send, error)
            except StopIteration as done:
                return done.value
            try:
                send, error = (yield yielded), None
            except BaseException as thrown:  # a cancel, delivered at this await
                send, error = None, thrown


async def fetch_json(trace, url):
    """GETs `url`: (status, JSON body). pyfetch under Pyodide, aiohttp otherwise."""
    if IN_PYODIDE:
        response = await pyfetch(url)
        body = await response.json() if response.status < 400 else {}
        return response.status, body
    async with trace._session.get(url) as response:
        body = await response.json(content_type=None) if response.status < 400 else {}
        return response.status, body


async def run(main, base_url, params):
    """Runs one lesson's `main(trace, params)`: what the page and the oracle call."""
    if IN_PYODIDE:
        return await main(Trace(base_url), params)
    import aiohttp

    async with aiohttp.ClientSession() as session:
        return await main(Trace(base_url, session), params)


def cli(main, route):
    """`python lesson.py [BASE_URL] [name=value ...]`: runs the lesson once and
    prints its report. Missing parameters take `route`'s declared defaults."""
    args = sys.argv[1:]
    base_url = "http://127.0.0.1:3000"
    if args and "=" not in args[0]:
        base_url = args.pop(0)
    params = declared_defaults(base_url, route)
    for arg in args:
        name, _, value = arg.partition("=")
        params[name] = parse_value(value)
    print(json.dumps(asyncio.run(run(main, base_url, params)), indent=2))


def parse_value(text):
    """`300` -> 300, `100,200` -> [100, 200], `true` -> True, else the text."""
    if text in ("true", "false"):
        return text == "true"
    parts = text.split(",")
    if all(part.strip().isdigit() for part in parts):
        numbers = [int(part) for part in parts]
        return numbers if "," in text else numbers[0]
    return text


def declared_defaults(base_url, route):
    """The defaults `route` declares, read from the app's /openapi.json."""
    from urllib.request import urlopen

    with urlopen(base_url.rstrip("/") + "/openapi.json") as answer:
        spec = json.load(answer)
    operation = spec["paths"][route]["get"]
    defaults = {}
    for parameter in operation.get("parameters", []):
        if "default" in parameter.get("schema", {}):
            default = parameter["schema"]["default"]
            defaults[parameter["name"]] = parse_value(default) if isinstance(default, str) else default
    return defaults


def ints(value):
    """A list parameter as a list: `300` (one given on the command line) -> [300]."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
