"""Awaiting coroutines one after another: the total is the sum of the delays.

asyncio: each `await fetch(url)` suspends `main` until that fetch is done, so the
next fetch has not even started. Rust: `for call in calls { call.await }`
in src/tour/04-sequential/src/lib.rs does the same.

Run: PYTHONPATH=src/common/python python src/tour/04-sequential/lesson.py http://127.0.0.1:3000 delays=300,200,100
"""

import tour
from tour import UpstreamError


async def main(trace, params):
    delays = tour.ints(params["delays"])
    calls = tour.calls(params)  # fetch(delay) coroutines: nothing runs until awaited
    # region: idea
    for call in calls:
        try:
            await call  # suspends main until this call is done
        except UpstreamError:
            pass  # the next call still runs
    # endregion: idea
    return trace.report("sequential", params, sum(delays))


if __name__ == "__main__":
    tour.cli(main, "/demo/sequential")
