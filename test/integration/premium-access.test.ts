/**
 * The access level through the write API and the feeds on DynamoDB Local: validated, kept by a
 * PUT that leaves it out (as imports and re-sends do), versioned, and a change between free and
 * premium is a correction like any other, so the feeds' validators move and readers refetch.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;
let articles: ReturnType<typeof createArticlesHandler>;
let feeds: ReturnType<typeof createFeedsHandler>;

before(async () => {
  deps = await freshDeps();
  token = await testApiKey(deps, 'test');
  articles = createArticlesHandler(() => deps);
  feeds = createFeedsHandler(() => deps);
});

const put = (id: string, body: unknown) =>
  articles(httpEvent('PUT', `/api/articles/${id}`, { headers: { authorization: `Bearer ${token}` }, body }));
const get = (path: string) =>
  articles(httpEvent('GET', path, { headers: { authorization: `Bearer ${token}` } }));
const json = (result: HttpResult) => JSON.parse(result.body) as Record<string, unknown>;
const MARKER = 'Only subscribers read this sentence.';

describe('access level', () => {
  test('anything but free or premium is refused with a 400 naming the field, and nothing is stored', async () => {
    for (const access of ['other', 'Premium', 1, true]) {
      const result = await put('access-bad', sampleArticle({ access }));
      assert.equal(result.statusCode, 400, result.body);
      const errors = (json(result).errors as { field: string; message: string }[]).map((e) => e.field);
      assert.deepEqual(errors, ['access'], String(access));
    }
    assert.equal((await get('/api/articles/access-bad')).statusCode, 404);
  });

  test('a new story is free; a PUT without access keeps the stored level, and its earlier revision records it', async () => {
    assert.equal(json(await put('access-new', sampleArticle())).access, 'free');
    assert.equal(json(await put('access-kept', sampleArticle({ access: 'premium' }))).access, 'premium');
    const resent = await put('access-kept', sampleArticle({ headline: 'Summit ends: the pledge in full' }));
    assert.equal(resent.statusCode, 200, resent.body);
    assert.equal(json(resent).access, 'premium');
    assert.equal(json(await get('/api/articles/access-kept')).access, 'premium');
    // Version 1, as the revision keeps it (the re-send was version 2).
    const first = json(await get('/api/articles/access-kept/revisions/1'));
    assert.equal(first.version, 1);
    assert.equal(first.access, 'premium');
  });

  test('free ↔ premium moves the feed’s ETag and Last-Modified, and what the feed shows', async () => {
    const read = async () => {
      const result = await feeds(httpEvent('GET', '/asia/world/feed.json'));
      assert.equal(result.statusCode, 200, result.body);
      return result;
    };
    deps.clock.set('2026-11-27T12:00:00Z');
    await put(
      'access-switch',
      sampleArticle({ body: `<p>${MARKER}</p>`, publishedAt: '2026-11-27T11:00:00Z' }),
    );
    const free = await read();
    assert.ok(free.body.includes(MARKER));

    deps.clock.advance(60_000);
    await put(
      'access-switch',
      sampleArticle({ body: `<p>${MARKER}</p>`, publishedAt: '2026-11-27T11:00:00Z', access: 'premium' }),
    );
    const premium = await read();
    assert.ok(!premium.body.includes(MARKER), 'the public feed shows the teaser');
    assert.notEqual(premium.headers.etag, free.headers.etag);
    assert.ok(Date.parse(premium.headers['last-modified']!) > Date.parse(free.headers['last-modified']!));
    // A reader revalidating with the free copy's validators gets the teaser, not a 304.
    const revalidated = await feeds(
      httpEvent('GET', '/asia/world/feed.json', {
        headers: { 'if-none-match': free.headers.etag!, 'if-modified-since': free.headers['last-modified']! },
      }),
    );
    assert.equal(revalidated.statusCode, 200);

    deps.clock.advance(60_000);
    // Back to free, sent without the body changing: only the access level moved.
    await put(
      'access-switch',
      sampleArticle({ body: `<p>${MARKER}</p>`, publishedAt: '2026-11-27T11:00:00Z', access: 'free' }),
    );
    const again = await read();
    assert.ok(again.body.includes(MARKER));
    assert.notEqual(again.headers.etag, premium.headers.etag);
    assert.ok(Date.parse(again.headers['last-modified']!) > Date.parse(premium.headers['last-modified']!));
  });
});
