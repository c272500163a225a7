"""The event loop: one task runs at a time, and they switch only at an await.

asyncio: the loop runs a task until it awaits, then picks the next ready one.
`await asyncio.sleep(0)` is an explicit yield point; a task without one keeps the
loop to itself until it ends. Rust: the component's executor on the instance's
one thread, with `task::yield_now().await` as the `sleep(0)`, in
src/tour/14-event-loop/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/14-event-loop/lesson.py http://127.0.0.1:3000 n=3 steps=3 step_ms=20 mode=both
"""

import asyncio

import tour


async def run_workers(tasks, steps, step_ms, yields):
    """`tasks` workers of `steps` CPU steps each, at once: the order the steps ran in."""
    names = [chr(ord("A") + n) for n in range(tasks)]
    run = "with_yields" if yields else "without_yields"
    order = []

    # region: idea
    async def worker(name):
        for step in range(steps):
            order.append(f"{name}{step}")  # the step that runs now
            tour.burn_for(step_ms)  # runs alone: nothing else can run meanwhile
            if yields:
                await asyncio.sleep(0)  # a yield point: the loop may switch here
        return {"steps": steps}

    workers = [asyncio.create_task(worker(name), name=f"worker {name} ({run})") for name in names]
    await asyncio.gather(*workers)
    # endregion: idea
    return " ".join(order)


async def main(trace, params):
    tasks, steps, step_ms, mode = params["n"], params["steps"], params["step_ms"], params["mode"]
    runs = {"yield": [True], "no-yield": [False]}.get(mode, [True, False])
    orders = {}
    for yields in runs:
        name = "with_yields" if yields else "without_yields"
        orders[name] = await run_workers(tasks, steps, step_ms, yields)
    total_ms = len(runs) * tasks * steps * step_ms
    # Measured by the recorder: the most task steps under way at any one time.
    return trace.report("event-loop", params, total_ms, step_order=orders,
                        max_steps_running_at_once=trace.most_steps_at_once)


if __name__ == "__main__":
    tour.cli(main, "/demo/event-loop")
