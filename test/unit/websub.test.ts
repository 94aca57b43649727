/** WebSub publishing: which feeds a table change or a story falling due changed, and the pings that say so. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { DynamoDBRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Article } from '../../functions/core/article.ts';
import { defineConfig } from '../../functions/core/config.ts';
import { HubError } from '../../functions/core/errors.ts';
import type { ArticleState, ArticleStore, NotifyStore, TopStories } from '../../functions/core/ports.ts';
import { type EntryScope, type FeedScope, scopeName } from '../../functions/core/scopes.ts';
import { putTopStories, visibleTopStories } from '../../functions/core/top-stories.ts';
import {
  type ChangeRecord,
  duePings,
  type NotifyDeps,
  PINGS_IN_FLIGHT,
  type PublishRequest,
  pingHub,
  publishRequests,
  type QueuedPing,
  readStreamFacts,
  type StreamFacts,
  streamPings,
  sweepWindow,
  topicUrls,
  websubLinks,
} from '../../functions/core/websub.ts';
import { createHubClient } from '../../functions/http/hub-client.ts';
import { createNotifyHandler, type SweepEvent } from '../../functions/notify.ts';
import { changeOfKey, keys } from '../../functions/store/keys.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { articleState } from '../support/memory-store.ts';

const HUB = 'https://hub.example.net/';
const config = defineConfig({ ...siteConfig, baseUrl: 'https://news.example.com', hubUrl: HUB });
const AT = new Date('2026-11-27T12:00:05Z');
const names = (feeds: { scope: FeedScope }[]) => feeds.map((f) => scopeName(f.scope)).sort();

function entry(scope: EntryScope, publishedAt: string, article = 'summit', id = 'r1', at = AT): ChangeRecord {
  return { id, at, change: { kind: 'entry', scope, publishedAt, id: article } };
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
        id: 'summit',
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

/** The state of an article as notify reads it. */
function state(
  id: string,
  publishedAt: string,
  updatedAt: string,
  extra: Partial<ArticleState> = {},
): ArticleState {
  return { id, version: 1, publishedAt, updatedAt, withdrawn: false, ...extra };
}
const facts = (
  states: ArticleState[],
  lists: TopStories[] = [],
  unpublished: string[] = [],
): StreamFacts => ({
  states: new Map(states.map((s) => [s.id, s])),
  lists,
  unpublished: new Set(unpublished),
});

describe('streamPings: what a batch of stream records visibly changed', () => {
  const P = '2026-11-27T09:30:00.000Z';

  test('an entry of a story written when already due changes its feed; one written while scheduled changes nothing yet', () => {
    const pings = streamPings(
      [
        entry({ kind: 'edition', edition: 'europe' }, P, 'a', 'r1'),
        // Published 300 ms after the write: the sweep announces it when it falls due, not the stream.
        entry({ kind: 'edition', edition: 'asia' }, '2026-11-27T12:00:05.300Z', 'b', 'r2'),
      ],
      facts([
        state('a', P, '2026-11-27T12:00:05.000Z'),
        state('b', '2026-11-27T12:00:05.300Z', '2026-11-27T12:00:05.000Z'),
      ]),
      config,
    );
    assert.deepEqual(names(pings), ['europe']);
    assert.deepEqual(pings[0]!.changes, ['a@v1']);
  });

  test('an entry left behind changes its feed only if it had been published: a move, a withdrawal', () => {
    const pings = streamPings(
      [
        // Moved from 09:30 to 10:00 (both past): the old position's removal changed the feed.
        entry({ kind: 'edition', edition: 'europe' }, P, 'moved', 'r1'),
        // Withdrawn while scheduled: its entry was never shown.
        entry({ kind: 'edition', edition: 'asia' }, '2026-11-28T09:00:00.000Z', 'embargoed', 'r2'),
        entry({ kind: 'edition', edition: 'africa' }, P, 'withdrawn', 'r3'),
      ],
      facts([
        state('moved', '2026-11-27T10:00:00.000Z', '2026-11-27T12:00:00.000Z', { version: 2 }),
        state('embargoed', '2026-11-28T09:00:00.000Z', '2026-11-27T12:00:00.000Z', { withdrawn: true }),
        state('withdrawn', P, '2026-11-27T12:00:00.000Z', { withdrawn: true, version: 3 }),
      ]),
      config,
    );
    assert.deepEqual(names(pings), ['africa', 'europe']);
  });

  test('each feed once, with every change; unknown editions and sections are left out', () => {
    const world = { kind: 'section', edition: 'europe', section: 'world' } as const;
    const pings = streamPings(
      [
        entry(world, P, 'a', 'r1'),
        entry(world, '2026-11-26T09:30:00.000Z', 'b', 'r2'),
        entry({ kind: 'edition', edition: 'atlantis' }, P, 'a', 'r3'),
        entry({ kind: 'section', edition: 'europe', section: 'gossip' }, P, 'a', 'r4'),
      ],
      facts([state('a', P, P), state('b', '2026-11-26T09:30:00.000Z', P)]),
      config,
    );
    assert.deepEqual(pings, [{ scope: world, changes: ['a@v1', 'b@v1'] }]);
  });

  test('a visible article change changes every Top Stories list naming it; an edit of an embargoed story none', () => {
    const lists: TopStories[] = [
      { edition: 'europe', articles: ['x', 'summit'], version: 2, updatedAt: '' },
      { edition: 'asia', articles: ['summit', 'embargoed'], version: 1, updatedAt: '' },
      { edition: 'africa', articles: ['x'], version: 1, updatedAt: '' },
    ];
    const pings = streamPings(
      [
        { id: 'a', at: AT, change: { kind: 'article', id: 'summit' } },
        { id: 'b', at: AT, change: { kind: 'article', id: 'embargoed' } },
      ],
      facts(
        [
          state('summit', P, '2026-11-27T12:00:04.000Z', { version: 4 }),
          state('embargoed', '2026-11-28T09:00:00.000Z', '2026-11-27T12:00:04.000Z', { version: 7 }),
        ],
        lists,
      ),
      config,
    );
    assert.deepEqual(names(pings), ['asia/top', 'europe/top']);
    assert.deepEqual(pings[0]!.changes, ['summit@v4']);
  });

  test('a story moved back into the future leaves the lists naming it', () => {
    const lists: TopStories[] = [{ edition: 'asia', articles: ['later'], version: 1, updatedAt: '' }];
    const record = { id: 'a', at: AT, change: { kind: 'article', id: 'later' } } as const;
    const now = state('later', '2026-11-28T09:00:00.000Z', '2026-11-27T12:00:04.000Z', { version: 2 });
    assert.deepEqual(names(streamPings([record], facts([now], lists, ['later']), config)), ['asia/top']);
    assert.deepEqual(streamPings([record], facts([now], lists), config), []);
  });

  test('a Top Stories write is announced only when what the list shows changed', () => {
    const record = { id: 'l', at: AT, change: { kind: 'top-stories', edition: 'americas' } } as const;
    const list = (visibleChangedAt?: string): TopStories => ({
      edition: 'americas',
      articles: ['a', 'scheduled'],
      version: 5,
      updatedAt: '2026-11-27T12:00:04.500Z',
      ...(visibleChangedAt !== undefined && { visibleChangedAt }),
    });
    // This write changed what the list shows.
    assert.deepEqual(names(streamPings([record], facts([], [list('2026-11-27T12:00:04.500Z')]), config)), [
      'americas/top',
    ]);
    // This write only added a scheduled id: the list showed the same stories since an hour ago.
    assert.deepEqual(streamPings([record], facts([], [list('2026-11-27T11:00:00.000Z')]), config), []);
    // A list stored before the field existed counts as changed at its last write.
    assert.deepEqual(names(streamPings([record], facts([], [list()]), config)), ['americas/top']);
  });
});

describe('visibleTopStories and Top Stories writes', () => {
  test('a list shows its published, not withdrawn stories in the editors’ order', () => {
    const at = new Date('2026-11-27T12:00:00Z');
    const states = new Map(
      [
        state('b', '2026-11-27T11:00:00.000Z', ''),
        state('later', '2026-11-27T12:00:00.001Z', ''),
        state('gone', '2026-11-27T10:00:00.000Z', '', { withdrawn: true }),
        state('a', '2026-11-27T12:00:00.000Z', ''),
      ].map((s) => [s.id, s]),
    );
    assert.deepEqual(visibleTopStories({ articles: ['b', 'later', 'gone', 'missing', 'a'] }, states, at), [
      'b',
      'a',
    ]);
    assert.deepEqual(visibleTopStories(undefined, states, at), []);
  });

  test('adding a scheduled id keeps the time the list last changed what it shows; a visible change moves it', async () => {
    const states = new Map(
      [
        state('shown', '2026-11-27T09:00:00.000Z', '2026-11-27T08:00:00.000Z'),
        state('scheduled', '2026-11-28T09:00:00.000Z', '2026-11-27T08:00:00.000Z'),
      ].map((s) => [s.id, s]),
    );
    const lists = new Map<string, TopStories>();
    const store = {
      getArticleStates: async (ids: readonly string[]) =>
        new Map(ids.flatMap((id) => (states.has(id) ? [[id, states.get(id)!] as const] : []))),
      getTopStories: async (edition: string) => lists.get(edition),
      saveTopStories: async (list: TopStories) => {
        lists.set(list.edition, list);
      },
    } as unknown as ArticleStore;
    let now = new Date('2026-11-27T12:00:00Z');
    const deps = { store, config, clock: () => now };
    await putTopStories(deps, 'asia', { articles: ['shown'] });
    assert.equal(lists.get('asia')?.visibleChangedAt, '2026-11-27T12:00:00.000Z');
    now = new Date('2026-11-27T13:00:00Z');
    const { list } = await putTopStories(deps, 'asia', { articles: ['scheduled', 'shown'] });
    assert.equal(list.visibleChangedAt, undefined, 'the API answer does not carry it');
    assert.equal(lists.get('asia')?.version, 2);
    assert.equal(lists.get('asia')?.visibleChangedAt, '2026-11-27T12:00:00.000Z');
    now = new Date('2026-11-27T14:00:00Z');
    await putTopStories(deps, 'asia', { articles: ['scheduled'] });
    assert.equal(lists.get('asia')?.visibleChangedAt, '2026-11-27T14:00:00.000Z');
    // A new list that shows nothing yet has never changed what it shows.
    await putTopStories(deps, 'europe', { articles: ['scheduled'] });
    assert.equal(lists.get('europe')?.visibleChangedAt, new Date(0).toISOString());
  });
});

describe('pings', () => {
  test('each changed feed is pinged at the first page of its three formats', () => {
    assert.deepEqual(topicUrls(config.baseUrl, [{ scope: { kind: 'author', author: 'ana-ortiz' } }]), [
      'https://news.example.com/authors/ana-ortiz/rss.xml',
      'https://news.example.com/authors/ana-ortiz/atom.xml',
      'https://news.example.com/authors/ana-ortiz/feed.json',
    ]);
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

/** NotifyDeps with a recording hub that fails the topics it is told to, and a recording queue. */
function fakeDeps(
  options: {
    fail?: (topic: string) => boolean;
    lists?: TopStories[];
    articles?: Article[];
    queueFails?: boolean;
  } = {},
) {
  const sent: PublishRequest[] = [];
  const queued: QueuedPing[] = [];
  const byId = () => new Map((options.articles ?? []).map((a) => [a.id, a] as const));
  const store: NotifyStore = {
    getTopStories: async (edition) => options.lists?.find((l) => l.edition === edition),
    getArticles: async (ids) =>
      new Map(ids.flatMap((id) => (byId().has(id) ? [[id, byId().get(id)!] as const] : []))),
    getArticleStates: async (ids) =>
      new Map(
        ids.flatMap((id) => {
          const a = byId().get(id);
          return a === undefined ? [] : [[id, articleState(a)] as const];
        }),
      ),
    getRevision: async () => undefined,
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
    queue: {
      send: async (messages) => {
        if (options.queueFails) throw new Error('SQS is down');
        queued.push(...messages);
      },
    },
    clock: () => AT,
  };
  return { deps, sent, queued };
}

const feedsOf = (queued: readonly QueuedPing[]) =>
  queued.map((m) => (JSON.parse(m.body) as { feed: string }).feed).sort();

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
    const outcome = await pingHub(deps, feeds);
    assert.equal(outcome.pinged.length, 18);
    assert.equal(most, PINGS_IN_FLIGHT);

    started.length = 0;
    const late = await pingHub(deps, feeds, deps.clock().getTime() - 1);
    assert.deepEqual(started, [], 'nothing is sent past the deadline');
    assert.equal(late.failed.length, 18);
    assert.match(late.failed[0]!.error.message, /ran out of time/);
    assert.equal(late.failedSources.size, config.editions.length);
  });

  test('pings each topic once however many messages asked for it, and reports failed topics by message', async () => {
    const { deps, sent } = fakeDeps({ fail: (t) => t.includes('/asia/') });
    const feeds = [
      { scope: { kind: 'edition', edition: 'asia' } as const, sources: ['m1'] },
      { scope: { kind: 'edition', edition: 'asia' } as const, sources: ['m2'] },
      { scope: { kind: 'edition', edition: 'europe' } as const, sources: ['m3'] },
    ];
    const outcome = await pingHub(deps, feeds);
    assert.equal(sent.length, 6, 'asia and europe, three formats each, once');
    assert.equal(outcome.pinged.length, 3);
    assert.equal(outcome.failed.length, 3);
    assert.deepEqual([...outcome.failedSources].sort(), ['m1', 'm2']);
  });

  test('a hung hub costs one request timeout per round of pings, never more', async () => {
    const held: import('node:http').ServerResponse[] = [];
    const server = createServer((_request, response) => {
      held.push(response);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const hubConfig = defineConfig({ ...config, hubUrl: url });
      const timeoutMs = 300;
      const deps = { config: hubConfig, hub: createHubClient({ timeoutMs }), clock: () => new Date() };
      // A hub that documents nothing else gets one topic per request: 2 feeds × 3 formats = 6 requests,
      // all in one round of PINGS_IN_FLIGHT.
      const feeds = ['asia', 'europe'].map((e) => ({
        scope: { kind: 'edition', edition: e } as const,
        sources: [e],
      }));
      const started = performance.now();
      const outcome = await pingHub(deps, feeds);
      const elapsed = performance.now() - started;
      assert.equal(outcome.failed.length, 6);
      assert.match(outcome.failed[0]!.error.message, /did not answer within 300 ms/);
      assert.deepEqual([...outcome.failedSources].sort(), ['asia', 'europe']);
      assert.ok(elapsed >= timeoutMs && elapsed < timeoutMs * 4, `${Math.round(elapsed)} ms`);
    } finally {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
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

const message = (id: string, feed: string): SQSRecord =>
  ({ messageId: id, receiptHandle: id, body: JSON.stringify({ feed, changes: ['a@v1'] }) }) as SQSRecord;

describe('the notify handler', () => {
  const summit = storedFrom(sampleArticle({ publishedAt: '2026-11-27T09:30:00Z' }), 'summit', config, AT);

  test('turns a stream batch into one queued message per changed feed, and never waits or pings', async () => {
    const { deps, sent, queued } = fakeDeps({ articles: [summit] });
    const started = performance.now();
    const result = await createNotifyHandler(() => deps)({
      Records: [
        record('100', 'ARTICLE#summit', 'REV#0000000001'),
        record('101', 'FEED#asia#*', '2026-11-27T09:30:00.000Z#summit'),
        record('102', 'FEED#europe#*', '2026-11-27T09:30:00.000Z#summit'),
        record('103', 'FEED#europe#*', '2026-11-27T09:30:00.000Z#summit'),
      ],
    });
    assert.ok(performance.now() - started < 1000, 'no wait for caches inside the function');
    assert.deepEqual(result, { batchItemFailures: [] });
    assert.deepEqual(sent, [], 'pings go out from the queue, after its delay');
    assert.deepEqual(feedsOf(queued), ['asia', 'europe']);
    const europe = queued.find((m) => m.body.includes('"europe"'))!;
    assert.deepEqual(JSON.parse(europe.body), { feed: 'europe', changes: ['summit@v1'] });
    // The same records again (a retried batch) make the same messages: the FIFO queue takes them once.
    const again = fakeDeps({ articles: [summit] });
    await createNotifyHandler(() => again.deps)({
      Records: [
        record('101', 'FEED#asia#*', '2026-11-27T09:30:00.000Z#summit'),
        record('102', 'FEED#europe#*', '2026-11-27T09:30:00.000Z#summit'),
      ],
    });
    assert.deepEqual(
      again.queued.map((m) => m.deduplicationId).sort(),
      queued.map((m) => m.deduplicationId).sort(),
    );
  });

  test('a stream batch whose messages cannot be queued fails, so the batch is retried', async () => {
    const { deps } = fakeDeps({ articles: [summit], queueFails: true });
    await assert.rejects(
      createNotifyHandler(() => deps)({
        Records: [record('1', 'FEED#asia#*', '2026-11-27T09:30:00.000Z#summit')],
      }),
      /SQS is down/,
    );
    const quiet = fakeDeps();
    assert.deepEqual(
      await createNotifyHandler(() => quiet.deps)({ Records: [record('2', 'KEY#0123', 'KEY')] }),
      {
        batchItemFailures: [],
      },
    );
    assert.deepEqual(quiet.queued, []);
  });

  test('pings the feeds of queued messages, and reports each message whose ping failed', async () => {
    const { deps, sent } = fakeDeps({ fail: (t) => t.includes('/europe/') });
    const result = await createNotifyHandler(() => deps)({
      Records: [
        message('m1', 'asia'),
        message('m2', 'europe'),
        message('m3', 'europe'),
        message('m4', 'atlantis'),
      ],
    } as SQSEvent);
    assert.equal(sent.length, 6, 'asia and europe once each, in three formats; atlantis is no feed');
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
  });

  test('the sweep queues every feed of a story that fell due in the last minute', async () => {
    const due = storedFrom(
      sampleArticle({ publishedAt: '2026-11-27T11:59:30Z' }),
      'due',
      config,
      new Date('2026-11-27T08:00:00Z'),
      { updatedAt: '2026-11-27T08:00:00.000Z' },
    );
    const lists: TopStories[] = [{ edition: 'asia', articles: ['due'], version: 1, updatedAt: '' }];
    const window = sweepWindow(new Date('2026-11-27T12:00:00.400Z'), 60_000);
    assert.deepEqual(window, {
      after: new Date('2026-11-27T11:59:00Z'),
      upTo: new Date('2026-11-27T12:00:00Z'),
    });
    const found = await duePings(fakeDeps({ articles: [due], lists }).deps.store, config, window);
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
    assert.deepEqual(await duePings(fakeDeps({ articles: [due] }).deps.store, config, later), []);

    const event = { 'detail-type': 'Scheduled Event', time: '2026-11-27T12:00:00Z' } as SweepEvent;
    const ok = fakeDeps({ articles: [due], lists });
    await createNotifyHandler(() => ok.deps)(event);
    assert.equal(ok.queued.length, 10);
    assert.deepEqual(ok.sent, []);
    const failing = fakeDeps({ articles: [due], lists, queueFails: true });
    await assert.rejects(createNotifyHandler(() => failing.deps)(event), HubError);
  });

  test('one announcement per change: a story written when due is the stream’s, never also the sweep’s', async () => {
    // Published "now" by the CMS: written at 11:59:30.2, publishedAt 11:59:30.
    const now = storedFrom(
      sampleArticle({ publishedAt: '2026-11-27T11:59:30Z' }),
      'now',
      config,
      new Date('2026-11-27T11:59:30.200Z'),
      { updatedAt: '2026-11-27T11:59:30.200Z' },
    );
    // Due 300 ms after it was written: the sweep's, never the stream's.
    const soon = storedFrom(
      sampleArticle({ publishedAt: '2026-11-27T11:59:30.500Z' }),
      'soon',
      config,
      new Date('2026-11-27T11:59:30.200Z'),
      { updatedAt: '2026-11-27T11:59:30.200Z' },
    );
    const window = sweepWindow(new Date('2026-11-27T12:00:00.400Z'), 60_000);
    const { deps } = fakeDeps({ articles: [now, soon] });
    const swept = await duePings(deps.store, config, window);
    const streamed = streamPings(
      [
        entry(
          { kind: 'edition', edition: 'europe' },
          now.publishedAt,
          'now',
          'r1',
          new Date('2026-11-27T11:59:30Z'),
        ),
        entry(
          { kind: 'edition', edition: 'europe' },
          soon.publishedAt,
          'soon',
          'r2',
          new Date('2026-11-27T11:59:30Z'),
        ),
      ],
      await readStreamFacts(deps.store, config, [
        entry({ kind: 'edition', edition: 'europe' }, now.publishedAt, 'now'),
        entry({ kind: 'edition', edition: 'europe' }, soon.publishedAt, 'soon'),
      ]),
      config,
    );
    assert.deepEqual(
      streamed.flatMap((p) => p.changes),
      ['now@v1'],
    );
    assert.ok(
      swept.every((p) => p.changes.join() === 'soon@v1'),
      JSON.stringify(swept),
    );
  });
});
