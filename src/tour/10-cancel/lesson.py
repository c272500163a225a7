"""task.cancel(): a task stops only at an await; a finished task keeps its result.

asyncio: `cancel()` asks a task to stop; CancelledError is raised inside it at its
next `await`, so plain code (a CPU step) runs to its end first, and the canceller
cannot even run meanwhile: one thread runs every task. `cancel()` on a finished
task returns False and changes nothing. Rust: `JoinHandle::cancel`, which drops
the task at its next poll, in src/tour/10-cancel/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/10-cancel/lesson.py http://127.0.0.1:3000 work_ms=300 delay_ms=500 cancel_after_ms=100
"""

import asyncio

import tour


async def main(trace, params):
    work_ms, delay_ms = params["work_ms"], params["delay_ms"]
    cancel_after_ms = params["cancel_after_ms"]
    # region: idea
    # Part 1: a task that has finished cannot be cancelled.
    finished_task = asyncio.create_task(tour.fetch(0))
    finished_result = await finished_task
    finished_cancel = finished_task.cancel()  # False: it is done, its result stays

    # Part 2: a running task stops only at an await.
    async def work():
        tour.burn_for(work_ms)  # a CPU step: nothing else runs meanwhile, the canceller neither
        return await tour.fetch(delay_ms)  # CancelledError lands here

    worker = asyncio.create_task(work())
    await asyncio.sleep(cancel_after_ms / 1000)  # the worker runs meanwhile
    cancel_accepted = worker.cancel()  # False if it has finished already
    # endregion: idea
    try:
        await worker
    except asyncio.CancelledError:
        pass  # its record says when and where
    work_id = tour.task_id(worker)
    # The cancel was due when the canceller began its sleep, right after creating the
    # worker; it was called when the canceller ran again.
    cancel_due_ms = tour.round_ms(trace.tasks[work_id]["created_ms"] + cancel_after_ms)
    cancel_called_ms = trace.tasks[work_id]["cancel_called_ms"]
    expected = min(max(cancel_after_ms, work_ms), work_ms + delay_ms)
    return trace.report(
        "cancel", params, expected, cancel_due_ms=cancel_due_ms,
        cancel_called_ms=cancel_called_ms,
        cancel_late_by_ms=tour.round_ms(max(cancel_called_ms - cancel_due_ms, 0)),
        worker={"task": work_id, "cancel_returned": cancel_accepted,
                "outcome": trace.tasks[work_id]["outcome"]},
        finished_task={"task": tour.task_id(finished_task), "cancel_returned": finished_cancel,
                       "outcome": trace.tasks[tour.task_id(finished_task)]["outcome"],
                       "result": finished_result})


if __name__ == "__main__":
    tour.cli(main, "/demo/cancel")
