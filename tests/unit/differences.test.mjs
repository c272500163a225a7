// The deliberate differences (src/plumbing/ui/assets/differences.js) read as the
// oracle and the page read them: the real src/common/python/differences.json against
// Rust reports shaped like the demos' (demo, params, report fields).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applies, applying, expectedOutcome, ignoredFields, waived } from '../../src/plumbing/ui/assets/differences.js';

const DIFFERENCES = JSON.parse(fs.readFileSync(
    path.join(import.meta.dirname, '../../src/common/python/differences.json'), 'utf8')).differences;

// A Rust report: the fields the rules look at.
const report = (demo, params, fields = {}) => ({ demo, params, tasks: [], ...fields });
const ideaOf = (rules) => rules.map((rule) => rule.idea);

test('gather: the rule applies to a run whose gather raised, not to one that did not', () => {
    const failed = report('gather', { delays: [300, 100, 200], fail: 1, return_exceptions: false }, { outcome: 'error' });
    const fine = report('gather', { delays: [300, 100, 200], fail: null, return_exceptions: false }, { outcome: 'ok' });
    const rules = applying(DIFFERENCES, 'gather', failed);
    assert.equal(rules.length, 1);
    assert.match(rules[0].why, /try_join_all/);
    assert.deepEqual(applying(DIFFERENCES, 'gather', fine), []);
    assert.equal(expectedOutcome(rules, 'cancelled'), 'pending', 'asyncio leaves the siblings running');
    assert.equal(expectedOutcome(rules, 'error'), 'error');
    assert.equal(expectedOutcome([], 'cancelled'), 'cancelled', 'no rule: the same outcome');
    assert.deepEqual([...ignoredFields(rules)], ['cancelled']);
});

test('blocking: labels always differ; the offload rule only with params.mode=offload', () => {
    const both = applying(DIFFERENCES, 'blocking', report('blocking', { n: 3, delay_ms: 80, mode: 'both' }));
    assert.equal(both.length, 1);
    assert.ok(waived(both, 'labels'));
    assert.ok(!waived(both, 'elapsed') && !waived(both, 'held'));
    const offload = applying(DIFFERENCES, 'blocking', report('blocking', { n: 3, delay_ms: 80, mode: 'offload' }));
    assert.equal(offload.length, 2);
    assert.ok(waived(offload, 'elapsed') && waived(offload, 'held') && waived(offload, 'labels'));
    assert.ok(!waived(offload, 'results'));
});

test('cpu: a rule listing several values of a parameter applies for each of them', () => {
    for (const [mode, count] of [['inline', 1], ['offload', 2], ['both', 2]]) {
        assert.equal(applying(DIFFERENCES, 'cpu', report('cpu', { n: 2, work_ms: 60, mode })).length, count, `mode=${mode}`);
    }
    const ignored = ignoredFields(applying(DIFFERENCES, 'cpu', report('cpu', { mode: 'inline' })));
    assert.ok(ignored.has('runs') && ignored.has('offload_ran'));
});

test('a rule is for its own idea only; an idea without rules gets none', () => {
    assert.deepEqual(applying(DIFFERENCES, 'sequential', report('sequential', { delays: [60] })), []);
    assert.deepEqual(ideaOf(applying(DIFFERENCES, 'loop', report('loop', { delay_ms: 50 }))), ['loop']);
    // The gather rule against a wait report that also failed: not wait's.
    assert.deepEqual(applying(DIFFERENCES, 'wait', report('wait', { fail: 2 }, { outcome: 'error' })), []);
});

test('applies: every field of `when` must match, a report field or params.NAME', () => {
    const rule = { idea: 'x', when: { outcome: ['error'], 'params.mode': ['a', 'b'] } };
    assert.ok(applies(rule, report('x', { mode: 'b' }, { outcome: 'error' })));
    assert.ok(!applies(rule, report('x', { mode: 'c' }, { outcome: 'error' })));
    assert.ok(!applies(rule, report('x', { mode: 'a' }, { outcome: 'ok' })));
    assert.ok(!applies(rule, report('x', {}, { outcome: 'error' })), 'a missing parameter matches nothing');
    assert.ok(applies({ idea: 'x' }, report('x', {})), 'no `when`: always');
    assert.ok(!applies({ idea: 'x', when: { 'params.fail': [1] } }, report('x', { fail: '1' })), 'values compare exactly');
});

test('rules apply in order: a later outcome mapping follows an earlier one', () => {
    const rules = [{ outcomes: { cancelled: 'pending' } }, { outcomes: { pending: 'ok' } }];
    assert.equal(expectedOutcome(rules, 'cancelled'), 'ok');
    assert.equal(expectedOutcome(rules.slice().reverse(), 'cancelled'), 'pending');
});
