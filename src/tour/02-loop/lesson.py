"""The event loop itself, and a callback scheduled on it with call_soon.

asyncio: `asyncio.run(main())` makes a loop, runs `main` on it, then cancels the
tasks still pending, shuts down async generators and the default executor, and
closes the loop. Inside, `asyncio.get_running_loop()` is that loop.
`loop.call_soon(callback)` only queues the callback: it runs at the loop's next
turn, behind the tasks already ready. Rust: Spin's host makes the loop (an
executor per instance) and keeps it for the next requests; `task::call_soon`, in
src/tour/02-loop/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/02-loop/lesson.py http://127.0.0.1:3000 delay_ms=100
"""

import asyncio

import tour


async def main(trace, params):
    delay_ms = params["delay_ms"]
    # region: idea
    loop = asyncio.get_running_loop()  # the loop this coroutine runs on
    task = asyncio.create_task(tour.fetch(delay_ms))  # ready: its first step is queued
    ran = []
    loop.call_soon(lambda: ran.append("callback"))  # queued behind the task
    ran_inside_call_soon = bool(ran)  # False: call_soon only queued it
    await asyncio.sleep(0)  # this turn ends: the task's first step, then the callback
    ran_at_the_next_turn = bool(ran)  # True
    await task
    # endregion: idea
    events = [(e["task"], e["what"]) for e in trace.events]
    started, callback = (0, "started"), (None, "call_soon callback ran")
    after = started in events and callback in events and events.index(started) < events.index(callback)
    return trace.report("loop", params, delay_ms, loop=type(loop).__name__,
                        ran_inside_call_soon=ran_inside_call_soon,
                        ran_at_the_next_turn=ran_at_the_next_turn,
                        callback_ran_after_the_ready_task=after)


if __name__ == "__main__":
    tour.cli(main, "/demo/loop")
