"""CPU-bound work gets nothing from async; run_in_executor moves it off the loop.

asyncio: CPU-bound coroutines never await, so the loop runs them one after
another: n tasks take n times as long. `await loop.run_in_executor(pool, work)`
runs the work elsewhere (a process pool here: threads would share the GIL) while
the loop waits. Rust: inline tasks on the instance's one thread, or each piece
sent to `/cpu-worker`, a WASI 0.2 component Spin runs on its own threads, in
src/tour/12-cpu/src/lib.rs.

Differences from the Rust:
- The Rust offloads to other Wasm instances over HTTP; Python offloads to its own
  worker processes, so the offload tasks' labels and results differ.
- The Rust measures work in calibrated steps (`iterations`); this program burns
  `work_ms` of CPU time per task.
- Under Pyodide there are no threads or processes: the offload runs inline there,
  so it shows no speed-up, and the report says so in `offload_ran`.

Run: PYTHONPATH=src/common/python python src/tour/12-cpu/lesson.py http://127.0.0.1:3000 n=2 work_ms=200 mode=both
"""

import asyncio
import concurrent.futures

import tour


async def run_inline(trace, tasks, work_ms):
    async def cpu_task(id):
        trace.started(id)
        tour.burn_for(work_ms)  # no await inside: the thread is this task's
        trace.finished(id, "ok", result={"ran_on": "this loop"})

    ids = [trace.add_task(f"inline {n}: {work_ms} ms of CPU work") for n in range(tasks)]
    await asyncio.gather(*(trace.measure(id, cpu_task(id)) for id in ids))


async def run_offloaded(trace, tasks, work_ms, pool):
    loop = asyncio.get_running_loop()

    async def offload(id):
        trace.started(id)
        # region: idea
        if pool:
            await loop.run_in_executor(pool, tour.burn_for, work_ms)  # the loop is free meanwhile
        else:  # Pyodide: no threads or processes to run it elsewhere
            tour.burn_for(work_ms)
        # endregion: idea
        trace.finished(id, "ok", result={"ran_on": "a worker process" if pool else "this loop"})

    ids = [trace.add_task(f"offload {n}: run_in_executor(burn_for, {work_ms})") for n in range(tasks)]
    await asyncio.gather(*(trace.measure(id, offload(id)) for id in ids))


async def main(trace, params):
    tasks, work_ms, mode = params["n"], params.get("work_ms") or 250, params["mode"]
    runs, sequential_ms = {}, tasks * work_ms
    if mode != "offload":
        started = trace.now_ms()
        await run_inline(trace, tasks, work_ms)
        runs["inline"] = {"elapsed_ms": tour.round_ms(trace.now_ms() - started)}
    if mode != "inline":
        pool = None if tour.IN_PYODIDE else concurrent.futures.ProcessPoolExecutor(tasks)
        started = trace.now_ms()
        await run_offloaded(trace, tasks, work_ms, pool)
        runs["offload"] = {"elapsed_ms": tour.round_ms(trace.now_ms() - started)}
        if pool:
            pool.shutdown()
    expected = (sequential_ms if mode != "offload" else 0) + (work_ms if mode != "inline" else 0)
    return trace.report("cpu", params, expected, task_ms=work_ms, sequential_ms=sequential_ms,
                        runs=runs, offload_ran="inline (no threads)" if tour.IN_PYODIDE else "in processes")


if __name__ == "__main__":
    tour.cli(main, "/demo/cpu")
