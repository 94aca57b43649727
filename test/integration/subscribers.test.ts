/**
 * The subscriber estimate on DynamoDB Local: a recorded-style CloudFront log
 * of two days (hosted readers with their counts and feed ids, readers on
 * people's machines, browsers, crawlers, services that report no count)
 * replayed through the log parser and the aggregation into the real table,
 * with the exact counts each feed and day must get; counting the same log
 * twice or in pieces; no address anywhere in the tables; and a closed day's
 * salt gone for good.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { readCloudFrontLog } from '../../functions/core/cloudfront-log.ts';
import {
  closeFinishedDays,
  countRequests,
  RequestBatch,
  type SubscriberDeps,
  type SubscriberReport,
  subscriberReport,
} from '../../functions/core/subscribers.ts';
import { createDynamoClient } from '../../functions/store/client.ts';
import { DynamoSaltStore, DynamoStatsStore } from '../../functions/store/dynamo-stats-store.ts';
import { ensureTable } from '../../functions/store/table.ts';
import config from '../../newswire.config.ts';
import { dynamoEndpoint, type TestClock, testClock } from '../support/dynamo.ts';
import { scanTable } from '../support/table.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'stats', 'cloudfront-two-days.log');
const LOG = readFileSync(FIXTURE, 'utf8');
const RECORDS = [...readCloudFrontLog(LOG)];
/** Every viewer address in the fixture: none may be stored, in any form we can read back. */
const ADDRESSES = [...new Set(RECORDS.map((r) => r.address))];

type Deps = SubscriberDeps & { clock: TestClock; tableName: string; saltTable: string };

async function freshStatsDeps(at: string): Promise<Deps> {
  const client = createDynamoClient({ endpoint: dynamoEndpoint() });
  const tableName = `stats-${randomUUID()}`;
  const saltTable = `salts-${randomUUID()}`;
  await Promise.all([ensureTable(client, tableName), ensureTable(client, saltTable)]);
  return {
    config,
    clock: testClock(at),
    stats: new DynamoStatsStore(client, tableName),
    salts: new DynamoSaltStore(client, saltTable),
    tableName,
    saltTable,
  };
}

async function replay(deps: SubscriberDeps, records = RECORDS): Promise<void> {
  const batch = new RequestBatch(deps.config);
  for (const record of records) batch.add(record);
  await countRequests(deps, batch);
}

function feed(report: SubscriberReport, name: string) {
  const found = report.feeds.find((f) => f.feed === name);
  assert.ok(found, `${name} is in the report`);
  return found;
}

/** What the fixture must give, by feed and day (see the comments in the test for the sums). */
function assertFixtureCounts(report: SubscriberReport): void {
  assert.equal(report.from, '2026-11-27');
  const europe = feed(report, 'europe');
  const [day1, day2] = europe.days;
  // rss: Feedly 470 (largest of 462, 470) + Inoreader 114 (new and old User-Agent; largest of 114, 110)
  // + Feedbin 102 + 5 (two feed ids; largest of 102, 101 for the first) + NewsBlur 27
  // + NetNewsWire from two addresses + Newsboat + Miniflux = 722. The ?after= page,
  // the browser, the crawlers, the 404 and the 500 count for nothing.
  assert.deepEqual(day1, { date: '2026-11-27', subscribers: 734, rss: 722, atom: 13, json: 0 });
  // Every format: 730 hosted + 4 distinct readers (the NetNewsWire reading rss and atom counts once).
  assert.deepEqual(day2, { date: '2026-11-28', subscribers: 585, rss: 585, atom: 0, json: 0 });
  assert.deepEqual(feed(report, 'europe/world').days.slice(0, 2), [
    { date: '2026-11-27', subscribers: 1, rss: 0, atom: 0, json: 1 },
    { date: '2026-11-28', subscribers: 0, rss: 0, atom: 0, json: 0 },
  ]);
  assert.deepEqual(
    feed(report, 'authors/ana-ortiz')
      .days.slice(0, 2)
      .map((d) => d.subscribers),
    [13, 1],
  );
  assert.equal(report.feeds.length, 3, 'no other feed (the 404 and the page are not feeds)');
  assert.deepEqual(
    report.editions.map((e) => [e.edition, e.subscribers.slice(0, 2)]),
    [
      ['authors', [13, 1]],
      ['europe', [735, 585]],
    ],
  );
  const notCounted = Object.fromEntries(
    report.notCounted.map((f) => [`${f.kind} ${f.family}`, f.clients.slice(0, 2)]),
  );
  assert.deepEqual(notCounted, {
    'aggregator Feedspot': [1, 0],
    'aggregator Flipboard': [1, 0],
    'browser Chrome': [1, 0],
    'browser Safari': [1, 0],
    'crawler Bingbot': [1, 0],
    'crawler Googlebot': [1, 1],
    'unknown SomeReader': [1, 0],
    'unknown curl': [1, 0],
  });
}

describe('subscriber estimate from a two-day CloudFront log', () => {
  let deps: Deps;
  before(async () => {
    // Early on the second day: the first is still open (it closes two hours after midnight).
    deps = await freshStatsDeps('2026-11-28T01:00:00Z');
    await replay(deps);
  });

  test('the fixture is read whole: every line a record', () => {
    assert.equal(RECORDS.length, 38);
    assert.ok(ADDRESSES.includes('2001:db8:85a3::8a2e:370:7334'));
  });

  test('gives the exact counts per feed and day', async () => {
    const report = await subscriberReport(deps, { days: 2 });
    assertFixtureCounts(report);
    // The last day's readers of the edition feed, the largest first.
    assert.deepEqual(feed(report, 'europe').readers, [
      { name: 'Feedly', kind: 'hosted', subscribers: 480 },
      { name: 'Feedbin', kind: 'hosted', subscribers: 104 },
      { name: 'NetNewsWire', kind: 'reader', subscribers: 1 },
    ]);
  });

  test('counting the same log again, or in pieces in another order, changes nothing', async () => {
    const again = await freshStatsDeps('2026-11-28T01:00:00Z');
    const reversed = [...RECORDS].reverse();
    await replay(again, reversed.slice(0, 20));
    await replay(again, reversed.slice(10));
    await replay(again);
    assertFixtureCounts(await subscriberReport(again, { days: 2 }));
  });

  test('no viewer address is stored, in any attribute', async () => {
    const client = createDynamoClient({ endpoint: dynamoEndpoint() });
    const items = [
      ...(await scanTable(client, deps.tableName)),
      ...(await scanTable(client, deps.saltTable)),
    ];
    assert.ok(items.length > 0);
    const text = JSON.stringify(items, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
    );
    for (const address of ADDRESSES) assert.equal(text.includes(address), false, `${address} is not stored`);
  });

  test('a closed day keeps its counts, and its salt and hashes are gone for good', async () => {
    const client = createDynamoClient({ endpoint: dynamoEndpoint() });
    const salts = async () => (await scanTable(client, deps.saltTable)).map((i) => i.pk?.S);
    assert.deepEqual(await salts(), ['SALT#2026-11-27', 'SALT#2026-11-28']);
    const saltBefore = await deps.salts.saltFor('2026-11-27', new Date('2026-11-28T02:00:00Z'));

    deps.clock.set('2026-11-29T03:00:00Z');
    const closed = await closeFinishedDays(deps);
    assert.ok(closed.includes('2026-11-27') && closed.includes('2026-11-28'), closed.join());
    assert.deepEqual(await salts(), [], 'no salt is left');
    const items = await scanTable(client, deps.tableName);
    assert.deepEqual(
      items.filter((i) => i.pk?.S?.startsWith('STATSSETS#')),
      [],
      'no client hash is left',
    );
    const text = JSON.stringify(items, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    );
    assert.equal(text.includes(Buffer.from(saltBefore).toString('hex')), false, 'the salt is nowhere');

    // The summaries are final: the same report, now read on the third day.
    const report = await subscriberReport(deps, { days: 3 });
    assertFixtureCounts(report);

    // A late log line for a closed day still updates a hosted reader's count, but counts no client
    // (there is no salt to hash it with, and none is made again).
    const reader = RECORDS.find(
      (r) => r.userAgent.startsWith('NetNewsWire') && r.path === '/europe/rss.xml',
    )!;
    const feedly = RECORDS.find((r) => r.userAgent.startsWith('Feedly') && r.path === '/europe/rss.xml')!;
    const lateDay = new Date('2026-11-27T22:00:00Z');
    const batch = new RequestBatch(config);
    batch.add({ ...reader, address: '192.0.2.250', at: lateDay });
    batch.add({
      ...feedly,
      userAgent: 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 999 subscribers; )',
      at: lateDay,
    });
    const outcome = await countRequests(deps, batch);
    assert.equal(outcome.lateClients, 1);
    assert.deepEqual(await salts(), [], 'no salt is made for a closed day');
    const after = await subscriberReport(deps, { days: 3 });
    assert.equal(feed(after, 'europe').days[0]?.subscribers, 734 - 470 + 999);
    assert.equal(feed(after, 'europe').days[0]?.rss, 722 - 470 + 999);
  });
});
