"""asyncio.wait_for: a race between the work and a timer.

asyncio: `await asyncio.wait_for(fetch(url), timeout=t)` returns the result if
the call finishes first; otherwise it cancels the call and raises TimeoutError.
Rust: `common::task::timeout` races the call against a timer; the loser is
dropped, which cancels it, in src/tour/09-timeout/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/09-timeout/lesson.py http://127.0.0.1:3000 delay_ms=2000 timeout_ms=300
"""

import asyncio

import tour
from tour import UpstreamError


async def main(trace, params):
    delay_ms, timeout_ms = params["delay_ms"], params["timeout_ms"]
    # region: idea
    try:
        result = await asyncio.wait_for(tour.fetch(delay_ms), timeout=timeout_ms / 1000)
        extra = {"outcome": "ok", "result": result}
    except asyncio.TimeoutError:  # the call was cancelled first: its request dropped
        extra = {"outcome": "timed_out"}
    except UpstreamError as error:
        extra = {"outcome": "error", "error": str(error)}
    # endregion: idea
    if extra["outcome"] == "timed_out":  # the call's record says cancelled: it was the timeout
        trace.finished(0, "timed_out", error=f"timed out after {timeout_ms} ms; the request was dropped")
    return trace.report("timeout", params, min(delay_ms, timeout_ms), **extra)


if __name__ == "__main__":
    tour.cli(main, "/demo/timeout")
