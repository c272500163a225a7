"""A coroutine object runs nothing until it is awaited; a task runs on its own.

asyncio: calling `fetch(delay)` makes a coroutine object and sends no request.
`await coroutine` runs it in the awaiting task; `asyncio.create_task(coroutine)`
(or `ensure_future`, which makes a task of a coroutine and hands back a task or
future it is given as it is) schedules it to start at the creator's next await,
whether or not anyone awaits the task. A coroutine never awaited never runs.
Rust: a `Fetch` future, `task::spawn`, and one dropped, in
src/tour/01-coroutine/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/01-coroutine/lesson.py http://127.0.0.1:3000 delay_ms=200 pause_ms=300
"""

import asyncio

import tour


async def main(trace, params):
    delay_ms, pause_ms = params["delay_ms"], params["pause_ms"]
    # region: idea
    coroutine = tour.fetch(delay_ms)  # a coroutine object: nothing is sent yet
    task = asyncio.create_task(tour.fetch(delay_ms))  # a task: it starts at our next await
    never_awaited = tour.fetch(delay_ms)
    never_awaited.close()  # never run, so never sent (unclosed: "was never awaited")
    await asyncio.sleep(pause_ms / 1000)  # the task runs meanwhile; the coroutine does not
    done_unawaited = task.done()  # it ran without an await
    await task  # awaiting it collects the answer
    await coroutine  # only now does its request go out
    # endregion: idea
    coroutine_sent = trace.tasks[1]["started_ms"]
    return trace.report("coroutine", params, pause_ms + delay_ms, requests_sent=len(trace.tasks),
                        task_done_before_it_was_awaited=done_unawaited,
                        coroutine_ran_only_when_awaited=coroutine_sent >= pause_ms)


if __name__ == "__main__":
    tour.cli(main, "/demo/coroutine")
