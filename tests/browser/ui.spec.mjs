#!/usr/bin/env node
// The playground at /ui/ in a real browser: Debian's Chromium (/usr/bin/chromium)
// driven by playwright-core, which downloads no browser of its own.
//
//   node tests/browser/ui.spec.mjs                      # starts the app itself (tests/serve.sh:
//                                                       # Spin when SPIN_BIN is set, else devhost)
//   APP_URL=http://127.0.0.1:3000 node tests/browser/ui.spec.mjs   # any running app
//
// Needs `make build devhost` first (`make browser` does the rest). Each check drives
// the page as a person would (pick a demo, fill its form, press Run) and reads only
// the page's DOM contract: select#demo, form#params, button#run, #status, #error,
// svg.timeline[data-slot] > rect.bar[data-task][data-start][data-end].outcome-*,
// line.marker-*, pre#python, pre#rust, #rust-source, input#compare, select#demo-b,
// form#params-b; the tour's article#lesson, .lang button[data-lang], a#permalink,
// table#tasks, ul#tree, ol#events, #instance; the instance panel's form#fire-form,
// button#fire, #fire-status, svg.lanes g.lane[data-instance] > rect.request, rect.busy;
// the replay's #replay, #replay-time, #replay-play[aria-pressed], #replay-at,
// #replay-say, #replay-state .run-state[data-slot] .thread[data-holder],
// .ready[data-ready], pre .line.at[data-tasks]. It saves target/ui-screenshot.png and
// twelve pictures of the replay under target/screenshots/, prints one line per check and a closing
// "browser: N passed, N failed", and exits non-zero on any failure. The app and
// Chromium are always stopped.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, RUNTIME, ServedApp, sleep } from '../app.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT = path.join(ROOT, 'target/ui-screenshot.png');
// The replay's pictures: three ideas at 1280 and 390 px, in English and Chinese.
const SCREENSHOTS = path.join(ROOT, 'target/screenshots');
const RUN_TIMEOUT_MS = 30_000; // one demo run, from the click to #status done
const WATCHDOG_MS = 420_000; // the whole test (each idea loads Pyodide once)
const DEMOS = ['coroutine', 'loop', 'awaitable', 'sequential', 'tasks', 'gather', 'wait', 'as-completed',
    'timeout', 'cancel', 'shield', 'gather-vs-wait', 'future', 'event-loop', 'blocking', 'cpu'];

let app = null; // the ServedApp, when this test started it
let browser = null;
let stopping = false; // a signal came: stop quietly

class Failure extends Error {}
function check(cond, message) {
    if (!cond) throw new Failure(message);
}

async function cleanup() {
    const b = browser;
    browser = null;
    if (b) await b.close().catch(() => {});
    const served = app;
    app = null;
    if (served) await served.stop();
}

// --- the page ---------------------------------------------------------------------

// Installed in the page after each load: a MutationObserver that logs, after every
// DOM change, what #status reads and which bars each timeline holds. It shows what
// polling can miss (a `running` that lasts 200 ms, bars drawn while streaming).
function installRecorder() {
    const snapshot = () => {
        const bars = {};
        for (const svg of document.querySelectorAll('svg.timeline')) {
            bars[svg.dataset.slot] = [...svg.querySelectorAll('rect.bar')].map((rect) => {
                const outcome = [...rect.classList].find((c) => c.startsWith('outcome-'));
                return `${rect.getAttribute('data-task')}:${outcome ? outcome.slice(8) : '?'}`;
            });
        }
        const status = document.querySelector('#status');
        return { t: performance.now(), status: status ? status.textContent.trim() : null, bars };
    };
    window.__uiTest = { log: [snapshot()], snapshot };
    new MutationObserver(() => window.__uiTest.log.push(snapshot()))
        .observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
}

async function setParam(page, form, name, value) {
    const input = page.locator(`${form} [name="${name}"]`);
    const count = await input.count();
    check(count === 1, `${form} should hold one input named "${name}", found ${count}`);
    const kind = await input.evaluate((el) => (el.tagName === 'SELECT' ? 'select' : (el.type || '').toLowerCase()));
    if (kind === 'checkbox') {
        await input.setChecked(value === true || value === 'true' || value === '1');
    } else if (kind === 'select') {
        await input.selectOption(String(value));
    } else {
        await input.fill(String(value));
    }
}

// Pick a demo in one slot and set its parameters; the form is rebuilt on change.
async function pickDemo(page, slot, demo, params) {
    const select = slot === 'a' ? '#demo' : '#demo-b';
    const form = slot === 'a' ? 'form#params' : 'form#params-b';
    await page.locator(select).selectOption(demo);
    for (const name of Object.keys(params)) {
        await page.locator(`${form} [name="${name}"]`).first()
            .waitFor({ state: 'attached', timeout: 5_000 })
            .catch(() => {
                throw new Failure(`after choosing ${demo} in ${select}, ${form} has no input named "${name}"`);
            });
    }
    for (const [name, value] of Object.entries(params)) await setParam(page, form, name, value);
}

// Press Run and wait until #status has read `running` and then `done` or `error`.
async function run(page, what) {
    // An idea runs as it opens: wait for that run to end before pressing Run.
    await page.locator('button#run:enabled').waitFor({ timeout: RUN_TIMEOUT_MS });
    await page.evaluate(() => {
        window.__uiTest.log = [window.__uiTest.snapshot()];
    });
    const clicked = Date.now();
    await page.locator('button#run').click();
    try {
        await page.waitForFunction(() => {
            const log = window.__uiTest.log;
            const i = log.findIndex((e) => e.status === 'running');
            return i >= 0 && log.slice(i).some((e) => e.status === 'done' || e.status === 'error');
        }, null, { timeout: RUN_TIMEOUT_MS, polling: 50 });
    } catch {
        const log = await page.evaluate(() => window.__uiTest.log.map((e) => e.status));
        const seen = [...new Set(log)].map((s) => JSON.stringify(s)).join(' -> ');
        throw new Failure(`${what}: #status should read "running" and then "done" or "error" within ${RUN_TIMEOUT_MS / 1000} s; it read ${seen}`);
    }
    const log = await page.evaluate(() => window.__uiTest.log);
    const status = log[log.length - 1].status;
    const error = ((await page.locator('#error').textContent()) || '').trim();
    return { log, ms: Date.now() - clicked, status, error };
}

function expectDone(r, what) {
    check(r.status === 'done', `${what}: #status should end "done", reads "${r.status}"${r.error ? `; #error reads ${JSON.stringify(r.error)}` : ''}`);
}

async function bars(page, slot) {
    return page.$$eval(`svg.timeline[data-slot="${slot}"] rect.bar`, (rects) => rects.map((r) => ({
        task: r.getAttribute('data-task'),
        start: Number(r.getAttribute('data-start')),
        end: Number(r.getAttribute('data-end')),
        width: Number(r.getAttribute('width')),
        outcome: ([...r.classList].find((c) => c.startsWith('outcome-')) || '').slice(8),
    })));
}

function checkBars(list, what, count) {
    check(list.length === count, `${what}: expected ${count} rect.bar, found ${list.length}`);
    for (const b of list) {
        check(b.task !== null && b.task !== '', `${what}: a bar has no data-task`);
        check(Number.isFinite(b.start) && Number.isFinite(b.end) && b.end >= b.start,
            `${what}: bar ${b.task} has data-start ${b.start} and data-end ${b.end}`);
        check(Number.isFinite(b.width) && b.width >= 0, `${what}: bar ${b.task} has width ${b.width}`);
        check(['ok', 'error', 'cancelled', 'timed_out', 'pending'].includes(b.outcome),
            `${what}: bar ${b.task} has no outcome-<ok|error|cancelled|timed_out|pending> class (got "${b.outcome}")`);
    }
    return [...list].sort((x, y) => Number(x.task) - Number(y.task));
}

const fmt = (list) => list.map((b) => `#${b.task} ${b.outcome} ${b.start}..${b.end} w=${b.width.toFixed(1)}`).join('; ');

async function markerCount(page, slot, kind) {
    return page.locator(`svg.timeline[data-slot="${slot}"] line.marker-${kind}`).count();
}

async function checkSnippets(page, what, python, rust) {
    const py = (await page.locator('pre#python').textContent()) || '';
    const rs = (await page.locator('pre#rust').textContent()) || '';
    check(py.includes(python), `${what}: pre#python should show the snippet (with "${python}"), got ${JSON.stringify(py.slice(0, 120))}`);
    check(rs.includes(rust), `${what}: pre#rust should show the snippet (with "${rust}"), got ${JSON.stringify(rs.slice(0, 120))}`);
    // The code that ran names where it lives: src/tour/NN-<demo>/src/lib.rs, lines a-b.
    const at = (await page.locator('#rust-source').textContent()) || '';
    check(/src\/tour\/\d\d-[a-z-]+\/src\/lib\.rs, lines \d+-\d+/.test(at),
        `${what}: #rust-source should name the file and lines of the code, reads ${JSON.stringify(at)}`);
}

async function checkNoError(page, what) {
    const text = ((await page.locator('#error').textContent()) || '').trim();
    check(text === '', `${what}: #error should be empty after a successful run, reads ${JSON.stringify(text)}`);
}

// --- the checks -------------------------------------------------------------------

const checks = [];
const test = (name, fn) => checks.push({ name, fn });

test('the page loads its own app.js and style.css, lists every demo, prefills the form', async ({ page, base, requests }) => {
    const origin = new URL(base).origin;
    const offsite = requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:'));
    check(offsite.length === 0, `the page fetched from elsewhere than the app (no CDN allowed): ${offsite.join(', ')}`);
    for (const asset of ['/ui/app.js', '/ui/style.css']) {
        const status = requests.statusOf(`${origin}${asset}`);
        check(status === 200, `${asset} should load with 200, got ${status ?? 'no request'}`);
    }
    const options = await page.$$eval('select#demo option', (opts) => opts.map((o) => [o.value, o.textContent.trim()]));
    for (const demo of DEMOS) {
        check(options.some(([value, text]) => value === demo || text === demo),
            `select#demo should list "${demo}"; it lists ${options.map(([v]) => v).join(', ')}`);
    }
    await pickDemo(page, 'a', 'sequential', {});
    const delays = await page.locator('form#params [name="delays"]').inputValue()
        .catch(() => { throw new Failure('form#params for sequential has no input named "delays"'); });
    check(delays.trim() !== '', 'form#params: "delays" should be prefilled with its default');
    await pickDemo(page, 'a', 'timeout', {});
    const names = await page.$$eval('form#params [name]', (els) => els.map((e) => e.getAttribute('name')));
    check(names.includes('delay_ms') && names.includes('timeout_ms') && !names.includes('delays'),
        `changing select#demo to timeout should rebuild form#params with delay_ms and timeout_ms; it holds ${names.join(', ')}`);
});

test('sequential 100,200,300: three ok bars, one after another, widths in the ratio of the delays', async ({ page }) => {
    await pickDemo(page, 'a', 'sequential', { delays: '100,200,300' });
    const r = await run(page, 'sequential');
    expectDone(r, 'sequential');
    const list = checkBars(await bars(page, 'a'), 'sequential', 3);
    check(list.every((b) => b.outcome === 'ok'), `sequential: every bar should be outcome-ok: ${fmt(list)}`);
    for (let i = 1; i < list.length; i++) {
        check(list[i].start >= list[i - 1].end - 1, `sequential: bar ${list[i].task} should start after bar ${list[i - 1].task} ends: ${fmt(list)}`);
    }
    const [w100, w200, w300] = list.map((b) => b.width);
    check(w100 > 0, `sequential: the 100 ms bar has width ${w100}`);
    check(w300 / w100 >= 2 && w300 / w100 <= 4, `sequential: the 300 ms bar should be 2x-4x as wide as the 100 ms bar: ${fmt(list)}`);
    check(w200 / w100 >= 1.3 && w200 / w100 <= 2.7, `sequential: the 200 ms bar should be 1.3x-2.7x as wide as the 100 ms bar: ${fmt(list)}`);
    const perMs = list.map((b) => b.width / (b.end - b.start));
    check(Math.max(...perMs) / Math.min(...perMs) <= 1.15,
        `sequential: each bar's width should be proportional to data-end - data-start: ${fmt(list)}`);
    for (const kind of ['elapsed', 'expected']) {
        check(await markerCount(page, 'a', kind) >= 1, `sequential: the timeline should have a line.marker-${kind}`);
    }
    await checkSnippets(page, 'sequential', 'await fetch', '.await');
    await checkNoError(page, 'sequential');
});

test('gather 900,500,50 with fail=1: bars cancelled, error, ok', async ({ page }) => {
    await pickDemo(page, 'a', 'gather', { delays: '900,500,50', fail: '1' });
    const rex = page.locator('form#params [name="return_exceptions"]');
    if (await rex.count()) await setParam(page, 'form#params', 'return_exceptions', 'false');
    const r = await run(page, 'gather');
    expectDone(r, 'gather');
    const list = checkBars(await bars(page, 'a'), 'gather', 3);
    const outcomes = list.map((b) => b.outcome).join(', ');
    check(outcomes === 'cancelled, error, ok', `gather: tasks 0, 1, 2 should be cancelled, error, ok; they are ${outcomes}`);
    await checkSnippets(page, 'gather', 'asyncio.gather', 'join_all');
    await checkNoError(page, 'gather');
});

test('blocking n=3 delay_ms=150: blocking tasks drawn running, async ones waiting, with the long-poll warnings', async ({ page }) => {
    await pickDemo(page, 'a', 'blocking', { n: '3', delay_ms: '150', mode: 'both' });
    const r = await run(page, 'blocking');
    expectDone(r, 'blocking');
    const list = checkBars(await bars(page, 'a'), 'blocking', 6);
    const running = await page.$$eval('svg.timeline[data-slot="a"] rect.busy', (rects) => rects.map((r) => ({
        task: r.getAttribute('data-task'),
        width: Number(r.getAttribute('width')),
    })));
    const runningWidth = (task) => running.filter((r) => r.task === task).reduce((sum, r) => sum + r.width, 0);
    // The first three tasks block (the blocking run comes first), the last three await.
    for (const bar of list) {
        const share = runningWidth(bar.task) / bar.width;
        if (Number(bar.task) < 3) {
            check(share >= 0.8, `blocking: task ${bar.task} blocks, so its bar should be drawn running (solid) for >= 80% of its width; it is ${(share * 100).toFixed(0)}%`);
        } else {
            check(share <= 0.2, `blocking: task ${bar.task} awaits, so its bar should be drawn mostly waiting (faint); it is ${(share * 100).toFixed(0)}% running`);
        }
    }
    const warnings = await page.$$eval('#warnings li', (items) => items.map((li) => li.textContent));
    check(warnings.length === 3 && warnings.every((w) => w.includes('long poll')),
        `blocking: #warnings should list one long poll per blocking task; it lists ${JSON.stringify(warnings)}`);
    await checkNoError(page, 'blocking');
});

test('timeout delay_ms=2000 timeout_ms=300: one timed_out bar and a timeout marker', async ({ page }) => {
    await pickDemo(page, 'a', 'timeout', { delay_ms: '2000', timeout_ms: '300' });
    const r = await run(page, 'timeout');
    expectDone(r, 'timeout');
    const list = checkBars(await bars(page, 'a'), 'timeout', 1);
    check(list[0].outcome === 'timed_out', `timeout: the bar should be outcome-timed_out: ${fmt(list)}`);
    check(list[0].end < 1500, `timeout: the bar should end near 300 ms, not at the 2000 ms delay: ${fmt(list)}`);
    check(await markerCount(page, 'a', 'timeout') >= 1, 'timeout: the timeline should have a line.marker-timeout');
    await checkSnippets(page, 'timeout', 'wait_for', 'timeout');
    await checkNoError(page, 'timeout');
});

test('as-completed 900,300,100: bars are drawn while the stream runs', async ({ page }) => {
    await pickDemo(page, 'a', 'as-completed', { delays: '900,300,100' });
    const r = await run(page, 'as-completed');
    expectDone(r, 'as-completed');
    // Task 2 (100 ms) completes first, task 0 (900 ms) last: its bar must be in the DOM
    // while #status still reads running and task 0 has not completed.
    const early = r.log.find((e) => e.status === 'running' && (e.bars.a || []).includes('2:ok') && !(e.bars.a || []).includes('0:ok'));
    const states = [...new Set(r.log.map((e) => `${e.status} [${(e.bars.a || []).join(' ')}]`))];
    check(early, `as-completed: the first bar (task 2, ok) should be in the DOM before #status reads done; the page went ${states.join(' -> ')}`);
    const doneAt = r.log.slice(r.log.indexOf(early)).find((e) => e.status === 'done');
    const list = checkBars(await bars(page, 'a'), 'as-completed', 3);
    check(list.every((b) => b.outcome === 'ok'), `as-completed: every bar should be outcome-ok: ${fmt(list)}`);
    await checkSnippets(page, 'as-completed', 'as_completed', 'FuturesUnordered');
    await checkNoError(page, 'as-completed');
    return `first bar ${Math.round(doneAt.t - early.t)} ms before done`;
});

test('an API error is shown: sequential delays=abc', async ({ page, allowConsole }) => {
    await pickDemo(page, 'a', 'sequential', { delays: 'abc' });
    // Chromium itself logs the 400 answer to the console ("Failed to load resource: the
    // server responded with a status of 400"): that one line, for this URL, is expected.
    allowConsole((m) => /status of 400/.test(m.text) && /\/demo\/sequential\?.*delays=abc/.test(m.url));
    const r = await run(page, 'sequential delays=abc');
    check(r.status === 'error' || r.status === 'done', `API error: #status should end "error" or "done", reads "${r.status}"`);
    const text = ((await page.locator('#error').textContent()) || '').trim();
    check(text.includes('delays'), `API error: #error should show the 400's message naming "delays"; it reads ${JSON.stringify(text)}`);
    return `#status ${r.status}, #error ${JSON.stringify(text)}`;
});

test('phone width and keyboard: nothing overflows sideways at 390 px, Enter on Run runs', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
        await pickDemo(page, 'a', 'sequential', { delays: '50,50' });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(overflow <= 1, `at 390 px the page should not scroll sideways; it is ${overflow} px too wide`);
        await page.locator('button#run:enabled').waitFor({ timeout: RUN_TIMEOUT_MS });
        await page.focus('button#run');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelector('#status').textContent.trim() === 'done'
            && document.querySelectorAll('svg.timeline[data-slot="a"] rect.bar').length === 2, null, { timeout: 10_000 })
            .catch(() => { throw new Failure('Enter on the focused Run button should run the demo to done'); });
        const count = await page.locator('svg.timeline[data-slot="a"] rect.bar').count();
        check(count === 2, `a keyboard run should draw 2 bars, drew ${count}`);
        return `overflow ${overflow} px, ${count} bars`;
    } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
    }
});

test('compare: sequential 200,200,200 against gather 200,200,200 on one time axis', async ({ page }) => {
    await page.locator('input#compare[type="checkbox"]').check();
    await page.locator('select#demo-b').waitFor({ state: 'visible', timeout: 5_000 })
        .catch(() => { throw new Failure('checking input#compare should show select#demo-b'); });
    await page.locator('form#params-b').waitFor({ state: 'visible', timeout: 5_000 })
        .catch(() => { throw new Failure('checking input#compare should show form#params-b'); });
    await pickDemo(page, 'a', 'sequential', { delays: '200,200,200' });
    await pickDemo(page, 'b', 'gather', { delays: '200,200,200' });
    const r = await run(page, 'compare');
    expectDone(r, 'compare');
    const a = checkBars(await bars(page, 'a'), 'compare, slot a (sequential)', 3);
    const b = checkBars(await bars(page, 'b'), 'compare, slot b (gather)', 3);
    check([...a, ...b].every((x) => x.outcome === 'ok'), `compare: every bar should be ok: a ${fmt(a)} | b ${fmt(b)}`);
    const scale = await page.$$eval('svg.timeline', (svgs) => svgs.map((s) => [s.dataset.slot, s.getAttribute('data-ms-per-px')]));
    const sa = scale.find(([slot]) => slot === 'a');
    const sb = scale.find(([slot]) => slot === 'b');
    check(sa && sb, `compare: there should be svg.timeline for slots a and b; found ${JSON.stringify(scale)}`);
    check(sa[1] !== null && Number(sa[1]) > 0, `compare: svg a should carry a positive data-ms-per-px, has ${sa[1]}`);
    check(sa[1] === sb[1], `compare: both svgs should carry the same data-ms-per-px; a has ${sa[1]}, b ${sb[1]}`);
    const seqTotal = Math.max(...a.map((x) => x.end));
    const gatherTotal = Math.max(...b.map((x) => x.end));
    check(seqTotal >= 2 * gatherTotal, `compare: the sequential total (${seqTotal} ms) should be at least 2x the gather's (${gatherTotal} ms)`);
    // One time axis: a 200 ms bar is about as wide in either timeline.
    const wa = a[0].width / (a[0].end - a[0].start);
    const wb = b[0].width / (b[0].end - b[0].start);
    check(wa / wb > 0.8 && wa / wb < 1.25, `compare: px per ms should match in both timelines: a ${fmt(a)} | b ${fmt(b)}`);
    await checkNoError(page, 'compare (after the API error)');
    return `sequential ${seqTotal} ms, gather ${gatherTotal} ms, ${sa[1]} ms/px`;
});

test('every idea is a page: its lesson, its complete asyncio program, prev and next', async ({ page }) => {
    const ideas = await page.$$eval('select#demo option', (opts) => opts.map((o) => o.value));
    for (const idea of [...DEMOS, 'asynctasks']) {
        check(ideas.includes(idea), `select#demo should offer "${idea}"; it offers ${ideas.join(', ')}`);
    }
    check(ideas.indexOf(DEMOS[0]) === 0 && ideas.indexOf('cpu') === DEMOS.length - 1,
        `the ideas should come in the tour's order (${DEMOS[0]} first, cpu last of the tour): ${ideas.join(', ')}`);
    for (const idea of [...DEMOS, 'asynctasks']) {
        await page.locator('select#demo').selectOption(idea);
        await page.waitForFunction((want) => new URLSearchParams(location.search).get('idea') === want, idea, { timeout: 5_000 })
            .catch(() => { throw new Failure(`choosing ${idea} should put ?idea=${idea} in the address`); });
        const title = ((await page.locator('article#lesson h2').first().textContent()) || '').trim();
        const paragraphs = await page.locator('article#lesson p').count();
        check(title !== '' && paragraphs >= 2, `${idea}: article#lesson should hold a title and the explanation; title ${JSON.stringify(title)}, ${paragraphs} paragraphs`);
        const program = (await page.locator('pre#python').textContent()) || '';
        check(program.includes('import tour') && program.includes('async def main') && program.length > 400,
            `${idea}: pre#python should show the complete asyncio program, shows ${JSON.stringify(program.slice(0, 80))}`);
        const marked = ((await page.locator('pre#python mark').first().textContent().catch(() => '')) || '').trim();
        check(marked !== '', `${idea}: pre#python should mark the lines that are the idea`);
    }
    return `${ideas.length} ideas`;
});

test('the language switch: Chinese and back, remembered across a reload', async ({ page, base }) => {
    await page.goto(`${base}/ui/?idea=gather`);
    await page.locator('article#lesson h2').waitFor({ timeout: 5_000 });
    const english = (await page.locator('article#lesson h2').textContent()).trim();
    await page.locator('.lang button[data-lang="zh"]').click();
    const lang = await page.evaluate(() => document.documentElement.lang);
    check(lang.startsWith('zh'), `after choosing 中文, <html lang> should be zh-*, is ${lang}`);
    const pressed = await page.locator('.lang button[data-lang="zh"]').getAttribute('aria-pressed');
    check(pressed === 'true', `the 中文 button should be aria-pressed=true, is ${pressed}`);
    const chinese = (await page.locator('article#lesson h2').textContent()).trim();
    check(/[\u4e00-\u9fff]/.test(chinese) && chinese !== english, `the lesson title should turn Chinese: ${JSON.stringify(english)} -> ${JSON.stringify(chinese)}`);
    const runLabel = (await page.locator('button#run').textContent()).trim();
    check(/[\u4e00-\u9fff]/.test(runLabel), `the Run button should read Chinese, reads ${JSON.stringify(runLabel)}`);
    // The parameters' docs come in both languages (openapi.json's x-description-zh).
    const hints = await page.$$eval('form#params small.hint', (els) => els.map((e) => e.textContent.trim()));
    check(hints.length > 0 && hints.every((hint) => /[\u4e00-\u9fff]/.test(hint)),
        `every parameter's hint should read Chinese: ${JSON.stringify(hints)}`);
    const summary = (await page.locator('form#params p.summary').textContent()).trim();
    check(/[\u4e00-\u9fff]/.test(summary), `the form's summary of the route should read Chinese: ${JSON.stringify(summary)}`);
    await page.reload();
    await page.locator('article#lesson h2').waitFor({ timeout: 5_000 });
    const after = (await page.locator('article#lesson h2').textContent()).trim();
    check(after === chinese, `the language should be remembered across a reload: ${JSON.stringify(after)}`);
    await page.locator('.lang button[data-lang="en"]').click();
    const back = (await page.locator('article#lesson h2').textContent()).trim();
    check(back === english, `English again: ${JSON.stringify(back)}`);
    return `${english} / ${chinese}`;
});

test('the glossary: every term of the lessons, its Rust counterpart and a link to its lesson, in both languages', async ({ page, base }) => {
    await page.goto(`${base}/ui/?idea=coroutine#glossary`);
    await page.locator('article#lesson h2').waitFor({ timeout: 5_000 });
    const open = await page.locator('details#glossary-details').evaluate((d) => d.open);
    check(open, '/ui/#glossary should open the glossary');
    const rows = await page.$$eval('table#glossary-table tbody tr', (trs) => trs.map((tr) => ({
        asyncio: tr.querySelector('th code')?.textContent || '',
        rust: tr.children[1].textContent.trim(),
        link: tr.querySelector('a')?.getAttribute('href') || '',
    })));
    check(rows.length >= 40, `the glossary should list every lesson's terms, lists ${rows.length}`);
    check(rows.every((row) => row.asyncio && row.rust && /^\/ui\/\?idea=/.test(row.link)),
        `each row: an asyncio name, its counterpart (or none) and a link to its lesson: ${JSON.stringify(rows.find((r) => !r.asyncio || !r.rust || !r.link))}`);
    for (const name of ['asyncio.ensure_future(coro_or_future)', 'asyncio.get_running_loop()', '__await__', 'fut.set_exception(e)', 'asyncio.to_thread(fn, *args)', 'asyncio.wait(tasks)']) {
        check(rows.some((row) => row.asyncio === name), `the glossary should name ${name}`);
    }
    const ensure = rows.find((row) => row.asyncio === 'asyncio.ensure_future(coro_or_future)');
    check(ensure.link === '/ui/?idea=coroutine' && ensure.rust === 'none', `ensure_future: ${JSON.stringify(ensure)}`);
    await page.locator('.lang button[data-lang="zh"]').click();
    const caption = (await page.locator('table#glossary-table caption').textContent()).trim();
    check(/[\u4e00-\u9fff]/.test(caption), `the glossary's caption should read Chinese: ${caption}`);
    const none = await page.$$eval('table#glossary-table tbody tr', (trs) => trs.filter((tr) => tr.querySelector('th code')?.textContent === 'asyncio.ensure_future(coro_or_future)').map((tr) => tr.children[1].textContent.trim()));
    check(none[0] === '无', `no counterpart reads 无 in Chinese: ${none}`);
    await page.locator('.lang button[data-lang="en"]').click();
    await page.locator(`table#glossary-table a[href="/ui/?idea=awaitable"]`).first().click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('idea') === 'awaitable', null, { timeout: 5_000 })
        .catch(() => { throw new Failure('a glossary link should open its lesson'); });
    return `${rows.length} terms`;
});

test('a deep link reproduces a run: idea and parameters in the address', async ({ page, base }) => {
    const link = `${base}/ui/?idea=gather&delays=400%2C50&fail=1`;
    await page.goto(link);
    await page.waitForFunction(() => document.querySelector('#status').textContent.trim() === 'done', null, { timeout: RUN_TIMEOUT_MS })
        .catch(() => { throw new Failure('opening a link with parameters should run the idea to done'); });
    const delays = await page.locator('form#params [name="delays"]').inputValue();
    check(delays === '400,50', `the form should hold the link's delays, holds ${JSON.stringify(delays)}`);
    const list = checkBars(await bars(page, 'a'), 'deep link', 2);
    check(list.map((b) => b.outcome).join(', ') === 'cancelled, error', `deep link: gather 400,50 with fail=1 should draw cancelled, error: ${fmt(list)}`);
    const href = await page.locator('a#permalink').getAttribute('href');
    check(href && href.includes('idea=gather') && decodeURIComponent(href).includes('delays=400,50'), `a#permalink should hold the run's link, holds ${href}`);
    // The details of the run: tasks, who awaits whom, events, the instance.
    const rows = await page.locator('table#tasks tbody tr').count();
    check(rows === 2, `table#tasks should have one row per task, has ${rows}`);
    const tree = await page.$$eval('ul#tree li', (items) => items.map((li) => li.dataset.task));
    check(tree.join(',') === 'handler,0,1', `ul#tree should show the handler over tasks 0 and 1, shows ${tree.join(',')}`);
    const events = await page.locator('ol#events li').count();
    check(events >= 4, `ol#events should list the run's events in order, lists ${events}`);
    const instance = (await page.locator('#instance').textContent()) || '';
    check(/[0-9a-f]{16}/.test(instance), `#instance should name the instance, reads ${JSON.stringify(instance)}`);
    return `${fmt(list)}; ${events} events`;
});

test('the instance panel: four async sleeps and one blocking call, one lane per instance', async ({ page, base }) => {
    await page.goto(`${base}/ui/?idea=blocking`);
    await page.locator('article#lesson h2').waitFor({ timeout: 5_000 });
    for (const [name, value] of [['requests', '5'], ['blocking', '1'], ['block_ms', '300'], ['sleep_ms', '50']]) {
        await page.locator(`form#fire-form [name="${name}"]`).fill(value);
    }
    await page.locator('button#fire').click();
    await page.waitForFunction(() => document.querySelector('#fire-status').textContent.trim() === 'done', null, { timeout: RUN_TIMEOUT_MS })
        .catch(async () => { throw new Failure(`#fire-status should read done, reads ${JSON.stringify(await page.locator('#fire-status').textContent())}`); });
    const lanes = await page.$$eval('svg.lanes g.lane', (gs) => gs.map((g) => ({
        instance: g.dataset.instance,
        requests: [...g.querySelectorAll('rect.request')].map((r) => ({
            kind: r.dataset.kind, start: Number(r.dataset.start), end: Number(r.dataset.end), width: Number(r.getAttribute('width')),
        })),
        busy: [...g.querySelectorAll('rect.busy')].map((r) => ({ kind: r.dataset.kind, width: Number(r.getAttribute('width')) })),
    })));
    const requests = lanes.flatMap((lane) => lane.requests);
    check(requests.length === 5, `svg.lanes should draw 5 requests, draws ${requests.length}`);
    check(new Set(lanes.map((l) => l.instance)).size === lanes.length, 'one lane per instance');
    const blocking = lanes.find((lane) => lane.requests.some((r) => r.kind === 'blocking'));
    check(blocking, 'a lane should hold the blocking request');
    const blocked = blocking.requests.find((r) => r.kind === 'blocking');
    const solid = blocking.busy.filter((b) => b.kind === 'blocking').reduce((sum, b) => sum + b.width, 0);
    check(solid >= 0.8 * blocked.width, `the blocking request should be drawn solid (holding the thread) for >= 80% of its row: ${solid} of ${blocked.width} px`);
    // The async requests that shared its instance and overlapped it were held up by it.
    const stalled = blocking.requests.filter((r) => r.kind === 'async' && r.start < blocked.start && r.end > blocked.start);
    for (const r of stalled) {
        check(r.end >= blocked.end - 5, `an async request on the blocked instance should end only after the block (${r.end} < ${blocked.end})`);
    }
    const summary = await page.locator('#lanes-summary li').count();
    check(summary === lanes.length, `#lanes-summary should describe each lane: ${summary} for ${lanes.length}`);
    return `${lanes.length} lane(s), ${stalled.length} async request(s) stalled by the block`;
});

test('the Python too: the lesson runs in Pyodide, served by the app, on the same axis as the Rust', async ({ page, base, requests, allowConsole }) => {
    // The browser logs the 500 that task 1 asks the upstream for (fail=1): expected.
    allowConsole((m) => /status of 500/.test(m.text) && /\/upstream\?delay_ms=100&status=500/.test(m.url));
    await page.goto(`${base}/ui/?idea=gather`);
    await page.locator('article#lesson h2').waitFor({ timeout: 5_000 });
    await page.evaluate(installRecorder);
    await pickDemo(page, 'a', 'gather', { delays: '300,100,200', fail: '1' });
    await page.locator('input#python-too').check();
    const started = Date.now();
    const r = await run(page, 'gather with the Python');
    expectDone(r, 'gather with the Python');
    await page.waitForFunction(() => /Python done|Python 完成|failed|失败/.test(document.querySelector('#python-status').textContent), null, { timeout: 90_000 })
        .catch(async () => { throw new Failure(`#python-status should say the Python is done, reads ${JSON.stringify(await page.locator('#python-status').textContent())}`); });
    const status = (await page.locator('#python-status').textContent()) || '';
    check(status.includes('Python done'), `#python-status: ${status}`);
    const rust = checkBars(await bars(page, 'a'), 'Rust', 3);
    const python = checkBars(await bars(page, 'python'), 'Python', 3);
    // gather raised task 1's error: Rust dropped the siblings, asyncio left them running.
    check(rust.map((b) => b.outcome).join(',') === 'cancelled,error,cancelled', `Rust bars: ${fmt(rust)}`);
    check(python.map((b) => b.outcome).join(',') === 'pending,error,pending', `Python bars: ${fmt(python)}`);
    const scale = await page.$$eval('svg.timeline', (svgs) => svgs.map((s) => s.getAttribute('data-ms-per-px')));
    check(new Set(scale).size === 1, `one time axis for both runs: ${scale.join(', ')}`);
    const differences = await page.$$eval('#python-differences li', (items) => items.map((li) => li.textContent));
    check(differences.length === 1 && differences[0].includes('try_join_all'),
        `#python-differences should say why the siblings differ: ${JSON.stringify(differences)}`);
    const origin = new URL(base).origin;
    check(requests.some((url) => url === `${origin}/pyodide/pyodide.asm.wasm`), 'Pyodide should come from the app (/pyodide/)');
    const offsite = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    check(offsite.length === 0, `nothing from elsewhere: ${offsite.join(', ')}`);
    // A second run reuses the loaded Python.
    const again = Date.now();
    const r2 = await run(page, 'gather with the Python, again');
    expectDone(r2, 'gather with the Python, again');
    await page.waitForFunction(() => /Python done/.test(document.querySelector('#python-status').textContent)
        && !/loaded in/.test(document.querySelector('#python-status').textContent), null, { timeout: 30_000 })
        .catch(async () => { throw new Failure(`a second run should not load Pyodide again: ${await page.locator('#python-status').textContent()}`); });
    await page.locator('input#python-too').uncheck();
    const loaded = /loaded in ([\d.]+) s/.exec(status);
    return `Pyodide loaded in ${loaded ? loaded[1] : '?'} s; first run with loading ${again - started} ms, second ${Date.now() - again} ms`;
});

test('every idea: its Rust and its Python run drawn on one axis, task for task', async ({ page, base, allowConsole }) => {
    // Chromium logs an abandoned request (a cancelled call) or an asked-for 500: expected.
    allowConsole((m) => /\/upstream\?/.test(m.url));
    const seen = [];
    // Shorter than the defaults where those take seconds.
    const quicker = { cpu: { n: '2', work_ms: '100' }, asynctasks: { timeout_ms: '1000' } };
    await page.goto(`${base}/ui/?idea=sequential`);
    await page.locator('article#lesson h2').waitFor({ timeout: 5_000 });
    await page.evaluate(installRecorder);
    await page.locator('input#python-too').check();
    for (const idea of [...DEMOS, 'asynctasks']) {
        // Pyodide stays loaded from one idea to the next: the page is not reloaded.
        await pickDemo(page, 'a', idea, quicker[idea] || {});
        const r = await run(page, `${idea} with the Python`);
        expectDone(r, `${idea} with the Python`);
        await page.waitForFunction(() => /Python done|failed/.test(document.querySelector('#python-status').textContent), null, { timeout: 90_000 })
            .catch(async () => { throw new Failure(`${idea}: #python-status reads ${JSON.stringify(await page.locator('#python-status').textContent())}`); });
        const status = (await page.locator('#python-status').textContent()) || '';
        check(status.includes('Python done'), `${idea}: ${status}`);
        const rust = await bars(page, 'a');
        const python = await bars(page, 'python');
        check(rust.length > 0 && python.length === rust.length, `${idea}: ${rust.length} Rust rows, ${python.length} Python rows`);
        const scale = await page.$$eval('svg.timeline', (svgs) => svgs.map((s) => s.getAttribute('data-ms-per-px')));
        check(scale.length === 2 && scale[0] === scale[1], `${idea}: one axis for both runs: ${scale.join(', ')}`);
        seen.push(`${idea} ${rust.length}`);
    }
    await page.locator('input#python-too').uncheck();
    return seen.join(', ');
});

// --- the replay --------------------------------------------------------------------

// What the replay shows for the Rust run now: the holder, the ready queue, the
// marked lines.
async function replayState(page) {
    return page.evaluate(() => {
        const box = document.querySelector('#replay-state .run-state[data-slot="a"]');
        const lines = [...document.querySelectorAll('pre#rust .line.at')].map((l) => `${l.dataset.line}:${l.dataset.tasks}`);
        return {
            t: document.querySelector('#replay-at').textContent,
            holder: box ? box.querySelector('.thread').dataset.holder : null,
            ready: box ? box.querySelector('.ready').dataset.ready : null,
            lines,
            said: document.querySelector('#replay-say').textContent,
        };
    });
}

// Opens `idea` by its address and waits for the run it starts by itself.
async function openAndWait(page, base, idea) {
    await page.goto(`${base}/ui/?idea=${idea}`, { waitUntil: 'load' });
    await page.locator('#replay:not([hidden])').waitFor({ timeout: RUN_TIMEOUT_MS })
        .catch(() => { throw new Failure(`/ui/?idea=${idea} should run by itself and show its replay`); });
}

test('blocking opens playing its run: stepping shows the ready queue and the line each task is at', async ({ page, base }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
        await page.goto(`${base}/ui/?idea=blocking`, { waitUntil: 'load' });
        const loading = (await page.locator('#loading').textContent()).trim();
        await page.locator('#replay:not([hidden])').waitFor({ timeout: RUN_TIMEOUT_MS })
            .catch(() => { throw new Failure('/ui/?idea=blocking should run without a click and show its replay'); });
        const box = await page.locator('#result svg.timeline[data-slot="a"]').boundingBox();
        check(box && box.y < 800, `the timeline should be in view without scrolling at 1280 x 800; its top is at ${box?.y}`);
        await page.waitForFunction(() => document.querySelector('#replay-play').getAttribute('aria-pressed') === 'true', null, { timeout: 5_000 })
            .catch(() => { throw new Failure('the replay should be playing once the run is in'); });
        // From the keyboard: Home goes to the start, the arrows step, space pauses and plays.
        await page.locator('#replay-time').focus();
        await page.keyboard.press('Home');
        const start = await replayState(page);
        check(start.t === '0.0 ms', `Home should go to 0 ms, shows ${start.t}`);
        let sawQueue = null;
        const holders = new Set();
        const lineSets = new Set();
        for (let i = 0; i < 60; i++) {
            await page.keyboard.press('ArrowRight');
            const now = await replayState(page);
            if (now.holder) holders.add(now.holder);
            lineSets.add(now.lines.join(' '));
            if (!sawQueue && now.holder && now.holder !== 'handler' && now.ready.split(',').filter(Boolean).length >= 2) sawQueue = now;
        }
        check(sawQueue, 'stepping through the blocking run should show a task holding the thread with two others in the ready queue');
        check(holders.size >= 3, `stepping should move the thread from task to task; it went to ${[...holders].join(', ')}`);
        check(lineSets.size >= 2 && [...lineSets].some((set) => set !== ''), `stepping should move the marked lines; saw ${[...lineSets].join(' | ')}`);
        const announced = await page.locator('#replay-say').getAttribute('aria-live');
        check(announced === 'polite', `the step is announced politely, aria-live is ${announced}`);
        check(/holds the thread/.test(sawQueue.said), `the live region should say who holds the thread: ${sawQueue.said}`);
        // From the start (near the end, a play would be over before it is read).
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowRight');
        const stepped = (await replayState(page)).t;
        await page.keyboard.press('ArrowLeft');
        check((await replayState(page)).t === '0.0 ms' && stepped !== '0.0 ms', `ArrowLeft should step back to 0 ms from ${stepped}`);
        await page.keyboard.press('Space');
        const playing = await page.locator('#replay-play').getAttribute('aria-pressed');
        await page.keyboard.press('Space');
        check(playing === 'true', `space should play, aria-pressed was ${playing}`);
        return `loading said ${JSON.stringify(loading)}; at ${sawQueue.t} task ${sawQueue.holder} holds the thread, ready [${sawQueue.ready}], lines ${sawQueue.lines.join(' ')}`;
    } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
    }
});

test('the replay with reduced motion steps from moment to moment; at 390 px nothing overflows', async ({ page, base }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 390, height: 844 });
    try {
        await openAndWait(page, base, 'gather');
        const first = (await replayState(page)).t;
        await page.waitForTimeout(1_000);
        const second = (await replayState(page)).t;
        check(first !== second, `with reduced motion play should still move on, moment by moment: ${first} then ${second}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(overflow <= 1, `at 390 px the replay should not scroll sideways; the page is ${overflow} px too wide`);
        return `${first} then ${second}`;
    } finally {
        await page.emulateMedia({ reducedMotion: 'no-preference' });
        await page.setViewportSize({ width: 1280, height: 900 });
    }
});

test('screenshots of three ideas mid-replay at 1280 and 390 px, in English and Chinese', async ({ page, base }) => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const saved = [];
    try {
        for (const language of ['en', 'zh']) {
            await page.evaluate((chosen) => localStorage.setItem('spin-async-demo.language', chosen), language);
            for (const idea of ['blocking', 'gather', 'future']) {
                for (const width of [1280, 390]) {
                    await page.setViewportSize({ width, height: width > 400 ? 800 : 844 });
                    await openAndWait(page, base, idea);
                    // Paused at a moment with the thread held, past the first steps.
                    await page.locator('#replay-time').focus();
                    await page.keyboard.press('Home');
                    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
                    const file = path.join(SCREENSHOTS, `${idea}-${width}-${language}.png`);
                    // On a phone the timeline and its replay are scrolled to, as a reader would.
                    if (width < 400) await page.locator('#result').scrollIntoViewIfNeeded();
                    await page.screenshot({ path: file });
                    saved.push(path.basename(file));
                }
            }
        }
        const chinese = await page.locator('#replay-title').textContent();
        check(/回放/.test(chinese), `the replay's heading should read Chinese: ${chinese}`);
    } finally {
        await page.evaluate(() => localStorage.clear());
        await page.setViewportSize({ width: 1280, height: 900 });
    }
    return `${saved.length} in target/screenshots/`;
});

// --- main -------------------------------------------------------------------------

async function main() {
    const started = Date.now();
    let base = process.env.APP_URL ? process.env.APP_URL.replace(/\/+$/, '') : null;
    if (!fs.existsSync(CHROMIUM)) {
        throw new Failure(`${CHROMIUM} is missing: \`apt-get install -y chromium\` (\`make browser\` does it)`);
    }
    if (!base) {
        app = await ServedApp.start((message) => new Failure(message));
        base = app.base;
    }
    console.log(`browser: ${base}/ui/ in ${CHROMIUM}${app ? ` (${RUNTIME} started here)` : ''}`);

    // launch() runs Chromium on a fresh, empty user-data dir of its own and removes it on close.
    browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        timeout: 60_000,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();

    const consoleErrors = [];
    let allowed = null;
    page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const m = { text: msg.text(), url: msg.location().url || '' };
        if (allowed && allowed(m)) return;
        consoleErrors.push(`console error: ${m.text}${m.url ? ` (${m.url})` : ''}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.stack || err.message || err}`));
    const requests = [];
    const statuses = new Map();
    requests.statusOf = (url) => statuses.get(url);
    page.on('request', (req) => requests.push(req.url()));
    page.on('response', (res) => statuses.set(res.url(), res.status()));

    const load = async () => {
        // A fresh page in English: a check that failed may have left Chinese chosen.
        await page.goto(`${base}/ui/`, { waitUntil: 'load' });
        await page.evaluate(() => localStorage.clear());
        const res = await page.goto(`${base}/ui/`, { waitUntil: 'load' });
        check(res && res.status() === 200, `GET /ui/ should answer 200, got ${res ? res.status() : 'nothing'}`);
        // The demos are listed from /openapi.json once the page has loaded.
        await page.locator('select#demo option').first().waitFor({ state: 'attached', timeout: 5_000 });
        await page.evaluate(installRecorder);
    };

    let passed = 0;
    const failures = [];
    let loaded = false;
    for (const { name, fn } of checks) {
        const t0 = Date.now();
        const errorsBefore = consoleErrors.length;
        const fresh = () => consoleErrors.slice(errorsBefore);
        try {
            if (!loaded) {
                await load();
                loaded = true;
            }
            const info = await fn({ page, base, requests, allowConsole: (f) => { allowed = f; } });
            check(fresh().length === 0, `the console had errors:\n    ${fresh().join('\n    ')}`);
            passed++;
            console.log(`ok   ${name} (${Date.now() - t0} ms)${info ? `: ${info}` : ''}`);
        } catch (err) {
            if (stopping) return 1;
            let message = err instanceof Failure ? err.message : (err.stack || String(err));
            if (!message.startsWith('the console had errors') && fresh().length) {
                message += `\nand the console had errors:\n    ${fresh().join('\n    ')}`;
            }
            failures.push(`${name}\n    ${message.replace(/\n/g, '\n    ')}`);
            console.log(`FAIL ${name} (${Date.now() - t0} ms)\n    ${message.replace(/\n/g, '\n    ')}`);
            loaded = false; // start the next check from a fresh page
        }
    }

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    const checked = consoleErrors.length;
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await sleep(200); // let late console messages arrive
    if (consoleErrors.length > checked) {
        const late = consoleErrors.slice(checked).join('\n    ');
        failures.push(`no console errors after the last check\n    ${late}`);
        console.log(`FAIL the console had errors after the last check:\n    ${late}`);
    }
    console.log(`browser: screenshot in ${path.relative(ROOT, SCREENSHOT)}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    console.log(`browser: ${passed} passed, ${failures.length} failed`);
    if (failures.length) {
        if (app) console.log(`--- ${RUNTIME}'s output (last lines) ---\n${app.tail()}`);
        console.error(`\nbrowser test FAILED:\n  ${failures.join('\n  ')}`);
        return 1;
    }
    return 0;
}

const watchdog = setTimeout(async () => {
    console.error(`browser test FAILED: it took longer than ${WATCHDOG_MS / 1000} s; stopping`);
    await cleanup();
    process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.on(signal, async () => {
        if (stopping) return;
        stopping = true;
        console.error(`browser test: ${signal}; stopping the app and Chromium`);
        await cleanup();
        process.exit(code);
    });
}

let code = 1;
try {
    code = await main();
} catch (err) {
    if (!stopping) {
        console.error(`browser test FAILED: ${err instanceof Failure ? err.message : (err.stack || err)}`);
        if (app) console.error(`--- ${RUNTIME}'s output (last lines) ---\n${app.tail()}`);
    }
    code = 1;
}
// After a signal, its handler cleans up and exits with its own code.
if (!stopping) {
    await cleanup();
    process.exit(code);
}
