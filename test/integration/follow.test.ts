/**
 * Writer, topic and Top Stories feeds, revisions and reindex on DynamoDB
 * Local, through the same handlers Lambda runs.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { encodeCursor } from '../../functions/core/feed-pages.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { reindex } from '../../local/reindex.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertFeedInvariant } from '../support/invariant.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;

before(async () => {
  deps = await freshDeps();
  token = await testApiKey(deps, 'test');
});

const api = () => createArticlesHandler(() => deps);
const feeds = () => createFeedsHandler(() => deps);

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return api()(
    httpEvent(method, path, {
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body !== undefined && { body }),
    }),
  );
}

function json<T = Record<string, unknown>>(result: HttpResult): T {
  return JSON.parse(result.body) as T;
}

interface JsonFeed {
  title: string;
  description: string;
  next_url?: string;
  items: { id: string; authors?: { name: string }[] }[];
}

async function feed(path: string): Promise<JsonFeed> {
  const url = new URL(path, 'https://news.example.com');
  const after = url.searchParams.get('after');
  const result = await feeds()(httpEvent('GET', url.pathname, after === null ? {} : { query: { after } }));
  assert.equal(result.statusCode, 200, `${path}: ${result.body}`);
  return JSON.parse(result.body) as JsonFeed;
}

const ids = (f: JsonFeed) => f.items.map((i) => i.id.replace(/^.*:article:/, ''));

const willy = { id: 'willy-lam', name: 'Willy Wo-Lap Lam', title: 'Senior China Analyst' };

describe('writer and topic feeds', () => {
  before(async () => {
    const at = (minutes: number) =>
      new Date(Date.parse('2026-11-27T10:00:00Z') + minutes * 60_000).toISOString();
    await call(
      'PUT',
      '/api/articles/w1',
      sampleArticle({ byline: [willy], topics: ['Drug resistance'], editions: ['asia'], publishedAt: at(0) }),
    );
    await call(
      'PUT',
      '/api/articles/w2',
      sampleArticle({ byline: [willy, { name: 'Zoë Ng' }], editions: ['europe'], publishedAt: at(10) }),
    );
    await call(
      'PUT',
      '/api/articles/w3',
      sampleArticle({ byline: [{ name: 'Zoë Ng' }], topics: ['drug  resistance'], publishedAt: at(20) }),
    );
  });

  test("a writer's feed has their stories from every edition, newest first, titled with name and title", async () => {
    const f = await feed('/authors/willy-lam/feed.json');
    assert.deepEqual(ids(f), ['w2', 'w1']);
    assert.equal(f.title, 'Newswire — Willy Wo-Lap Lam, Senior China Analyst');
    assert.match(f.description, /Every story by Willy Wo-Lap Lam, Senior China Analyst/);
  });

  test('a writer without an id is followed by a slug of their name', async () => {
    assert.deepEqual(ids(await feed('/authors/zoe-ng/feed.json')), ['w3', 'w2']);
  });

  test('a topic feed gathers every spelling of the topic under one slug', async () => {
    const f = await feed('/topics/drug-resistance/feed.json');
    assert.deepEqual(ids(f), ['w3', 'w1']);
    assert.equal(f.title, 'Newswire — drug resistance');
  });

  test('a writer or topic with no stories is a 404, not an empty feed', async () => {
    for (const path of [
      '/authors/nobody/rss.xml',
      '/topics/nothing-here/atom.xml',
      '/authors/Not%20A%20Slug/rss.xml',
    ]) {
      const result = await feeds()(httpEvent('GET', path));
      assert.equal(result.statusCode, 404, path);
    }
  });

  test('an unknown writer or topic is a 404 whatever the cursor; a made-up cursor on a known one is a 400', async () => {
    const madeUp = encodeCursor({ publishedAt: '2026-11-27T10:05:00.000Z', id: 'w9' });
    // Issued by another feed (Willy's second page starts after w2): a position, but not in these feeds.
    const elsewhere = encodeCursor({ publishedAt: '2026-11-27T10:10:00.000Z', id: 'w2' });
    for (const after of [madeUp, elsewhere, 'garbage', '']) {
      for (const path of ['/authors/nobody/rss.xml', '/topics/nothing-here/feed.json']) {
        const result = await feeds()(httpEvent('GET', path, { query: { after } }));
        assert.equal(result.statusCode, 404, `${path}?after=${after}: ${result.body}`);
      }
    }
    for (const after of [madeUp, 'garbage']) {
      const result = await feeds()(httpEvent('GET', '/topics/drug-resistance/rss.xml', { query: { after } }));
      assert.equal(result.statusCode, 400, result.body);
      assert.equal(json<{ errors: { field: string }[] }>(result).errors[0]?.field, 'after');
    }
    // A cursor the topic's feed could have issued (w3 is on it) works.
    const issued = encodeCursor({ publishedAt: '2026-11-27T10:20:00.000Z', id: 'w3' });
    assert.deepEqual(ids(await feed(`/topics/drug-resistance/feed.json?after=${issued}`)), ['w1']);
  });

  test('a story leaves a writer’s feed when the writer is taken off its byline', async () => {
    await call(
      'PUT',
      '/api/articles/w1',
      sampleArticle({
        byline: [{ name: 'Someone Else' }],
        topics: ['Drug resistance'],
        editions: ['asia'],
        publishedAt: '2026-11-27T10:00:00Z',
      }),
    );
    assert.deepEqual(ids(await feed('/authors/willy-lam/feed.json')), ['w2']);
    assert.deepEqual(ids(await feed('/authors/someone-else/feed.json')), ['w1']);
    await assertFeedInvariant(deps.client, deps.tableName, deps.config);
  });
});

describe('Top Stories', () => {
  before(async () => {
    for (const [id, minutes] of [
      ['t1', 0],
      ['t2', 5],
      ['t3', 10],
      ['t4', 15],
    ] as const) {
      const publishedAt = new Date(Date.parse('2026-11-27T08:00:00Z') + minutes * 60_000).toISOString();
      await call('PUT', `/api/articles/${id}`, sampleArticle({ editions: ['europe'], publishedAt }));
    }
    await call(
      'PUT',
      '/api/articles/t-asia',
      sampleArticle({ editions: ['asia'], publishedAt: '2026-11-27T08:30:00Z' }),
    );
    await call(
      'PUT',
      '/api/articles/t-later',
      sampleArticle({ editions: ['europe'], publishedAt: '2026-11-27T18:00:00Z' }),
    );
  });

  test('editors set the order; the feed keeps it, whatever the publication times', async () => {
    const set = await call('PUT', '/api/editions/europe/top-stories', { articles: ['t2', 't4', 't1'] });
    assert.equal(set.statusCode, 201, set.body);
    assert.equal(set.headers.etag, '"v1"');
    assert.deepEqual(ids(await feed('/europe/top/feed.json')), ['t2', 't4', 't1']);
    const got = await call('GET', '/api/editions/europe/top-stories');
    assert.equal(got.headers.etag, '"v1"');
    assert.deepEqual(json<{ articles: string[] }>(got).articles, ['t2', 't4', 't1']);
  });

  test('a stale If-Match is a 412 naming the current ETag; the list is unchanged', async () => {
    const ok = await call(
      'PUT',
      '/api/editions/europe/top-stories',
      { articles: ['t3', 't2', 't4', 't1'] },
      { 'if-match': '"v1"' },
    );
    assert.equal(ok.statusCode, 200, ok.body);
    const stale = await call(
      'PUT',
      '/api/editions/europe/top-stories',
      { articles: ['t1'] },
      { 'if-match': '"v1"' },
    );
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.headers.etag, '"v2"');
    assert.deepEqual(ids(await feed('/europe/top/feed.json')), ['t3', 't2', 't4', 't1']);
  });

  test('unknown ids are refused with a 400 naming each one', async () => {
    const result = await call('PUT', '/api/editions/europe/top-stories', {
      articles: ['t1', 'nope', 't2', 'gone'],
    });
    assert.equal(result.statusCode, 400);
    assert.deepEqual(json<{ errors: unknown[] }>(result).errors, [
      { field: 'articles.1', message: 'no article "nope"' },
      { field: 'articles.3', message: 'no article "gone"' },
    ]);
  });

  test('more than 30, repeats, or an unknown edition are refused', async () => {
    const many = await call('PUT', '/api/editions/europe/top-stories', {
      articles: Array.from({ length: 31 }, (_, i) => `a${i}`),
    });
    assert.equal(many.statusCode, 400);
    const repeat = await call('PUT', '/api/editions/europe/top-stories', { articles: ['t1', 't1'] });
    assert.deepEqual(json<{ errors: unknown[] }>(repeat).errors, [
      { field: 'articles.1', message: 'repeats "t1"' },
    ]);
    assert.equal((await call('PUT', '/api/editions/atlantis/top-stories', { articles: [] })).statusCode, 404);
  });

  test('withdrawn, scheduled and other editions’ stories drop out by themselves, and back in when due', async () => {
    await call('PUT', '/api/editions/europe/top-stories', { articles: ['t-later', 't3', 't-asia', 't2'] });
    await call('DELETE', '/api/articles/t3');
    assert.deepEqual(ids(await feed('/europe/top/feed.json')), ['t2']);
    deps.clock.set('2026-11-27T18:00:00Z');
    assert.deepEqual(ids(await feed('/europe/top/feed.json')), ['t-later', 't2']);
    deps.clock.set('2026-11-27T12:00:00Z');
  });

  test('a revalidation of Top Stories is a 304 until the list or one of its stories changes', async () => {
    const first = await feeds()(httpEvent('GET', '/europe/top/rss.xml'));
    const again = await feeds()(
      httpEvent('GET', '/europe/top/rss.xml', { headers: { 'if-none-match': first.headers.etag! } }),
    );
    assert.equal(again.statusCode, 304);
    await call(
      'PUT',
      '/api/articles/t2',
      sampleArticle({ editions: ['europe'], headline: 'Corrected', publishedAt: '2026-11-27T08:05:00Z' }),
    );
    const changed = await feeds()(
      httpEvent('GET', '/europe/top/rss.xml', { headers: { 'if-none-match': first.headers.etag! } }),
    );
    assert.equal(changed.statusCode, 200);
    assert.match(changed.body, /<title>Corrected<\/title>/);
  });
});

describe('revisions', () => {
  test('every update keeps the earlier version: listed newest first, paged, each readable and restorable', async () => {
    for (let i = 1; i <= 23; i++) {
      deps.clock.advance(1000);
      const result = await call('PUT', '/api/articles/rev', sampleArticle({ headline: `Take ${i}` }));
      assert.ok([200, 201].includes(result.statusCode), result.body);
    }
    const first = json<{
      current: number;
      revisions: { version: number; headline: string }[];
      next?: number;
      nextUrl?: string;
    }>(await call('GET', '/api/articles/rev/revisions'));
    assert.equal(first.current, 23);
    assert.deepEqual(
      first.revisions.map((r) => r.version),
      Array.from({ length: 20 }, (_, i) => 22 - i),
    );
    assert.equal(first.revisions[0]?.headline, 'Take 22');
    assert.equal(first.nextUrl, '/api/articles/rev/revisions?before=3');
    const older = await api()(
      httpEvent('GET', '/api/articles/rev/revisions', {
        headers: { authorization: `Bearer ${token}` },
        query: { before: '3' },
      }),
    );
    assert.deepEqual(
      json<{ revisions: { version: number }[] }>(older).revisions.map((r) => r.version),
      [2, 1],
    );
    assert.equal(json<{ next?: number }>(older).next, undefined);

    const v5 = await call('GET', '/api/articles/rev/revisions/5');
    assert.equal(v5.statusCode, 200);
    assert.equal(v5.headers.etag, '"v5"');
    assert.equal(json<{ headline: string }>(v5).headline, 'Take 5');
    const restored = await call('PUT', '/api/articles/rev', json(v5), { 'if-match': '"v23"' });
    assert.equal(restored.statusCode, 200, restored.body);
    assert.equal(json<{ headline: string; version: number }>(restored).headline, 'Take 5');
    assert.equal((await call('GET', '/api/articles/rev/revisions/23')).statusCode, 200);
    assert.equal((await call('GET', '/api/articles/rev/revisions/24')).statusCode, 404);
    assert.equal((await call('GET', '/api/articles/rev/revisions/0')).statusCode, 400);
    assert.equal((await call('GET', '/api/articles/nope/revisions')).statusCode, 404);
  });

  test('a PUT to a withdrawn article republishes it and says so', async () => {
    await call('PUT', '/api/articles/back', sampleArticle());
    await call('DELETE', '/api/articles/back');
    const again = await call('PUT', '/api/articles/back', sampleArticle());
    assert.equal(again.statusCode, 200);
    const body = json<{ republished?: boolean; status: string }>(again);
    assert.equal(body.republished, true);
    assert.equal(body.status, 'published');
    assert.ok(ids(await feed('/asia/feed.json')).includes('back'));
  });
});

describe('reindex', () => {
  test('a new edition that carries every article is filled by reindex, with no new versions', async () => {
    const before = await deps.store.getArticle('w2');
    const wider = validateConfig({
      ...deps.config,
      editions: [
        ...deps.config.editions,
        {
          id: 'archive',
          title: 'Archive',
          description: 'Everything.',
          language: 'en-IE',
          timeZone: 'UTC',
          includesAll: true,
        },
      ],
    });
    const widerDeps = { ...deps, config: wider };
    const empty = await createFeedsHandler(() => widerDeps)(httpEvent('GET', '/archive/feed.json'));
    assert.deepEqual(JSON.parse(empty.body).items, []);
    const progress = await reindex(deps.store, wider, { pageSize: 25 });
    assert.ok(progress.articles >= 10, JSON.stringify(progress));
    const filled = await createFeedsHandler(() => widerDeps)(httpEvent('GET', '/archive/feed.json'));
    const archive = ids(JSON.parse(filled.body) as JsonFeed);
    assert.ok(archive.length >= 8, archive.join());
    assert.deepEqual(
      archive,
      ids(await feed('/international/feed.json')),
      'the same stories as International',
    );
    const after = await deps.store.getArticle('w2');
    assert.equal(after?.version, before?.version);
    assert.equal(after?.updatedAt, before?.updatedAt);
    await assertFeedInvariant(deps.client, deps.tableName, wider);
  });

  test('dropping the edition again and reindexing removes its entries as orphans', async () => {
    const progress = await reindex(deps.store, deps.config);
    assert.ok(progress.orphans >= 10, JSON.stringify(progress));
    await assertFeedInvariant(deps.client, deps.tableName, deps.config);
  });
});
