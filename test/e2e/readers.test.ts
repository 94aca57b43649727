import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FeedScope } from '../../functions/core/scopes.ts';
import { FEED_FORMATS, type FeedFormat, feedUrl } from '../../functions/core/urls.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { startTestServer } from '../support/local-server.ts';
import { feedparser, newsboat } from '../support/readers.ts';
import { xmlError } from '../support/xml-parse.ts';

let newswire: LocalNewswire;
/** Every feed of the seeded newsroom: each edition, whole and by section, in each format. */
let feeds: { url: string; format: FeedFormat; body: string; items: number }[];

before(async () => {
  newswire = await startTestServer();
  const { config } = newswire.deps;
  const scopes = config.editions.flatMap((e): FeedScope[] => [
    { kind: 'edition', edition: e.id },
    ...config.sections.map((s): FeedScope => ({ kind: 'section', edition: e.id, section: s.id })),
  ]);
  feeds = [];
  for (const scope of scopes) {
    for (const format of FEED_FORMATS) {
      const url = feedUrl(newswire.url, scope, format);
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      const body = await response.text();
      const items =
        format === 'json'
          ? (JSON.parse(body) as { items: unknown[] }).items.length
          : (body.match(format === 'rss' ? /<item>/g : /<entry[ >]/g) ?? []).length;
      feeds.push({ url, format, body, items });
    }
  }
});
after(() => newswire?.stop());

describe('every feed of the seeded newsroom in real readers', () => {
  test('is well-formed XML or JSON', () => {
    assert.equal(feeds.length, 6 * 9 * 3);
    for (const feed of feeds) {
      if (feed.format === 'json') assert.doesNotThrow(() => JSON.parse(feed.body), feed.url);
      else assert.equal(xmlError(feed.body), undefined, feed.url);
    }
    assert.ok(feeds.filter((f) => f.items > 0).length > 100, 'most feeds have items');
  });

  test('python3-feedparser reads each RSS and Atom feed with no bozo; every item has title, author, link', async () => {
    // Debian's feedparser 6.0 predates JSON Feed support; JSON feeds are checked below.
    const xmlFeeds = feeds.filter((f) => f.format !== 'json');
    const results = await feedparser(...xmlFeeds.map((f) => f.url));
    for (const [i, result] of results.entries()) {
      const feed = xmlFeeds[i]!;
      assert.equal(result.bozo, false, `${result.url}: ${result.bozo_exception}`);
      assert.equal(result.entries.length, feed.items, result.url);
      for (const entry of result.entries) {
        assert.ok(entry.title, `${result.url} item title`);
        assert.ok(entry.author, `${result.url} ${entry.title}: author`);
        assert.match(entry.link, /^https:\/\/news\.example\.com\//);
        assert.match(entry.id, /^tag:news\.example\.com,2026:article:/);
      }
    }
  });

  test('every JSON feed item has an id, title, url, dates and authors', () => {
    for (const feed of feeds.filter((f) => f.format === 'json')) {
      const json = JSON.parse(feed.body) as { version: string; items: Record<string, unknown>[] };
      assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
      for (const item of json.items) {
        assert.match(String(item.id), /^tag:news\.example\.com,2026:article:/, feed.url);
        assert.ok(typeof item.title === 'string' && item.title !== '', feed.url);
        assert.match(String(item.url), /^https:\/\//, feed.url);
        assert.ok(!Number.isNaN(Date.parse(String(item.date_published))), feed.url);
        assert.ok(
          Array.isArray(item.authors) && item.authors.length > 0,
          `${feed.url}: ${item.title} authors`,
        );
      }
    }
  });

  test('newsboat loads each RSS and Atom feed with every item title and author in its cache', async () => {
    // newsboat keys its cache by guid, and one article is in several feeds: one cache per feed.
    const xmlFeeds = feeds.filter((f) => f.format !== 'json');
    const queue = [...xmlFeeds];
    const worker = async () => {
      for (let feed = queue.shift(); feed !== undefined; feed = queue.shift()) {
        const cache = await newsboat([feed.url]);
        assert.deepEqual(cache.feeds, [feed.url]);
        assert.equal(
          cache.items.length,
          feed.items,
          `${feed.url}: newsboat stored ${cache.items.length} of ${feed.items}`,
        );
        for (const item of cache.items) {
          assert.ok(item.title.trim() !== '', `${feed.url}: an item without title`);
          assert.ok(item.author.trim() !== '', `${feed.url}: "${item.title}" without author`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  });
});
