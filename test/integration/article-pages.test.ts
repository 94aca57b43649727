/**
 * A story's page and the sitemaps on DynamoDB Local, written through the
 * write API: an embargoed story absent from its page (the 404 of an unknown
 * id), the sitemaps, the JSON-LD of other pages and every front until its
 * time; a withdrawn one a 410 and out of every sitemap at once; a moved one
 * a 301 from its old address; a page's 304 from its lists' reads alone.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { countCapacity } from '../../bench/capacity.ts';
import { createArticlesHandler } from '../../functions/articles.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertTableInvariant } from '../support/invariant.ts';
import { SITEMAP_SCHEMAS, xsdErrors } from '../support/xsd.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;
let articles: ReturnType<typeof createArticlesHandler>;
let pages: ReturnType<typeof createPagesHandler>;
const BASE = 'https://news.example.com';

before(async () => {
  deps = await freshDeps();
  token = await testApiKey(deps);
  articles = createArticlesHandler(() => deps);
  pages = createPagesHandler(() => deps);
});

function put(id: string, body: Record<string, unknown>): Promise<HttpResult> {
  return articles(
    httpEvent('PUT', `/api/articles/${id}`, { headers: { authorization: `Bearer ${token}` }, body }),
  );
}
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  pages(httpEvent(method, path, { headers }));

/** Every page and sitemap a reader or a crawler could find a story on. */
const SURFACES = [
  '/',
  '/europe/',
  '/europe/world/',
  '/europe/top/',
  '/international/',
  '/authors/ana-ortiz/',
  '/topics/shipping/',
  '/europe/world/summit/',
  '/sitemap.xml',
  '/europe/world/sitemap-2026-11.xml',
  '/international/world/sitemap-2026-11.xml',
  '/authors/sitemap-2026-11.xml',
  '/europe/news-sitemap.xml',
  '/international/news-sitemap.xml',
];

describe('a story’s page and the sitemaps on DynamoDB Local', () => {
  test('an embargoed story is nowhere until its time: its page is the 404 of an unknown id; then it is everywhere', async () => {
    assert.equal((await put('summit', sampleArticle({ editions: ['europe'] }))).statusCode, 201);
    const embargo = sampleArticle({
      headline: 'Embargoed: results at three',
      editions: ['europe'],
      publishedAt: '2026-11-27T15:00:00Z',
    });
    assert.equal((await put('embargoed', embargo)).statusCode, 201);
    await deps.store.saveTopStories(
      {
        edition: 'europe',
        articles: ['embargoed', 'summit'],
        version: 1,
        updatedAt: '2026-11-27T12:00:00.000Z',
      },
      undefined,
    );
    const early = await get('/europe/world/embargoed/');
    const never = await get('/europe/world/never-was/');
    assert.equal(early.statusCode, 404);
    assert.equal(early.body.replace('embargoed', ''), never.body.replace('never-was', ''));
    assert.deepEqual(early.headers, never.headers);
    for (const path of SURFACES) {
      const { statusCode, body } = await get(path);
      assert.equal(statusCode, 200, path);
      assert.ok(!body.includes('embargoed') && !body.includes('Embargoed'), `${path} before its time`);
    }
    deps.clock.set('2026-11-27T15:00:00Z');
    const out = await get('/europe/world/embargoed/');
    assert.equal(out.statusCode, 200);
    for (const path of [
      '/europe/',
      '/europe/top/',
      '/europe/world/sitemap-2026-11.xml',
      '/europe/news-sitemap.xml',
    ]) {
      assert.ok((await get(path)).body.includes('/europe/world/embargoed/'), `${path} once it is out`);
    }
    const story = await get('/europe/world/summit/');
    assert.match(story.body, /Embargoed: results at three/, 'among the Top Stories beside another story');
  });

  test('the sitemaps it is in are valid against the published schemas', async () => {
    for (const [path, schema] of [
      ['/sitemap.xml', SITEMAP_SCHEMAS.index],
      ['/europe/world/sitemap-2026-11.xml', SITEMAP_SCHEMAS.sitemap],
      ['/authors/sitemap-2026-11.xml', SITEMAP_SCHEMAS.sitemap],
      ['/topics/sitemap-2026-11.xml', SITEMAP_SCHEMAS.sitemap],
      ['/europe/news-sitemap.xml', SITEMAP_SCHEMAS.news],
    ] as const) {
      const { body } = await get(path);
      assert.equal(xsdErrors(body, schema), undefined, path);
    }
  });

  test('a withdrawn story’s page is a 410 at once, and it leaves every sitemap at once', async () => {
    const withdrawn = await articles(
      httpEvent('DELETE', '/api/articles/embargoed', { headers: { authorization: `Bearer ${token}` } }),
    );
    assert.equal(withdrawn.statusCode, 200);
    const page = await get('/europe/world/embargoed/');
    assert.equal(page.statusCode, 410);
    assert.ok(!page.body.includes('Embargoed'));
    for (const path of SURFACES) {
      assert.ok(!(await get(path)).body.includes('/embargoed/'), `${path} after the withdrawal`);
    }
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });

  test('a story that moves section or leaves an edition answers its old address with a 301 to its page now', async () => {
    assert.equal(
      (await put('summit', sampleArticle({ editions: ['europe'], section: 'politics' }))).statusCode,
      200,
    );
    const moved = await get('/europe/world/summit/');
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, `${BASE}/europe/politics/summit/`);
    assert.equal(
      (await put('summit', sampleArticle({ editions: ['asia'], section: 'politics' }))).statusCode,
      200,
    );
    const left = await get('/europe/politics/summit/');
    assert.equal(left.statusCode, 301);
    assert.equal(left.headers.location, `${BASE}/international/politics/summit/`);
    assert.equal((await get('/international/politics/summit/')).statusCode, 200);
    const sitemap = (await get('/asia/politics/sitemap-2026-11.xml')).body;
    assert.ok(sitemap.includes(`${BASE}/asia/politics/summit/`));
    assert.ok(
      !(await get('/europe/world/sitemap-2026-11.xml')).body.includes('/summit/'),
      'gone from its old section',
    );
  });

  test('revalidating a story’s page reads its lists and the story, and fetches nothing else', async () => {
    const recorder = countCapacity(deps.client);
    const first = await get('/international/politics/summit/');
    assert.equal(first.statusCode, 200);
    recorder.take('');
    const again = await get('/international/politics/summit/', { 'if-none-match': first.headers.etag ?? '' });
    assert.equal(again.statusCode, 304);
    const calls = recorder
      .take('revalidation')
      .calls.map((c) => c.operation)
      .sort();
    // The story (one BatchGetItem of one key), the Top Stories list (GetItem), the section's latest (Query).
    assert.deepEqual(calls, ['BatchGetItem', 'GetItem', 'Query']);
  });
});
