/**
 * How articles are stored, and that every earlier form still reads: the
 * current version as Brotli-compressed JSON without the headline attribute
 * (which only the revision list reads), and items written before, gzipped
 * in `doc` with a `headline`, read, rendered, updated and brought up to date
 * by reindex on DynamoDB Local.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createArticlesHandler } from '../../functions/articles.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { itemSize } from '../../functions/store/item-size.ts';
import { reindex } from '../../local/reindex.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { articleOf, assertFeedInvariant } from '../support/invariant.ts';
import type { TableItem } from '../support/table.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;

before(async () => {
  deps = await freshDeps();
  token = await testApiKey(deps, 'test');
});

/** A story with a body of real length: ten paragraphs of distinct sentences. */
const story = (headline: string) =>
  sampleArticle({
    headline,
    body: Array.from(
      { length: 10 },
      (_, i) =>
        `<p>Paragraph ${i} of the report: officials in ${['Lyon', 'Osaka', 'Quito', 'Accra', 'Perth'][i % 5]} said on Tuesday that the ${i + 3} new flood barriers had held through the night, and that engineers would inspect each of them before the weekend.</p>`,
    ).join(''),
  });

function call(method: string, path: string, body?: unknown): Promise<HttpResult> {
  return createArticlesHandler(() => deps)(
    httpEvent(method, path, {
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined && { body }),
    }),
  );
}

async function item(sk: string, id: string): Promise<TableItem> {
  const { Item } = await deps.client.send(
    new GetItemCommand({
      TableName: deps.tableName,
      Key: { pk: { S: `ARTICLE#${id}` }, sk: { S: sk } },
      ConsistentRead: true,
    }),
  );
  assert.ok(Item, `${id} ${sk}`);
  return Item;
}

/** Rewrites an article's current item as the store wrote it before Brotli: gzipped JSON in `doc`, and `headline`. */
async function storeAsGzip(id: string): Promise<void> {
  const current = await item('CURRENT', id);
  const article = articleOf(current);
  const { br: _br, ...attributes } = current;
  await deps.client.send(
    new PutItemCommand({
      TableName: deps.tableName,
      Item: {
        ...attributes,
        headline: { S: article.headline },
        doc: { B: gzipSync(JSON.stringify(article)) },
      },
    }),
  );
}

async function internationalTitles(): Promise<string[]> {
  const result = await createFeedsHandler(() => deps)(httpEvent('GET', '/international/feed.json'));
  assert.equal(result.statusCode, 200);
  return (JSON.parse(result.body) as { items: { title: string }[] }).items.map((i) => i.title);
}

test('the current version is Brotli-compressed JSON, smaller than gzip, without a headline attribute', async () => {
  assert.equal((await call('PUT', '/api/articles/fresh', story('Fresh story'))).statusCode, 201);
  const current = await item('CURRENT', 'fresh');
  assert.ok(current.br?.B, 'the article in `br`');
  assert.equal(current.doc, undefined);
  assert.equal(current.headline, undefined, 'no headline on the current version');
  const article = articleOf(current);
  assert.equal(article.headline, 'Fresh story');
  assert.ok(current.br.B.length < gzipSync(JSON.stringify(article), { level: 9 }).length);

  assert.equal((await call('PUT', '/api/articles/fresh', story('Fresh story, updated'))).statusCode, 200);
  const revision = await item('REV#0000000001', 'fresh');
  assert.equal(revision.headline?.S, 'Fresh story', 'a revision carries the headline its list shows');
  assert.deepEqual(articleOf(revision), article);
  const listed = JSON.parse((await call('GET', '/api/articles/fresh/revisions')).body) as {
    revisions: { version: number; headline: string }[];
  };
  assert.deepEqual(listed.revisions, [{ ...listed.revisions[0], version: 1, headline: 'Fresh story' }]);
});

test('an article stored gzipped before Brotli reads, renders, updates and keeps its revision', async () => {
  assert.equal((await call('PUT', '/api/articles/old', story('Stored with gzip'))).statusCode, 201);
  const expected = JSON.parse((await call('GET', '/api/articles/old')).body) as Record<string, unknown>;
  await storeAsGzip('old');
  const legacy = await item('CURRENT', 'old');
  assert.ok(legacy.doc?.B && legacy.br === undefined, 'stored as before');

  assert.deepEqual(JSON.parse((await call('GET', '/api/articles/old')).body), expected);
  assert.ok((await internationalTitles()).includes('Stored with gzip'));

  const updated = await call('PUT', '/api/articles/old', story('Updated after gzip'));
  assert.equal(updated.statusCode, 200, updated.body);
  assert.ok((await item('CURRENT', 'old')).br?.B, 'the new version in Brotli');
  const revision = await call('GET', '/api/articles/old/revisions/1');
  assert.equal(revision.statusCode, 200);
  assert.equal((JSON.parse(revision.body) as { headline: string }).headline, 'Stored with gzip');
  await assertFeedInvariant(deps.client, deps.tableName, deps.config);
});

test('reindex rewrites a gzipped article in the current form, with no new version', async () => {
  assert.equal((await call('PUT', '/api/articles/migrate', story('Migrated by reindex'))).statusCode, 201);
  const before = await deps.store.getArticle('migrate');
  await storeAsGzip('migrate');
  const gzipped = itemSize(await item('CURRENT', 'migrate'));

  await reindex(deps.store, deps.config);
  const current = await item('CURRENT', 'migrate');
  assert.ok(current.br?.B && current.doc === undefined && current.headline === undefined);
  assert.ok(itemSize(current) < gzipped, `${itemSize(current)} < ${gzipped} bytes`);
  assert.deepEqual(await deps.store.getArticle('migrate'), before, 'the same version, unchanged');
  await assertFeedInvariant(deps.client, deps.tableName, deps.config);
});

test('`publicChangeAt` is an attribute only where `updatedAt` does not tell it, and the states read it either way', async () => {
  const later = (ms: number) => new Date(deps.clock().getTime() + ms).toISOString();
  // Published when written: the public change is the write itself, `updatedAt`.
  assert.equal((await call('PUT', '/api/articles/plain', story('Published now'))).statusCode, 201);
  assert.equal((await item('CURRENT', 'plain')).publicChangeAt, undefined);
  // Scheduled and never public: nothing public changed.
  const scheduled = { ...story('Scheduled'), publishedAt: later(3_600_000) };
  assert.equal((await call('PUT', '/api/articles/scheduled', scheduled)).statusCode, 201);
  assert.equal((await item('CURRENT', 'scheduled')).publicChangeAt, undefined);
  // Public, then moved to the future: it left readers' view when written, yet is not published.
  assert.equal((await call('PUT', '/api/articles/moved', story('Moved'))).statusCode, 201);
  deps.clock.advance(5_000);
  const movedAt = deps.clock().toISOString();
  assert.equal(
    (await call('PUT', '/api/articles/moved', { ...story('Moved'), publishedAt: later(3_600_000) }))
      .statusCode,
    200,
  );
  assert.equal((await item('CURRENT', 'moved')).publicChangeAt?.S, movedAt);
  // Edited while scheduled again: the public change stays the move, not this write.
  deps.clock.advance(5_000);
  assert.equal(
    (await call('PUT', '/api/articles/moved', { ...story('Moved, edited'), publishedAt: later(3_600_000) }))
      .statusCode,
    200,
  );
  assert.equal((await item('CURRENT', 'moved')).publicChangeAt?.S, movedAt);

  const states = await deps.store.getArticleStates(['plain', 'scheduled', 'moved']);
  for (const id of ['plain', 'scheduled', 'moved']) {
    const article = (await deps.store.getArticle(id))!;
    const state = states.get(id)!;
    const read =
      state.publicChangeAt ?? (state.publishedAt <= deps.clock().toISOString() ? state.updatedAt : undefined);
    assert.equal(read, article.publicChangeAt, id);
  }
});
