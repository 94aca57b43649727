/**
 * The renderers write each document directly; until this change they built
 * it with the `feed` package (xml-js) and patched its output. This property
 * test holds the two to the same bytes for any content — hostile text in
 * every field, items stored under older rules (repaired when rendered),
 * corrections, writers with and without pages, paging and hub links — with
 * the previous renderers kept, unchanged, in test/support/legacy-feeds/.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Article } from '../../functions/core/article.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { feedChannel } from '../../functions/core/feeds/channel.ts';
import { type FeedEntry, toFeedEntries } from '../../functions/core/feeds/entry.ts';
import { namesFor, renderFeed } from '../../functions/core/feeds/render.ts';
import type { FeedScope } from '../../functions/core/scopes.ts';
import { FEED_FORMATS, type FeedFormat } from '../../functions/core/urls.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { renderAtom } from '../support/legacy-feeds/atom.ts';
import { renderJson } from '../support/legacy-feeds/json.ts';
import { renderRss } from '../support/legacy-feeds/rss.ts';

const NOW = new Date('2026-12-01T00:00:00Z');
const LEGACY = { rss: renderRss, atom: renderAtom, json: renderJson } as const;

const TRICKY = [
  ']]>',
  ']]]>',
  '<![CDATA[',
  '&amp;',
  '&',
  '<',
  '>',
  '<b>',
  '</p>',
  '"',
  "'",
  '\uFDD0',
  '\u0001',
  '\uD800',
  'é',
  '😀',
  ' ',
  '\n',
  'Summit',
];
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);

const inputs = fc.record({
  headline: text,
  summary: text,
  body: text,
  byline: fc.array(fc.record({ name: text, title: fc.option(text, { nil: undefined }), url: fc.boolean() }), {
    maxLength: 3,
  }),
  topics: fc.array(text, { maxLength: 3 }),
  caption: fc.option(text, { nil: undefined }),
  credit: fc.option(text, { nil: undefined }),
  length: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
  photo: fc.boolean(),
  video: fc.boolean(),
  corrected: fc.boolean(),
  /** Stored under the current rules (validated), or raw as an older item (repaired when rendered). */
  validated: fc.boolean(),
});

type Inputs = typeof inputs extends fc.Arbitrary<infer T> ? T : never;

function articleOf(i: Inputs, n: number): Article | undefined {
  const input = sampleArticle({
    headline: i.headline,
    summary: i.summary,
    body: `<p>${i.body}</p>`,
    topics: i.topics,
    byline: i.byline.map((w, k) => ({
      name: w.name,
      ...(w.title !== undefined && { title: w.title }),
      ...(w.url && { url: `https://news.example.com/profiles/${k}/?a=1&b=2` }),
    })),
    ...(i.photo
      ? {
          image: {
            url: 'https://news.example.com/images/p.jpg?w=1&h=2',
            ...(i.caption !== undefined && { caption: i.caption }),
            ...(i.credit !== undefined && { credit: i.credit }),
            ...(i.length !== undefined && { length: i.length }),
            width: 1200,
            height: 800,
            thumbnail: { url: 'https://news.example.com/images/p-320.jpg', width: 320, height: 213 },
          },
        }
      : { image: undefined }),
    ...(i.video && {
      media: [
        {
          url: 'https://news.example.com/v.mp4',
          type: 'video/mp4',
          duration: 3725,
          poster: 'https://news.example.com/p.jpg',
          ...(i.caption !== undefined && { caption: i.caption }),
        },
      ],
    }),
  });
  const server = {
    version: i.corrected ? 2 : 1,
    createdAt: '2026-11-27T09:30:00.000Z',
    updatedAt: i.corrected ? '2026-11-27T12:00:00.000Z' : '2026-11-27T09:30:00.000Z',
  };
  if (!i.validated) {
    const { image, ...rest } = input;
    return {
      ...rest,
      ...(image !== undefined && { image }),
      id: `raw-${n}`,
      publishedAt: '2026-11-27T09:30:00.000Z',
      ...server,
    } as unknown as Article;
  }
  try {
    return storedFrom(input, `story-${n}`, config(), NOW, server);
  } catch {
    return undefined; // refused by the write API: nothing to render
  }
}

let site: ReturnType<typeof validateConfig> | undefined;
function config() {
  site ??= validateConfig({
    ...siteConfig,
    baseUrl: 'https://news.example.com',
    hubUrl: 'https://hub.example.com/?x=1&y=2',
  });
  return site;
}

function legacy(scope: FeedScope, format: FeedFormat, articles: Article[], nextCursor?: string): string {
  const entries: FeedEntry[] = toFeedEntries(articles, config(), scope, () => {});
  const channel = feedChannel(config(), scope, format, entries, {
    nextCursor,
    names: namesFor(config(), scope, entries),
  });
  return LEGACY[format](channel, entries);
}

const SCOPES: FeedScope[] = [
  { kind: 'edition', edition: 'europe' },
  { kind: 'section', edition: 'asia', section: 'world' },
  { kind: 'author', author: 'ana-ortiz' },
  { kind: 'topic', topic: 'shipping' },
];

describe('the direct renderers write what the feed-package renderers wrote', () => {
  for (const format of FEED_FORMATS) {
    test(`${format}: the same bytes for any content`, () => {
      fc.assert(
        fc.property(
          fc.array(inputs, { maxLength: 3 }),
          fc.constantFrom(...SCOPES),
          fc.option(fc.constant('bmV4dA'), { nil: undefined }),
          (list, scope, nextCursor) => {
            const articles = list.flatMap((i, n) => articleOf(i, n) ?? []);
            const ours = renderFeed({ config: config(), scope, format, articles, nextCursor }).body;
            assert.equal(ours, legacy(scope, format, articles, nextCursor));
          },
        ),
        { numRuns: 400 },
      );
    });
  }
});
