/**
 * Whatever text a CMS sends, every format carries exactly the sanitised value
 * Newswire stored, and every XML feed stays well-formed for a strict,
 * namespace-aware parser.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Article } from '../../functions/core/article.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { ValidationError } from '../../functions/core/errors.ts';
import { joinNames } from '../../functions/core/feeds/media.ts';
import { NAMESPACES } from '../../functions/core/feeds/namespaces.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import { entryWeight } from '../../functions/core/feeds/weight.ts';
import { cleanLine, htmlToText } from '../../functions/core/text.ts';
import { FEED_FORMATS, type FeedFormat } from '../../functions/core/urls.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { largestArticle } from '../support/largest.ts';
import { childOf, childrenOf, parseXml, textsOf, type XmlElement } from '../support/xml-parse.ts';

const config = validateConfig({ ...siteConfig, baseUrl: 'https://news.example.com' });
const NOW = new Date('2026-12-01T00:00:00Z');
const RUNS = 200;
const { atom: ATOM, content: CONTENT, dc: DC, media: MEDIA, schema: SCHEMA } = NAMESPACES;

/** Pieces that have broken feeds somewhere: XML/HTML syntax, forbidden and private-use code points, RTL, astral. */
const TRICKY = [
  ']]>',
  '<![CDATA[',
  '&amp;',
  '&',
  '<',
  '>',
  '<b>',
  '</p>',
  '"',
  "'",
  '\u0000',
  '\u001F',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDC00',
  '\uFDD0',
  '\uFDD2',
  // Character references to forbidden code points: the sanitiser decodes them.
  '&#1;',
  '&#xFFFE;',
  '&#xFDD0;',
  'مرحبا',
  'שלום',
  '\u200F',
  '𝔸',
  '😀',
  'e\u0301',
  ' ',
  '\t',
  '\r\n',
  '\n',
  'Summit',
];

const mixed = fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 10 });
const utf16Units = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
});

/** Arbitrary text: any code point, printable graphemes, raw UTF-16 with lone surrogates, or the tricky mix. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  utf16Units,
  mixed,
);

/** Arbitrary HTML: the same text, wrapped in a paragraph. */
const anyHtml = anyText.map((t) => `<p>${t}</p>`);

const articleInputs = fc.record({
  headline: anyText,
  summary: anyText,
  body: anyHtml,
  byline: fc.array(fc.record({ name: anyText, title: anyText }), { maxLength: 3 }),
  caption: anyText,
  credit: anyText,
  topics: fc.array(anyText, { maxLength: 4 }),
});

type Inputs = typeof articleInputs extends fc.Arbitrary<infer T> ? T : never;

/**
 * Stores the generated article through the write API's schema. Inputs the
 * schema rightly rejects (a field empty once cleaned, a summary with no text)
 * are skipped; any other rejection fails the property.
 */
function storedArticle(inputs: Inputs): Article {
  try {
    return storedFrom(
      sampleArticle({
        headline: inputs.headline,
        summary: inputs.summary,
        body: inputs.body,
        byline: inputs.byline,
        topics: inputs.topics,
        image: {
          url: 'https://news.example.com/images/p.jpg',
          caption: inputs.caption,
          credit: inputs.credit,
        },
      }),
      'prop',
      config,
      NOW,
      { createdAt: '2026-11-27T09:30:00.000Z', updatedAt: '2026-11-27T09:30:00.000Z' },
    );
  } catch (error) {
    // Empty once reduced to text, or too long: the schema is right to refuse; skip the input.
    const rightlyRefused =
      error instanceof ValidationError &&
      error.problems.every(
        (p) => p.message === 'must not be empty' || p.message.startsWith('must be at most'),
      );
    fc.pre(!rightlyRefused);
    throw error;
  }
}

function render(article: Article, format: FeedFormat): string {
  return renderFeed({ config, scope: { kind: 'edition', edition: 'europe' }, format, articles: [article] })
    .body;
}

/** Text of the optional child, or undefined when it is absent. */
function optionalText(element: XmlElement, uri: string, local: string): string | undefined {
  const [found, ...more] = childrenOf(element, uri, local);
  assert.equal(more.length, 0, `more than one ${local}`);
  return found?.text;
}

function assertMedia(item: XmlElement, article: Article): void {
  const media = childOf(item, MEDIA, 'content');
  assert.equal(optionalText(media, MEDIA, 'description'), article.image?.caption, 'media:description');
  assert.equal(optionalText(media, MEDIA, 'credit'), article.image?.credit, 'media:credit');
}

/** The full text readers show: byline and lead photo first, then the body exactly as stored. */
function assertFullText(content: string | undefined, article: Article): void {
  assert.ok(content !== undefined, 'full text');
  assert.ok(content.endsWith(article.body), 'the full text ends with the body as stored');
  if (article.byline.length > 0) assert.ok(content.startsWith('<p class="byline">By '), 'byline first');
  assert.ok(content.includes('<figure><img src="https://news.example.com/images/p.jpg"'), 'lead photo');
}

function assertRss(article: Article): void {
  const item = childOf(childOf(parseXml(render(article, 'rss')), '', 'channel'), '', 'item');
  assert.equal(childOf(item, '', 'title').text, article.headline, 'title');
  assert.deepEqual(
    textsOf(item, DC, 'creator'),
    article.byline.length === 0 ? [] : [joinNames(article.byline.map((b) => b.name))],
    'one dc:creator naming every writer',
  );
  assert.deepEqual(textsOf(item, '', 'category'), ['World', ...article.topics], 'category');
  assertMedia(item, article);
}

function assertRssHtml(article: Article): void {
  const item = childOf(childOf(parseXml(render(article, 'rss')), '', 'channel'), '', 'item');
  assert.equal(childOf(item, '', 'description').text, article.summary, 'description');
  assertFullText(optionalText(item, CONTENT, 'encoded'), article);
}

function assertAtom(article: Article): void {
  const entry = childOf(parseXml(render(article, 'atom')), ATOM, 'entry');
  const title = childOf(entry, ATOM, 'title');
  assert.equal(title.attributes.type, 'text', 'title@type');
  assert.equal(title.text, article.headline, 'title');
  // One author naming every writer (readers keep one), and with two or more each writer a contributor.
  const authors = childrenOf(entry, ATOM, 'author');
  const writers = article.byline.length > 1 ? childrenOf(entry, ATOM, 'contributor') : authors;
  assert.deepEqual(
    authors.map((a) => childOf(a, ATOM, 'name').text),
    article.byline.length === 0 ? [] : [joinNames(article.byline.map((b) => b.name))],
    'author/name',
  );
  assert.deepEqual(
    writers.map((a) => childOf(a, ATOM, 'name').text),
    article.byline.map((b) => b.name),
    'each writer',
  );
  assert.deepEqual(
    writers.map((a) => optionalText(a, SCHEMA, 'jobTitle')),
    article.byline.map((b) => b.title),
    'each writer/schema:jobTitle',
  );
  assert.deepEqual(
    childrenOf(entry, ATOM, 'category').map((c) => c.attributes.term),
    ['World', ...article.topics],
    'category@term',
  );
  assertMedia(entry, article);
}

function assertAtomHtml(article: Article): void {
  const entry = childOf(parseXml(render(article, 'atom')), ATOM, 'entry');
  const summary = childOf(entry, ATOM, 'summary');
  if (article.summary.includes('<')) {
    assert.equal(summary.attributes.type, 'html', 'summary@type');
    assert.equal(summary.text, article.summary, 'summary');
  } else {
    assert.equal(summary.attributes.type, 'text', 'summary@type');
    assert.equal(summary.text, cleanLine(htmlToText(article.summary)), 'summary');
  }
  assertFullText(optionalText(entry, ATOM, 'content'), article);
}

interface JsonItem {
  title: string;
  summary: string;
  content_html: string;
  tags: string[];
  authors?: { name: string }[];
  _newswire: { byline: { name: string; title?: string }[]; image?: { caption?: string; credit?: string } };
}

function jsonItem(article: Article): JsonItem {
  const feed = JSON.parse(render(article, 'json')) as { items: JsonItem[] };
  assert.equal(feed.items.length, 1);
  return feed.items[0]!;
}

function assertJson(article: Article): void {
  const item = jsonItem(article);
  assert.equal(item.title, article.headline, 'title');
  assert.deepEqual(
    item.authors?.map((a) => a.name) ?? [],
    article.byline.map((b) => b.name),
    'authors',
  );
  assert.deepEqual(
    item._newswire.byline.map((b) => [b.name, b.title]),
    article.byline.map((b) => [b.name, b.title]),
    '_newswire.byline',
  );
  assert.deepEqual(item.tags, ['World', ...article.topics], 'tags');
  assert.equal(item._newswire.image?.caption, article.image?.caption, '_newswire.image.caption');
  assert.equal(item._newswire.image?.credit, article.image?.credit, '_newswire.image.credit');
}

function assertJsonHtml(article: Article): void {
  const item = jsonItem(article);
  // JSON Feed's summary is plain text.
  assert.equal(item.summary, cleanLine(htmlToText(article.summary)), 'summary');
  assertFullText(item.content_html, article);
}

const CHECKS: Record<FeedFormat, { text: (a: Article) => void; html: (a: Article) => void }> = {
  rss: { text: assertRss, html: assertRssHtml },
  atom: { text: assertAtom, html: assertAtomHtml },
  json: { text: assertJson, html: assertJsonHtml },
};

describe('feeds carry any text exactly as stored', () => {
  for (const [format, check] of Object.entries(CHECKS) as [FeedFormat, (typeof CHECKS)[FeedFormat]][]) {
    test(`${format}: headline, writers, caption, credit and topics survive any characters`, () => {
      fc.assert(
        fc.property(articleInputs, (inputs) => check.text(storedArticle(inputs))),
        { numRuns: RUNS },
      );
    });

    test(`${format}: summary and body HTML survive any characters`, () => {
      fc.assert(
        fc.property(articleInputs, (inputs) => check.html(storedArticle(inputs))),
        { numRuns: RUNS },
      );
    });
  }
});

/** Bytes of a feed page as the Lambda response carries it (its body, JSON-escaped in the envelope). */
function responseBytes(articles: readonly Article[], format: FeedFormat): number {
  const { body } = renderFeed({ config, scope: { kind: 'edition', edition: 'europe' }, format, articles });
  return Buffer.byteLength(JSON.stringify({ body }));
}

describe('an item never takes more room than its weight', () => {
  for (const format of FEED_FORMATS) {
    test(`${format}: what an article adds to a page's response stays within entryWeight`, () => {
      const empty = responseBytes([], format);
      const check = (article: Article) => {
        const added = responseBytes([article], format) - empty;
        assert.ok(added <= entryWeight(article), `${added} bytes added, weight ${entryWeight(article)}`);
      };
      check(storedFrom(largestArticle(7), 'largest', config, NOW));
      // Bodies of nothing but what grows most (as an item written by hand might hold them).
      for (const piece of ['"', '\\', '\n', ']]>', '<a href="x">&amp;</a>']) {
        const { rules: _rules, ...raw } = storedFrom(sampleArticle(), 'raw', config, NOW);
        check({ ...raw, body: piece.repeat(30_000) } as Article);
      }
      fc.assert(
        fc.property(articleInputs, (inputs) => check(storedArticle(inputs))),
        { numRuns: RUNS },
      );
    });
  }
});
