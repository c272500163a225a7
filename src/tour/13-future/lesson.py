"""asyncio.Future: a value that does not exist yet, set once, awaited by many.

asyncio: `fut = loop.create_future()` starts pending (`fut.done()` is False, and
`fut.exception()` raises InvalidStateError); one task ends it with
`fut.set_result(v)`, or `fut.set_exception(e)`; every task awaiting it wakes with
the same `v` (or has `e` raised at its await); its done callbacks run on the
loop's next turn; a second `set_result` raises InvalidStateError.
Rust: `common::task::SetOnce`, the same methods on a future whose outcome is a
`Result`, in src/tour/13-future/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/13-future/lesson.py http://127.0.0.1:3000 waiters=3 delay_ms=300 fail=false
"""

import asyncio
import sys

import tour
from tour import UpstreamError


def refusal(attempt):
    """{"accepted": True}, or how asyncio refused it (InvalidStateError)."""
    try:
        attempt()
        return {"accepted": True}
    except asyncio.InvalidStateError as refused:
        return {"accepted": False, "error": f"InvalidStateError: {refused}"}


async def main(trace, params):
    delay_ms, waiters, fails = params["delay_ms"], params["waiters"], params.get("fail", False)
    states = [{"state": "pending", "t_ms": trace.now_ms()}]
    # region: idea
    fut = asyncio.get_running_loop().create_future()  # pending
    done_while_pending = fut.done()  # False
    exception_while_pending = refusal(fut.exception)  # InvalidStateError: nothing to tell yet
    fut.add_done_callback(lambda done: print("future: done with", done, file=sys.stderr))

    async def waiter():
        return await fut  # wakes when fut is done: its result, or its exception raised

    async def setter():
        try:
            fut.set_result(await tour.fetch(delay_ms, fails))  # every waiter wakes with it
        except UpstreamError as error:
            fut.set_exception(error)  # raised in every waiter

    waiting = [asyncio.create_task(waiter(), name=f"waiter {n}: await fut") for n in range(waiters)]
    setting = asyncio.create_task(setter(), name="setter")  # it ends fut
    await asyncio.gather(*waiting, return_exceptions=True)
    await setting
    exception = fut.exception()  # None after set_result
    second_set = refusal(lambda: fut.set_result("another value"))  # InvalidStateError
    # endregion: idea
    # The setter set fut right after its call answered, in the same step.
    states.append({"state": "finished", "t_ms": trace.tasks[tour.task_id(setting)]["finished_ms"],
                   "done": fut.done()})
    received = [{"exception": t["error"]} if t["error"] else t["result"] for t in trace.tasks[:waiters]]
    return trace.report(
        "future", params, delay_ms, value=received[0], states=states,
        ended_with="set_exception" if exception else "set_result",
        done_while_pending=done_while_pending, exception_while_pending=exception_while_pending,
        exception=str(exception) if exception else None,
        all_waiters_got_the_value=all(r == received[0] for r in received),
        done_callback_ran=any(e["what"].startswith("done callback") for e in trace.events),
        second_set=second_set)


if __name__ == "__main__":
    tour.cli(main, "/demo/future")
