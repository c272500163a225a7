// The other pure parts of the page: the glossary's rows (glossary.js), the program's
// marked region (lesson.js), the instance panel's settings, lanes and scale
// (lanes.js), and what a task awaits in words (details.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { glossaryRows } from '../../src/plumbing/ui/assets/glossary.js';
import { programChunks, titleOf } from '../../src/plumbing/ui/assets/lesson.js';
import { laneFacts, lanesOf, lanesScale, settingsOf } from '../../src/plumbing/ui/assets/lanes.js';
import { LABEL_ROOM, LEFT, RIGHT, WIDTH } from '../../src/plumbing/ui/assets/timeline.js';

const GLOSSARY = [
    { asyncio: 'asyncio.gather(*aws)', rust: 'try_join_all', meaning: { en: 'runs them `together`', zh: '一起运行' },
        idea: 'gather', title: { en: 'gather', zh: 'gather：一起' } },
    { asyncio: 'asyncio.ensure_future(x)', rust: null, meaning: { en: 'wraps it', zh: '' },
        idea: 'gather vs wait', title: { en: 'coroutine' } },
];

test('glossary rows: in the language asked for, English where a text lacks it, in the given order', () => {
    const zh = glossaryRows(GLOSSARY, 'zh');
    assert.deepEqual(zh.map((row) => row.asyncio), ['asyncio.gather(*aws)', 'asyncio.ensure_future(x)']);
    assert.equal(zh[0].lesson, 'gather：一起');
    assert.deepEqual(zh[0].meaning, [{ kind: 'text', text: '一起运行' }]);
    assert.equal(zh[1].lesson, 'coroutine', 'no Chinese title: the English one');
    assert.deepEqual(zh[1].meaning, [{ kind: 'text', text: 'wraps it' }], 'an empty meaning: the English one');
    assert.equal(zh[1].rust, null, 'no counterpart');
    const en = glossaryRows(GLOSSARY, 'en');
    assert.deepEqual(en[0].meaning, [{ kind: 'text', text: 'runs them ' }, { kind: 'code', text: 'together' }]);
    assert.equal(en[0].href, '/ui/?idea=gather');
    assert.equal(en[1].href, '/ui/?idea=gather%20vs%20wait', 'the idea is encoded in the link');
});

test('the program: the lines between the region markers are marked, the markers are not', () => {
    const python = 'import tour\n\n# region: gather\nawait gather(a, b)\n# endregion: gather\nrun()\n';
    assert.deepEqual(programChunks(python), [
        { text: 'import tour\n\n# region: gather\n', marked: false },
        { text: 'await gather(a, b)\n', marked: true },
        { text: '# endregion: gather\nrun()\n', marked: false },
    ]);
    assert.deepEqual(programChunks('a\n    # region: x\nb'), [{ text: 'a\n    # region: x\n', marked: false }, { text: 'b\n', marked: true }],
        'an indented marker counts; a region never closed runs to the end');
    assert.equal(programChunks(python).map((chunk) => chunk.text).join(''), python, 'nothing lost');
});

test('an idea\'s title: its lesson\'s in the page\'s language, else its name', () => {
    const state = { language: 'zh', lessons: { gather: { title: { en: 'gather', zh: 'gather：一起' } } } };
    assert.equal(titleOf(state, 'gather'), 'gather：一起');
    assert.equal(titleOf({ ...state, language: 'en' }, 'gather'), 'gather');
    assert.equal(titleOf(state, 'asynctasks'), 'asynctasks');
});

test('the instance panel\'s form: numbers in range, at most 6 requests, defaults for what is not a number', () => {
    const of = (query) => settingsOf(new URLSearchParams(query));
    assert.deepEqual(of('requests=5&blocking=1&block_ms=300&sleep_ms=50'), { count: 5, blocking: 1, blockMs: 300, sleepMs: 50 });
    assert.deepEqual(of('requests=40&blocking=9&block_ms=99999&sleep_ms=0'), { count: 6, blocking: 6, blockMs: 2000, sleepMs: 50 });
    assert.deepEqual(of('requests=abc&blocking=-2&block_ms=-5'), { count: 5, blocking: 0, blockMs: 1, sleepMs: 50 });
});

const request = (kind, instance, number, started, elapsed, longest) => ({
    kind,
    report: { instance: { id: instance, request_number: number, serving: 1 }, started_unix_ms: started, elapsed_ms: elapsed,
        busy: [], tasks: [{ longest_poll_ms: longest }] },
});

test('lanes: one per instance, in the order they answered, each in request-number order; one scale', () => {
    const reports = [
        request('async', 'b1', 4, 1000, 360, 0.2), request('async', 'a2', 1, 1002, 50, 0.1),
        request('blocking', 'b1', 3, 1020, 300, 300), request('async', 'b1', 5, 1001, 340, 0.3),
    ];
    const lanes = lanesOf(reports);
    assert.deepEqual([...lanes.keys()], ['b1', 'a2']);
    assert.deepEqual(lanes.get('b1').map(({ report }) => report.instance.request_number), [3, 4, 5]);
    const { origin, msPerPx } = lanesScale(reports);
    assert.equal(origin, 1000);
    assert.equal(msPerPx, 360 / (WIDTH - LEFT - RIGHT - LABEL_ROOM), 'the last end (1360) reaches the label room');
    assert.deepEqual(laneFacts('b1', lanes.get('b1'), 50),
        { id: 'b1', count: 3, delay: 50, numbers: '3, 4, 5', longest: '300', slowest: '360' });
    assert.equal(laneFacts('x', [request('blocking', 'x', 1, 0, 10, 9)], 50).slowest, '–', 'no async request: no slowest');
});

test('what a task awaits, in words (details.js)', async () => {
    const { describeAwait } = await import('../../src/plumbing/ui/assets/details.js');
    const say = (key) => ({ col_task: 'task' })[key];
    assert.equal(describeAwait({ kind: 'timer', ms: 50 }, say), 'sleep 50 ms');
    assert.equal(describeAwait({ kind: 'future', name: 'fut', set_by: null }, say), 'fut (not set)');
    assert.equal(describeAwait({ kind: 'future', name: 'fut', set_by: 2 }, say), 'fut (set by task 2)');
    assert.equal(describeAwait({ kind: 'race', timer_ms: 300, work: [{ kind: 'task', task: 1 }, { kind: 'http', request: 'GET /upstream' }] }, say),
        'timeout 300 ms, racing task 1, HTTP GET /upstream');
    assert.equal(describeAwait({ kind: 'race', timer_ms: 300, work: [] }, say), 'timeout 300 ms, racing nothing yet');
    assert.equal(describeAwait({ kind: 'something new' }, say), 'something new');
});
