"""CPU-bound work gets nothing from async; run_in_executor moves it off the loop.

asyncio: a CPU-bound coroutine never awaits, so the loop runs such tasks one after
another: n tasks take n times one. `await loop.run_in_executor(pool, work)` runs the
work in a worker process (threads would take turns on the GIL) while the task waits.
Rust: `inline` tasks share the instance's one thread; `offload` sends each piece to
`/cpu-worker`, run by the host on instances in parallel (src/tour/16-cpu/src/lib.rs).
Pyodide has no threads or processes: its loop's run_in_executor calls the work at
once on the loop's own thread, so there the offload run is as slow as inline.

Where it differs from the Rust on purpose, and why: src/common/python/differences.json
(the playground lists those under a Python run).

Run: PYTHONPATH=src/common/python python src/tour/16-cpu/lesson.py http://127.0.0.1:3000 n=2 work_ms=200 mode=both
"""

import asyncio
import concurrent.futures
import os
import time

import tour


def spin_cpu(ms):
    """CPU-bound work: `ms` of this process's CPU time, with no await. Returns its pid."""
    end = time.process_time() + ms / 1000  # CPU time: a shared core makes it last longer
    while time.process_time() < end:
        pass
    return os.getpid()


async def run_tasks(trace, tasks, label, work):
    """Runs `tasks` tasks of `work` at once: (elapsed ms, how many processes did it)."""
    started = trace.now_ms()
    done = await asyncio.gather(*(asyncio.create_task(work(), name=label(n)) for n in range(tasks)))
    return tour.round_ms(trace.now_ms() - started), len({result["process"] for result in done})


async def main(trace, params):
    tasks, mode = params["n"], params["mode"]
    work_ms = params.get("work_ms") or 250
    loop = asyncio.get_running_loop()
    pool = None  # Pyodide's loop needs none: it runs executor work on its own thread
    if mode != "inline" and not tour.IN_PYODIDE:
        pool = concurrent.futures.ProcessPoolExecutor(tasks)
        # Start the workers now, not inside the first offload's step.
        await asyncio.gather(*(loop.run_in_executor(pool, os.getpid) for _ in range(tasks)))

    # region: idea
    async def inline():
        pid = spin_cpu(work_ms)  # no await inside: the loop's thread is this task's
        return {"process": pid}

    async def offload():
        pid = await loop.run_in_executor(pool, spin_cpu, work_ms)  # the loop is free meanwhile
        return {"process": pid}
    # endregion: idea

    runs, sequential_ms = {}, tasks * work_ms
    baseline_ms = sequential_ms  # measured by the inline run when there is one, as in the Rust
    if mode != "offload":
        baseline_ms, _ = await run_tasks(trace, tasks, lambda n: f"inline {n}: {work_ms} ms of CPU work", inline)
        runs["inline"] = {"elapsed_ms": baseline_ms, "speedup": speedup(sequential_ms, baseline_ms)}
    if mode != "inline":
        elapsed, processes = await run_tasks(
            trace, tasks, lambda n: f"offload {n}: run_in_executor(pool, spin_cpu, {work_ms})", offload)
        runs["offload"] = {"elapsed_ms": elapsed, "speedup": speedup(baseline_ms, elapsed),
                           "worker_instances": processes}
    if pool:
        pool.shutdown()
    expected = work_ms if mode == "offload" else sequential_ms + (work_ms if mode == "both" else 0)
    return trace.report("cpu", params, expected, task_ms=work_ms, sequential_ms=sequential_ms, runs=runs,
                        offload_ran="inline: Pyodide has no threads" if tour.IN_PYODIDE else "in processes")


def speedup(sequential_ms, elapsed_ms):
    return round(sequential_ms / max(elapsed_ms, 0.1), 2)


if __name__ == "__main__":
    tour.cli(main, "/demo/cpu")
