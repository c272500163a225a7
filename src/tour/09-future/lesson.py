"""asyncio.Future: a value that does not exist yet, set once, awaited by many.

asyncio: `fut = loop.create_future()` starts PENDING; one task calls
`fut.set_result(v)` and it is done; every task awaiting it wakes with the same
`v`; a second `set_result` raises InvalidStateError. Rust: a oneshot channel made
`.shared()`, wrapped as `Promise`, in src/tour/09-future/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/09-future/lesson.py http://127.0.0.1:3000 waiters=3 delay_ms=300
"""

import asyncio

import tour


async def main(trace, params):
    delay_ms, waiters = params["delay_ms"], params["waiters"]
    # region: idea
    fut = asyncio.get_running_loop().create_future()
    states = [{"state": "pending", "t_ms": trace.now_ms()}]

    async def waiter(id):
        trace.started(id)
        trace.finished(id, "ok", result=await fut)  # wakes when fut is set

    ids = [trace.add_task(f"waiter {n}: await fut") for n in range(waiters)]
    waiting = [asyncio.create_task(trace.measure(id, waiter(id))) for id in ids]
    call = trace.upstream(delay_ms)
    setter_id = len(trace.tasks) - 1

    async def setter():
        try:
            answer = await call
        except tour.UpstreamError as error:
            answer = {"error": str(error)}
        fut.set_result(answer)  # PENDING -> done: every waiter wakes
        trace.event(setter_id, "fut.set_result(answer)")
        finished_ms = trace.now_ms()
        try:
            fut.set_result("another value")
            second = {"accepted": True}
        except asyncio.InvalidStateError:
            trace.event(setter_id, "a second set_result is refused: InvalidStateError")
            second = {"accepted": False, "error": "InvalidStateError: the result is already set"}
        return answer, finished_ms, second

    setting = asyncio.create_task(setter())
    await asyncio.gather(*waiting)
    answer, finished_ms, second_set = await setting
    # endregion: idea
    states.append({"state": "finished", "t_ms": finished_ms, "done": fut.done()})
    received = [trace.tasks[id]["result"] for id in ids]
    return trace.report("future", params, delay_ms, value=answer, first_set_accepted=True,
                        all_waiters_got_the_value=all(r == answer for r in received),
                        second_set=second_set, states=states)


if __name__ == "__main__":
    tour.cli(main, "/demo/future")
