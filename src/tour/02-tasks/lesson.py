"""asyncio.create_task: the work starts now, `await task` collects it later.

asyncio: `create_task` schedules each coroutine on the loop; they start as soon as
the creator awaits something, so they all overlap and the total is the longest
delay. Rust: `common::task::spawn(call.run())` returns a handle, awaited later, in
src/tour/02-tasks/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/02-tasks/lesson.py http://127.0.0.1:3000 delays=300,200,100
"""

import asyncio

import tour


async def main(trace, params):
    delays = tour.ints(params["delays"])
    calls = trace.calls(params)
    # region: idea
    tasks = []
    for id, call in enumerate(calls):
        trace.event(id, "created")
        tasks.append(asyncio.create_task(call))  # scheduled, not yet running
    trace.note("the creator awaits a 1 ms sleep: meanwhile the new tasks start")
    await asyncio.sleep(0.001)
    for id, task in enumerate(tasks):
        trace.event(id, "awaited")
        try:
            await task  # it has been running all along
        except tour.UpstreamError:
            pass
    # endregion: idea
    return trace.report("tasks", params, max(delays))


if __name__ == "__main__":
    tour.cli(main, "/demo/tasks")
