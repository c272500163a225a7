"""asyncio.shield: the waiter gives up at the timeout, the work goes on.

asyncio: `await asyncio.wait_for(asyncio.shield(work), timeout=t)` raises
TimeoutError after `t`, but the cancel stops at the shield: the work keeps
running and can still be awaited. Without the shield, wait_for cancels the work.
Rust: the work is its own task; the waiter races a borrow of its handle against a
timer (and calls `cancel()` without the shield), in src/tour/11-shield/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/11-shield/lesson.py http://127.0.0.1:3000 delay_ms=600 timeout_ms=200 shield=true
"""

import asyncio

import tour


async def main(trace, params):
    delay_ms, timeout_ms = params["delay_ms"], params["timeout_ms"]
    shielded = params["shield"] in (True, "true", 1, "1")
    loop = asyncio.get_running_loop()
    gave_up_at = None
    # region: idea
    work = asyncio.create_task(tour.fetch(delay_ms))
    try:
        waited = asyncio.shield(work) if shielded else work  # unshielded: the timeout cancels it
        await asyncio.wait_for(waited, timeout=timeout_ms / 1000)
    except asyncio.TimeoutError:
        gave_up_at = loop.time()  # the waiter gives up here
        if shielded:
            await work  # the shielded work goes on: it ends at delay_ms
    # endregion: idea
    timed_out = gave_up_at is not None
    expected = timeout_ms if timed_out and not shielded else delay_ms
    return trace.report("shield", params, expected, timed_out=timed_out,
                        timeout_at_ms=trace.ms_at(gave_up_at) if timed_out else None,
                        work=trace.task(tour.task_id(work)))


if __name__ == "__main__":
    tour.cli(main, "/demo/shield")
