/**
 * The DynamoDB sections of the benchmark, against DynamoDB Local: the
 * capacity units of a feed request (a miss and a revalidation) and of
 * article writes (a realistic article and the largest one the API accepts),
 * computed from the items sent and received by DynamoDB's documented rules
 * (bench/capacity.ts) beside DynamoDB Local's own report; and the feeds
 * handler's CPU and wall time for a 200 and a 304 of the same page,
 * interleaved.
 */
import assert from 'node:assert/strict';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ArticleServiceDeps, putArticle, withdrawArticle } from '../functions/core/articles.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { createFeedsHandler } from '../functions/feeds.ts';
import type { HttpResult } from '../functions/http/types.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import { httpEvent } from '../test/support/events.ts';
import { largestArticle } from '../test/support/largest.ts';
import { realisticInput } from './articles.ts';
import { type CapacityCount, compareWithLocal, countCapacity, type LocalComparison } from './capacity.ts';
import { interleaveTimed, type TimedFigure, timedFigures } from './measure.ts';

/** Results of the capacity and handler sections. */
export interface DynamoResult {
  /** Each request or write measured: its calls and units, computed and as DynamoDB Local reported them. */
  capacity: CapacityCount[];
  /** The counter beside DynamoDB Local on calls where Local follows the documented rules, and where it does not. */
  local: { singleItem: LocalComparison[]; differences: LocalComparison[] };
  handler: TimedFigure[];
  /** The first page of the International edition in each format, as the function returns it and compressed. */
  responses: PageResponse[];
  /** Bytes of the 304's status line and headers. */
  notModifiedHeaderBytes: number;
  pageBytes: number;
  /** The page's ETag (the cold-start section revalidates with it). */
  etag: string;
}

/** One format's page: its body, its headers, and the body compressed as the functions compress responses. */
export interface PageResponse {
  format: string;
  bodyBytes: number;
  headerBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

/**
 * Gzip level 6 and Brotli quality 5: zlib's default level, and the quality
 * chosen for the functions' own compression of responses (Node's zlib, as the
 * functions use it).
 */
function pageResponse(format: string, result: HttpResult): PageResponse {
  const body = Buffer.from(String(result.body));
  return {
    format,
    bodyBytes: body.length,
    headerBytes: headerBytes(result),
    gzipBytes: gzipSync(body, { level: 6 }).length,
    brotliBytes: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }).length,
  };
}

/** Bytes of an HTTP/1.1 status line and header block for `result`. */
function headerBytes(result: HttpResult): number {
  const lines = Object.entries(result.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.byteLength(`HTTP/1.1 ${result.statusCode} OK\r\n${lines.join('')}\r\n`);
}

const MISS = 'feed request, miss (200): Query + BatchGetItem of 50 articles';
const REVALIDATION = 'feed request, revalidation (304): Query only';

/** Labels of the measured requests, for readers of the results. */
export const MEASURED = { miss: MISS, revalidation: REVALIDATION } as const;

/** Writes `count` realistic articles and the largest one, counting the writes a CMS makes. */
async function writeArticles(
  deps: ArticleServiceDeps,
  count: number,
  counter: { take(what: string): CapacityCount },
): Promise<CapacityCount[]> {
  const counted: CapacityCount[] = [];
  for (let i = 0; i < count; i++) {
    counter.take('');
    await putArticle(deps, `story-${i}`, realisticInput(i));
    if (i === 0)
      counted.push(counter.take('write: create a realistic article (every edition, 2 writers, 4 topics)'));
  }
  counter.take('');
  await putArticle(deps, 'story-0', { ...realisticInput(0), headline: 'Updated headline' });
  counted.push(counter.take('write: update it (new version; the previous one kept as a revision)'));

  const largest = largestArticle(1, { publishedAt: '2026-11-26T09:00:00Z' });
  counter.take('');
  await putArticle(deps, 'largest', largest);
  counted.push(counter.take('write: create the largest article the API accepts (42 feeds)'));
  await putArticle(deps, 'largest', { ...largest, headline: 'Updated headline' });
  counted.push(counter.take('write: update the largest article'));
  await putArticle(deps, 'largest', { ...largest, publishedAt: '2026-11-26T10:00:00Z' });
  counted.push(counter.take('write: move the largest article to another time (every entry rewritten)'));
  await withdrawArticle(deps, 'largest');
  counted.push(counter.take('write: withdraw the largest article'));
  return counted;
}

/** Runs the capacity and handler sections on a fresh table. */
export async function benchDynamo(
  client: DynamoDBClient,
  tableName: string,
  config: SiteConfig,
  options: { rounds: number; iterations: number },
): Promise<DynamoResult> {
  const counter = countCapacity(client);
  const local = await compareWithLocal(client, counter, tableName);
  const deps: ArticleServiceDeps = {
    config,
    store: new DynamoArticleStore(client, tableName),
    clock: () => new Date(),
  };
  const capacity = await writeArticles(deps, config.pageSize + 10, counter);

  const handler = createFeedsHandler(() => deps);
  const path = '/international/rss.xml';
  const miss = (await handler(httpEvent('GET', path))) as HttpResult;
  assert.equal(miss.statusCode, 200);
  const etag = String(miss.headers?.etag ?? '');
  counter.take('');
  await handler(httpEvent('GET', path));
  capacity.unshift(counter.take(MISS));
  const revalidation = httpEvent('GET', path, { headers: { 'if-none-match': etag } });
  const notModified = (await handler(revalidation)) as HttpResult;
  assert.equal(notModified.statusCode, 304, 'the current ETag revalidates');
  counter.take('');
  await handler(revalidation);
  capacity.splice(1, 0, counter.take(REVALIDATION));

  const responses: PageResponse[] = [];
  for (const [format, file] of [
    ['RSS', 'rss.xml'],
    ['Atom', 'atom.xml'],
    ['JSON Feed', 'feed.json'],
  ] as const) {
    const result = (await handler(httpEvent('GET', `/international/${file}`))) as HttpResult;
    assert.equal(result.statusCode, 200);
    responses.push(pageResponse(format, result));
  }

  const rounds = await interleaveTimed(
    [
      { name: 'handler 200 (Query, BatchGetItem, render)', run: () => handler(httpEvent('GET', path)) },
      { name: 'handler 304 (Query only)', run: () => handler(revalidation) },
    ],
    { ...options, warmup: 5 },
  );
  return {
    capacity,
    local,
    handler: timedFigures(rounds, 'handler 200 (Query, BatchGetItem, render)'),
    responses,
    notModifiedHeaderBytes: headerBytes(notModified),
    pageBytes: Buffer.byteLength(String(miss.body)),
    etag,
  };
}
