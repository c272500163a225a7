// The timeline's scale and layout (src/plumbing/ui/assets/timeline.js), and how far
// a run (run.js) says the axis must reach: the numbers the SVG is drawn with.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BAR, LABEL_ROOM, LEFT, RIGHT, ROW, TOP, WIDTH, axisMs, barWidth, heightFor, labelAt, msPerPxFor, xAt }
    from '../../src/plumbing/ui/assets/timeline.js';
import { Run } from '../../src/plumbing/ui/assets/run.js';

const INNER = WIDTH - LEFT - RIGHT;

test('one axis for every run: the longest span plus 15% fills the drawing', () => {
    const msPerPx = msPerPxFor([600, 200, 1000]);
    assert.equal(msPerPx, (1000 * 1.15) / INNER);
    assert.equal(msPerPxFor([1000]), msPerPx, 'shorter runs do not change the axis');
    assert.ok(Math.abs(axisMs(msPerPx) - 1150) < 1e-9, 'the axis spans 1150 ms');
    assert.ok(Math.abs(xAt(1000, msPerPx) - (LEFT + INNER / 1.15)) < 1e-9, 'the longest run ends before the edge');
    assert.equal(xAt(0, msPerPx), LEFT, '0 ms is at the left margin');
});

test('bar widths are proportional to time, never thinner than one unit', () => {
    const msPerPx = 2;
    assert.equal(barWidth(100, 300, msPerPx), 100);
    assert.equal(barWidth(100, 200, msPerPx) * 2, barWidth(100, 300, msPerPx));
    assert.equal(barWidth(50, 50, msPerPx), 1, 'an instant still shows');
    assert.equal(barWidth(50, 50.5, msPerPx), 1);
});

test('height: one row per task (at least one), the top margin and room for the axis', () => {
    assert.equal(heightFor(3), TOP + 3 * ROW + 24);
    assert.equal(heightFor(0), heightFor(1), 'an empty run still draws one row');
    assert.ok(BAR < ROW, 'bars leave a gap between rows');
});

test('labels: after the bar while there is room, else before it', () => {
    assert.deepEqual(labelAt(100, 300), { x: 304, anchor: 'start' });
    const edge = WIDTH - LABEL_ROOM;
    assert.deepEqual(labelAt(400, edge), { x: 396, anchor: 'end' }, 'a bar reaching the edge: label before it');
    assert.deepEqual(labelAt(100, edge), { x: 96, anchor: 'start' }, 'and when the bar starts near the left edge, read from there');
    assert.deepEqual(labelAt(2, edge), { x: LEFT, anchor: 'start' }, 'never left of the margin');
});

test('a run reaches its elapsed time, its expected time and its timeout, whichever is last', () => {
    const run = new Run('a', 'timeout', new URLSearchParams('delay_ms=2000&timeout_ms=300'), '/demo/timeout');
    run.takeReport({ elapsed_ms: 301.5, expected_ms: 300, tasks: [{ id: 0, label: 'call', outcome: 'timed_out' }] });
    assert.equal(run.span(), 301.5);
    const slow = new Run('b', 'gather', new URLSearchParams('timeout_ms=900'));
    slow.takeReport({ elapsed_ms: 120, expected_ms: 500, tasks: [] });
    assert.equal(slow.span(), 900, 'the timeout marker must be on the axis');
    const early = new Run('b', 'gather', new URLSearchParams());
    early.takeReport({ elapsed_ms: 0, expected_ms: 0, tasks: [] });
    assert.equal(early.span(), 1, 'never a zero axis');
});

test('a stream: task lines fill the run as they come, the summary line is its report', () => {
    const run = new Run('a', 'as-completed', new URLSearchParams());
    run.takeLine({ task: 2, label: 'fetch 100', started_ms: 0.4, finished_ms: 101, outcome: 'ok', busy: [[0.4, 0.6]] });
    run.takeLine({ what: 'completed', t_ms: 101 });
    assert.deepEqual([...run.tasks.keys()], [2]);
    assert.equal(run.report, null);
    run.takeLine({ what: 'summary', elapsed_ms: 901, expected_ms: 900, tasks: [{ id: 2, polls: 2 }, { id: 0, label: 'fetch 900' }] });
    assert.equal(run.elapsed(), 901);
    assert.deepEqual(run.tasks.get(2), { id: 2, label: 'fetch 100', started_ms: 0.4, finished_ms: 101, outcome: 'ok', busy: [[0.4, 0.6]], polls: 2 },
        'the report adds to what the stream said');
    assert.equal(run.tasks.size, 2);
});
