/**
 * The benchmark's capacity counter (bench/capacity.ts) on DynamoDB Local:
 * for every call whose units DynamoDB Local reports as DynamoDB documents
 * them — single items at the 1 KB and 4 KB boundaries, with every attribute
 * type, strongly and eventually consistent reads, a BatchGetItem, a Query —
 * the counter computes exactly what DynamoDB Local reports, so its item sizes
 * are DynamoDB's. For transactions it counts two units per KB per item, where
 * DynamoDB Local reports one item's units for the whole transaction; a
 * BatchGetItem key with no item it counts as a GetItem of nothing (half a
 * unit), where DynamoDB Local counts nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { compareWithLocal, countCapacity } from '../../bench/capacity.ts';
import { createDynamoClient } from '../../functions/store/client.ts';
import { ensureTable } from '../../functions/store/table.ts';
import { dynamoEndpoint } from '../support/dynamo.ts';

let client: DynamoDBClient;
let tableName: string;

before(async () => {
  client = createDynamoClient({ endpoint: dynamoEndpoint() });
  tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
});

test('computed units equal DynamoDB Local’s for single items, batches and queries; transactions count 2 per KB per item', async () => {
  const counter = countCapacity(client);
  const { singleItem, differences } = await compareWithLocal(client, counter, tableName);
  assert.ok(singleItem.length >= 20);
  for (const row of singleItem) assert.equal(row.computed, row.local, row.call);
  // The documented figures the comparisons rest on.
  const byCall = new Map(singleItem.map((r) => [r.call, r.computed]));
  assert.equal(byCall.get('PutItem, 1024 bytes (strings)'), 1);
  assert.equal(byCall.get('PutItem, 1025 bytes (every type)'), 2);
  assert.equal(byCall.get('GetItem, 4096 bytes, strongly consistent'), 1);
  assert.equal(byCall.get('GetItem, 4097 bytes, eventually consistent'), 1);
  assert.equal(byCall.get('BatchGetItem of 1,024 and 4,097 bytes'), 0.5 + 1);
  assert.deepEqual(
    differences.map((r) => [r.call, r.computed]),
    [
      ['BatchGetItem of 1,024 bytes and a key with no item', 1],
      ['TransactWriteItems of 1 × 900 bytes', 2],
      ['TransactWriteItems of 5 × 900 bytes', 10],
      ['TransactWriteItems of 13 × 900 bytes', 26],
    ],
  );
});
