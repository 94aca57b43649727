/**
 * Subscriber counts on the public pages, on DynamoDB Local: requests counted
 * by the estimate, the closed day published once, and the pages with and
 * without `subscriberCounts.public` — the counts where people choose feeds,
 * rounded, never below the floor, in the ETag so a 304 stays true, and the
 * published item kept within its read budget.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createArticlesHandler } from '../../functions/articles.ts';
import type { RequestRecord } from '../../functions/core/cloudfront-log.ts';
import type { SiteConfig } from '../../functions/core/config.ts';
import type { PageDeps } from '../../functions/core/ports.ts';
import { PUBLIC_COUNT_FLOOR } from '../../functions/core/public-counts.ts';
import {
  closeFinishedDays,
  countRequests,
  publishPublicCounts,
  RequestBatch,
  type SubscriberDeps,
} from '../../functions/core/subscribers.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { toAttributes } from '../../functions/store/attributes.ts';
import {
  DynamoPublicCountStore,
  DynamoSaltStore,
  DynamoStatsStore,
  PUBLIC_COUNTS_MAX_BYTES,
} from '../../functions/store/dynamo-stats-store.ts';
import { itemSize } from '../../functions/store/item-size.ts';
import { publicCountKeys } from '../../functions/store/keys.ts';
import config from '../../newswire.config.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { scanTable } from '../support/table.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let counts: DynamoPublicCountStore;
let stats: SubscriberDeps & { counts: DynamoPublicCountStore };
const on: SiteConfig = { ...config, subscriberCounts: { public: true } };

/** The pages handler with the config given: the same table, store, clock and published counts. */
function pagesWith(config: SiteConfig) {
  const pageDeps: PageDeps = { config, store: deps.store, clock: deps.clock, counts };
  return createPagesHandler(() => pageDeps);
}

/** Each `≈ N readers` a page shows, in order, as a person reads it (`about 1,200 readers`). */
function readersShown(html: string): string[] {
  return [...html.matchAll(/<span class="readers">(.*?) readers<\/span>/g)].map(
    ([, inner]) =>
      `${inner!.replace(/<span aria-hidden="true">≈<\/span><span class="vh">about<\/span>/, 'about')} readers`,
  );
}

/** A hosted reader's feed request, as CloudFront would log it. */
function fetched(at: string, path: string, userAgent: string): RequestRecord {
  return {
    at: new Date(at),
    address: '192.0.2.7',
    method: 'GET',
    path,
    query: undefined,
    status: 200,
    userAgent,
  };
}

const feedly = (n: number, id: string) =>
  `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; feed-id=${id})`;

async function count(records: RequestRecord[]): Promise<void> {
  const batch = new RequestBatch(stats.config);
  for (const record of records) batch.add(record);
  await countRequests(stats, batch);
}

before(async () => {
  deps = await freshDeps('2026-12-05T20:00:00Z');
  const token = await testApiKey(deps);
  const articles = createArticlesHandler(() => deps);
  const put = await articles(
    httpEvent('PUT', '/api/articles/summit', {
      headers: { authorization: `Bearer ${token}` },
      body: sampleArticle(),
    }),
  );
  assert.equal(put.statusCode, 201);
  counts = new DynamoPublicCountStore(deps.client, deps.tableName);
  stats = {
    config: on,
    clock: deps.clock,
    stats: new DynamoStatsStore(deps.client, deps.tableName),
    salts: new DynamoSaltStore(deps.client, deps.tableName),
    counts,
  };
  await count([
    fetched('2026-12-05T08:00:00Z', '/europe/rss.xml', feedly(1234, 'a')),
    fetched(
      '2026-12-05T09:00:00Z',
      '/europe/world/rss.xml',
      'Mozilla/5.0 (compatible; inoreader.com; 462 subscribers)',
    ),
    fetched('2026-12-05T10:00:00Z', '/authors/ana-ortiz/rss.xml', feedly(57, 'b')),
    // Under the floor: never on a page.
    fetched('2026-12-05T11:00:00Z', '/topics/shipping/rss.xml', feedly(PUBLIC_COUNT_FLOOR - 1, 'c')),
    fetched('2026-12-05T12:00:00Z', '/europe/business/atom.xml', feedly(3, 'd')),
  ]);
});

describe('subscriber counts on the public pages (DynamoDB Local)', () => {
  test('nothing is published while the day is open, or while the config keeps counts private', async () => {
    // 4 December closed at 02:00 today; no feed was read that day, so it is published empty.
    assert.equal(await publishPublicCounts(stats), '2026-12-04');
    deps.clock.set('2026-12-06T01:30:00Z');
    assert.equal(await publishPublicCounts({ ...stats, config: deps.config }), undefined);
    const items = await scanTable(deps.client, deps.tableName);
    const published = items.filter((i) => i.pk?.S === publicCountKeys.partition).map((i) => i.sk?.S);
    assert.deepEqual(published, ['2026-12-04'], 'only the empty day before; 2026-12-05 closes at 02:00');
  });

  test('once the day has closed it is published once, with only the feeds at or above the floor', async () => {
    deps.clock.set('2026-12-06T02:15:00Z');
    await closeFinishedDays(stats);
    assert.equal(await publishPublicCounts(stats), '2026-12-05');
    assert.equal(await publishPublicCounts(stats), undefined, 'a day is published once');
    const latest = await counts.latestCounts('2026-12-01', '2026-12-06');
    assert.deepEqual(latest, {
      day: '2026-12-05',
      publishedAt: '2026-12-06T02:15:00.000Z',
      feeds: { europe: 1234, 'europe/world': 462, 'authors/ana-ortiz': 57 },
    });
  });

  test('with the option on, fronts, section, writer and story pages show each feed’s readers, rounded', async () => {
    const pages = pagesWith(on);
    const shown = async (path: string) => {
      const reply = await pages(httpEvent('GET', path));
      assert.equal(reply.statusCode, 200, path);
      return readersShown(reply.body ?? '');
    };
    // The edition's subscribe line, then its sections' feeds (World only: Business is under the floor).
    assert.deepEqual(await shown('/europe/'), ['about 1,200 readers', 'about 460 readers']);
    assert.deepEqual(await shown('/europe/world/'), ['about 460 readers', 'about 460 readers']);
    assert.deepEqual(await shown('/europe/business/'), ['about 460 readers']);
    assert.deepEqual(await shown('/authors/ana-ortiz/'), ['about 60 readers']);
    assert.deepEqual(
      await shown('/topics/shipping/'),
      [],
      `${PUBLIC_COUNT_FLOOR - 1} readers are too few to show`,
    );
    // Each edition's card: its feed, then its sections'.
    assert.deepEqual(await shown('/'), ['about 1,200 readers', 'about 460 readers']);
    // The story's feeds: its edition, its section, its writer (not its topic: too few).
    assert.deepEqual(await shown('/europe/world/summit/'), [
      'about 1,200 readers',
      'about 460 readers',
      'about 60 readers',
    ]);
  });

  test('with the option off (the default), no page shows a count', async () => {
    const pages = pagesWith(deps.config);
    for (const path of ['/', '/europe/', '/europe/world/', '/authors/ana-ortiz/', '/europe/world/summit/']) {
      const body = (await pages(httpEvent('GET', path))).body ?? '';
      assert.deepEqual(readersShown(body), [], path);
      assert.doesNotMatch(body, /readers<\/span>|1,2\d\d|\b46\d\b/, path);
    }
  });

  test('the counts are in the ETag and Last-Modified: a 304 holds until the next day is published', async () => {
    const pages = pagesWith(on);
    const first = await pages(httpEvent('GET', '/europe/'));
    const etag = first.headers?.etag as string;
    const off = await pagesWith(deps.config)(httpEvent('GET', '/europe/'));
    assert.notEqual(off.headers?.etag, etag, 'a page with counts is not the page without');
    // The second the counts were published (or the one before, while that is recent: conditional.ts).
    const near = (header: unknown, iso: string) =>
      assert.ok([0, 1000].includes(Date.parse(iso) - Date.parse(String(header))), `${header} for ${iso}`);
    near(first.headers?.['last-modified'], '2026-12-06T02:15:00Z');
    const again = await pages(httpEvent('GET', '/europe/', { headers: { 'if-none-match': etag } }));
    assert.equal(again.statusCode, 304);

    // The next day closes with more readers: the page changes, and the old ETag no longer matches.
    deps.clock.set('2026-12-06T18:00:00Z');
    await count([fetched('2026-12-06T17:00:00Z', '/europe/rss.xml', feedly(2049, 'a'))]);
    deps.clock.set('2026-12-07T02:20:00Z');
    await closeFinishedDays(stats);
    assert.equal(await publishPublicCounts(stats), '2026-12-06');
    const next = await pages(httpEvent('GET', '/europe/', { headers: { 'if-none-match': etag } }));
    assert.equal(next.statusCode, 200);
    assert.notEqual(next.headers?.etag, etag);
    assert.deepEqual(readersShown(next.body ?? ''), ['about 2,000 readers']);
    near(next.headers?.['last-modified'], '2026-12-07T02:20:00Z');
  });

  test('published counts older than the pages may show are not shown', async () => {
    deps.clock.set('2026-12-11T12:00:00Z');
    const body = (await pagesWith(on)(httpEvent('GET', '/europe/'))).body ?? '';
    assert.deepEqual(readersShown(body), [], 'the 6 December counts are 5 days old');
  });

  test('a day with more feeds above the floor than one item holds keeps the most followed, within 2 read units', async () => {
    const feeds: Record<string, number> = {};
    for (let i = 0; i < 3000; i++)
      feeds[`topics/a-rather-long-topic-slug-number-${i}`] = PUBLIC_COUNT_FLOOR + i;
    assert.equal(
      await counts.publishCounts(
        { day: '2026-11-01', publishedAt: '2026-11-02T02:15:00.000Z', feeds },
        new Date('2026-11-10T00:00:00Z'),
      ),
      true,
    );
    const { Item } = await deps.client.send(
      new GetItemCommand({ TableName: deps.tableName, Key: toAttributes(publicCountKeys.day('2026-11-01')) }),
    );
    const size = itemSize(Item!);
    assert.ok(size <= PUBLIC_COUNTS_MAX_BYTES, `${size} bytes`);
    assert.ok(size > PUBLIC_COUNTS_MAX_BYTES - 100, `${size} bytes: the item is filled, not cut short`);
    // An eventually consistent read: half a unit per 4 KB, rounded up (DynamoDB's documented rule).
    assert.ok(Math.ceil(size / 4096) / 2 <= 2);
    const kept = await counts.latestCounts('2026-11-01', '2026-11-01');
    const values = Object.values(kept!.feeds);
    assert.ok(values.length > 100 && values.length < 3000, `${values.length} feeds kept`);
    assert.equal(Math.max(...values), PUBLIC_COUNT_FLOOR + 2999, 'the most followed is kept');
    assert.equal(
      Math.min(...values),
      PUBLIC_COUNT_FLOOR + 3000 - values.length,
      'and the next most followed',
    );
  });
});
