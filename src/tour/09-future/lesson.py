"""asyncio.Future: a value that does not exist yet, set once, awaited by many.

asyncio: `fut = loop.create_future()` starts PENDING; one task calls
`fut.set_result(v)` and it is done; every task awaiting it wakes with the same
`v`; a second `set_result` raises InvalidStateError. Rust: `common::task::SetOnce`,
set once and awaited by every waiter, in src/tour/09-future/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/09-future/lesson.py http://127.0.0.1:3000 waiters=3 delay_ms=300
"""

import asyncio

import tour
from tour import UpstreamError


async def main(trace, params):
    delay_ms, waiters = params["delay_ms"], params["waiters"]
    states = [{"state": "pending", "t_ms": trace.now_ms()}]
    # region: idea
    fut = asyncio.get_running_loop().create_future()

    async def waiter():
        return await fut  # wakes when fut is set

    async def setter():
        try:
            answer = await tour.fetch(delay_ms)
        except UpstreamError as error:
            answer = {"error": str(error)}
        fut.set_result(answer)  # PENDING -> done: every waiter wakes
        try:
            fut.set_result("another value")
            second = {"accepted": True}
        except asyncio.InvalidStateError:  # a future is set once
            second = {"accepted": False, "error": "InvalidStateError: the result is already set"}
        return answer, second

    waiting = [asyncio.create_task(waiter(), name=f"waiter {n}: await fut") for n in range(waiters)]
    setting = asyncio.create_task(setter())
    received = await asyncio.gather(*waiting)
    answer, second_set = await setting
    # endregion: idea
    # The setter set fut right after its call answered, in the same step.
    states.append({"state": "finished", "t_ms": trace.tasks[tour.task_id(setting)]["finished_ms"],
                   "done": fut.done()})
    return trace.report("future", params, delay_ms, value=answer, first_set_accepted=True,
                        all_waiters_got_the_value=all(r == answer for r in received),
                        second_set=second_set, states=states)


if __name__ == "__main__":
    tour.cli(main, "/demo/future")
