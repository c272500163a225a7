"""gather against wait, on the same calls: a list or an error, against two sets.

asyncio: `await asyncio.gather(*tasks)` answers one list, in the order the tasks
were given, or raises the first exception as soon as it happens (the other tasks
run on). `done, pending = await asyncio.wait(tasks)` answers the tasks themselves,
in two sets with no order, and raises nothing: each exception stays in its task,
for `task.exception()`. Only wait can return early (`return_when`, `timeout`).
Rust: `try_join_all` and `join_all` over the tasks' handles, in
src/tour/12-gather-vs-wait/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/12-gather-vs-wait/lesson.py http://127.0.0.1:3000 delays=300,100,200 fail=1
"""

import asyncio

import tour
from tour import UpstreamError


async def main(trace, params):
    delays = tour.ints(params["delays"])
    failing = tour.ints(params.get("fail"))
    for_gather, for_wait = tour.calls(params), tour.calls(params)  # fetch coroutines, not yet run
    # region: idea
    tasks = [asyncio.create_task(call) for call in for_gather]
    try:
        gathered = await asyncio.gather(*tasks)  # one list, in the tasks' order
    except UpstreamError as error:
        gathered = error  # the first error raised; the other tasks run on
    tasks = [asyncio.create_task(call) for call in for_wait]
    done, pending = await asyncio.wait(tasks)  # two sets of tasks; nothing raised
    exceptions = {tasks.index(task): task.exception() for task in done}  # each stays in its task
    # endregion: idea
    first_failure = min((delays[i] for i in failing), default=max(delays))
    if isinstance(gathered, Exception):
        gather = {"returned": None, "raised": str(gathered)}
    else:
        gather = {"returned": [reply["delay_ms"] for reply in gathered], "raised": None}
    wait = {"done": sorted(tasks.index(task) for task in done), "pending": sorted(tasks.index(t) for t in pending),
            "exceptions": {str(i): str(exceptions[i]) for i in sorted(exceptions) if exceptions[i]}}
    return trace.report("gather-vs-wait", params, first_failure + max(delays), gather=gather, wait=wait)


if __name__ == "__main__":
    tour.cli(main, "/demo/gather-vs-wait")
