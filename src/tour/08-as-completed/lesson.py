"""asyncio.as_completed: take each result the moment its call finishes.

asyncio: `as_completed` yields awaitables in completion order, so the fastest
call is handled first, long before the slowest is done; with a timeout, what is
left raises TimeoutError. Rust: a `FuturesUnordered` streamed as NDJSON lines, in
src/tour/08-as-completed/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/08-as-completed/lesson.py http://127.0.0.1:3000 delays=900,300,100
"""

import asyncio

import tour
from tour import UpstreamError


async def main(trace, params):
    delays = tour.ints(params["delays"])
    timeout_ms = params.get("timeout_ms")
    timeout = None if timeout_ms is None else timeout_ms / 1000
    calls = tour.calls(params)  # fetch(delay) coroutines: nothing runs until awaited
    tasks = [asyncio.create_task(call) for call in calls]
    # region: idea
    timed_out = False
    try:
        for next_done in asyncio.as_completed(tasks, timeout=timeout):
            try:
                await next_done  # the next call to finish, whichever it is
            except UpstreamError:
                pass  # a failed call: the next one is awaited all the same
    except asyncio.TimeoutError:
        timed_out = True  # the remaining calls are cancelled
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    # endregion: idea
    expected = max(delays) if timeout_ms is None else min(max(delays), timeout_ms)
    return trace.report("as-completed", params, expected, timed_out=timed_out,
                        completion_order=trace.completion_order(),
                        cancelled=trace.ids_with("cancelled"))


if __name__ == "__main__":
    tour.cli(main, "/demo/as-completed")
