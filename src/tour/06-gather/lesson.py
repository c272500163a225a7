"""asyncio.gather: run every call at once, results in the order given.

asyncio: `gather` wraps each coroutine in a task and waits for all of them. With
`return_exceptions=True` a failure takes its place among the results; without
it, the first failure is raised at once. Rust: `join_all` / `try_join_all` in
src/tour/06-gather/src/lib.rs.

Where it differs from the Rust on purpose, and why: src/common/python/differences.json
(the playground lists those under a Python run).

Run: PYTHONPATH=src/common/python python src/tour/06-gather/lesson.py http://127.0.0.1:3000 delays=900,500,50 fail=1
"""

import asyncio

import tour
from tour import UpstreamError


def summary(result):
    return {"error": str(result)} if isinstance(result, Exception) else result


async def main(trace, params):
    delays = tour.ints(params["delays"])
    fail = set(tour.ints(params.get("fail")))
    calls = tour.calls(params)  # fetch(delay) coroutines: nothing runs until awaited
    # region: idea
    error = None
    if params.get("return_exceptions"):
        results = await asyncio.gather(*calls, return_exceptions=True)  # failures in place
    else:
        try:
            results = await asyncio.gather(*calls)  # the first error is raised here
        except UpstreamError as raised:
            error = raised  # the other calls run on: gather does not cancel them
    # endregion: idea
    if error is None:
        extra = {"outcome": "ok", "results": [summary(r) for r in results]}
        expected = max(delays)
    else:
        # The first failure gather saw: the first call to end with an error.
        failed = next(id for id in trace.completion_order() if trace.tasks[id]["outcome"] == "error")
        extra = {"outcome": "error", "error": {"task": failed, "message": str(error)},
                 "cancelled": trace.ids_with("cancelled")}  # none: the others run on
        expected = min(delays[i] for i in fail)
    report = trace.report("gather", params, expected, **extra)
    report["completion_order"] = trace.completion_order()
    return report


if __name__ == "__main__":
    tour.cli(main, "/demo/gather")
