/**
 * Plain-text fields (headlines, writers' names and titles, captions, credits,
 * topics) hold text: decoded and stripped until nothing changes, so no
 * `<letter` survives however many times markup was entity-encoded — on write
 * (toPlainText, with the full HTML entity table and sanitize-html) and when a
 * stored item is rendered (plainLine, the renderers' lighter rule) — and what
 * either makes is its own fixed point.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { type Article, CONTENT_RULES } from '../../functions/core/article.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import { toPlainText } from '../../functions/core/html.ts';
import { plainLine } from '../../functions/core/text.ts';
import config from '../../newswire.config.ts';

/** What a browser or reader would take for the start of markup. */
const OPENS_MARKUP = /<[A-Za-z!/?]/;

/** One layer of entity encoding, in one of the spellings CMSs and attackers use. */
const encodings: ((text: string) => string)[] = [
  (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  (t) => t.replace(/&/g, '&#38;').replace(/</g, '&#60;').replace(/>/g, '&#62;'),
  (t) => t.replace(/&/g, '&#x26;').replace(/</g, '&#x3C;').replace(/>/g, '&#x3e;'),
  (t) => t.replace(/&/g, '&AMP;').replace(/</g, '&LT;').replace(/>/g, '&GT;'),
  // Legacy references without a semicolon, which browsers still decode.
  (t) => t.replace(/&/g, '&amp').replace(/</g, '&lt').replace(/>/g, '&gt'),
];

/** Markup that each decoding round reveals anew: a tag whose text is the next layer, encoded. */
function nested(payload: string, layers: number, encoding: number): string {
  let text = payload;
  for (let i = 0; i < layers; i++) text = `<b>x</b>${encodings[encoding % encodings.length]!(text)}`;
  return text;
}

const fragment = fc.constantFrom(
  '<',
  '>',
  '&',
  ';',
  '#',
  'img src=x onerror=alert(1)',
  'script',
  '/',
  '!--',
  'amp;',
  'lt;',
  'gt',
  '#60;',
  '#x3c;',
  'fjlig;',
  ' ',
  'a',
  'Lund & Marsh',
  '5 < 6',
  '\u00e9',
);
const messy = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));
const layered = fc.record({
  text: messy,
  layers: fc.integer({ min: 0, max: 20 }),
  encoding: fc.nat(),
});

/** Decodes with the full HTML entity table up to `times` times; true if markup appears on the way. */
function decodesToMarkup(text: string, times = 6): boolean {
  let current = text;
  for (let i = 0; i < times; i++) {
    if (OPENS_MARKUP.test(current)) return true;
    current = decodeHTML(current);
  }
  return OPENS_MARKUP.test(current);
}

describe('plain text: decoded and stripped until nothing changes', () => {
  test('markup encoded five times (the reported case) leaves no tag in any plain-text field', () => {
    for (let layers = 1; layers <= 24; layers++) {
      for (let encoding = 0; encoding < encodings.length; encoding++) {
        const input = nested('<img src=x onerror=alert(1)>', layers, encoding);
        const { text, markup } = toPlainText(input);
        assert.doesNotMatch(text, OPENS_MARKUP, `${layers} layers, encoding ${encoding}: ${text}`);
        assert.equal(decodesToMarkup(text), false, `${layers} layers: ${text}`);
        assert.ok(markup, 'the answer says markup was removed');
        assert.doesNotMatch(plainLine(input), OPENS_MARKUP, `rendered, ${layers} layers`);
      }
    }
  });

  test('property: on write, no `<letter` survives any number of encodings, even decoded again, and the result is a fixed point', () => {
    fc.assert(
      fc.property(layered, ({ text, layers, encoding }) => {
        let input = text;
        for (let i = 0; i < layers; i++) input = encodings[(encoding + i) % encodings.length]!(input);
        const once = toPlainText(input).text;
        assert.doesNotMatch(once, OPENS_MARKUP);
        assert.equal(decodesToMarkup(once), false, once);
        assert.equal(decodeHTML(once), once, 'nothing left to decode');
        assert.equal(toPlainText(once).text, once, 'a fixed point');
      }),
      { numRuns: 600 },
    );
  });

  test('property: when rendered, a stored field holds no `<letter` however it was stored, and the rule is a fixed point', () => {
    fc.assert(
      fc.property(layered, ({ text, layers, encoding }) => {
        let stored = text;
        for (let i = 0; i < layers; i++) stored = encodings[(encoding + i) % encodings.length]!(stored);
        const shown = plainLine(stored);
        assert.doesNotMatch(shown, OPENS_MARKUP);
        assert.equal(decodesToMarkup(shown), false, shown);
        assert.equal(plainLine(shown), shown, 'a fixed point');
        // What the write rule stores, the renderers show as it is.
        const written = toPlainText(stored).text;
        assert.equal(plainLine(written), written);
      }),
      { numRuns: 600 },
    );
  });

  test('text that only looks special is kept as written', () => {
    for (const text of ['AT&T says 5 < 6 and "yes" > no', 'R&D', 'Lund & Marsh', 'a <3 b', '<>']) {
      assert.equal(toPlainText(text).text, text);
      assert.equal(plainLine(text), text);
    }
  });

  test('stored items, whatever rules they were written under, render with no tag in titles, authors or tags', () => {
    const payload = nested('<img src=x onerror=alert(1)>', 5, 0);
    for (const rules of [undefined, 2, CONTENT_RULES]) {
      const article: Article = {
        id: 'nested',
        version: 1,
        ...(rules !== undefined && { rules }),
        headline: `Headline ${payload}`,
        summary: 'Summary',
        body: '<p>Body</p>',
        url: 'https://news.example.com/nested/',
        section: 'world',
        topics: [`Topic ${payload}`],
        byline: [{ name: `Name ${payload}`, title: `Title ${payload}` }],
        image: { url: 'https://news.example.com/a.jpg', caption: payload, credit: payload },
        publishedAt: '2026-11-27T10:00:00.000Z',
        createdAt: '2026-11-27T10:00:00.000Z',
        updatedAt: '2026-11-27T10:00:00.000Z',
        language: 'en',
      };
      const { body } = renderFeed({
        config,
        scope: { kind: 'edition', edition: 'international' },
        format: 'json',
        articles: [article],
      });
      const item = (
        JSON.parse(body) as {
          items: { title: string; authors: { name: string }[]; tags: string[]; _newswire?: unknown }[];
        }
      ).items[0]!;
      for (const text of [
        item.title,
        ...item.authors.map((a) => a.name),
        ...item.tags,
        JSON.stringify(item._newswire),
      ]) {
        assert.doesNotMatch(text, OPENS_MARKUP, `rules ${rules}: ${text}`);
        assert.equal(decodesToMarkup(text), false, `rules ${rules}: ${text}`);
      }
    }
  });
});
