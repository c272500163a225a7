// The replay's model (src/plumbing/ui/assets/replay.js) on runs shaped like the
// blocking lesson's: three tasks spawned at once, each holding the thread in turn.
import test from 'node:test';
import assert from 'node:assert/strict';
import { HANDLER, lineInShown, momentsOf, nextMoment, stateAt, tracksOf } from '../../src/plumbing/ui/assets/replay.js';

const at = (line) => ({ file: 'src/tour/15-blocking/src/lib.rs', line });
const task = (id, started, finished, awaits = []) => ({
    id, label: `task ${id}`, parent: null, awaits, started_ms: started, finished_ms: finished, outcome: 'ok',
});
// The handler spawns three tasks and awaits them; each blocks 200 ms in one poll.
const blocking = {
    elapsed_ms: 601,
    tasks: [task(0, 0.2, 200.3), task(1, 200.3, 400.4), task(2, 400.4, 600.5)],
    steps: [
        { task: null, from_ms: 0, to_ms: 0.2, at: at(40) },
        { task: 0, from_ms: 0.2, to_ms: 200.3, ready_ms: 0.1 },
        { task: 1, from_ms: 200.3, to_ms: 400.4, ready_ms: 0.1 },
        { task: 2, from_ms: 400.4, to_ms: 600.5, ready_ms: 0.1 },
        { task: null, from_ms: 600.6, to_ms: 600.8, ready_ms: 600.5 },
    ],
};

test('one task holds the thread; the blocked ones wait in the ready queue in the order they became ready', () => {
    const state = stateAt(blocking, 100);
    assert.equal(state.holder, 0);
    assert.deepEqual(state.ready.map((t) => t.key), [1, 2]);
    const handler = state.tasks.find((t) => t.key === HANDLER);
    assert.equal(handler.state, 'waiting');
    assert.deepEqual(handler.line, at(40), 'the handler waits at the line its poll stopped at');
    const later = stateAt(blocking, 300);
    assert.equal(later.holder, 1);
    assert.deepEqual(later.ready.map((t) => t.key), [2]);
    assert.equal(later.tasks.find((t) => t.key === 0).state, 'done');
});

test('at the end nothing runs and nothing is ready', () => {
    const state = stateAt(blocking, 601);
    assert.equal(state.holder, null);
    assert.equal(state.ready.length, 0);
    assert.ok(state.tasks.filter((t) => t.key !== HANDLER).every((t) => t.state === 'done'));
});

test('a task not yet ready has not started; a step nested in another is inside it', () => {
    const run = {
        elapsed_ms: 50,
        tasks: [task(0, 5, 40)],
        steps: [
            { task: null, from_ms: 0, to_ms: 10, at: at(12) },
            { task: 0, from_ms: 5, to_ms: 6, ready_ms: 5, at: at(12) },
            { task: null, from_ms: 40, to_ms: 41, ready_ms: 39 },
        ],
    };
    assert.equal(stateAt(run, 2).tasks.find((t) => t.key === 0).state, 'not_started');
    const nested = stateAt(run, 5.5);
    assert.equal(nested.holder, HANDLER, 'the outer poll holds the thread');
    assert.equal(nested.tasks.find((t) => t.key === 0).inside, HANDLER);
    assert.equal(stateAt(run, 39.5).tasks.find((t) => t.key === HANDLER).state, 'ready');
});

test('what a task waits on is what it awaits at its line', () => {
    const awaits = [{ kind: 'timer', ms: 100, at: at(20) }, { kind: 'task', task: 3, at: at(22) }];
    const run = { elapsed_ms: 10, tasks: [task(0, 0, null, awaits)], steps: [{ task: 0, from_ms: 0, to_ms: 1, ready_ms: 0, at: at(22) }] };
    const waiting = stateAt(run, 5).tasks.find((t) => t.key === 0);
    assert.equal(waiting.state, 'waiting');
    assert.deepEqual(waiting.awaits, [awaits[1]]);
});

test('moments are the steps\' edges, ready times and ends, in order; stepping stops at the ends', () => {
    const moments = momentsOf(blocking);
    assert.deepEqual(moments.slice(0, 4), [0, 0.1, 0.2, 200.3]);
    assert.equal(moments.at(-1), 601);
    assert.equal(nextMoment(moments, 0.2, 1), 200.3);
    assert.equal(nextMoment(moments, 200.3, -1), 0.2);
    assert.equal(nextMoment(moments, 0, -1), 0);
    assert.equal(nextMoment(moments, 601, 1), 601);
});

test('tracks: the handler only when it has steps', () => {
    assert.deepEqual(tracksOf({ tasks: [task(0, 0, 1)], steps: [] }).map((t) => t.key), [0]);
    assert.equal(tracksOf(blocking)[0].key, HANDLER);
});

test('a location maps to its line among the regions shown, one blank line between regions', () => {
    const sources = [
        { file: 'a.rs', first_line: 10, last_line: 14 },
        { file: 'a.rs', first_line: 30, last_line: 31 },
    ];
    assert.equal(lineInShown(sources, { file: 'a.rs', line: 10 }), 0);
    assert.equal(lineInShown(sources, { file: 'a.rs', line: 14 }), 4);
    assert.equal(lineInShown(sources, { file: 'a.rs', line: 31 }), 7);
    assert.equal(lineInShown(sources, { file: 'a.rs', line: 20 }), -1);
    assert.equal(lineInShown(sources, { file: 'b.rs', line: 10 }), -1);
    assert.equal(lineInShown(sources, null), -1);
});
