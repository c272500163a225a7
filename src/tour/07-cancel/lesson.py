"""task.cancel(): a task stops only at an await; a finished task keeps its result.

asyncio: `cancel()` asks a task to stop; CancelledError is raised inside it at its
next `await`, so plain code (a CPU step) runs to its end first, and the canceller
cannot even run meanwhile: one thread runs every task. `cancel()` on a finished
task returns False and changes nothing. Rust: `JoinHandle::cancel`, which drops
the task at its next poll, in src/tour/07-cancel/src/lib.rs.

Run: PYTHONPATH=src/common/python python src/tour/07-cancel/lesson.py http://127.0.0.1:3000 work_ms=300 delay_ms=500 cancel_after_ms=100
"""

import asyncio

import tour


async def main(trace, params):
    work_ms, delay_ms = params["work_ms"], params["delay_ms"]
    cancel_after_ms = params["cancel_after_ms"]
    # region: idea
    # Part 1: a task that has finished cannot be cancelled.
    finished_task = asyncio.create_task(trace.upstream(0))
    finished_result = await finished_task
    finished_cancel = finished_task.cancel()  # False
    trace.note(f"finished_task.cancel() returned {finished_cancel}")

    # Part 2: a running task stops only at an await.
    call = trace.upstream(delay_ms)
    work_id = len(trace.tasks) - 1

    async def work():
        trace.started(work_id)
        trace.event(work_id, f"CPU step of {work_ms} ms (no await inside)")
        tour.burn_for(work_ms)  # nothing else runs meanwhile, the canceller neither
        trace.event(work_id, "CPU step done; now awaiting the upstream")
        return await call  # CancelledError lands here

    worker = asyncio.create_task(trace.measure(work_id, work()))
    cancel_due_ms = tour.round_ms(trace.now_ms() + cancel_after_ms)
    trace.note(f"the canceller sleeps {cancel_after_ms} ms")
    await asyncio.sleep(cancel_after_ms / 1000)
    cancel_called_ms = trace.now_ms()
    cancel_accepted = worker.cancel()
    trace.note(f"worker.cancel() returned {cancel_accepted}")
    # endregion: idea
    try:
        await worker
    except asyncio.CancelledError:
        if trace.tasks[work_id]["started_ms"] is None:
            trace.finished(work_id, "cancelled", error="cancelled before it ever ran")
    expected = min(max(cancel_after_ms, work_ms), work_ms + delay_ms)
    return trace.report(
        "cancel", params, expected, cancel_due_ms=cancel_due_ms,
        cancel_called_ms=cancel_called_ms,
        cancel_late_by_ms=tour.round_ms(max(cancel_called_ms - cancel_due_ms, 0)),
        worker={"task": work_id, "cancel_returned": cancel_accepted,
                "outcome": trace.tasks[work_id]["outcome"]},
        finished_task={"task": 0, "cancel_returned": finished_cancel,
                       "outcome": trace.tasks[0]["outcome"], "result": finished_result})


if __name__ == "__main__":
    tour.cli(main, "/demo/cancel")
