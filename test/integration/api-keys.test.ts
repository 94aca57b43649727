/**
 * API keys on DynamoDB Local: listed by one Query of their own listing
 * partition (never a Scan of the table), kept in step on create and revoke,
 * and keys stored before the listing existed brought in by `reindex`.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { issueApiKey } from '../../functions/core/api-keys.ts';
import { putArticle } from '../../functions/core/articles.ts';
import { toAttributes } from '../../functions/store/attributes.ts';
import { keys } from '../../functions/store/keys.ts';
import { reindex } from '../../local/reindex.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps } from '../support/dynamo.ts';
import { assertTableInvariant } from '../support/invariant.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;

/** The commands the store sends while `work` runs. */
async function commandsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = deps.client.send.bind(deps.client);
  deps.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
    sent.push(command.constructor.name);
    return (original as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof deps.client.send;
  try {
    await work();
  } finally {
    deps.client.send = original;
  }
  return sent;
}

before(async () => {
  deps = await freshDeps();
  // Articles in the table, so a Scan would have something to wade through.
  for (let i = 0; i < 20; i++) await putArticle(deps, `story-${i}`, sampleArticle());
});

describe('API keys', () => {
  test('are listed oldest first by one Query of the listing, without their hashes', async () => {
    const first = issueApiKey('cms', new Date('2026-11-01T00:00:00Z'));
    const second = issueApiKey('importer', new Date('2026-11-02T00:00:00Z'));
    await deps.store.putApiKey(second.record);
    await deps.store.putApiKey(first.record);
    let listed: Awaited<ReturnType<typeof deps.store.listApiKeys>> = [];
    const sent = await commandsDuring(async () => {
      listed = await deps.store.listApiKeys();
    });
    assert.deepEqual(sent, [QueryCommand.name]);
    assert.deepEqual(
      listed.map((k) => k.name),
      ['cms', 'importer'],
    );
    for (const key of listed) assert.equal('secretHash' in key, false);
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });

  test('a revoked key is listed as revoked', async () => {
    const key = issueApiKey('old', new Date('2026-11-03T00:00:00Z'));
    await deps.store.putApiKey(key.record);
    await deps.store.revokeApiKey(key.record.keyId, new Date('2026-11-04T00:00:00Z'));
    const listed = (await deps.store.listApiKeys()).find((k) => k.keyId === key.record.keyId);
    assert.equal(listed?.revokedAt, '2026-11-04T00:00:00.000Z');
    assert.equal((await deps.store.getApiKey(key.record.keyId))?.revokedAt, '2026-11-04T00:00:00.000Z');
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });

  test('a key stored before keys had a listing is listed after `newswire reindex` (or when revoked)', async () => {
    const legacy = issueApiKey('legacy', new Date('2026-10-01T00:00:00Z'));
    const other = issueApiKey('legacy-revoked', new Date('2026-10-02T00:00:00Z'));
    for (const { record } of [legacy, other]) {
      await deps.client.send(
        new PutItemCommand({
          TableName: deps.tableName,
          Item: toAttributes({ ...record, ...keys.apiKey(record.keyId) }),
        }),
      );
    }
    const before = (await deps.store.listApiKeys()).map((k) => k.name);
    assert.ok(!before.includes('legacy') && !before.includes('legacy-revoked'));
    await deps.store.revokeApiKey(other.record.keyId, new Date('2026-11-05T00:00:00Z'));
    assert.ok((await deps.store.listApiKeys()).some((k) => k.name === 'legacy-revoked' && k.revokedAt));
    const sent = await commandsDuring(() => reindex(deps.store, deps.config));
    assert.ok(sent.includes(ScanCommand.name), 'reindex reads the whole table, as it always has');
    const after = (await deps.store.listApiKeys()).map((k) => k.name);
    assert.deepEqual(after, ['legacy', 'legacy-revoked', 'cms', 'importer', 'old']);
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });
});
