/**
 * Newswire at AWS's limits: the largest article the write API accepts is
 * written, moved and withdrawn in one transaction each (DynamoDB: 100 items
 * and 4 MB per transaction, 400 KB per item), and every feed page stays far
 * below Lambda's 6 MB response limit however large its items are.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import { type Article, CONTENT_RULES } from '../../functions/core/article.ts';
import { entriesOf } from '../../functions/core/articles.ts';
import { ContentTooLargeError } from '../../functions/core/errors.ts';
import { membershipsOf, scopePath } from '../../functions/core/scopes.ts';
import { FEED_FILES, FEED_FORMATS } from '../../functions/core/urls.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { ITEM_LIMIT_BYTES } from '../../functions/store/dynamo-article-store.ts';
import { itemSize } from '../../functions/store/item-size.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertFeedInvariant } from '../support/invariant.ts';
import { largestArticle } from '../support/largest.ts';
import { scanTable } from '../support/table.ts';

/** Lambda's limit on a synchronous response: the JSON it returns, envelope and all. */
const LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024;
/** What every page of every feed kind, in every format, stays under (README, Guarantees). */
const PAGE_BYTES = 2_000_000;

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;

before(async () => {
  deps = await freshDeps();
  token = await testApiKey(deps, 'test');
});

function put(id: string, body: unknown) {
  return createArticlesHandler(() => deps)(
    httpEvent('PUT', `/api/articles/${id}`, { headers: { authorization: `Bearer ${token}` }, body }),
  );
}

/** Size of what Lambda would return for this result: the JSON envelope API Gateway receives. */
function lambdaResponseBytes(result: HttpResult): number {
  return Buffer.byteLength(JSON.stringify(result));
}

async function getFeed(path: string): Promise<HttpResult> {
  const url = new URL(path, 'http://localhost');
  const query = Object.fromEntries(url.searchParams);
  const result = await createFeedsHandler(() => deps)(
    httpEvent('GET', url.pathname, Object.keys(query).length > 0 ? { query } : {}),
  );
  assert.equal(result.statusCode, 200, `${path}: ${result.body.slice(0, 300)}`);
  assert.ok(
    lambdaResponseBytes(result) < LAMBDA_RESPONSE_BYTES,
    `${path}: ${lambdaResponseBytes(result)} bytes is over Lambda's 6 MB`,
  );
  return result;
}

function nextLink(format: string, body: string): string | undefined {
  const href =
    format === 'json'
      ? (JSON.parse(body) as { next_url?: string }).next_url
      : /<(?:atom:)?link rel="next" href="([^"]+)"/.exec(body)?.[1]?.replaceAll('&amp;', '&');
  return href === undefined ? undefined : new URL(href).pathname + new URL(href).search;
}

function itemIds(format: string, body: string): string[] {
  const ids =
    format === 'json'
      ? (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id)
      : [
          ...body.matchAll(
            format === 'rss'
              ? /<guid[^>]*>([^<]+)<\/guid>/g
              : /<entry>\s*<title[^>]*>[^<]*<\/title>\s*<id>([^<]+)<\/id>/g,
          ),
        ].map((m) => m[1]!);
  return ids.map((id) => id.replace(/^.*:article:/, ''));
}

describe('the largest article the write API accepts', () => {
  test('is stored within the item limit, in every feed it belongs to, in one transaction each time', async () => {
    const input = largestArticle(1, { publishedAt: '2026-11-27T09:00:00Z' });
    const created = await put('largest', input);
    assert.equal(created.statusCode, 201, created.body.slice(0, 500));
    const stored = (await deps.store.getArticle('largest'))!;
    const scopes = membershipsOf(stored, deps.config);
    assert.equal(scopes.length, 2 * deps.config.editions.length + 10 + 20, 'every edition, writer and topic');
    const items = await scanTable(deps.client, deps.tableName);
    const current = items.find((i) => i.pk?.S === 'ARTICLE#largest' && i.sk?.S === 'CURRENT')!;
    assert.ok(current.br?.B, 'stored compressed');
    assert.ok(
      itemSize(current) <= ITEM_LIMIT_BYTES,
      `the compressed article fits one item: ${itemSize(current)} bytes`,
    );
    await assertFeedInvariant(deps.client, deps.tableName, deps.config);

    // Moving it rewrites every entry: 2 × 42 entries + the article + its revision = 86 of 100 items.
    deps.clock.advance(60_000);
    const moved = await put('largest', { ...input, publishedAt: '2026-11-27T11:00:00Z' });
    assert.equal(moved.statusCode, 200, moved.body.slice(0, 500));
    await assertFeedInvariant(deps.client, deps.tableName, deps.config);

    for (const scope of [
      scopes[0]!,
      scopes[1]!,
      scopes.find((s) => s.kind === 'author')!,
      scopes.find((s) => s.kind === 'topic')!,
    ]) {
      for (const format of FEED_FORMATS) {
        const { body } = await getFeed(`${scopePath(scope)}${FEED_FILES[format]}`);
        assert.deepEqual(itemIds(format, body), ['largest'], `${scopePath(scope)} ${format}`);
      }
    }

    const withdrawn = await createArticlesHandler(() => deps)(
      httpEvent('DELETE', '/api/articles/largest', { headers: { authorization: `Bearer ${token}` } }),
    );
    assert.equal(withdrawn.statusCode, 200);
    await assertFeedInvariant(deps.client, deps.tableName, deps.config);
  });

  test('an article over the 400 KB item limit once compressed is refused up front, naming the limit, and nothing is written', async () => {
    // Beyond what the write API lets through (its body limit keeps articles well inside the item
    // limit), the store is the last guard: random bytes do not compress.
    const noise = randomBytes(450_000).toString('base64');
    const now = deps.clock().toISOString();
    const article: Article = {
      ...(largestArticle(2) as unknown as Article),
      body: `<p>${noise}</p>`,
      id: 'too-large',
      version: 1,
      createdAt: now,
      updatedAt: now,
      publishedAt: now,
      rules: CONTENT_RULES,
      topics: [],
      byline: [],
    };
    await assert.rejects(
      deps.store.saveArticle({ article, ...entriesOf(article, deps.config) }),
      (error) =>
        error instanceof ContentTooLargeError && /more than DynamoDB's 400 KB item limit/.test(error.message),
    );
    assert.equal(await deps.store.getArticle('too-large'), undefined);
  });
});

describe('sixty of the largest articles in one section', () => {
  before(async () => {
    const ids = Array.from({ length: 60 }, (_, i) => i);
    // Four writers at a time: the machines are shared, and DynamoDB Local is one process.
    for (let at = 0; at < ids.length; at += 4) {
      await Promise.all(
        ids.slice(at, at + 4).map(async (i) => {
          const publishedAt = new Date(Date.parse('2026-11-20T00:00:00Z') + i * 60_000).toISOString();
          const result = await put(
            `big-${i}`,
            largestArticle(100 + i, { editions: ['africa'], section: 'science', publishedAt }),
          );
          assert.equal(result.statusCode, 201, result.body.slice(0, 300));
        }),
      );
    }
  });

  for (const format of FEED_FORMATS) {
    test(`${format}: every page stays within the budget and under Lambda's limit, and paging reaches all 60`, async () => {
      const seen: string[] = [];
      let path: string | undefined = `/africa/science/${FEED_FILES[format]}`;
      let pages = 0;
      while (path !== undefined) {
        const { body } = await getFeed(path);
        const ids = itemIds(format, body);
        assert.ok(ids.length >= 1, 'a page always moves on');
        assert.ok(Buffer.byteLength(body) < PAGE_BYTES, `${path}: ${Buffer.byteLength(body)} bytes`);
        seen.push(...ids);
        path = nextLink(format, body);
        pages++;
        assert.ok(pages <= 61, 'paging ends');
      }
      assert.deepEqual(
        seen,
        Array.from({ length: 60 }, (_, i) => `big-${59 - i}`),
        'every article once, newest first',
      );
    });
  }
});

describe('every feed kind at its budget, with articles at field limits', () => {
  // Thirty of the largest articles, all in one edition and section, all by one writer and about one
  // topic, all in that edition's Top Stories: every kind of feed is as full as the limits allow.
  const edition = 'middle-east';
  const kinds = {
    edition: `/${edition}/`,
    section: `/${edition}/world/`,
    top: `/${edition}/top/`,
    author: '/authors/budget-writer/',
    topic: '/topics/budget-topic/',
  };
  before(async () => {
    const ids = Array.from({ length: 30 }, (_, i) => i);
    for (let at = 0; at < ids.length; at += 4) {
      await Promise.all(
        ids.slice(at, at + 4).map(async (i) => {
          const article = largestArticle(300 + i);
          const byline = article.byline as Record<string, unknown>[];
          const result = await put(
            `budget-${i}`,
            largestArticle(300 + i, {
              editions: [edition],
              publishedAt: new Date(Date.parse('2026-11-21T00:00:00Z') + i * 60_000).toISOString(),
              byline: [{ ...byline[0], id: 'budget-writer' }, ...byline.slice(1)],
              topics: ['Budget topic', ...(article.topics as string[]).slice(1)],
            }),
          );
          assert.equal(result.statusCode, 201, result.body.slice(0, 300));
        }),
      );
    }
    const top = await createArticlesHandler(() => deps)(
      httpEvent('PUT', `/api/editions/${edition}/top-stories`, {
        headers: { authorization: `Bearer ${token}` },
        body: { articles: ids.map((i) => `budget-${29 - i}`) },
      }),
    );
    assert.equal(top.statusCode, 201, top.body);
  });

  for (const [kind, folder] of Object.entries(kinds)) {
    for (const format of FEED_FORMATS) {
      test(`${kind} ${format}: under ${PAGE_BYTES.toLocaleString('en')} bytes, compressed or not, far below Lambda's 6 MB`, async () => {
        const path = `${folder}${FEED_FILES[format]}`;
        const plain = await getFeed(path);
        const bytes = Buffer.byteLength(plain.body);
        assert.ok(bytes < PAGE_BYTES, `${path}: ${bytes} bytes`);
        assert.ok(itemIds(format, plain.body).length >= 1);
        assert.ok(
          lambdaResponseBytes(plain) < LAMBDA_RESPONSE_BYTES / 2,
          `${path}: ${lambdaResponseBytes(plain)}`,
        );
        for (const coding of ['br', 'gzip']) {
          const compressed = await createFeedsHandler(() => deps)(
            httpEvent('GET', path, { headers: { 'accept-encoding': coding } }),
          );
          assert.equal(compressed.headers['content-encoding'], coding);
          assert.ok(lambdaResponseBytes(compressed) < LAMBDA_RESPONSE_BYTES / 2, `${path} ${coding}`);
        }
      });
    }
  }

  test('the pages of every kind, with the same articles, are under the same 2,000,000 bytes', async () => {
    const pages = createPagesHandler(() => deps);
    for (const folder of ['/', ...Object.values(kinds)]) {
      const result = await pages(httpEvent('GET', folder));
      assert.equal(result.statusCode, 200, `${folder}: ${result.body.slice(0, 200)}`);
      assert.ok(
        Buffer.byteLength(result.body) < PAGE_BYTES,
        `${folder}: ${Buffer.byteLength(result.body)} bytes`,
      );
      assert.ok(lambdaResponseBytes(result) < LAMBDA_RESPONSE_BYTES / 2, folder);
    }
  });

  test('a language tag stored before tags were bounded (477 KB) is not rendered, so a page keeps its budget', async () => {
    // Written straight to the store, as an item from before the rule; the API refuses such a tag.
    const refused = await put('huge-language', sampleArticle({ language: `en-${'x'.repeat(400 * 1024)}` }));
    assert.equal(refused.statusCode, 400);
    assert.match(JSON.parse(refused.body).errors[0].message, /at most 35 characters/);
    for (let i = 0; i < 15; i++) {
      const article: Article = {
        id: `old-language-${i}`,
        version: 1,
        rules: CONTENT_RULES,
        headline: `Old story ${i}`,
        summary: 'Stored before language tags were bounded.',
        body: '<p>Text.</p>',
        url: `https://news.example.com/old/${i}/`,
        section: 'world',
        editions: ['africa'],
        topics: [],
        byline: [],
        publishedAt: new Date(Date.parse('2026-11-22T00:00:00Z') + i * 1000).toISOString(),
        createdAt: '2026-11-22T00:00:00.000Z',
        updatedAt: '2026-11-22T00:00:00.000Z',
        language: 'x'.repeat(477 * 1024),
      };
      // The weight stored with its entries is the one computed then, without the language.
      const { feeds, entry } = entriesOf({ ...article, language: 'en' }, deps.config);
      await deps.store.saveArticle({ article, feeds, entry });
    }
    for (const format of FEED_FORMATS) {
      const { body } = await getFeed(`/africa/world/${FEED_FILES[format]}`);
      assert.ok(Buffer.byteLength(body) < 100_000, `${format}: ${Buffer.byteLength(body)} bytes`);
    }
  });
});
