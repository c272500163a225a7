"""What `await` does: each step goes down a chain of coroutines, each yield comes back up.

asyncio: `await` is `yield from`. A coroutine awaiting another runs it in its own
frame; what the innermost awaitable yields (its `__await__`, a generator) passes
up through every `await` to the task, which hands the loop back, and the loop's
next step of the task resumes the outermost coroutine, down to that yield.
Rust: `Countdown`, a `Future` written by hand, polled through three `async fn`s,
in src/tour/03-awaitable/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/03-awaitable/lesson.py http://127.0.0.1:3000 n=2 steps=3
"""

import asyncio

import tour


async def main(trace, params):
    tasks, steps = params["n"], params["steps"]
    # region: idea
    class Countdown:  # a leaf awaitable written by hand: __await__ yields `steps` times
        def __init__(self, steps):
            self.steps = steps

        def __await__(self):
            polls = 1  # reached from the task, through outer, middle and inner
            while polls <= self.steps:
                yield  # back up through every await to the task: step me again soon
                polls += 1
            return polls

    async def inner(steps):
        return await Countdown(steps)

    async def middle(steps):
        return await inner(steps)

    async def outer(steps):
        return await middle(steps)

    chains = [asyncio.create_task(outer(steps), name=f"chain {n}: outer > middle > inner > Countdown")
              for n in range(tasks)]
    leaf_polls = [await chain for chain in chains]
    # endregion: idea
    records = [trace.task(tour.task_id(chain)) for chain in chains]
    return trace.report(
        "awaitable", params, 0,
        chains=[{"task": r["id"], "task_polls": r["polls"], "leaf_polls": leaf} for r, leaf in zip(records, leaf_polls)],
        every_poll_reached_the_leaf=all(r["polls"] == leaf for r, leaf in zip(records, leaf_polls)))


if __name__ == "__main__":
    tour.cli(main, "/demo/awaitable")
