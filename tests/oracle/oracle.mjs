#!/usr/bin/env node
// The oracle: asyncio itself checks the Rust demos. For each scenario it runs the
// Rust demo on the app, then the lesson's own asyncio program (its lesson.py, on
// src/common/python/tour.py) in Pyodide, CPython compiled to WebAssembly, under
// Node, against the same app and with the parameters the Rust report says were in
// effect. Pyodide is the one the app serves at /pyodide/ (src/plumbing/pyodide,
// fetched from npm at its pinned version when that component is built), so the
// playground and the oracle run the same Python. It compares what asyncio did with what the component did: the outcome of
// every task, done and pending sets, completion order, which error surfaced, the
// step order of the event loop, which tasks held the thread (blocking code, CPU
// steps), and the elapsed time within
// a generous tolerance. Every deliberate difference is listed once in DIFFERENCES,
// with its reason; any other mismatch fails the run.
//
//   node tests/oracle/oracle.mjs                     # starts the app (tests/serve.sh: Spin
//                                                    # when SPIN_BIN is set, else devhost)
//   APP_URL=http://127.0.0.1:3000 node tests/oracle/oracle.mjs
//
// Needs `make build devhost` (`make oracle` does it).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, RUNTIME, ServedApp } from '../app.mjs';
// What each difference means for a report: the playground's own module, so the page
// and the oracle read differences.json the same way.
import { applying, expectedOutcome, ignoredFields, waived } from '../../src/plumbing/ui/assets/differences.js';

// One scenario per line: the idea's folder and the Rust run it is compared with.
const SCENARIOS = [
    ['src/tour/01-coroutine', '/demo/coroutine?delay_ms=100&pause_ms=200'],
    ['src/tour/01-coroutine', '/demo/coroutine?delay_ms=50&pause_ms=0'],
    ['src/tour/02-loop', '/demo/loop?delay_ms=50'],
    ['src/tour/03-awaitable', '/demo/awaitable?n=2&steps=3'],
    ['src/tour/03-awaitable', '/demo/awaitable?n=1&steps=0'],
    ['src/tour/04-sequential', '/demo/sequential?delays=60,20,40'],
    ['src/tour/05-tasks', '/demo/tasks?delays=60,20,40'],
    ['src/tour/06-gather', '/demo/gather?delays=300,100,200'],
    ['src/tour/06-gather', '/demo/gather?delays=300,100,200&fail=1'],
    ['src/tour/06-gather', '/demo/gather?delays=300,100,200&fail=1&return_exceptions=true'],
    ['src/tour/07-wait', '/demo/wait?delays=300,100,200&return_when=first_completed'],
    ['src/tour/07-wait', '/demo/wait?delays=300,100,200&fail=2&return_when=first_exception'],
    ['src/tour/07-wait', '/demo/wait?delays=300,100,200&return_when=all_completed&timeout_ms=150'],
    ['src/tour/07-wait', '/demo/wait?delays=60,20&return_when=all_completed'],
    ['src/tour/08-as-completed', '/demo/as-completed?delays=300,60,150'],
    ['src/tour/08-as-completed', '/demo/as-completed?delays=300,60,150&timeout_ms=200'],
    ['src/tour/08-as-completed', '/demo/as-completed?delays=300,60,150&fail=2'],
    ['src/tour/09-timeout', '/demo/timeout?delay_ms=600&timeout_ms=150'],
    ['src/tour/09-timeout', '/demo/timeout?delay_ms=50&timeout_ms=300'],
    ['src/tour/10-cancel', '/demo/cancel?work_ms=200&delay_ms=400&cancel_after_ms=50'],
    ['src/tour/10-cancel', '/demo/cancel?work_ms=0&delay_ms=400&cancel_after_ms=50'],
    ['src/tour/10-cancel', '/demo/cancel?work_ms=20&delay_ms=20&cancel_after_ms=300'],
    // asyncio.sleep(0) lets the new worker run its CPU step before the cancel.
    ['src/tour/10-cancel', '/demo/cancel?work_ms=200&delay_ms=500&cancel_after_ms=0'],
    ['src/tour/11-shield', '/demo/shield?delay_ms=400&timeout_ms=0&shield=false'],
    ['src/tour/11-shield', '/demo/shield?delay_ms=400&timeout_ms=100&shield=true'],
    ['src/tour/11-shield', '/demo/shield?delay_ms=400&timeout_ms=100&shield=false'],
    ['src/tour/11-shield', '/demo/shield?delay_ms=50&timeout_ms=300&shield=true'],
    ['src/tour/12-gather-vs-wait', '/demo/gather-vs-wait?delays=300,100,200'],
    ['src/tour/12-gather-vs-wait', '/demo/gather-vs-wait?delays=300,100,200&fail=1'],
    ['src/tour/13-future', '/demo/future?waiters=3&delay_ms=100'],
    ['src/tour/13-future', '/demo/future?waiters=2&delay_ms=100&fail=true'],
    ['src/tour/14-event-loop', '/demo/event-loop?n=3&steps=3&step_ms=20&mode=both'],
    ['src/tour/15-blocking', '/demo/blocking?n=3&delay_ms=80&mode=both'],
    ['src/tour/15-blocking', '/demo/blocking?n=3&delay_ms=80&mode=offload'],
    ['src/tour/16-cpu', '/demo/cpu?n=2&work_ms=60&mode=inline'],
    ['src/tour/16-cpu', '/demo/cpu?n=2&work_ms=60&mode=offload'],
    ['src/service/asynctasks', '/asynctasks?delays=100,300,2000&timeout_ms=500'],
];

// ORACLE_ONLY=text runs only the scenarios whose route contains it (while working on one).
const ONLY = process.env.ORACLE_ONLY || '';
// ORACLE_DUMP=dir: each scenario's two reports, written there as JSON (to read a difference).
const DUMP = process.env.ORACLE_DUMP || '';

// What differs on purpose, each once with its reason, in the file the playground
// shows them from.
const DIFFERENCES = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/common/python/differences.json'), 'utf8')).differences;

// Report fields that are per run by nature: never compared.
const PER_RUN = new Set(['demo', 'python', 'rust', 'rust_source', 'helpers', 'runtime', 'params', 'elapsed_ms',
    'expected_ms', 'tasks', 'events', 'steps', 'steps_left_out', 'busy', 'outbound_requests', 'warnings', 'long_poll_ms', 'tree', 'note', 'instance',
    'started_unix_ms', 'what', 't_ms', 'total_time_ms', 'cancel_due_ms', 'cancel_called_ms',
    'cancel_late_by_ms', 'timeout_at_ms', 'states', 'value', 'result', 'results', 'work']);

// A poll this long (ms) is the code holding the thread, not noise.
const HELD_MS = 40;
// The elapsed time of the two runs may differ by this much (ms), or this share.
const ELAPSED_SLACK_MS = 150;
const ELAPSED_SLACK_SHARE = 0.5;

class Failure extends Error {}

// Pyodide as the app serves it: its files, downloaded from /pyodide/ into a
// temporary directory, loaded from there. Returns it with its size in bytes.
async function loadServedPyodide(base, dir) {
    const listing = await (await fetch(`${base}/pyodide/`)).json();
    let bytes = 0;
    for (const file of listing.files) {
        const response = await fetch(`${base}/pyodide/${file.name}`);
        if (!response.ok) throw new Failure(`/pyodide/${file.name}: ${response.status}`);
        const body = Buffer.from(await response.arrayBuffer());
        if (body.length !== file.bytes) throw new Failure(`/pyodide/${file.name}: ${body.length} bytes, listed as ${file.bytes}`);
        fs.writeFileSync(path.join(dir, file.name), body);
        bytes += body.length;
    }
    const { loadPyodide } = await import(pathToFileURL(path.join(dir, 'pyodide.mjs')).href);
    return { pyodide: await loadPyodide({ indexURL: `${dir}/` }), bytes };
}

async function rustReport(base, pathAndQuery) {
    const response = await fetch(`${base}${pathAndQuery}`);
    const text = await response.text();
    if (!response.ok) throw new Failure(`${pathAndQuery}: ${response.status} ${text}`);
    // A streaming demo's report is its last line.
    return JSON.parse(text.trim().split('\n').pop());
}

async function pythonReport(pyodide, base, folder, params) {
    const module = `lesson_${path.basename(folder).replace(/[^a-z0-9]/gi, '_')}`;
    pyodide.FS.writeFile(`/home/pyodide/${module}.py`, fs.readFileSync(path.join(ROOT, folder, 'lesson.py'), 'utf8'));
    pyodide.globals.set('lesson_module', module);
    pyodide.globals.set('params_json', JSON.stringify(params));
    pyodide.globals.set('base_url', base);
    const json = await pyodide.runPythonAsync(`
import importlib, json, tour
lesson = importlib.import_module(lesson_module)
json.dumps(await tour.run(lesson.main, base_url, json.loads(params_json)))
`);
    return JSON.parse(json);
}

// Every difference between the two runs that DIFFERENCES does not explain.
function compare(folder, rust, python) {
    const idea = rust.demo;
    const rules = applying(DIFFERENCES, idea, rust);
    const allowed = (key) => waived(rules, key);
    const problems = [];
    if (rust.tasks.length !== python.tasks.length) {
        problems.push(`${rust.tasks.length} Rust tasks, ${python.tasks.length} Python tasks`);
        return { problems, rules };
    }
    rust.tasks.forEach((task, i) => {
        const twin = python.tasks[i];
        const expected = expectedOutcome(rules, task.outcome);
        if (twin.outcome !== expected) problems.push(`task ${i}: Rust ${task.outcome}, Python ${twin.outcome} (expected ${expected})`);
        if (!allowed('labels') && twin.label !== task.label) problems.push(`task ${i}: labels ${JSON.stringify(task.label)} and ${JSON.stringify(twin.label)}`);
        if (!allowed('results') && task.outcome === 'error' && twin.error !== task.error) {
            problems.push(`task ${i}: errors ${JSON.stringify(task.error)} and ${JSON.stringify(twin.error)}`);
        }
    });
    const ignored = ignoredFields(rules);
    for (const key of new Set([...Object.keys(rust), ...Object.keys(python)])) {
        if (PER_RUN.has(key) || ignored.has(key)) continue;
        const [a, b] = [JSON.stringify(rust[key] ?? null), JSON.stringify(python[key] ?? null)];
        if (key === 'worker' || key === 'finished_task') {
            for (const field of ['task', 'cancel_returned', 'outcome']) {
                if (rust[key][field] !== python[key]?.[field]) problems.push(`${key}.${field}: Rust ${rust[key][field]}, Python ${python[key]?.[field]}`);
            }
        } else if (key === 'runs') {
            // Each run's own timings: the same runs, with the same expectation.
            for (const name of new Set([...Object.keys(rust.runs), ...Object.keys(python.runs || {})])) {
                if (rust.runs[name]?.expected_ms !== python.runs?.[name]?.expected_ms) {
                    problems.push(`runs.${name}: Rust ${JSON.stringify(rust.runs[name])}, Python ${JSON.stringify(python.runs?.[name])}`);
                }
            }
        } else if (key === 'second_set' || key === 'exception_while_pending') {
            if (rust[key].accepted !== python[key]?.accepted) problems.push(`${key}.accepted: Rust ${rust[key].accepted}, Python ${python[key]?.accepted}`);
        } else if (a !== b) {
            problems.push(`${key}: Rust ${a}, Python ${b}`);
        }
    }
    if (!allowed('held')) {
        // The tasks that held the thread: blocking code, CPU steps. A poll of a few
        // ms over the 10 ms lint can happen on either side (a garbage collection, a
        // cold instance); one of HELD_MS or more is the code's doing.
        const held = (report) => report.tasks.filter((t) => t.longest_poll_ms >= HELD_MS).map((t) => t.id).join(',');
        if (held(rust) !== held(python)) {
            problems.push(`tasks holding the thread ${HELD_MS} ms or more: Rust [${held(rust)}], Python [${held(python)}]`);
        }
    }
    if (!allowed('elapsed')) {
        const slack = Math.max(ELAPSED_SLACK_MS, ELAPSED_SLACK_SHARE * rust.elapsed_ms);
        if (Math.abs(python.elapsed_ms - rust.elapsed_ms) > slack) {
            problems.push(`elapsed: Rust ${rust.elapsed_ms} ms, Python ${python.elapsed_ms} ms (more than ${slack.toFixed(0)} ms apart)`);
        }
    }
    return { problems, rules };
}

async function main() {
    let app = null;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oracle-pyodide-'));
    let base = process.env.APP_URL ? process.env.APP_URL.replace(/\/+$/, '') : null;
    try {
        if (!base) {
            app = await ServedApp.start((message) => new Failure(message));
            base = app.base;
        }
        const loading = performance.now();
        const { pyodide, bytes } = await loadServedPyodide(base, dir);
        pyodide.FS.writeFile('/home/pyodide/tour.py', fs.readFileSync(path.join(ROOT, 'src/common/python/tour.py'), 'utf8'));
        await pyodide.runPythonAsync("import sys; sys.path.insert(0, '/home/pyodide'); import tour");
        console.log(`oracle: Pyodide ${pyodide.version} (Python ${pyodide.runPython('import sys; sys.version.split()[0]')}) from ${base}/pyodide/, ${(bytes / 1e6).toFixed(1)} MB, downloaded and loaded in ${((performance.now() - loading) / 1000).toFixed(1)} s; the app runs on ${app ? RUNTIME : 'APP_URL'}`);
        // One run first, not compared: the first HTTP request of a fresh Pyodide pays
        // for setting up fetch.
        await pythonReport(pyodide, base, 'src/tour/04-sequential', { delays: [1] });
        const failures = [];
        const used = new Set();
        const scenarios = SCENARIOS.filter(([, run]) => run.includes(ONLY));
        for (const [folder, run] of scenarios) {
            // A first request on a fresh instance pays for setting it up (on Spin its
            // first poll can pass 10 ms): that run warms the instance, the next counts.
            await rustReport(base, run);
            const rust = await rustReport(base, run);
            const python = await pythonReport(pyodide, base, folder, rust.params);
            if (DUMP) fs.writeFileSync(path.join(DUMP, `${rust.demo}-${fs.readdirSync(DUMP).length}.json`), JSON.stringify({ rust, python }, null, 1));
            const { problems, rules } = compare(folder, rust, python);
            rules.forEach((rule) => used.add(rule));
            const summary = `${rust.tasks.length} tasks; elapsed Rust ${rust.elapsed_ms} ms, Python ${python.elapsed_ms} ms`;
            if (problems.length) {
                failures.push(`${run}\n    ${problems.join('\n    ')}`);
                console.log(`FAIL ${run}: ${summary}\n    ${problems.join('\n    ')}`);
            } else {
                const noted = rules.length ? ` (differences: ${rules.map((r) => DIFFERENCES.indexOf(r) + 1).join(', ')})` : '';
                console.log(`ok   ${run}: ${summary}${noted}`);
            }
        }
        console.log('oracle: the deliberate differences');
        DIFFERENCES.forEach((rule, i) => console.log(`  ${i + 1}. ${rule.idea}: ${rule.why}${used.has(rule) ? '' : ' (NOT SEEN in this run)'}`));
        const unseen = DIFFERENCES.filter((rule) => !used.has(rule));
        if (unseen.length && !ONLY) failures.push(`${unseen.length} listed difference(s) never applied: a scenario should show each`);
        console.log(`oracle: ${scenarios.length - failures.length} of ${scenarios.length} scenarios agree`);
        if (failures.length) {
            if (app) console.log(`--- ${RUNTIME}'s output (last lines) ---\n${app.tail()}`);
            console.error(`\noracle FAILED:\n  ${failures.join('\n  ')}`);
            return 1;
        }
        return 0;
    } finally {
        if (app) await app.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

try {
    process.exit(await main());
} catch (err) {
    console.error(`oracle FAILED: ${err instanceof Failure ? err.message : (err.stack || err)}`);
    process.exit(1);
}
