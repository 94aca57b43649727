/**
 * Sections 2 and 3 of the benchmark, against DynamoDB Local: the DynamoDB
 * calls and capacity units of a feed request (a miss and a revalidation) and
 * of an article write (a create and an update), read from
 * `ReturnConsumedCapacity`; and the feeds handler's time for a 200 and a 304
 * of the same page, interleaved.
 */
import assert from 'node:assert/strict';
import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ArticleServiceDeps, putArticle } from '../functions/core/articles.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { createFeedsHandler } from '../functions/feeds.ts';
import type { HttpResult } from '../functions/http/types.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import { httpEvent } from '../test/support/events.ts';
import { realisticInput } from './articles.ts';
import { type Figure, figures, interleave } from './measure.ts';

/** DynamoDB calls of one request or write, with the capacity units DynamoDB charged for them. */
export interface CallCount {
  what: string;
  calls: string[];
  readUnits: number;
  writeUnits: number;
}

/**
 * Asks DynamoDB for the consumed capacity of every call the client sends and
 * records it. A middleware on the benchmark's own client: the store and the
 * functions are unchanged, so the hot path pays nothing for it.
 */
export function recordCapacity(client: DynamoDBClient): {
  take(what: string): CallCount;
} {
  let calls: string[] = [];
  let read = 0;
  let write = 0;
  const add = (command: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => {
    for (const c of Array.isArray(capacity) ? capacity : capacity === undefined ? [] : [capacity]) {
      read += c.ReadCapacityUnits ?? 0;
      write += c.WriteCapacityUnits ?? 0;
      // DynamoDB Local reports only the total: it is of the kind the call is.
      if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined) {
        if (/^(TransactWrite|Put|Update|Delete|BatchWrite)/.test(command)) write += c.CapacityUnits ?? 0;
        else read += c.CapacityUnits ?? 0;
      }
    }
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const command = String(context.commandName).replace(/Command$/, '');
      calls.push(command);
      add(
        command,
        (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity,
      );
      return result;
    },
    { step: 'initialize', name: 'newswireBenchCapacity' },
  );
  return {
    take(what) {
      const taken = { what, calls, readUnits: read, writeUnits: write };
      calls = [];
      read = 0;
      write = 0;
      return taken;
    },
  };
}

/** Results of sections 2 and 3. */
export interface DynamoResult {
  capacity: CallCount[];
  handler: Figure[];
  /** The 304's time ÷ the 200's, by round (the ≤ 0.2× goal). */
  revalidationRatio: number;
  pageBytes: number;
  /** The page's ETag (the cold-start section revalidates with it). */
  etag: string;
}

/** Writes `count` realistic articles, measuring the first create and an update; returns their capacity. */
export async function seedRealistic(
  deps: ArticleServiceDeps,
  count: number,
  recorder: ReturnType<typeof recordCapacity>,
): Promise<CallCount[]> {
  const counted: CallCount[] = [];
  for (let i = 0; i < count; i++) {
    recorder.take('');
    await putArticle(deps, `story-${i}`, realisticInput(i));
    if (i === 0) counted.push(recorder.take('write: create an article (4 topics, 2 writers, all editions)'));
  }
  recorder.take('');
  await putArticle(deps, 'story-0', { ...realisticInput(0), headline: 'Updated headline' });
  counted.push(recorder.take('write: update it (a new version; the old one kept as a revision)'));
  return counted;
}

/** Runs sections 2 and 3 on a table seeded with realistic articles. */
export async function benchDynamo(
  client: DynamoDBClient,
  tableName: string,
  config: SiteConfig,
  options: { rounds: number; iterations: number },
): Promise<DynamoResult> {
  const recorder = recordCapacity(client);
  const deps: ArticleServiceDeps = {
    config,
    store: new DynamoArticleStore(client, tableName),
    clock: () => new Date(),
  };
  const capacity = await seedRealistic(deps, config.pageSize + 10, recorder);
  const handler = createFeedsHandler(() => deps);
  const path = '/international/rss.xml';
  const miss = (await handler(httpEvent('GET', path))) as HttpResult;
  assert.equal(miss.statusCode, 200);
  const etag = String(miss.headers?.etag ?? '');
  recorder.take('');
  await handler(httpEvent('GET', path));
  capacity.push(recorder.take('request: a feed page, miss (200)'));
  const revalidation = httpEvent('GET', path, { headers: { 'if-none-match': etag } });
  const notModified = (await handler(revalidation)) as HttpResult;
  assert.equal(notModified.statusCode, 304, 'the current ETag revalidates');
  recorder.take('');
  await handler(revalidation);
  capacity.push(recorder.take('request: the same page, revalidation (304)'));

  const rounds = await interleave(
    [
      { name: 'handler 200 (Query, BatchGetItem, render)', run: () => handler(httpEvent('GET', path)) },
      { name: 'handler 304 (Query only)', run: () => handler(revalidation) },
    ],
    { ...options, warmup: 5 },
  );
  const handlerFigures = figures(rounds, 'ms', 'handler 200 (Query, BatchGetItem, render)');
  return {
    capacity,
    handler: handlerFigures,
    revalidationRatio: handlerFigures[1]?.ratio ?? Number.NaN,
    pageBytes: Buffer.byteLength(String(miss.body)),
    etag,
  };
}
