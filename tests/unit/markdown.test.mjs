// The lessons' Markdown (src/plumbing/ui/assets/markdown.js), its pure step: text to
// blocks of inline tokens. What is not Markdown stays text, to go in by textContent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseInline, parseMarkdown } from '../../src/plumbing/ui/assets/markdown.js';

const text = (t) => ({ kind: 'text', text: t });
const code = (t) => ({ kind: 'code', text: t });

test('the title and headings: "# " is level 1, "## " 2, "### " 3; "#### " is a paragraph', () => {
    const blocks = parseMarkdown('# gather: all at once\n\n## In Rust\n### Detail\n#### not one\n');
    assert.deepEqual(blocks, [
        { kind: 'heading', level: 1, inline: [text('gather: all at once')] },
        { kind: 'heading', level: 2, inline: [text('In Rust')] },
        { kind: 'heading', level: 3, inline: [text('Detail')] },
        { kind: 'paragraph', inline: [text('#### not one')] },
    ]);
    assert.deepEqual(parseMarkdown('#no space'), [{ kind: 'paragraph', inline: [text('#no space')] }]);
});

test('paragraphs: lines joined by a space, a blank line ends one', () => {
    assert.deepEqual(parseMarkdown('one\ntwo\n\n  three  \n'), [
        { kind: 'paragraph', inline: [text('one two')] },
        { kind: 'paragraph', inline: [text('three')] },
    ]);
});

test('lists: "- " items, an indented line goes on with the item, anything else ends the list', () => {
    const blocks = parseMarkdown('Intro\n- first `a`\n  still first\n- second\nafter\n\n- again\n');
    assert.deepEqual(blocks, [
        { kind: 'paragraph', inline: [text('Intro')] },
        { kind: 'list', items: [[text('first '), code('a'), text(' still first')], [text('second')]] },
        { kind: 'paragraph', inline: [text('after')] },
        { kind: 'list', items: [[text('again')]] },
    ]);
});

test('code fences: lines kept as written, Markdown inside is not read, the language noted', () => {
    const blocks = parseMarkdown('Before\n```python\nasync def main():\n    await x  # **not bold**\n\n- not a list\n```\nAfter');
    assert.deepEqual(blocks, [
        { kind: 'paragraph', inline: [text('Before')] },
        { kind: 'code', language: 'python', text: 'async def main():\n    await x  # **not bold**\n\n- not a list' },
        { kind: 'paragraph', inline: [text('After')] },
    ]);
    assert.deepEqual(parseMarkdown('```\nopen <b>'), [{ kind: 'code', language: '', text: 'open <b>' }],
        'a fence never closed holds the rest');
});

test('inline code and bold', () => {
    assert.deepEqual(parseInline('`asyncio.gather(*aws)` returns **in order**, not `as_completed`'), [
        code('asyncio.gather(*aws)'), text(' returns '), { kind: 'strong', text: 'in order' }, text(', not '), code('as_completed'),
    ]);
    assert.deepEqual(parseInline('a `**x**` b'), [text('a '), code('**x**'), text(' b')], 'no bold inside code');
    assert.deepEqual(parseInline('an odd ` and ** stay'), [text('an odd ` and ** stay')]);
});

test('links: to this app or the web; any other scheme stays the text it was', () => {
    assert.deepEqual(parseInline('see [gather](/ui/?idea=gather) and [docs](https://docs.python.org/3/library/asyncio.html).'), [
        text('see '), { kind: 'link', text: 'gather', href: '/ui/?idea=gather' }, text(' and '),
        { kind: 'link', text: 'docs', href: 'https://docs.python.org/3/library/asyncio.html' }, text('.'),
    ]);
    assert.deepEqual(parseInline('[x](javascript:alert(1))'), [text('[x](javascript:alert(1))')]);
    assert.deepEqual(parseInline('[x](data:text/html,hi) y'), [text('[x](data:text/html,hi) y')]);
    assert.deepEqual(parseInline('`[x](/ui/)`'), [code('[x](/ui/)')], 'no link inside code');
});

test('HTML in a lesson is text: it is never read as markup', () => {
    const blocks = parseMarkdown('# <script>alert(1)</script>\n\n<b>bold?</b> &amp; `<i>`');
    assert.deepEqual(blocks, [
        { kind: 'heading', level: 1, inline: [text('<script>alert(1)</script>')] },
        { kind: 'paragraph', inline: [text('<b>bold?</b> &amp; '), code('<i>')] },
    ]);
});

test('every lesson parses: a title first, and its Terms section as the last list', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const root = path.join(import.meta.dirname, '../../src/tour');
    const folders = fs.readdirSync(root).filter((name) => fs.existsSync(path.join(root, name, 'lesson.en.md')));
    assert.ok(folders.length >= 16, `lessons found: ${folders.length}`);
    for (const folder of folders) {
        for (const language of ['en', 'zh']) {
            const blocks = parseMarkdown(fs.readFileSync(path.join(root, folder, `lesson.${language}.md`), 'utf8'));
            assert.equal(blocks[0].kind, 'heading', `${folder} ${language}: a title first`);
            assert.equal(blocks[0].level, 1);
            assert.equal(blocks.at(-1).kind, 'list', `${folder} ${language}: the Terms list last`);
            assert.ok(blocks.filter((b) => b.kind === 'paragraph').length >= 2, `${folder} ${language}: paragraphs`);
        }
    }
});
