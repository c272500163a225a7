"""What every lesson.py shares: the Python twin of src/common.

A lesson's `lesson.py` is a complete asyncio program: it does what its Rust
component does, against the same app's `/upstream`, and answers the same JSON
contract (tasks with started/finished/outcome, events, elapsed), so the page can
draw both runs on one axis and the oracle test can compare them. Its idea is
plain asyncio; the recording is ambient, as tokio-console's or an asyncio task
factory's: nothing in the idea calls the recorder.

- `run(main, base_url, params)`: runs `main(trace, params)` with recording on:
  a task factory on the running loop gives every task created meanwhile
  (`create_task`, `gather`, `wait_for`...) a record: id in creation order, label
  (the task's `name=` if given, else `task {id}`), `parent` (the task that
  created it; None: the handler, the coroutine `run` itself runs in), what it
  `awaits`, and each step timed (its polls, in Rust's words: how long it held the
  loop's thread), its start, and its end (ok with its result, error, cancelled).
  The loop's `create_future` is watched too, for what a task awaits: a timer
  (`asyncio.sleep`, and how late the task woke), a future of the program's own
  (`loop.create_future()`, and which task set it), another task, a yield.
- `fetch(delay_ms, fails=False)`: the traced call: GET `/upstream?delay_ms=..`
  (status 500 when it `fails`), recorded when it first runs (the Rust
  `TracedCall`): as the task it runs in when that task is its own (created for it,
  or unnamed and fresh), else as a call of its own under the current task.
  `calls(params)` makes one per delay of `params["delays"]`, `params["fail"]` failing.
- `Trace`: the run's timeline: `tasks` (the records), `events`, `report(...)`
  (the JSON contract), and what lessons read after their idea:
  `completion_order()`, `ids_with(outcome)`, `task(id)`, `now_ms()`, `ms_at(t)`
  (a `loop.time()` on its clock), `most_steps_at_once`, `finished(...)` (to rename
  how a record ended: a cancel that was a timeout). `task_id(task)`: a task's record.
- `burn_for(ms)`: CPU-bound work, no await; `UpstreamError`: a failed fetch.
- `cli(main, route)`: `python lesson.py [BASE_URL] [name=value ...]` runs the
  lesson with CPython and aiohttp and prints its report; parameters not given
  take the route's defaults from the app's own `/openapi.json`.

Under Pyodide (CPython compiled to WebAssembly, in a browser or in Node) the
same programs run on the JavaScript event loop; `fetch` then goes through
`pyodide.http.pyfetch`, and the page (or the oracle test) calls `run(...)`.
"""

import asyncio
import contextlib
import contextvars
import json
import sys
import time
from urllib.parse import urlencode

#: A poll (a step of a coroutine) longer than this holds the loop: blocking code.
LONG_POLL_MS = 10.0
#: A task woken this much later than its timer's deadline: the thread was held.
LATE_MS = 20.0
#: At most this many warnings of one kind; the rest are summed up in one.
MAX_WARNINGS_EACH = 5
#: Busy segments closer than this are merged; at most this many are kept.
MERGE_GAP_MS = 0.5
MAX_SEGMENTS = 64
#: The status a failing task asks the upstream for (as the Rust demos do).
FAILING_STATUS = 500
#: What a cancelled task or call records (common::task, common::recorder).
CANCELLED_BEFORE_IT_RAN = "cancelled before it ever ran"
CANCELLED_AT_AN_AWAIT = "cancelled at its await"
CALL_CANCELLED = "cancelled before the upstream answered; the request was dropped"


def long_poll_warning(id, longest_ms):
    """The Rust words (common::trace::long_poll_warning), checked by tests/app/facts.rs."""
    return (f"long poll: task {id} held the thread for {longest_ms:.0f} ms in one poll "
            f"(over {LONG_POLL_MS:.0f} ms); blocking code: nothing else on this instance "
            f"ran for {longest_ms:.0f} ms")


def late_wake_warning(id, late_ms):
    """The Rust words (common::trace::late_wake_warning); `id` None: the handler."""
    who = "the request handler" if id is None else f"task {id}"
    return f"{who} woken {late_ms:.0f} ms late: the instance's thread was held"

IN_PYODIDE = sys.platform == "emscripten"
if IN_PYODIDE:  # imported now, not inside the first task's first poll
    from pyodide.http import pyfetch
    from pyodide.webloop import PyodideTask as _LoopTask  # what WebLoop.create_task makes
else:
    _LoopTask = asyncio.Task

#: The trace of the run under way (tasks inherit it with their context).
_current = contextvars.ContextVar("tour_trace", default=None)
#: True inside a traced fetch: the HTTP client's own tasks and futures are not the lesson's.
_in_fetch = contextvars.ContextVar("tour_in_fetch", default=False)
#: asyncio.sleep's code: a future it creates is a timer.
_SLEEP_CODE = asyncio.tasks.sleep.__code__


class UpstreamError(Exception):
    """The upstream answered an error status, or could not be reached."""


def burn_for(ms):
    """CPU-bound work: keeps the thread busy for `ms` without an await."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def round_ms(ms):
    return round(ms * 10) / 10


class _Polls:
    """One record's steps, and what the recorder knows of it besides its record."""

    __slots__ = ("polls", "busy_ms", "longest_ms", "segments", "depth", "named", "fetch", "children")

    def __init__(self):
        self.polls, self.busy_ms, self.longest_ms, self.segments = 0, 0.0, 0.0, []
        self.depth = 0  # measured steps under way (only the outermost counts)
        self.named = False  # the task was given a name: its label
        self.fetch = False  # the task was created for a fetch, which has not run yet
        self.children = 0  # records created under it


class Trace:
    """One run's timeline, made by `run`. `tasks`: a record per task (and per call
    recorded as its own), in creation order: id, label, parent, awaits, started_ms,
    finished_ms, outcome, result, error, late_ms and, kept for the lessons but not
    reported, created_ms and cancel_called_ms (its first `cancel()`). `events`: what
    happened to them, in order. Each record's steps are timed besides (`task(id)`)."""

    def __init__(self, base_url, session=None, lesson=None):
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._lesson = lesson  # the module whose loop.create_future() calls are its own futures
        self._t0 = time.perf_counter()
        try:
            self._loop_t0 = asyncio.get_running_loop().time()
            self._handler = asyncio.current_task()  # the coroutine run() runs in
        except RuntimeError:
            self._loop_t0 = self._handler = None
        self._handler_awaits = []
        #: How late the handler was woken by its timers, at worst, in ms.
        self.handler_late_ms = 0.0
        self.tasks = []
        self.events = []
        self._polls = []
        self._timers = {}  # asyncio.sleep's futures -> (ms, due_ms)
        self._futures = {}  # the program's own futures -> the awaits entries naming them
        self._unset = []  # those not done yet
        self._running = 0
        #: The most task steps ever under way at once (on one thread: 1).
        self.most_steps_at_once = 0
        #: Every step of a task, in the order they started: the replay's events.
        self.steps = []
        #: The file of the lesson's program: a step's line is its line there.
        self.lesson_file = None

    def now_ms(self):
        return round_ms((time.perf_counter() - self._t0) * 1000)

    def ms_at(self, loop_time):
        """A `loop.time()` reading on this trace's clock, in ms."""
        return round_ms((loop_time - self._loop_t0) * 1000)

    # -- records ----------------------------------------------------------------

    def _add(self, label, parent):
        id = len(self.tasks)
        self.tasks.append({
            "id": id, "label": label, "parent": parent, "awaits": [],
            "started_ms": None, "finished_ms": None, "outcome": "pending",
            "result": None, "error": None, "late_ms": 0.0,
            # Kept for the lessons, not reported:
            "created_ms": self.now_ms(), "cancel_called_ms": None,
        })
        self._polls.append(_Polls())
        if parent is not None:
            self._polls[parent].children += 1
        return id

    def _current_id(self):
        """The record of the task running now; None: the handler (or no task of ours)."""
        trace, id = getattr(_current_task(), "_tour", (None, None))
        return id if trace is self else None

    def _awaits(self, id, entry, line=None):
        """Records that `id` awaits `entry` (once), at `line` of the lesson when
        known; returns the entry kept."""
        awaits = self.tasks[id]["awaits"]
        for kept in awaits:
            if {k: v for k, v in kept.items() if k != "at"} == entry:
                return kept
        if line is not None:
            entry["at"] = {"file": "lesson.py", "line": line}
        awaits.append(entry)
        return entry

    def _line_of(self, coro):
        """The line of the lesson a suspended coroutine chain waits at: the
        innermost of its frames in the lesson's file (None outside it)."""
        line = None
        while coro is not None:
            frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
            if frame is None:
                break
            if frame.f_code.co_filename == self.lesson_file:
                line = frame.f_lineno
            coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
        return line

    def _step_ran(self, id, start_ms, end_ms, ready_ms, line):
        """Logs one step of task `id` for the replay (the Rust report's `steps`)."""
        step = {"task": id, "from_ms": round_ms(start_ms), "to_ms": round_ms(end_ms)}
        if ready_ms is not None:
            step["ready_ms"] = round_ms(min(ready_ms, start_ms))
        if line is not None:
            step["at"] = {"file": "lesson.py", "line": line}
        self.steps.append(step)

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
        """Ids of the records that finished (ok or error), in the order they finished."""
        return [e["task"] for e in self.events if e["what"] == "finished"]

    def ids_with(self, outcome):
        return [t["id"] for t in self.tasks if t["outcome"] == outcome]

    # -- what the task factory, the steps and the watched loop tell it ------------

    def _task_created(self, coro, name):
        parent = self._current_id()
        id = self._add(f"task {len(self.tasks)}", parent)
        path = _fetch_path_of(coro)
        if path is not None:  # a task made for a call: the call's record, from now
            self.tasks[id]["label"] = "GET " + path
            self._awaits(id, {"kind": "http", "request": "GET " + path})
            self._polls[id].fetch = True
        if name is not None:
            self._named(id, name)
        return id

    def _named(self, id, name):
        self._polls[id].named = True
        self.tasks[id]["label"] = str(name)

    def _cancel_called(self, id, accepted, task):
        record = self.tasks[id]
        if record["cancel_called_ms"] is None:
            record["cancel_called_ms"] = self.now_ms()
        if not accepted:
            return
        self.event(id, "cancel requested")
        if record["started_ms"] is None and record["finished_ms"] is None:
            # Its coroutine will never run: CancelledError is its first step.
            self.finished(id, "cancelled", error=CANCELLED_BEFORE_IT_RAN)
            with contextlib.suppress(Exception):
                task._tour_coro.close()  # not "never awaited": it was cancelled

    def _ended(self, id, outcome, result=None, error=None):
        """The task's coroutine ended; a call recorded in its record has said how already."""
        if self.tasks[id]["finished_ms"] is not None:
            return
        polls = self._polls[id]
        if outcome != "cancelled" and polls.polls == 1 and not self.tasks[id]["awaits"]:
            self._awaits(id, {"kind": "nothing", "why": "it never suspended: one step, start to end"})
        self.finished(id, outcome, result=_json_safe(result), error=error)

    def _awaited(self, id, yielded, line=None):
        """What task `id` yielded to the loop at the end of a step (at `line` of the
        lesson): what it awaits. Returns the due time of a timer it now waits on."""
        if _in_fetch.get():
            return None  # the HTTP client's own waits: the record says http already
        if yielded is None:
            self._awaits(id, {"kind": "yield"}, line)
            return None
        try:
            timer = self._timers.pop(yielded, None)
            own = self._futures.get(yielded)
        except TypeError:
            return None
        if timer is not None:
            ms, due_ms = timer
            self._awaits(id, {"kind": "timer", "ms": ms}, line)
            return yielded, due_ms
        if own is not None:
            own.append(self._awaits(id, {"kind": "future", "name": "fut", "set_by": None}, line))
            return None
        for child_id in self._children_of(yielded):  # a task, or gather's children
            self._awaits(id, {"kind": "task", "task": child_id}, line)
        return None

    def _children_of(self, yielded):
        """The records of the tasks a yielded future is (a task) or waits for
        (gather's children)."""
        awaited = [yielded] if isinstance(yielded, _Task) else getattr(yielded, "_children", None) or []
        ids = []
        for child in awaited:
            trace, child_id = getattr(child, "_tour", (None, None))
            if trace is self:
                ids.append(child_id)
        return ids

    def _ready_after(self, yielded, timer):
        """When what a task waited on was done, where the recorder knows: a timer's
        deadline, the end of the tasks it awaited. None: at the step's start."""
        if timer is not None:
            return timer[1]
        try:
            ends = [self.tasks[child]["finished_ms"] for child in self._children_of(yielded)]
        except TypeError:
            return None
        return max(ends) if ends and None not in ends else None

    def _timer(self, future, delay):
        ms = round(float(delay) * 1000, 3)
        ms, due_ms = (int(ms) if ms.is_integer() else ms), self.now_ms() + ms
        if self._current_id() is not None:
            self._timers[future] = (ms, due_ms)  # the task's step says when it woke
        elif _current_task() is self._handler:
            # The handler has no steps of ours: it wakes right after this callback,
            # which runs before the wake-up it adds when it awaits the future.
            entry = {"kind": "timer", "ms": ms}
            if entry not in self._handler_awaits:
                self._handler_awaits.append(entry)
            future.add_done_callback(lambda done: self._handler_woke(done, due_ms))

    def _handler_woke(self, future, due_ms):
        if not future.cancelled():
            late = round_ms(max((time.perf_counter() - self._t0) * 1000 - due_ms, 0.0))
            self.handler_late_ms = max(self.handler_late_ms, late)

    def _future(self, future):
        self._futures[future] = []
        self._unset.append(future)

    def _settle(self, setter):
        """Futures of the program's own that are done now were set by `setter`."""
        for future in [f for f in self._unset if f.done()]:
            self._unset.remove(future)
            by = None if future.cancelled() else setter
            for entry in self._futures[future]:
                entry["set_by"] = by

    def _woke(self, id, timer):
        """Task `id` runs again after waiting on `timer`: how late, past its deadline."""
        future, due_ms = timer
        if future.done() and not future.cancelled():
            late = round_ms(max((time.perf_counter() - self._t0) * 1000 - due_ms, 0.0))
            record = self.tasks[id]
            record["late_ms"] = max(record["late_ms"], late)

    def _ran(self, task, start_ms, end_ms):
        stats = self._polls[task]
        took = max(end_ms - start_ms, 0.0)
        stats.polls += 1
        stats.busy_ms += took
        stats.longest_ms = max(stats.longest_ms, took)
        segments = stats.segments
        if segments and (len(segments) >= MAX_SEGMENTS or start_ms - segments[-1][1] < MERGE_GAP_MS):
            segments[-1][1] = end_ms
        else:
            segments.append([start_ms, end_ms])

    # -- the upstream call -------------------------------------------------------

    def _claim(self, path):
        """The record a fetch of `path` is: the current task's when that task is the
        call's own (created for it, or unnamed, awaiting nothing yet, with no
        records under it), else a new one under the current task."""
        label = "GET " + path
        id = self._current_id()
        if id is not None:
            polls, record = self._polls[id], self.tasks[id]
            if polls.fetch or not (polls.named or record["awaits"] or polls.children):
                polls.fetch = False
                if not polls.named:
                    record["label"] = label
                self._awaits(id, {"kind": "http", "request": label})
                return id
        call = self._add(label, id)
        self._awaits(call, {"kind": "http", "request": label})
        return call

    async def _call(self, task, path_and_query):
        self.started(task)
        try:
            status, body = await fetch_json(self, self.base_url + path_and_query)
        except asyncio.CancelledError:
            self.finished(task, "cancelled",
                          error=CALL_CANCELLED)
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

    def task(self, id, now=None):
        """Record `id` as the report shows it, with its polls so far."""
        record, polls = self.tasks[id], self._polls[id]
        now = self.now_ms() if now is None else now
        waiting = None
        if record["started_ms"] is not None:
            end = record["finished_ms"] if record["finished_ms"] is not None else now
            waiting = round_ms(max(end - record["started_ms"] - polls.busy_ms, 0.0))
        return {
            "id": id, "label": record["label"], "parent": record["parent"],
            "awaits": [dict(entry) for entry in record["awaits"]],
            "started_ms": record["started_ms"], "finished_ms": record["finished_ms"],
            "outcome": record["outcome"], "result": record["result"], "error": record["error"],
            "polls": polls.polls, "busy_ms": round_ms(polls.busy_ms), "waiting_ms": waiting,
            "longest_poll_ms": round_ms(polls.longest_ms),
            "busy": [[round_ms(a), round_ms(b)] for a, b in polls.segments],
            "late_ms": record["late_ms"],
        }

    def tree(self, parent=None):
        """The await tree: the handler, the tasks under it, what each awaits."""
        children = [{"task": t["id"], "label": t["label"], "awaits": [dict(a) for a in t["awaits"]],
                     "children": self.tree(t["id"])["children"]}
                    for t in self.tasks if t["parent"] == parent]
        awaits = [dict(a) for a in self._handler_awaits] if parent is None else []
        return {"task": None, "label": "request handler", "awaits": awaits, "children": children}

    def warnings(self):
        """A warning per task that held the thread in one poll over LONG_POLL_MS
        (blocking code), and per task (or the handler) woken over LATE_MS late; at
        most MAX_WARNINGS_EACH of each kind, the rest summed up: the Rust words."""
        long = [(id, p.longest_ms) for id, p in enumerate(self._polls) if p.longest_ms > LONG_POLL_MS]
        late = [(id, t["late_ms"]) for id, t in enumerate(self.tasks) if t["late_ms"] > LATE_MS]
        if self.handler_late_ms > LATE_MS:
            late.insert(0, (None, self.handler_late_ms))
        warnings = [long_poll_warning(id, longest) for id, longest in long[:MAX_WARNINGS_EACH]]
        if len(long) > MAX_WARNINGS_EACH:
            warnings.append(_more(long[MAX_WARNINGS_EACH:], "held the thread"))
        warnings += [late_wake_warning(id, ms) for id, ms in late[:MAX_WARNINGS_EACH]]
        if len(late) > MAX_WARNINGS_EACH:
            warnings.append(_more(late[MAX_WARNINGS_EACH:], "were woken late"))
        return warnings

    def report(self, demo, params, expected_ms, **extra):
        now = self.now_ms()
        tasks = [self.task(id, now) for id in range(len(self.tasks))]
        warnings = self.warnings()
        # A copy: tasks left running (gather's siblings) must not add to it later.
        return {"demo": demo, "runtime": "python " + sys.version.split()[0],
                "params": params, "elapsed_ms": now, "expected_ms": expected_ms,
                "tasks": tasks, "events": [dict(e) for e in self.events], "tree": self.tree(),
                "steps": [dict(step) for step in self.steps],
                "warnings": warnings, "long_poll_ms": LONG_POLL_MS, **extra}


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def task_id(task):
    """The record id of `task` (an asyncio task made during a run), else None."""
    return getattr(task, "_tour", (None, None))[1]


# -- the traced call -------------------------------------------------------------

def _upstream_path(delay_ms, fails):
    query = {"delay_ms": delay_ms}
    if fails:
        query["status"] = FAILING_STATUS
    return "/upstream?" + urlencode(query)


async def fetch(delay_ms, fails=False):
    """GETs `/upstream?delay_ms=...` (status 500 when it `fails`): the upstream's
    answer (`delay_ms`, `slept_ms`, `status`, `upstream_instance`), or UpstreamError.
    Recorded when it first runs (see `Trace._claim`): started, its answer, its
    error, or that it was cancelled (the request dropped)."""
    trace = _current.get()
    if trace is None:
        raise RuntimeError("tour.fetch runs under tour.run")
    path = _upstream_path(delay_ms, fails)
    id = trace._claim(path)
    inside = _in_fetch.set(True)
    try:
        return await _Steps(trace, id, trace._call(id, path + "&" + urlencode({"id": id})))
    finally:
        with contextlib.suppress(ValueError):  # closed from another context: nothing to undo
            _in_fetch.reset(inside)


def _fetch_path_of(coro):
    """The upstream path of `coro` when it is a `fetch(...)` not started yet."""
    if getattr(coro, "cr_code", None) is not fetch.__code__:
        return None
    try:
        local = coro.cr_frame.f_locals
        return _upstream_path(local["delay_ms"], local["fails"])
    except Exception:  # started already, or a frame without its arguments
        return None


def calls(params):
    """One `fetch` per delay in `params["delays"]`, those at the ids in `params["fail"]`
    failing: the Rust `CallPlan::declare`. Coroutines: nothing runs, nor is recorded,
    until they are awaited or made tasks."""
    failing = set(ints(params.get("fail")))
    return [fetch(delay, fails=i in failing) for i, delay in enumerate(ints(params["delays"]))]


# -- recording: the task factory, the steps, the watched loop ------------------------

class _Task(_LoopTask):
    """A task made during a run: it knows its record (`_tour`: trace and id)."""

    def set_name(self, value):
        if value is None:  # some loops pass the name they were given, None included
            return
        super().set_name(value)
        trace, id = self._tour
        trace._named(id, value)

    def cancel(self, msg=None):
        accepted = super().cancel(msg)
        trace, id = self._tour
        trace._cancel_called(id, accepted, self)
        return accepted


def _runtime_own(coro):
    """A task the runtime makes, not the program: in a browser, Pyodide runs a
    blocking `time.sleep` as an `asyncio.sleep` task of its own (stack-switched),
    so there a bare `asyncio.sleep` coroutine made into a task is its plumbing."""
    return IN_PYODIDE and getattr(coro, "cr_code", None) is _SLEEP_CODE


def _task_factory(loop, coro, **kwargs):
    """The loop's task factory during a run: each task of the run gets its record."""
    trace = _current.get()
    if trace is None or _in_fetch.get() or not asyncio.iscoroutine(coro) or _runtime_own(coro):
        previous = _installed.get(loop, (0, None))[1]
        if previous is not None:
            return previous(loop, coro, **kwargs)
        return _LoopTask(coro, loop=loop, **kwargs)
    id = trace._task_created(coro, kwargs.get("name"))
    task = _Task.__new__(_Task)
    task._tour, task._tour_coro = (trace, id), coro
    task.__init__(_steps_of(_Steps(trace, id, coro, task=True)), loop=loop, **kwargs)
    return task


async def _steps_of(steps):
    return await steps


class _Steps:
    """An awaitable that drives `coro` step by step and times each step under record
    `id`; for a task (`task=True`) it also records its start, what it awaits at the
    end of each step, and how it ended."""

    def __init__(self, trace, id, coro, task=False):
        self._trace, self._id, self._coro, self._task = trace, id, coro, task

    def _step(self, steps, send, error, timer, ready_ms=None):
        """One step of the coroutine, timed unless an outer wrapper of the same record
        is timing it already; a task's step is logged, woken at `ready_ms`."""
        trace, id = self._trace, self._id
        if id is None:
            return self._handler_step(steps, send, error, ready_ms)
        polls = trace._polls[id]
        outermost = polls.depth == 0
        polls.depth += 1
        start = trace.now_ms()
        if self._task:
            trace._running += 1
            trace.most_steps_at_once = max(trace.most_steps_at_once, trace._running)
            trace._settle(None)  # set meanwhile: by the handler or a callback
            if timer is not None:
                trace._woke(id, timer)
        suspended = False
        try:
            yielded = steps.throw(error) if error is not None else steps.send(send)
            suspended = True
            return yielded
        finally:
            polls.depth -= 1
            if outermost:
                end = trace.now_ms()
                trace._ran(id, start, end)
                if self._task:
                    line = trace._line_of(self._coro) if suspended else None
                    trace._step_ran(id, start, end, ready_ms, line)
            if self._task:
                trace._running -= 1
                trace._settle(id)

    def _handler_step(self, steps, send, error, ready_ms):
        """One step of the handler (the program's `main`): logged for the replay,
        with the line it stopped at, but no record's: the handler has none."""
        trace, start, line = self._trace, self._trace.now_ms(), None
        try:
            yielded = steps.throw(error) if error is not None else steps.send(send)
            line = trace._line_of(self._coro)
            return yielded
        finally:
            trace._step_ran(None, start, trace.now_ms(), ready_ms, line)

    def __await__(self):
        trace, id, task = self._trace, self._id, self._task
        if task:
            trace.started(id)
        steps = self._coro.__await__()
        send, error, timer = None, None, None
        ready = trace.tasks[id]["created_ms"] if task else None  # ready from its creation
        while True:
            try:
                yielded = self._step(steps, send, error, timer, ready)
            except StopIteration as done:
                if task:
                    trace._ended(id, "ok", result=done.value)
                return done.value
            except GeneratorExit:
                raise
            except asyncio.CancelledError:
                if task:
                    trace._ended(id, "cancelled", error=CANCELLED_AT_AN_AWAIT)
                raise
            except BaseException as failure:
                if task:
                    trace._ended(id, "error", error=str(failure) or type(failure).__name__)
                raise
            timer = trace._awaited(id, yielded, trace._line_of(self._coro)) if task else None
            try:
                send, error = (yield yielded), None
            except BaseException as thrown:  # a cancel, delivered at this await
                send, error = None, thrown
            ready = trace._ready_after(yielded, timer) if task or id is None else None


def _watched(create_future):
    """The loop's create_future, noting the futures a task will await: a timer of
    asyncio.sleep, or a future the program creates itself."""

    def watched_create_future():
        trace = _current.get()
        if trace is None or _in_fetch.get():
            return create_future()
        caller = sys._getframe(1)
        if caller.f_globals.get("__name__") == trace._lesson:
            # The program's own: one that reports the done callbacks it is given.
            future = _OwnFuture(loop=create_future.__self__)
            trace._future(future)
            return future
        future = create_future()
        if caller.f_code is _SLEEP_CODE:
            trace._timer(future, caller.f_locals.get("delay", 0))
        return future

    return watched_create_future


def _watched_call_soon(call_soon):
    """The loop's call_soon, for a callback the program itself schedules (defined in
    its module): it leaves an event when the loop runs it (the Rust
    `task::call_soon`). asyncio's own (a task's next step) are passed on as they are."""

    def watched_call_soon(callback, *args, **kwargs):
        trace = _current.get()
        if trace is not None and getattr(callback, "__module__", None) == trace._lesson:
            def ran(*args, callback=callback):
                trace.note("call_soon callback ran")
                return callback(*args)
            return call_soon(ran, *args, **kwargs)
        return call_soon(callback, *args, **kwargs)

    return watched_call_soon


class _OwnFuture(asyncio.Future):
    """A future the program made itself (`loop.create_future()`): a done callback
    the program adds leaves an event when the loop runs it (the Rust
    `SetOnce::add_done_callback`). asyncio's own callbacks (a task waking) do not."""

    def add_done_callback(self, fn, *, context=None):
        trace = _current.get()
        if trace is not None and getattr(fn, "__module__", None) == trace._lesson:
            def ran(future, fn=fn):
                trace.note("done callback of fut ran")
                return fn(future)
            return super().add_done_callback(ran, context=context)
        return super().add_done_callback(fn, context=context)


#: Loops recording now: loop -> [runs under way, previous factory, own create_future].
_installed = {}


def _set_task_name(task, name):
    """asyncio's helper of 3.12 and before, which Pyodide's WebLoop.create_task still
    calls when a task factory is set (gone from asyncio 3.13+: AttributeError)."""
    if name is not None:
        task.set_name(name)


@contextlib.contextmanager
def _recording(trace):
    """Recording on for the code run inside, on the running loop."""
    loop = asyncio.get_running_loop()
    entry = _installed.get(loop)
    if entry is None:
        if not hasattr(asyncio.tasks, "_set_task_name"):
            asyncio.tasks._set_task_name = _set_task_name
        own = getattr(loop, "__dict__", {})
        entry = _installed[loop] = [0, loop.get_task_factory(), own.get("create_future"), own.get("call_soon")]
        loop.set_task_factory(_task_factory)
        with contextlib.suppress(AttributeError):
            loop.create_future = _watched(loop.create_future)
            loop.call_soon = _watched_call_soon(loop.call_soon)
    entry[0] += 1
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)
        entry[0] -= 1
        if entry[0] == 0:
            del _installed[loop]
            loop.set_task_factory(entry[1])
            with contextlib.suppress(AttributeError):
                for name, own in (("create_future", entry[2]), ("call_soon", entry[3])):
                    if own is None:
                        delattr(loop, name)
                    else:
                        setattr(loop, name, own)


def _more(rest, what):
    worst = max(ms for _, ms in rest)
    return f"and {len(rest)} more tasks {what} (up to {worst:.0f} ms)"


def _json_safe(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


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
    """Runs one lesson's `main(trace, params)` with recording on: what the page and
    the oracle call."""
    lesson = getattr(main, "__module__", None)
    if IN_PYODIDE:
        trace = Trace(base_url, lesson=lesson)
        trace.lesson_file = main.__code__.co_filename
        with _recording(trace):
            return await _Steps(trace, None, main(trace, params))
    import aiohttp

    async with aiohttp.ClientSession() as session:
        trace = Trace(base_url, session, lesson=lesson)
        trace.lesson_file = main.__code__.co_filename
        with _recording(trace):
            return await _Steps(trace, None, main(trace, params))


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
