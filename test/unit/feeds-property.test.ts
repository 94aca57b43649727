/**
 * Whatever text a CMS sends, every format carries exactly the sanitised value
 * Newswire stored, and every XML feed stays well-formed for a strict,
 * namespace-aware parser.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type Article, type ArticleContent, parseArticle } from '../../functions/core/article.ts';
import { defineConfig } from '../../functions/core/config.ts';
import { ValidationError } from '../../functions/core/errors.ts';
import { NAMESPACES } from '../../functions/core/feeds/namespaces.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import { cleanLine } from '../../functions/core/text.ts';
import type { FeedFormat } from '../../functions/core/urls.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle } from '../support/articles.ts';
import { childOf, childrenOf, parseXml, textsOf, type XmlElement } from '../support/xml-parse.ts';

const config = defineConfig({ ...siteConfig, baseUrl: 'https://news.example.com' });
const NOW = new Date('2026-12-01T00:00:00Z');
const RUNS = 200;
const { atom: ATOM, content: CONTENT, dc: DC, media: MEDIA } = NAMESPACES;

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

const lineOk = (value: string, max: number) => cleanLine(value) !== '' && [...cleanLine(value)].length <= max;

/**
 * Stores the generated article through the write API's schema. Inputs the
 * schema rightly rejects (a field empty once cleaned, a summary with no text)
 * are skipped; any other rejection fails the property.
 */
function storedArticle(inputs: Inputs): Article {
  fc.pre(lineOk(inputs.headline, 300) && lineOk(inputs.credit, 300));
  fc.pre(inputs.byline.every((b) => lineOk(b.name, 120) && lineOk(b.title, 120)));
  fc.pre(inputs.topics.every((t) => lineOk(t, 60)));
  let content: ArticleContent;
  try {
    content = parseArticle(
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
    );
  } catch (error) {
    const onlyEmptySummary =
      error instanceof ValidationError &&
      error.problems.every((p) => p.field === 'summary' && p.message === 'must not be empty');
    fc.pre(!onlyEmptySummary);
    throw error;
  }
  return {
    ...content,
    id: 'prop',
    version: 1,
    createdAt: '2026-11-27T09:30:00.000Z',
    updatedAt: '2026-11-27T09:30:00.000Z',
  };
}

function render(article: Article, format: FeedFormat): string {
  return renderFeed({ config, scope: { edition: 'europe' }, format, articles: [article] }).body;
}

/** Decodes the escapes Atom's type="html" title uses (one pass, as a reader does). */
function unescapeHtml(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => named[name] ?? '');
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

function assertRss(article: Article): void {
  const item = childOf(childOf(parseXml(render(article, 'rss')), '', 'channel'), '', 'item');
  assert.equal(childOf(item, '', 'title').text, article.headline, 'title');
  assert.deepEqual(
    textsOf(item, DC, 'creator'),
    article.byline.map((b) => b.name),
    'dc:creator',
  );
  assert.deepEqual(textsOf(item, '', 'category'), ['World', ...article.topics], 'category');
  assertMedia(item, article);
}

function assertRssHtml(article: Article): void {
  const item = childOf(childOf(parseXml(render(article, 'rss')), '', 'channel'), '', 'item');
  assert.equal(childOf(item, '', 'description').text, article.summary, 'description');
  assert.equal(optionalText(item, CONTENT, 'encoded'), article.body || undefined, 'content:encoded');
}

function assertAtom(article: Article): void {
  const entry = childOf(parseXml(render(article, 'atom')), ATOM, 'entry');
  assert.equal(unescapeHtml(childOf(entry, ATOM, 'title').text), article.headline, 'title');
  assert.deepEqual(
    childrenOf(entry, ATOM, 'author').map((a) => childOf(a, ATOM, 'name').text),
    article.byline.map((b) => b.name),
    'author/name',
  );
  assert.deepEqual(
    childrenOf(entry, ATOM, 'category').map((c) => c.attributes.term),
    ['world', ...article.topics],
    'category@term',
  );
  assertMedia(entry, article);
}

function assertAtomHtml(article: Article): void {
  const entry = childOf(parseXml(render(article, 'atom')), ATOM, 'entry');
  assert.equal(childOf(entry, ATOM, 'summary').text, article.summary, 'summary');
  assert.equal(optionalText(entry, ATOM, 'content'), article.body || undefined, 'content');
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
  assert.deepEqual(item._newswire.byline, article.byline, '_newswire.byline');
  assert.deepEqual(item.tags, ['World', ...article.topics], 'tags');
  assert.equal(item._newswire.image?.caption, article.image?.caption, '_newswire.image.caption');
  assert.equal(item._newswire.image?.credit, article.image?.credit, '_newswire.image.credit');
}

function assertJsonHtml(article: Article): void {
  const item = jsonItem(article);
  assert.equal(item.summary, article.summary, 'summary');
  // JSON Feed needs content; an article without a body carries its summary there.
  assert.equal(item.content_html, article.body || article.summary, 'content_html');
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
