"""The original service's /asynctasks: create_task for each fetch, then wait with a timeout.

aiohttp: the handler started one task per URL with `asyncio.create_task`, waited
with `asyncio.wait(tasks, timeout=5)`, cancelled what was still pending and
reported each result and the total time. `wait` raises nothing: failures stay in
their tasks, and the timeout only ends the wait. Rust: the same fetches (to the
app's own `/upstream`) in a `FuturesUnordered` under `task::timeout`; dropping it
cancels the rest, in src/service/asynctasks/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/service/asynctasks/lesson.py http://127.0.0.1:3000 delays=200,800,6000 timeout_ms=1000
"""

import asyncio

import tour


async def main(trace, params):
    delays = tour.ints(params["delays"])
    timeout_ms = params["timeout_ms"]
    calls = tour.calls(params)  # fetch(delay) coroutines: nothing runs until awaited
    # region: idea
    tasks = [asyncio.create_task(call) for call in calls]
    done, pending = await asyncio.wait(tasks, timeout=timeout_ms / 1000)
    for task in pending:
        task.cancel()  # a request: it lands at the task's next await
    await asyncio.gather(*pending, return_exceptions=True)  # wait until it has landed
    # endregion: idea
    ended = {tour.task_id(task) for task in done}
    done_ids = [id for id in trace.completion_order() if id in ended]  # in the order they ended
    for task in done:
        task.exception()  # each failure is in the report: mark it as seen, not lost
    total_time_ms = trace.now_ms()
    expected = min(max(delays), timeout_ms)
    return trace.report("asynctasks", params, expected, timed_out=bool(pending), done=done_ids,
                        cancelled=trace.ids_with("cancelled"), total_time_ms=total_time_ms)


if __name__ == "__main__":
    tour.cli(main, "/asynctasks")
