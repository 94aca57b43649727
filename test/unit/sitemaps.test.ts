/**
 * Sitemaps, Google News sitemaps and robots.txt: each validated with xmllint
 * against the schemas sitemaps.org and Google publish
 * (test/fixtures/sitemaps/README.md says where each copy came from), with
 * only published stories in them, and within the protocols' limits.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Article } from '../../functions/core/article.ts';
import {
  MONTH_PEOPLE_STORIES,
  MONTH_SITEMAP_URLS,
  NEWS_SITEMAP_URLS,
  newsLanguage,
  SITEMAP_MAX_URLS,
} from '../../functions/core/pages/sitemaps.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { memoryStore } from '../support/memory-store.ts';
import { SITEMAP_SCHEMAS, xsdErrors } from '../support/xsd.ts';

const NOW = '2026-11-27T12:00:00.000Z';
const BASE = config.baseUrl;

function stored(id: string, overrides: Record<string, unknown> = {}): Article {
  return storedFrom(sampleArticle(overrides), id, config, new Date(NOW));
}

const NEWSROOM = [
  stored('summit', { editions: ['asia', 'europe'] }),
  stored('rates', { section: 'business', editions: ['europe'], publishedAt: '2026-11-27T08:00:00Z' }),
  stored('october', {
    editions: ['europe'],
    publishedAt: '2026-10-03T10:00:00Z',
    byline: [{ name: 'Zoë Lindqvist' }],
    topics: ['Ports'],
  }),
  stored('old-news', { editions: ['europe'], publishedAt: '2026-11-24T10:00:00Z' }),
  stored('later', {
    headline: 'Not yet',
    editions: ['europe'],
    publishedAt: '2026-11-27T15:00:00Z',
    byline: [{ name: 'Embargo Writer' }],
    topics: ['Secret'],
  }),
  {
    ...stored('gone', { editions: ['europe'], byline: [{ name: 'Gone Writer' }] }),
    version: 2,
    withdrawnAt: '2026-11-27T11:00:00.000Z',
  },
];

/** `count` copies of one Europe story, `step` ms apart from `start`, each changed by `vary`. */
function manyStories(
  count: number,
  start: string,
  step: number,
  vary: (i: number) => Partial<Article> = () => ({}),
): Article[] {
  const one = stored('template', { editions: ['europe'] });
  return Array.from({ length: count }, (_, i) => ({
    ...one,
    id: `story-${i}`,
    publishedAt: new Date(Date.parse(start) + i * step).toISOString(),
    ...vary(i),
  }));
}

function site(articles: Article[] = NEWSROOM, now = NOW) {
  const store = memoryStore(config, articles);
  const clock = testClock(now);
  const handler = createPagesHandler(() => ({ store, config, clock }));
  const get = (path: string, headers: Record<string, string> = {}) =>
    handler(httpEvent('GET', path, { headers }));
  return { get, clock };
}

/** Every `<loc>` of a sitemap or index, in order. */
function locs(xml: string): string[] {
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
}

async function sitemap(get: ReturnType<typeof site>['get'], path: string, schema: string): Promise<string> {
  const response = await get(path);
  assert.equal(response.statusCode, 200, path);
  assert.equal(response.headers['content-type'], 'application/xml; charset=utf-8', path);
  assert.equal(xsdErrors(response.body, schema), undefined, path);
  return response.body;
}

describe('the sitemap index /sitemap.xml', () => {
  test('is valid (siteindex.xsd) and lists the fronts, then by month from the oldest story: writers, topics, every edition’s sections', async () => {
    const { get } = site();
    const body = await sitemap(get, '/sitemap.xml', SITEMAP_SCHEMAS.index);
    const listed = locs(body);
    assert.equal(listed[0], `${BASE}/sitemap-fronts.xml`);
    for (const month of ['2026-10', '2026-11']) {
      assert.ok(listed.includes(`${BASE}/authors/sitemap-${month}.xml`), month);
      assert.ok(listed.includes(`${BASE}/topics/sitemap-${month}.xml`), month);
      for (const s of config.sections)
        assert.ok(listed.includes(`${BASE}/europe/${s.id}/sitemap-${month}.xml`));
    }
    // Asia's oldest story is of November, Americas has none: no sitemap before or without one.
    assert.ok(!listed.includes(`${BASE}/asia/world/sitemap-2026-10.xml`));
    assert.ok(listed.includes(`${BASE}/asia/world/sitemap-2026-11.xml`));
    assert.ok(!listed.some((l) => l.includes('/americas/')));
    assert.ok(!listed.some((l) => l.includes('2026-12')), 'not ahead of now');
  });

  test('stays within the protocol’s 50,000 sitemaps, keeping the newest months', async () => {
    const ancient = stored('ancient', { editions: undefined, publishedAt: '1971-01-01T00:00:00Z' });
    const { get } = site([ancient], '2060-06-01T00:00:00Z');
    const response = await get('/sitemap.xml');
    const listed = locs(response.body);
    assert.equal(listed.length, SITEMAP_MAX_URLS);
    assert.ok(listed.includes(`${BASE}/international/world/sitemap-2060-06.xml`));
    assert.ok(!listed.includes(`${BASE}/international/world/sitemap-1971-01.xml`));
    assert.ok(Buffer.byteLength(response.body) < 6_000_000, 'within a Lambda response');
    assert.equal(xsdErrors(response.body, SITEMAP_SCHEMAS.index), undefined);
  });
});

describe('sitemaps', () => {
  test('the fronts’ sitemap lists the home page and every edition’s front, Top Stories and sections', async () => {
    const body = await sitemap(site().get, '/sitemap-fronts.xml', SITEMAP_SCHEMAS.sitemap);
    const listed = locs(body);
    assert.equal(listed[0], `${BASE}/`);
    assert.equal(listed.length, 1 + config.editions.length * (2 + config.sections.length));
    assert.ok(listed.includes(`${BASE}/middle-east/top/`) && listed.includes(`${BASE}/africa/sport/`));
  });

  test('a section’s month lists its published story pages with their last change: no scheduled or withdrawn one', async () => {
    const body = await sitemap(site().get, '/europe/world/sitemap-2026-11.xml', SITEMAP_SCHEMAS.sitemap);
    assert.deepEqual(locs(body), [`${BASE}/europe/world/old-news/`, `${BASE}/europe/world/summit/`]);
    assert.match(body, /<lastmod>2026-11-27T09:30:00.000Z<\/lastmod>/);
    const october = await sitemap(site().get, '/europe/world/sitemap-2026-10.xml', SITEMAP_SCHEMAS.sitemap);
    assert.deepEqual(locs(october), [`${BASE}/europe/world/october/`]);
  });

  test('a month with no story in a section still lists one page (the schema needs one): the section’s', async () => {
    const body = await sitemap(site().get, '/europe/sport/sitemap-2026-11.xml', SITEMAP_SCHEMAS.sitemap);
    assert.deepEqual(locs(body), [`${BASE}/europe/sport/`]);
  });

  test('the writers’ and topics’ months list the page of each writer and topic of the month’s published stories', async () => {
    const { get } = site();
    const writers = locs(await sitemap(get, '/authors/sitemap-2026-11.xml', SITEMAP_SCHEMAS.sitemap));
    assert.deepEqual(writers, [`${BASE}/authors/ana-ortiz/`]);
    assert.deepEqual(locs(await sitemap(get, '/authors/sitemap-2026-10.xml', SITEMAP_SCHEMAS.sitemap)), [
      `${BASE}/authors/zoe-lindqvist/`,
    ]);
    const topics = locs(await sitemap(get, '/topics/sitemap-2026-11.xml', SITEMAP_SCHEMAS.sitemap));
    assert.deepEqual(topics, [`${BASE}/topics/diplomacy/`, `${BASE}/topics/shipping/`]);
  });

  test('unknown editions, sections and months to come are 404s', async () => {
    const { get } = site();
    for (const path of [
      '/atlantis/world/sitemap-2026-11.xml',
      '/europe/weather/sitemap-2026-11.xml',
      '/europe/world/sitemap-2027-01.xml',
    ]) {
      assert.equal((await get(path)).statusCode, 404, path);
    }
  });

  test('a section’s month stops at its limit, within a Lambda response, valid', async () => {
    const many = manyStories(MONTH_SITEMAP_URLS + 1, '2026-11-01T00:00:00Z', 60_000);
    const response = await site(many).get('/europe/world/sitemap-2026-11.xml');
    assert.equal(locs(response.body).length, MONTH_SITEMAP_URLS);
    assert.ok(Buffer.byteLength(response.body) < 6_000_000);
    assert.equal(xsdErrors(response.body, SITEMAP_SCHEMAS.sitemap), undefined);
  });

  test('the writers’ month reads at most its limit of stories', async () => {
    const many = manyStories(MONTH_PEOPLE_STORIES + 1, '2026-11-01T00:00:00Z', 60_000, (i) => ({
      byline: [{ name: `Writer ${i}` }],
    }));
    const response = await site(many).get('/authors/sitemap-2026-11.xml');
    assert.equal(locs(response.body).length, MONTH_PEOPLE_STORIES);
    assert.equal(xsdErrors(response.body, SITEMAP_SCHEMAS.sitemap), undefined);
  });
});

describe('Google News sitemap /{edition}/news-sitemap.xml', () => {
  test('is valid (sitemap.xsd with Google’s sitemap-news.xsd): the last two days’ stories, newest first, each with publication, language, date and title', async () => {
    const body = await sitemap(site().get, '/europe/news-sitemap.xml', SITEMAP_SCHEMAS.news);
    assert.deepEqual(locs(body), [`${BASE}/europe/world/summit/`, `${BASE}/europe/business/rates/`]);
    const urls = body.split('<url>').slice(1);
    for (const url of urls) {
      assert.match(
        url,
        /<news:publication><news:name>Newswire<\/news:name><news:language>en<\/news:language><\/news:publication>/,
      );
      assert.match(url, /<news:publication_date>2026-11-27T\d{2}:\d{2}:00\.000Z<\/news:publication_date>/);
      assert.match(url, /<news:title>[^<]+<\/news:title>/, 'Google requires a title');
    }
    assert.ok(!body.includes('old-news'), 'older than two days');
  });

  test('a scheduled story joins it when its time comes; a withdrawn one is never in it', async () => {
    const { get, clock } = site();
    assert.ok(!(await get('/europe/news-sitemap.xml')).body.includes('/later/'));
    clock.set('2026-11-27T15:00:00Z');
    const body = (await get('/europe/news-sitemap.xml')).body;
    assert.equal(locs(body)[0], `${BASE}/europe/world/later/`);
    assert.ok(!body.includes('/gone/'));
  });

  test('lists at most 1,000 stories, the newest', async () => {
    const many = manyStories(NEWS_SITEMAP_URLS + 1, '2026-11-27T11:00:00Z', -60_000);
    const response = await site(many).get('/europe/news-sitemap.xml');
    const listed = locs(response.body);
    assert.equal(listed.length, NEWS_SITEMAP_URLS);
    assert.equal(listed[0], `${BASE}/europe/world/story-0/`);
    assert.ok(!listed.includes(`${BASE}/europe/world/story-${NEWS_SITEMAP_URLS}/`));
    assert.equal(xsdErrors(response.body, SITEMAP_SCHEMAS.news), undefined);
  });

  test('an edition with no story in two days still lists one page: its front', async () => {
    const body = await sitemap(site().get, '/americas/news-sitemap.xml', SITEMAP_SCHEMAS.sitemap);
    assert.deepEqual(locs(body), [`${BASE}/americas/`]);
  });

  test('languages are ISO 639 codes, with zh-cn and zh-tw for Chinese, as Google asks', () => {
    assert.equal(newsLanguage('en-GB'), 'en');
    assert.equal(newsLanguage('fr'), 'fr');
    assert.equal(newsLanguage('zh-Hans-CN'), 'zh-cn');
    assert.equal(newsLanguage('zh-Hant-HK'), 'zh-tw');
    assert.equal(newsLanguage('zh-TW'), 'zh-tw');
    assert.equal(newsLanguage('zh'), 'zh-cn');
  });
});

describe('revalidating a sitemap', () => {
  test('a matching ETag is a 304, for every kind of sitemap', async () => {
    const { get } = site();
    for (const path of [
      '/sitemap.xml',
      '/sitemap-fronts.xml',
      '/europe/world/sitemap-2026-11.xml',
      '/authors/sitemap-2026-11.xml',
      '/europe/news-sitemap.xml',
      '/robots.txt',
    ]) {
      const first = await get(path);
      const again = await get(path, { 'if-none-match': first.headers.etag ?? '' });
      assert.equal(again.statusCode, 304, path);
    }
  });
});
