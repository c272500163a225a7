"""A blocking call inside a coroutine stalls the whole event loop; moved off it, it does not.

asyncio: `time.sleep(d)` (like `requests.get(url)`) in a coroutine holds the loop's
one thread: no other task runs until it returns, so n blocking sleeps take n x d.
`await asyncio.sleep(d)` suspends only its task, so n of them overlap in about d.
A blocking call that cannot be rewritten moves to another thread:
`await asyncio.to_thread(time.sleep, d)` runs it in the default thread pool while
the task awaits, so n of them overlap too.
Rust: `std::thread::sleep` against `task::sleep(..).await`, and the blocking sleep
sent to another instance (the WASI 0.2 worker), in src/tour/15-blocking/src/lib.rs.
Under Pyodide `time.sleep` blocks the JavaScript thread the same way, and, with
no threads, `to_thread` runs its call at once on the loop's own thread. asyncio's
debug mode flags such steps too ("Executing <Task ...> took 0.200 seconds", over
`loop.slow_callback_duration`).

Where it differs from the Rust on purpose, and why: src/common/python/differences.json
(the playground lists those under a Python run).

Run: PYTHONPATH=src/common/python python src/tour/15-blocking/lesson.py http://127.0.0.1:3000 n=3 delay_ms=200 mode=both
"""

import asyncio
import time

import tour

#: How each run's tasks sleep, and the call each task's label shows.
CALLS = {"blocking": "time.sleep({})", "offload": "await asyncio.to_thread(time.sleep, {})",
         "async": "await asyncio.sleep({})"}


async def sleep_in_tasks(tasks, delay_ms, how):
    """Starts `tasks` tasks that each sleep `delay_ms` as `how` says; waits for all.
    (Each task's steps are timed as it runs: how long it held the thread.)"""
    seconds = delay_ms / 1000
    call = CALLS[how].format(seconds)

    # region: idea
    async def sleeper():
        if how == "blocking":
            time.sleep(seconds)  # holds the loop's one thread: nothing else runs
        elif how == "offload":
            await asyncio.to_thread(time.sleep, seconds)  # another thread blocks; this task awaits
        else:
            await asyncio.sleep(seconds)  # suspends this task only
        return {"slept": how}

    sleepers = [asyncio.create_task(sleeper(), name=f"task {n}: {call}") for n in range(tasks)]
    await asyncio.gather(*sleepers)
    # endregion: idea


async def main(trace, params):
    tasks, delay_ms, mode = params["n"], params["delay_ms"], params["mode"]
    runs = {}
    for how in {"blocking": ["blocking"], "offload": ["offload"], "async": ["async"]}.get(mode, ["blocking", "async"]):
        started = trace.now_ms()
        await sleep_in_tasks(tasks, delay_ms, how)
        runs[how] = {
            "elapsed_ms": tour.round_ms(trace.now_ms() - started),
            "expected_ms": tasks * delay_ms if how == "blocking" else delay_ms,
        }
    expected = sum(run["expected_ms"] for run in runs.values())
    return trace.report("blocking", params, expected, runs=runs)


if __name__ == "__main__":
    tour.cli(main, "/demo/blocking")
