"""A blocking call inside a coroutine stalls the whole loop.

asyncio: `time.sleep(d)` (or `requests.get(url)`) in a coroutine holds the loop's
one thread: no other task runs until it returns, so n blocking sleeps take
n x d. `await asyncio.sleep(d)` suspends only its task, so n of them overlap in d.
Rust: `std::thread::sleep` against `spin_sdk::time::sleep(..).await`, in
src/tour/11-blocking/src/lib.rs. asyncio's debug mode reports the same long steps
("Executing <Task ...> took 0.150 seconds", `loop.slow_callback_duration`).

Differences from the Rust: none in behaviour; each task's label names the Python
call (`time.sleep`) where the Rust names its own (`std::thread::sleep`).

Run: PYTHONPATH=src/common/python python src/tour/11-blocking/lesson.py http://127.0.0.1:3000 n=3 delay_ms=150 mode=both
"""

import asyncio
import time

import tour


async def sleep_in_tasks(trace, tasks, delay_ms, blocks):
    async def sleeper(id):
        trace.started(id)
        # region: idea
        if blocks:
            time.sleep(delay_ms / 1000)  # holds the loop's one thread
        else:
            await asyncio.sleep(delay_ms / 1000)  # suspends this task only
        # endregion: idea
        trace.finished(id, "ok", result={"slept": "blocking" if blocks else "async"})

    ids = []
    for n in range(tasks):
        how = f"time.sleep({delay_ms / 1000})" if blocks else f"await asyncio.sleep({delay_ms / 1000})"
        ids.append(trace.add_task(f"task {n}: {how}"))
    await asyncio.gather(*(trace.measure(id, sleeper(id)) for id in ids))


async def main(trace, params):
    tasks, delay_ms, mode = params["n"], params["delay_ms"], params["mode"]
    runs = {"blocking": [True], "async": [False]}.get(mode, [True, False])
    results = {}
    for blocks in runs:
        started = trace.now_ms()
        await sleep_in_tasks(trace, tasks, delay_ms, blocks)
        results["blocking" if blocks else "async"] = {
            "elapsed_ms": tour.round_ms(trace.now_ms() - started),
            "expected_ms": tasks * delay_ms if blocks else delay_ms}
    expected = sum(run["expected_ms"] for run in results.values())
    return trace.report("blocking", params, expected, runs=results)


if __name__ == "__main__":
    tour.cli(main, "/demo/blocking")
