import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertTableInvariant } from '../support/invariant.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;
let revokedToken: string;
let articles: ReturnType<typeof createArticlesHandler>;
let feeds: ReturnType<typeof createFeedsHandler>;

before(async () => {
  deps = await freshDeps();
  token = await testApiKey(deps, 'test');
  revokedToken = await testApiKey(deps, 'old', { revoked: true });
  articles = createArticlesHandler(() => deps);
  feeds = createFeedsHandler(() => deps);
});

function auth(extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}

function put(id: string, body: unknown, headers: Record<string, string> = {}) {
  return articles(httpEvent('PUT', `/api/articles/${id}`, { headers: auth(headers), body }));
}

function json(result: HttpResult) {
  return JSON.parse(result.body) as Record<string, unknown> & {
    errors?: { field: string; message: string }[];
  };
}

/** The guids in a feed, newest first. */
async function feedIds(path: string): Promise<string[]> {
  const result = await feeds(httpEvent('GET', path));
  assert.equal(result.statusCode, 200, result.body);
  const feed = JSON.parse(result.body) as { items: { id: string }[] };
  return feed.items.map((i) => i.id.replace(/^.*:article:/, ''));
}

describe('write API on DynamoDB Local', () => {
  test('creates an article: 201, ETag, Location, the stored article', async () => {
    const result = await put('create-1', sampleArticle());
    assert.equal(result.statusCode, 201, result.body);
    assert.equal(result.headers.etag, '"v1"');
    assert.equal(result.headers.location, '/api/articles/create-1');
    const body = json(result);
    assert.equal(body.id, 'create-1');
    assert.equal(body.version, 1);
    assert.equal(body.status, 'published');
    assert.equal(body.createdAt, '2026-11-27T12:00:00.000Z');
    const got = await articles(httpEvent('GET', '/api/articles/create-1', { headers: auth() }));
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers.etag, '"v1"');
    assert.deepEqual(json(got), body);
  });

  test('updates with the right If-Match, refuses a stale one with 412 and keeps the stored version', async () => {
    await put('update-1', sampleArticle());
    deps.clock.advance(60_000);
    const ok = await put('update-1', sampleArticle({ headline: 'Corrected headline' }), {
      'if-match': '"v1"',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.headers.etag, '"v2"');
    const stale = await put('update-1', sampleArticle({ headline: 'Lost update' }), { 'if-match': '"v1"' });
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(stale.headers.etag, '"v2"');
    const stored = await deps.store.getArticle('update-1');
    assert.equal(stored?.headline, 'Corrected headline');
    assert.equal(stored?.version, 2);
  });

  test('If-None-Match: * creates only once', async () => {
    const first = await put('create-only', sampleArticle(), { 'if-none-match': '*' });
    assert.equal(first.statusCode, 201);
    const second = await put('create-only', sampleArticle({ headline: 'Overwrite' }), {
      'if-none-match': '*',
    });
    assert.equal(second.statusCode, 412);
    assert.equal((await deps.store.getArticle('create-only'))?.headline, sampleArticle().headline);
  });

  test('keeps every earlier revision', async () => {
    await put('revised', sampleArticle({ headline: 'First' }));
    await put('revised', sampleArticle({ headline: 'Second' }));
    await put('revised', sampleArticle({ headline: 'Third' }));
    const { revisions } = await deps.store.listRevisions('revised', { limit: 10 });
    assert.deepEqual(
      revisions.map((r) => [r.version, r.headline]),
      [
        [2, 'Second'],
        [1, 'First'],
      ],
    );
    assert.equal((await deps.store.getArticle('revised'))?.headline, 'Third');
  });

  test('withdraw removes the article from every feed and keeps tombstone and revisions', async () => {
    await put('withdrawn', sampleArticle({ section: 'business', editions: ['europe'] }));
    for (const path of ['/europe/feed.json', '/europe/business/feed.json', '/international/feed.json']) {
      assert.ok((await feedIds(path)).includes('withdrawn'), path);
    }
    const result = await articles(httpEvent('DELETE', '/api/articles/withdrawn', { headers: auth() }));
    assert.equal(result.statusCode, 200, result.body);
    assert.equal(json(result).status, 'withdrawn');
    for (const path of ['/europe/feed.json', '/europe/business/feed.json', '/international/feed.json']) {
      assert.ok(!(await feedIds(path)).includes('withdrawn'), path);
    }
    const tombstone = await articles(httpEvent('GET', '/api/articles/withdrawn', { headers: auth() }));
    assert.equal(json(tombstone).status, 'withdrawn');
    assert.equal((await deps.store.listRevisions('withdrawn', { limit: 10 })).revisions.length, 1);
    const again = await articles(httpEvent('DELETE', '/api/articles/withdrawn', { headers: auth() }));
    assert.equal(again.statusCode, 200);
    assert.equal(json(again).version, 2);
  });

  test('a scheduled article stays out of feeds until its time, with no further write', async () => {
    const result = await put(
      'scheduled',
      sampleArticle({ publishedAt: '2026-11-27T15:00:00Z', editions: ['africa'] }),
    );
    assert.equal(json(result).status, 'scheduled');
    assert.ok(!(await feedIds('/africa/feed.json')).includes('scheduled'));
    deps.clock.set('2026-11-27T15:00:00Z');
    assert.equal((await feedIds('/africa/feed.json'))[0], 'scheduled');
    const got = await articles(httpEvent('GET', '/api/articles/scheduled', { headers: auth() }));
    assert.equal(json(got).status, 'published');
    deps.clock.set('2026-11-27T12:00:00Z');
  });

  test('an article moved to another edition and section leaves the old feeds', async () => {
    await put('moved', sampleArticle({ editions: ['asia'], section: 'world' }));
    assert.ok((await feedIds('/asia/feed.json')).includes('moved'));
    assert.ok((await feedIds('/asia/world/feed.json')).includes('moved'));
    await put('moved', sampleArticle({ editions: ['americas'], section: 'science' }));
    assert.ok(!(await feedIds('/asia/feed.json')).includes('moved'));
    assert.ok(!(await feedIds('/asia/world/feed.json')).includes('moved'));
    assert.ok((await feedIds('/americas/feed.json')).includes('moved'));
    assert.ok((await feedIds('/americas/science/feed.json')).includes('moved'));
    assert.ok(!(await feedIds('/americas/world/feed.json')).includes('moved'));
    assert.ok((await feedIds('/international/science/feed.json')).includes('moved'));
  });

  test('a new publication time moves the entry instead of duplicating it', async () => {
    await put('retimed', sampleArticle({ editions: ['middle-east'], publishedAt: '2026-11-27T08:00:00Z' }));
    await put('retimed', sampleArticle({ editions: ['middle-east'], publishedAt: '2026-11-27T11:00:00Z' }));
    const ids = await feedIds('/middle-east/feed.json');
    assert.equal(ids.filter((id) => id === 'retimed').length, 1);
  });

  test('rejects requests without a valid key and changes nothing', async () => {
    const none = await articles(httpEvent('PUT', '/api/articles/nokey', { body: sampleArticle() }));
    assert.equal(none.statusCode, 401);
    assert.match(none.headers['www-authenticate'] ?? '', /Bearer/);
    const wrong = await articles(
      httpEvent('PUT', '/api/articles/nokey', {
        headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
        body: sampleArticle(),
      }),
    );
    assert.equal(wrong.statusCode, 401);
    const revoked = await articles(
      httpEvent('PUT', '/api/articles/nokey', {
        headers: { authorization: `Bearer ${revokedToken}` },
        body: sampleArticle(),
      }),
    );
    assert.equal(revoked.statusCode, 403);
    assert.equal(await deps.store.getArticle('nokey'), undefined);
  });

  test('names every bad field in one 400 and stores nothing', async () => {
    const result = await put(
      'invalid',
      sampleArticle({ headline: '', section: 'weather', publishedAt: 'yesterday', extra: 1 }),
    );
    assert.equal(result.statusCode, 400);
    const fields = json(result)
      .errors?.map((e) => e.field)
      .sort();
    assert.deepEqual(fields, ['extra', 'headline', 'publishedAt', 'section']);
    assert.equal(await deps.store.getArticle('invalid'), undefined);
  });

  test('refuses an id its page would collide with (a feed, file or folder name), with every other problem', async () => {
    for (const id of ['rss.xml', 'feed.json', 'opml.xml', 'news-sitemap.xml', 'sitemap-2026-11.xml', 'top']) {
      const result = await put(id, sampleArticle());
      assert.equal(result.statusCode, 400, id);
      const [problem] = json(result).errors ?? [];
      assert.equal(problem?.field, 'id', id);
      assert.match(problem?.message ?? '', /name of a feed, file or folder of the site/, id);
      assert.equal(await deps.store.getArticle(id), undefined, id);
    }
    const both = await put('atom.xml', sampleArticle({ section: 'weather' }));
    assert.deepEqual(
      json(both)
        .errors?.map((e) => e.field)
        .sort(),
      ['id', 'section'],
    );
  });

  test('answers 404, 405, 413 and 415 with problem+json', async () => {
    const missing = await articles(httpEvent('GET', '/api/articles/nothing-here', { headers: auth() }));
    assert.equal(missing.statusCode, 404);
    const badId = await articles(httpEvent('GET', '/api/articles/-bad', { headers: auth() }));
    assert.equal(badId.statusCode, 400);
    const badEscape = await articles(httpEvent('GET', '/api/articles/%E0%A4%A', { headers: auth() }));
    assert.equal(badEscape.statusCode, 400);
    const patch = await articles(httpEvent('PATCH', '/api/articles/x', { headers: auth() }));
    assert.equal(patch.statusCode, 405);
    assert.equal(patch.headers.allow, 'GET, PUT, DELETE');
    const huge = await put('huge', sampleArticle({ body: `<p>${'x'.repeat(600 * 1024)}</p>` }));
    assert.equal(huge.statusCode, 413);
    const text = await articles(
      httpEvent('PUT', '/api/articles/text', {
        headers: auth({ 'content-type': 'text/plain' }),
        body: 'hello',
      }),
    );
    assert.equal(text.statusCode, 415);
    const broken = await articles(
      httpEvent('PUT', '/api/articles/broken', { headers: auth(), body: '{"headline":' }),
    );
    assert.equal(broken.statusCode, 400);
    for (const r of [missing, badId, badEscape, patch, huge, text, broken]) {
      assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.doesNotMatch(r.body, /at .*\.ts:\d+/);
    }
  });

  test('reports an unreachable store as 503 with Retry-After', async () => {
    const { DynamoArticleStore } = await import('../../functions/store/dynamo-article-store.ts');
    const { createDynamoClient } = await import('../../functions/store/client.ts');
    const down = {
      ...deps,
      store: new DynamoArticleStore(createDynamoClient({ endpoint: 'http://127.0.0.1:9' }), deps.tableName),
    };
    const result = await createArticlesHandler(() => down)(
      httpEvent('GET', '/api/articles/x', { headers: auth() }),
    );
    assert.equal(result.statusCode, 503);
    assert.equal(result.headers['retry-after'], '5');
  });

  test('the table invariant holds after every write above', async () => {
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });
});
