import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { issueApiKey } from '../../functions/core/api-keys.ts';
import type { ArticleServiceDeps } from '../../functions/core/articles.ts';
import { createDynamoClient } from '../../functions/store/client.ts';
import { DynamoArticleStore } from '../../functions/store/dynamo-article-store.ts';
import { ensureTable } from '../../functions/store/table.ts';
import config from '../../newswire.config.ts';

/** The DynamoDB Local the test run started (test/run.ts). */
export function dynamoEndpoint(): string {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (endpoint === undefined) throw new Error('Run the tests with `npm test` (it starts DynamoDB Local)');
  return endpoint;
}

/** A settable clock for tests. */
export interface TestClock {
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

/** A clock that starts at `iso` and moves only when told to. */
export function testClock(iso: string): TestClock {
  let now = new Date(iso);
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (value) => {
    now = new Date(value);
  };
  clock.advance = (ms) => {
    now = new Date(now.getTime() + ms);
  };
  return clock;
}

/** A fresh table on DynamoDB Local with the real store and config, and a test clock. */
export async function freshDeps(
  start = '2026-11-27T12:00:00Z',
): Promise<ArticleServiceDeps & { client: DynamoDBClient; tableName: string; clock: TestClock }> {
  const client = createDynamoClient({ endpoint: dynamoEndpoint() });
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return {
    client,
    tableName,
    config,
    clock: testClock(start),
    store: new DynamoArticleStore(client, tableName),
  };
}

/** Stores a new API key in a test table and returns the token a client sends (revoked, when asked). */
export async function testApiKey(
  deps: Pick<ArticleServiceDeps, 'store' | 'clock'>,
  name = 'test',
  options: { revoked?: boolean } = {},
): Promise<string> {
  const key = issueApiKey(name, deps.clock());
  await deps.store.putApiKey(key.record);
  if (options.revoked) await deps.store.revokeApiKey(key.record.keyId, deps.clock());
  return key.token;
}
