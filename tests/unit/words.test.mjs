// The page's words (src/plumbing/ui/assets/words.js): both languages say every
// thing, the same way (text or a function of the same values), and the language a
// visitor gets is the one they chose, else the browser's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES, WORDS, languageOf, saveLanguage, savedLanguage, say } from '../../src/plumbing/ui/assets/words.js';

// Values for every function's argument: whatever it reads, it finds.
const SAMPLE = new Proxy({}, { get: (_, key) => (key === Symbol.toPrimitive ? () => '7' : `<${String(key)}>`) });

test('every key is in both languages, and of the same kind', () => {
    assert.deepEqual(LANGUAGES, ['en', 'zh']);
    const keys = (language) => Object.keys(WORDS[language]).sort();
    assert.deepEqual(keys('zh'), keys('en'), 'en and zh list the same keys');
    for (const key of keys('en')) {
        assert.equal(typeof WORDS.zh[key], typeof WORDS.en[key], `${key}: text in one language, a function in the other`);
        if (typeof WORDS.en[key] === 'function') {
            assert.equal(WORDS.zh[key].length, WORDS.en[key].length, `${key}: the same number of arguments`);
        } else {
            assert.ok(WORDS.en[key].trim() && WORDS.zh[key].trim(), `${key}: not empty`);
        }
    }
});

test('every function can be called and says something in its language', () => {
    for (const language of LANGUAGES) {
        for (const [key, words] of Object.entries(WORDS[language])) {
            if (typeof words !== 'function') continue;
            const text = words(SAMPLE, SAMPLE);
            assert.equal(typeof text, 'string', `${language}.${key} gives text`);
            assert.ok(!text.includes('undefined'), `${language}.${key}: ${text}`);
        }
    }
    assert.match(say('zh', 'python_failed')('boom'), /^Python 运行失败：boom$/);
    assert.equal(say('en', 'python_done')(12, null), 'Python done: 12 ms on the same axis, drawn under the Rust.');
    assert.match(say('en', 'python_done')(12, '3.1'), /Pyodide loaded in 3\.1 s/);
});

test('say: the key in the language asked for, English where it lacks one', () => {
    assert.equal(say('en', 'run'), 'Run');
    assert.equal(say('zh', 'run'), '运行');
    assert.equal(say('fr', 'run'), 'Run', 'a language the page does not speak reads English');
    assert.equal(say('en', 'no-such-key'), undefined);
});

test('the language: the page speaks en and zh; a saved choice wins over the browser', () => {
    assert.equal(languageOf('zh'), 'zh');
    assert.equal(languageOf('fr'), 'en');
    assert.equal(languageOf(undefined), 'en');
    const stored = new Map();
    const storage = { getItem: (key) => stored.get(key) ?? null, setItem: (key, value) => stored.set(key, value) };
    assert.equal(savedLanguage('zh-CN', storage), 'zh', 'nothing saved: the browser language');
    assert.equal(savedLanguage('en-GB', storage), 'en');
    assert.equal(savedLanguage(undefined, storage), 'en');
    saveLanguage('zh', storage);
    assert.equal(savedLanguage('en-US', storage), 'zh', 'the saved choice');
    const locked = { getItem() { throw new Error('private mode'); }, setItem() { throw new Error('private mode'); } };
    assert.doesNotThrow(() => saveLanguage('zh', locked));
    assert.equal(savedLanguage('zh-TW', locked), 'zh', 'storage that throws counts as nothing saved');
});
