"""The event loop: one task runs at a time, and they switch only at an await.

asyncio: the loop runs a task until it awaits, then picks the next ready one.
`await asyncio.sleep(0)` is an explicit yield point; a task without one keeps the
loop to itself until it ends. Rust: the component's executor on the instance's
one thread, with `wit_bindgen::yield_async().await` as the `sleep(0)`, in
src/tour/10-event-loop/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/10-event-loop/lesson.py http://127.0.0.1:3000 n=3 steps=3 step_ms=20 mode=both
"""

import asyncio

import tour


async def run_workers(trace, tasks, steps, step_ms, yields, busy):
    order = []

    # region: idea
    async def worker(id, name):
        trace.started(id)
        for step in range(steps):
            busy["now"] += 1
            busy["max"] = max(busy["max"], busy["now"])
            trace.event(id, f"step {step}")
            order.append(f"{name}{step}")
            tour.burn_for(step_ms)  # runs alone: nothing else can run meanwhile
            busy["now"] -= 1
            if yields:
                await asyncio.sleep(0)  # a yield point: the loop may switch here
        trace.finished(id, "ok", result={"steps": steps})
    # endregion: idea

    workers = []
    for n in range(tasks):
        name = chr(ord("A") + n)
        id = trace.add_task(f"worker {name} ({'with_yields' if yields else 'without_yields'})")
        workers.append(asyncio.create_task(trace.measure(id, worker(id, name))))
    await asyncio.gather(*workers)
    return " ".join(order)


async def main(trace, params):
    tasks, steps, step_ms, mode = params["n"], params["steps"], params["step_ms"], params["mode"]
    runs = {"yield": [True], "no-yield": [False]}.get(mode, [True, False])
    busy = {"now": 0, "max": 0}
    orders = {}
    for yields in runs:
        name = "with_yields" if yields else "without_yields"
        orders[name] = await run_workers(trace, tasks, steps, step_ms, yields, busy)
    total_ms = len(runs) * tasks * steps * step_ms
    return trace.report("event-loop", params, total_ms, step_order=orders,
                        max_steps_running_at_once=busy["max"])


if __name__ == "__main__":
    tour.cli(main, "/demo/event-loop")
