/**
 * The JSON feed against the field rules of JSON Feed 1.1
 * (https://www.jsonfeed.org/version/1.1/), for several pages of articles.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Article } from '../../functions/core/article.ts';
import type { SiteConfig } from '../../functions/core/config.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import type { FeedScope } from '../../functions/core/scopes.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';

const NOW = new Date('2026-12-01T00:00:00Z');
const pinned = { baseUrl: 'https://news.example.com' };
const plainConfig = validateConfig({ ...siteConfig, ...pinned, logoUrl: undefined, iconUrl: undefined });
const fullConfig = validateConfig({
  ...siteConfig,
  ...pinned,
  logoUrl: 'https://news.example.com/assets/logo.png',
  iconUrl: 'https://news.example.com/assets/icon.png',
  hubUrl: 'https://hub.example.com/',
});

type Json = Record<string, unknown>;

/** A stored article from write-API `input`; version 2 is a correction made a day later. */
function article(config: SiteConfig, id: string, input: Record<string, unknown>, version = 1): Article {
  const first = storedFrom(input, id, config, NOW);
  return version > 1 ? { ...first, version, updatedAt: '2026-11-28T08:00:00.000Z' } : first;
}

/** Every page checked, freshly built: name → rendered JSON. */
function pages(): [string, Json][] {
  const page = (config: SiteConfig, scope: FeedScope, articles: Article[], nextCursor?: string): Json =>
    JSON.parse(renderFeed({ config, scope, format: 'json', articles, nextCursor }).body) as Json;
  const { image: _i, byline: _b, ...bare } = sampleArticle();
  const mixed = (config: SiteConfig) => [
    article(config, 'corrected', sampleArticle({ publishedAt: '2026-11-27T10:00:00+01:00' }), 2),
    article(config, 'bare', { ...bare, publishedAt: '2026-11-27T08:00:00Z' }),
    article(
      config,
      'two-writers',
      sampleArticle({
        byline: [
          { name: 'Ana Ortiz', url: 'https://news.example.com/profiles/ana-ortiz/' },
          { name: 'Lee Min' },
        ],
        image: { url: 'https://news.example.com/images/a.png', type: 'image/png', length: 4096 },
        publishedAt: '2026-11-26T23:59:59.999-05:00',
      }),
    ),
  ];
  return [
    ['an empty edition', page(plainConfig, { kind: 'edition', edition: 'europe' }, [])],
    [
      'an empty section with every channel option',
      page(fullConfig, { kind: 'section', edition: 'asia', section: 'sport' }, []),
    ],
    [
      'an edition of three articles',
      page(plainConfig, { kind: 'edition', edition: 'europe' }, mixed(plainConfig)),
    ],
    [
      'a section page with a next page and every channel option',
      page(
        fullConfig,
        { kind: 'section', edition: 'europe', section: 'world' },
        mixed(fullConfig),
        'b2xkZXI',
      ),
    ],
    [
      'an article without body, topics or photo',
      page(plainConfig, { kind: 'edition', edition: 'international' }, [
        article(
          plainConfig,
          'no-body',
          sampleArticle({ body: '', topics: [], image: undefined, language: 'fr-CA' }),
        ),
      ]),
    ],
  ];
}

const items = (feed: Json) => feed.items as Json[];

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const FEED_KEYS = [
  'version',
  'title',
  'home_page_url',
  'feed_url',
  'description',
  'user_comment',
  'next_url',
  'icon',
  'favicon',
  'authors',
  'language',
  'expired',
  'hubs',
  'items',
];
const ITEM_KEYS = [
  'id',
  'url',
  'external_url',
  'title',
  'content_html',
  'content_text',
  'summary',
  'image',
  'banner_image',
  'date_published',
  'date_modified',
  'authors',
  'tags',
  'language',
  'attachments',
];

/** Runs `check` on every page; each returns the problems it found, and all must be empty. */
function assertEveryPage(check: (feed: Json) => string[]): void {
  const problems = pages().flatMap(([name, feed]) => check(feed).map((p) => `${name}: ${p}`));
  assert.deepEqual(problems, []);
}

describe('JSON Feed 1.1 rules', () => {
  test('version is exactly https://jsonfeed.org/version/1.1', () => {
    assertEveryPage((feed) =>
      feed.version === 'https://jsonfeed.org/version/1.1' ? [] : [`version ${String(feed.version)}`],
    );
  });

  test('the feed has a string title and an items array', () => {
    assertEveryPage((feed) => [
      ...(typeof feed.title === 'string' && feed.title !== '' ? [] : ['title']),
      ...(Array.isArray(feed.items) ? [] : ['items']),
    ]);
  });

  test('feed-level URLs are absolute when present', () => {
    assertEveryPage((feed) =>
      ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon']
        .filter((key) => key in feed && !isAbsoluteUrl(feed[key]))
        .map((key) => `${key} ${String(feed[key])}`),
    );
  });

  test('authors are objects with a name, url or avatar, and URLs are absolute', () => {
    const authorProblems = (authors: unknown, where: string): string[] => {
      if (authors === undefined) return [];
      if (!Array.isArray(authors) || authors.length === 0)
        return [`${where} authors is not a non-empty array`];
      return (authors as Json[]).flatMap((a, i) => [
        ...(['name', 'url', 'avatar'].some((k) => typeof a[k] === 'string')
          ? []
          : [`${where} author ${i} empty`]),
        ...['url', 'avatar'].filter((k) => k in a && !isAbsoluteUrl(a[k])).map((k) => `${where} author ${k}`),
      ]);
    };
    assertEveryPage((feed) => [
      ...authorProblems(feed.authors, 'feed'),
      ...items(feed).flatMap((item) => authorProblems(item.authors, String(item.id))),
    ]);
  });

  test('no deprecated `author` key at feed or item level', () => {
    assertEveryPage((feed) => [
      ...('author' in feed ? ['feed author'] : []),
      ...items(feed)
        .filter((item) => 'author' in item)
        .map((item) => `${String(item.id)} author`),
    ]);
  });

  test('every item has a unique string id', () => {
    assertEveryPage((feed) => {
      const ids = items(feed).map((item) => item.id);
      return [
        ...ids.filter((id) => typeof id !== 'string' || id === '').map((id) => `bad id ${String(id)}`),
        ...ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `repeated id ${String(id)}`),
      ];
    });
  });

  test('item URLs and images are absolute', () => {
    assertEveryPage((feed) =>
      items(feed).flatMap((item) =>
        ['url', 'external_url', 'image', 'banner_image']
          .filter((key) => key in item && !isAbsoluteUrl(item[key]))
          .map((key) => `${String(item.id)} ${key}`),
      ),
    );
  });

  test('every item has content_html or content_text', () => {
    assertEveryPage((feed) =>
      items(feed)
        .filter((item) => typeof item.content_html !== 'string' && typeof item.content_text !== 'string')
        .map((item) => `${String(item.id)} has no content`),
    );
  });

  test('item dates are RFC 3339', () => {
    assertEveryPage((feed) =>
      items(feed).flatMap((item) =>
        ['date_published', 'date_modified']
          .filter((key) => key in item)
          .filter((key) => {
            const value = item[key];
            return typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value));
          })
          .map((key) => `${String(item.id)} ${key} ${String(item[key])}`),
      ),
    );
  });

  test('tags are an array of strings and language is a string', () => {
    assertEveryPage((feed) => [
      ...('language' in feed && typeof feed.language !== 'string' ? ['feed language'] : []),
      ...items(feed).flatMap((item) => [
        ...(item.tags === undefined ||
        (Array.isArray(item.tags) && item.tags.every((t: unknown) => typeof t === 'string'))
          ? []
          : [`${String(item.id)} tags`]),
        ...('language' in item && typeof item.language !== 'string' ? [`${String(item.id)} language`] : []),
      ]),
    ]);
  });

  test('hubs are objects with a type and an absolute url', () => {
    assertEveryPage((feed) =>
      feed.hubs === undefined
        ? []
        : (feed.hubs as Json[])
            .filter((hub) => typeof hub.type !== 'string' || !isAbsoluteUrl(hub.url))
            .map((hub) => `hub ${JSON.stringify(hub)}`),
    );
  });

  test('every key outside the specification is an extension starting with "_"', () => {
    assertEveryPage((feed) => [
      ...Object.keys(feed).filter((key) => !FEED_KEYS.includes(key) && !key.startsWith('_')),
      ...items(feed).flatMap((item) =>
        Object.keys(item)
          .filter((key) => !ITEM_KEYS.includes(key) && !key.startsWith('_'))
          .map((key) => `${String(item.id)} ${key}`),
      ),
    ]);
  });
});
