"""asyncio.create_task: the work is scheduled now, `await task` collects it later.

asyncio: `create_task` schedules each coroutine on the loop; they first run when
the creator awaits something that suspends, so they all overlap and the total is
the longest delay. Rust: `common::task::spawn(call)` returns a handle, awaited later, in
src/tour/05-tasks/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/05-tasks/lesson.py http://127.0.0.1:3000 delays=300,200,100
"""

import asyncio

import tour
from tour import UpstreamError


async def main(trace, params):
    delays = tour.ints(params["delays"])
    calls = tour.calls(params)  # fetch(delay) coroutines: nothing runs until awaited
    # region: idea
    tasks = [asyncio.create_task(call) for call in calls]  # scheduled, not yet running
    await asyncio.sleep(0.001)  # the creator awaits: meanwhile the new tasks start
    for task in tasks:
        try:
            await task  # it has been running all along
        except UpstreamError:
            pass
    # endregion: idea
    return trace.report("tasks", params, max(delays))


if __name__ == "__main__":
    tour.cli(main, "/demo/tasks")
