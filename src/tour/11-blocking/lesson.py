"""A blocking call inside a coroutine stalls the whole event loop.

asyncio: `time.sleep(d)` (like `requests.get(url)`) in a coroutine holds the loop's
one thread: no other task runs until it returns, so n blocking sleeps take n x d.
`await asyncio.sleep(d)` suspends only its task, so n of them overlap in about d.
Rust: `std::thread::sleep` against `task::sleep(..).await`, in
src/tour/11-blocking/src/lib.rs. Under Pyodide `time.sleep` blocks the JavaScript
thread the same way. asyncio's debug mode flags such steps too ("Executing <Task
...> took 0.200 seconds", over `loop.slow_callback_duration`).

Where it differs from the Rust on purpose, and why: src/common/python/differences.json
(the playground lists those under a Python run).

Run: PYTHONPATH=src/common/python python src/tour/11-blocking/lesson.py http://127.0.0.1:3000 n=3 delay_ms=200 mode=both
"""

import asyncio
import time

import tour


async def sleep_in_tasks(tasks, delay_ms, blocks):
    """Starts `tasks` tasks that each sleep `delay_ms`, blocking or not; waits for all.
    (Each task's steps are timed as it runs: how long it held the thread.)"""
    seconds = delay_ms / 1000
    call = f"time.sleep({seconds})" if blocks else f"await asyncio.sleep({seconds})"
    slept = "blocking" if blocks else "async"

    # region: idea
    async def sleeper():
        if blocks:
            time.sleep(seconds)  # holds the loop's one thread: nothing else runs
        else:
            await asyncio.sleep(seconds)  # suspends this task only
        return {"slept": slept}

    sleepers = [asyncio.create_task(sleeper(), name=f"task {n}: {call}") for n in range(tasks)]
    await asyncio.gather(*sleepers)
    # endregion: idea


async def main(trace, params):
    tasks, delay_ms, mode = params["n"], params["delay_ms"], params["mode"]
    runs = {}
    for blocks in {"blocking": [True], "async": [False]}.get(mode, [True, False]):
        started = trace.now_ms()
        await sleep_in_tasks(tasks, delay_ms, blocks)
        runs["blocking" if blocks else "async"] = {
            "elapsed_ms": tour.round_ms(trace.now_ms() - started),
            "expected_ms": tasks * delay_ms if blocks else delay_ms,
        }
    expected = sum(run["expected_ms"] for run in runs.values())
    return trace.report("blocking", params, expected, runs=runs)


if __name__ == "__main__":
    tour.cli(main, "/demo/blocking")
