"""asyncio.wait: return when a condition holds (or a timeout passes), then cancel.

asyncio: `done, pending = await asyncio.wait(tasks, timeout=t, return_when=...)`
returns as soon as the first task completes, the first one fails, or all are
done; the pending tasks keep running until they are cancelled, as the original
`/asynctasks` meant to. Rust: a `FuturesUnordered` stopped by the condition or a
timer, then dropped, in src/tour/07-wait/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/07-wait/lesson.py http://127.0.0.1:3000 delays=300,100,200 return_when=first_completed
"""

import asyncio

import tour

RETURN_WHEN = {"first_completed": asyncio.FIRST_COMPLETED,
               "first_exception": asyncio.FIRST_EXCEPTION,
               "all_completed": asyncio.ALL_COMPLETED}


async def main(trace, params):
    delays = tour.ints(params["delays"])
    fail = set(tour.ints(params.get("fail")))
    timeout_ms = params.get("timeout_ms")
    calls = tour.calls(params)  # fetch(delay) coroutines: nothing runs until awaited
    timeout = None if timeout_ms is None else timeout_ms / 1000
    # region: idea
    tasks = [asyncio.create_task(call) for call in calls]
    done, pending = await asyncio.wait(tasks, timeout=timeout,
                                       return_when=RETURN_WHEN[params["return_when"]])
    for task in pending:
        task.cancel()  # CancelledError at the task's await
    await asyncio.gather(*pending, return_exceptions=True)  # let the cancels land
    # endregion: idea
    timed_out = timeout_ms is not None and not done_enough(done, tasks, params["return_when"])
    ended = {tour.task_id(task) for task in done}
    done_ids = [id for id in trace.completion_order() if id in ended]  # in the order they ended
    pending_ids = sorted(tour.task_id(task) for task in pending)
    for task in done:
        task.exception()  # each failure is in the report: mark it as seen, not lost
    expected = {"first_completed": min(delays),
                "first_exception": min((delays[i] for i in fail), default=max(delays)),
                "all_completed": max(delays)}[params["return_when"]]
    if timeout_ms is not None:
        expected = min(expected, timeout_ms)
    return trace.report("wait", params, expected, timed_out=timed_out, done=done_ids,
                        pending=pending_ids, cancelled=trace.ids_with("cancelled"))


def done_enough(done, tasks, return_when):
    """Whether wait returned because its condition held (not because of the timeout)."""
    if return_when == "first_completed":
        return bool(done)
    failed = [task for task in done if task.exception() is not None]
    if return_when == "first_exception" and failed:
        return True
    return len(done) == len(tasks)


if __name__ == "__main__":
    tour.cli(main, "/demo/wait")
