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
import { PAGE_BUDGET_BYTES } from '../../functions/core/feeds/weight.ts';
import { membershipsOf, scopePath } from '../../functions/core/scopes.ts';
import { FEED_FILES, FEED_FORMATS } from '../../functions/core/urls.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { ITEM_LIMIT_BYTES } from '../../functions/store/dynamo-article-store.ts';
import { itemSize } from '../../functions/store/item-size.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertFeedInvariant } from '../support/invariant.ts';
import { largestArticle } from '../support/largest.ts';
import { scanTable } from '../support/table.ts';

/** Lambda's limit on a synchronous response: the JSON it returns, envelope and all. */
const LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024;

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
      : // RSS writes href first (before the items), Atom rel first.
        /<(?:atom:)?link (?=[^>]*rel="next")[^>]*href="([^"]+)"/.exec(body)?.[1]?.replaceAll('&amp;', '&');
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
              : // An entry in another language than the feed's carries xml:lang.
                /<entry[^>]*>\s*<title[^>]*>[^<]*<\/title>\s*<id>([^<]+)<\/id>/g,
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
        assert.ok(
          Buffer.byteLength(body) < PAGE_BUDGET_BYTES + 512 * 1024 || ids.length === 1,
          `${path}: ${Buffer.byteLength(body)} bytes`,
        );
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
