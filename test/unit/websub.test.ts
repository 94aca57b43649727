/** WebSub publishing: which feeds a table change or a story falling due changed, and the pings that say so. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Article } from '../../functions/core/article.ts';
import { defineConfig } from '../../functions/core/config.ts';
import { HubError } from '../../functions/core/errors.ts';
import type { NotifyStore, TopStories } from '../../functions/core/ports.ts';
import { type EntryScope, type FeedScope, scopeName } from '../../functions/core/scopes.ts';
import {
  type ChangeRecord,
  changedFeeds,
  feedsFallingDue,
  type NotifyDeps,
  PINGS_IN_FLIGHT,
  type PublishRequest,
  pingHub,
  publishRequests,
  sweepWindow,
  topicUrls,
  websubLinks,
} from '../../functions/core/websub.ts';
import { createNotifyHandler, type SweepEvent } from '../../functions/notify.ts';
import { changeOfKey, keys } from '../../functions/store/keys.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';

const HUB = 'https://hub.example.net/';
const config = defineConfig({ ...siteConfig, baseUrl: 'https://news.example.com', hubUrl: HUB });
const AT = new Date('2026-11-27T12:00:05Z');
const names = (feeds: { scope: FeedScope }[]) => feeds.map((f) => scopeName(f.scope)).sort();

function entry(scope: EntryScope, publishedAt: string, id = 'r1', at = AT): ChangeRecord {
  return { id, at, change: { kind: 'entry', scope, publishedAt } };
}

describe('changeOfKey: what a stream record’s key means', () => {
  const position = { publishedAt: '2026-11-27T09:30:00.000Z', id: 'summit' };
  test('a feed entry of every kind of feed names its feed and publication time', () => {
    const scopes: EntryScope[] = [
      { kind: 'edition', edition: 'europe' },
      { kind: 'section', edition: 'europe', section: 'world' },
      { kind: 'author', author: 'ana-ortiz' },
      { kind: 'topic', topic: 'shipping' },
    ];
    for (const scope of scopes) {
      assert.deepEqual(changeOfKey(keys.feedEntry(scope, position)), {
        kind: 'entry',
        scope,
        publishedAt: position.publishedAt,
      });
    }
  });

  test('a Top Stories list and an article’s current version; nothing for revisions and API keys', () => {
    assert.deepEqual(changeOfKey(keys.topStories('asia')), { kind: 'top-stories', edition: 'asia' });
    assert.deepEqual(changeOfKey(keys.article('summit')), { kind: 'article', id: 'summit' });
    assert.equal(changeOfKey(keys.revision('summit', 3)), undefined);
    assert.equal(changeOfKey(keys.apiKey('0123456789abcdef')), undefined);
    assert.equal(changeOfKey({ pk: 'FEED#', sk: 'x' }), undefined);
  });
});

describe('changedFeeds', () => {
  test('a published entry changes its feed; a scheduled one changes nothing yet', () => {
    const feeds = changedFeeds(
      [
        entry({ kind: 'edition', edition: 'europe' }, '2026-11-27T09:30:00.000Z', 'a'),
        // Written at 12:00:05 (the record says 12:00:05, rounded down): due within that second counts.
        entry({ kind: 'edition', edition: 'asia' }, '2026-11-27T12:00:05.900Z', 'b'),
        entry({ kind: 'edition', edition: 'africa' }, '2026-11-27T12:00:06.000Z', 'c'),
      ],
      config,
    );
    assert.deepEqual(names(feeds), ['asia', 'europe']);
  });

  test('each feed once, with every record that changed it; unknown editions and sections are left out', () => {
    const world = { kind: 'section', edition: 'europe', section: 'world' } as const;
    const feeds = changedFeeds(
      [
        entry(world, '2026-11-27T09:30:00.000Z', 'a'),
        entry(world, '2026-11-26T09:30:00.000Z', 'b'),
        entry({ kind: 'edition', edition: 'atlantis' }, '2026-11-27T09:30:00.000Z', 'c'),
        entry({ kind: 'section', edition: 'europe', section: 'gossip' }, '2026-11-27T09:30:00.000Z', 'd'),
      ],
      config,
    );
    assert.deepEqual(feeds, [{ scope: world, sources: ['a', 'b'] }]);
  });

  test('a Top Stories list changes its feed; an article changes every list that names it', () => {
    const lists: TopStories[] = [
      { edition: 'europe', articles: ['x', 'summit'], version: 2, updatedAt: '' },
      { edition: 'asia', articles: ['summit'], version: 1, updatedAt: '' },
      { edition: 'africa', articles: ['x'], version: 1, updatedAt: '' },
    ];
    const feeds = changedFeeds(
      [
        { id: 'l', at: AT, change: { kind: 'top-stories', edition: 'americas' } },
        { id: 'a', at: AT, change: { kind: 'article', id: 'summit' } },
      ],
      config,
      lists,
    );
    assert.deepEqual(names(feeds), ['americas/top', 'asia/top', 'europe/top']);
  });
});

describe('pings', () => {
  test('each changed feed is pinged at the first page of its three formats', () => {
    assert.deepEqual(
      topicUrls(config.baseUrl, [{ scope: { kind: 'author', author: 'ana-ortiz' }, sources: [] }]),
      [
        'https://news.example.com/authors/ana-ortiz/rss.xml',
        'https://news.example.com/authors/ana-ortiz/atom.xml',
        'https://news.example.com/authors/ana-ortiz/feed.json',
      ],
    );
  });

  test('one topic per request for a hub that documents nothing else; batches for Google’s and Superfeedr’s', () => {
    const topics = Array.from({ length: 45 }, (_, i) => `https://news.example.com/t${i}/rss.xml`);
    const generic = publishRequests(HUB, topics.slice(0, 3));
    assert.deepEqual(
      generic.map((r) => r.body),
      topics.slice(0, 3).map((t) => `hub.mode=publish&hub.url=${encodeURIComponent(t)}`),
    );
    const google = publishRequests('https://pubsubhubbub.appspot.com/', topics);
    assert.deepEqual(
      google.map((r) => r.topics.length),
      [20, 20, 5],
    );
    assert.deepEqual(new URLSearchParams(google[2]!.body).getAll('hub.url'), topics.slice(40));
    const superfeedr = publishRequests('https://newswire.superfeedr.com/', topics.slice(0, 2));
    assert.equal(superfeedr.length, 1);
    assert.deepEqual(new URLSearchParams(superfeedr[0]!.body).getAll('hub.url[]'), topics.slice(0, 2));
    assert.equal(new URLSearchParams(superfeedr[0]!.body).get('hub.mode'), 'publish');
  });

  test('Link headers name the hub and the feed page itself, and nothing without a hub', () => {
    const scope = { kind: 'edition', edition: 'europe' } as const;
    assert.equal(
      websubLinks(config, scope, 'atom'),
      `<${HUB}>; rel="hub", <https://news.example.com/europe/atom.xml>; rel="self"`,
    );
    assert.match(
      websubLinks(config, scope, 'json', 'abc') ?? '',
      /<https:\/\/news\.example\.com\/europe\/feed\.json\?after=abc>; rel="self"$/,
    );
    assert.equal(websubLinks({ baseUrl: config.baseUrl }, scope, 'rss'), undefined);
  });
});

/** NotifyDeps with a recording hub that fails the topics it is told to, and a clock that waits instantly. */
function fakeDeps(
  options: { fail?: (topic: string) => boolean; lists?: TopStories[]; articles?: Article[] } = {},
) {
  const sent: PublishRequest[] = [];
  const waits: number[] = [];
  let now = AT.getTime();
  const store: NotifyStore = {
    getTopStories: async (edition) => options.lists?.find((l) => l.edition === edition),
    getArticles: async (ids) =>
      new Map((options.articles ?? []).filter((a) => ids.includes(a.id)).map((a) => [a.id, a] as const)),
    listFeedBetween: async (scope, window) =>
      (options.articles ?? [])
        .filter(
          (a) =>
            scope.kind === 'edition' &&
            a.publishedAt > window.after.toISOString() &&
            a.publishedAt <= window.upTo.toISOString() &&
            (a.editions ?? []).concat('international').includes(scope.edition),
        )
        .map((a) => ({ publishedAt: a.publishedAt, id: a.id })),
  };
  const deps: NotifyDeps = {
    config,
    store,
    hub: {
      publish: async (request) => {
        sent.push(request);
        if (request.topics.some((t) => options.fail?.(t))) throw new HubError('The hub answered 503', 503);
      },
    },
    clock: () => new Date(now),
    wait: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    delayMs: 33_000,
  };
  return { deps, sent, waits };
}

describe('pingHub', () => {
  test('keeps at most PINGS_IN_FLIGHT requests in flight, and sends none that cannot start by the deadline', async () => {
    const { deps } = fakeDeps();
    let inFlight = 0;
    let most = 0;
    const started: string[] = [];
    deps.hub = {
      publish: async (request) => {
        started.push(...request.topics);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
      },
    };
    const feeds = config.editions.map((e) => ({
      scope: { kind: 'edition', edition: e.id } as const,
      sources: [e.id],
    }));
    const outcome = await pingHub(deps, feeds, AT);
    assert.equal(outcome.pinged.length, 18);
    assert.equal(most, PINGS_IN_FLIGHT);

    started.length = 0;
    const late = await pingHub(deps, feeds, new Date(0), deps.clock().getTime() - 1);
    assert.deepEqual(started, [], 'nothing is sent past the deadline');
    assert.equal(late.failed.length, 18);
    assert.match(late.failed[0]!.error.message, /ran out of time/);
    assert.equal(late.failedSources.size, config.editions.length);
  });

  test('waits until the cached copies have expired, then pings every topic once', async () => {
    const { deps, sent, waits } = fakeDeps();
    const feeds = [{ scope: { kind: 'edition', edition: 'asia' } as const, sources: ['a'] }];
    const outcome = await pingHub(deps, feeds, new Date(AT.getTime() - 3000));
    assert.deepEqual(waits, [30_000]);
    assert.equal(sent.length, 3);
    assert.equal(outcome.pinged.length, 3);
    assert.deepEqual(outcome.failed, []);
  });

  test('does not wait for a change whose caches have already expired, and reports failed topics by source', async () => {
    const { deps, waits } = fakeDeps({ fail: (t) => t.includes('/asia/') });
    const feeds = [
      { scope: { kind: 'edition', edition: 'asia' } as const, sources: ['a', 'b'] },
      { scope: { kind: 'edition', edition: 'europe' } as const, sources: ['c'] },
    ];
    const outcome = await pingHub(deps, feeds, new Date(AT.getTime() - 60_000));
    assert.deepEqual(waits, []);
    assert.equal(outcome.pinged.length, 3);
    assert.equal(outcome.failed.length, 3);
    assert.deepEqual([...outcome.failedSources].sort(), ['a', 'b']);
  });
});

const record = (sequence: string, pk: string, sk: string, at = AT): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: sequence,
    ApproximateCreationDateTime: at.getTime() / 1000,
    Keys: { pk: { S: pk }, sk: { S: sk } },
  },
});

describe('the notify handler', () => {
  test('reports the earliest record behind a failed ping, so the batch is retried from there', async () => {
    const { deps, sent } = fakeDeps({ fail: (t) => t.includes('/europe/') });
    const handler = createNotifyHandler(() => deps);
    const result = await handler({
      Records: [
        record('100', 'ARTICLE#summit', 'REV#0000000001'),
        record('101', 'FEED#asia#*', '2026-11-27T09:30:00.000Z#summit'),
        record('102', 'FEED#europe#*', '2026-11-27T09:30:00.000Z#summit'),
        record('103', 'FEED#europe#*', '2026-11-26T09:30:00.000Z#summit'),
      ],
    });
    assert.equal(sent.length, 6);
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: '102' }] });
  });

  test('a batch whose pings all succeed, or that changed no feed, reports no failure', async () => {
    const { deps, sent } = fakeDeps();
    const handler = createNotifyHandler(() => deps);
    assert.deepEqual(await handler({ Records: [record('1', 'FEED#asia#*', '2026-11-27T09:30:00.000Z#a')] }), {
      batchItemFailures: [],
    });
    assert.deepEqual(await handler({ Records: [record('2', 'KEY#0123', 'KEY')] }), { batchItemFailures: [] });
    assert.equal(sent.length, 3);
  });

  test('the sweep pings every feed of a story that fell due in the last minute, and throws when a ping fails', async () => {
    const due = storedFrom(
      sampleArticle({ publishedAt: '2026-11-27T11:59:30Z' }),
      'due',
      config,
      new Date('2026-11-27T08:00:00Z'),
    );
    const lists: TopStories[] = [{ edition: 'asia', articles: ['due'], version: 1, updatedAt: '' }];
    const window = sweepWindow(new Date('2026-11-27T12:00:00.400Z'), 60_000);
    assert.deepEqual(window, {
      after: new Date('2026-11-27T11:59:00Z'),
      upTo: new Date('2026-11-27T12:00:00Z'),
    });
    const found = await feedsFallingDue(fakeDeps({ articles: [due], lists }).deps.store, config, window);
    assert.deepEqual(names(found), [
      'asia',
      'asia/top',
      'asia/world',
      'authors/ana-ortiz',
      'europe',
      'europe/world',
      'international',
      'international/world',
      'topics/diplomacy',
      'topics/shipping',
    ]);
    const later = sweepWindow(new Date('2026-11-27T12:01:00Z'), 60_000);
    assert.deepEqual(await feedsFallingDue(fakeDeps({ articles: [due] }).deps.store, config, later), []);

    const event = { 'detail-type': 'Scheduled Event', time: '2026-11-27T12:00:00Z' } as SweepEvent;
    const ok = fakeDeps({ articles: [due], lists });
    await createNotifyHandler(() => ok.deps)(event);
    assert.equal(ok.sent.length, 30);
    const failing = fakeDeps({ articles: [due], lists, fail: (t) => t.includes('/top/') });
    await assert.rejects(createNotifyHandler(() => failing.deps)(event), HubError);
  });
});
