// The Python beside the Rust: the lesson's own asyncio program (its lesson.py, on the
// harness src/common/python/tour.py) run in Pyodide, which this app serves at
// /pyodide/, against this app, with the parameters the Rust run reported. Pyodide is
// loaded once per page, on the first run that asks for it; its report comes back as a
// Run, drawn like the Rust one.

import { Run } from "./run.js";

export class Python {
  // `harness`: the text of tour.py, which every lesson.py imports.
  constructor(harness) {
    this.harness = harness;
    this.loading = null; // the one load; later runs reuse it, a failed one is retried
  }

  // Pyodide with the harness imported, and the seconds its load took; `show` is told
  // how long it has been loading, every 200 ms.
  load(show, say) {
    if (!this.loading) {
      this.loading = (async () => {
        const started = performance.now();
        const ticker = setInterval(() => {
          show(say("python_loading")(((performance.now() - started) / 1000).toFixed(1)));
        }, 200);
        try {
          const { loadPyodide } = await import("/pyodide/pyodide.mjs");
          const pyodide = await loadPyodide({ indexURL: "/pyodide/" });
          pyodide.FS.writeFile("/home/pyodide/tour.py", this.harness);
          await pyodide.runPythonAsync("import sys; sys.path.insert(0, '/home/pyodide'); import tour");
          return { pyodide, seconds: ((performance.now() - started) / 1000).toFixed(1) };
        } finally {
          clearInterval(ticker);
        }
      })();
      this.loading.catch(() => { this.loading = null; });
    }
    return this.loading;
  }

  // Runs `lesson`'s program with the parameters the Rust run `rust` reported and
  // returns its Run; `show` gets the status line as it goes.
  async run(rust, lesson, show, say) {
    const first = !this.loading;
    const { pyodide, seconds } = await this.load(show, say);
    show(say("python_running"));
    const module = `lesson_${rust.demo.replace(/[^a-z0-9]/gi, "_")}`;
    pyodide.FS.writeFile(`/home/pyodide/${module}.py`, lesson.python);
    pyodide.globals.set("lesson_module", module);
    pyodide.globals.set("params_json", JSON.stringify(rust.report.params));
    pyodide.globals.set("base_url", location.origin);
    const json = await pyodide.runPythonAsync(`
import importlib, json, tour
lesson = importlib.import_module(lesson_module)
json.dumps(await tour.run(lesson.main, base_url, json.loads(params_json)))
`);
    const run = new Run("python", `${rust.demo} (Python)`, rust.query);
    run.takeReport(JSON.parse(json));
    show(say("python_done")(run.report.elapsed_ms, first ? seconds : null));
    return run;
  }
}
