import { gunzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import config from '../newswire.config.ts';
import { LogFormatError, type LogReadReport, readCloudFrontLog } from './core/cloudfront-log.ts';
import type { LogFile, LogSource, PublicCountStore } from './core/ports.ts';
import {
  addDays,
  closeFinishedDays,
  closesAt,
  countRequests,
  dayOf,
  editionTotals,
  publishPublicCounts,
  RequestBatch,
  type SubscriberDeps,
} from './core/subscribers.ts';
import { optionalEnv, requireEnv } from './env.ts';
import { describeError, log, logger } from './http/log.ts';
import { subscriberMetrics } from './http/metrics.ts';
import { createDynamoClient } from './store/client.ts';
import { DynamoPublicCountStore, DynamoSaltStore, DynamoStatsStore } from './store/dynamo-stats-store.ts';
import { QueuedLogSource } from './store/log-queue.ts';

/** The subscribers function's event: its schedule (the stack runs it every SCHEDULE_MINUTES). */
export type SubscribersEvent = EventBridgeEvent<'Scheduled Event', unknown>;

/** How often the stack runs the function: new log files wait at most this long to be counted. */
export const SCHEDULE_MINUTES = 15;

/** Time kept back at the end of an invocation to count what was read and report (the files come back otherwise). */
const FINISH_MS = 60_000;

/** Log files read before their requests are counted and their messages deleted. */
const FILES_PER_ROUND = 10;

/** What the function needs: the estimate's stores and clock, where new log files wait, where public counts go. */
export interface SubscribersDeps extends SubscriberDeps {
  source: LogSource;
  counts: PublicCountStore;
}

/** What one invocation did, for its log line. */
interface RunSummary {
  files: number;
  badFiles: number;
  malformedLines: number;
  requests: number;
  feedRequests: number;
  tallies: number;
  lateClients: number;
  closedDays: string[];
  /** The day whose counts were published for the public pages (when the config shows them). */
  publishedDay?: string;
}

/** A log file's text: CloudFront delivers them gzip-compressed (standard logging v2 may not). */
function textOf(file: LogFile): string {
  const gzip = file.body[0] === 0x1f && file.body[1] === 0x8b;
  return Buffer.from(gzip ? gunzipSync(file.body) : file.body).toString('utf8');
}

/**
 * The subscriber estimate's scheduled function: counts the access-log files
 * that arrived since its last run (until none is waiting or its time is
 * nearly up; the rest wait for the next run), closes the days that are over
 * (their salts and client hashes deleted), and records today's and
 * yesterday's estimates per edition as metrics for the dashboard. It logs
 * counts only: never an address or a User-Agent.
 */
export function createSubscribersHandler(
  deps: () => SubscribersDeps,
): (event: SubscribersEvent, context?: Context) => Promise<void> {
  const record = subscriberMetrics();
  return async (_event, context) => {
    if (context !== undefined) logger().addContext(context);
    const d = deps();
    const stopAt =
      context === undefined ? undefined : Date.now() + context.getRemainingTimeInMillis() - FINISH_MS;
    const run: RunSummary = {
      files: 0,
      badFiles: 0,
      malformedLines: 0,
      requests: 0,
      feedRequests: 0,
      tallies: 0,
      lateClients: 0,
      closedDays: [],
    };
    while (stopAt === undefined || Date.now() < stopAt) {
      const next = await d.source.next(FILES_PER_ROUND);
      if (next === undefined) break;
      const batch = new RequestBatch(d.config);
      for (const file of next.files) {
        const report: LogReadReport = { malformed: 0 };
        try {
          for (const request of readCloudFrontLog(textOf(file), report)) batch.add(request);
        } catch (error) {
          if (!(error instanceof LogFormatError) && !(error instanceof Error && 'errno' in error))
            throw error;
          // Not a log this function can read (a stray object under the prefix): skipped, and said so.
          run.badFiles++;
          log('warn', `Skipped ${file.name}: not a CloudFront standard log`, describeError(error));
        }
        run.files++;
        run.malformedLines += report.malformed;
      }
      const outcome = await countRequests(d, batch);
      await next.done();
      run.requests += outcome.requests;
      run.feedRequests += outcome.feedRequests;
      run.tallies += outcome.tallies;
      run.lateClients += outcome.lateClients;
    }
    run.closedDays = await closeFinishedDays(d);
    const published = await publishPublicCounts(d);
    if (published !== undefined) run.publishedDay = published;
    const now = d.clock();
    const today = dayOf(now);
    const yesterday = addDays(today, -1);
    record(await editionTotals(d, today), now);
    if (now < closesAt(yesterday)) {
      record(await editionTotals(d, yesterday), new Date(Date.parse(`${today}T00:00:00Z`) - 1000));
    }
    log('info', `Counted ${run.feedRequests} feed requests from ${run.files} log files`, { ...run });
  };
}

let cached: SubscribersDeps | undefined;

/**
 * The production wiring, built on first use: the table (TABLE_NAME), the
 * salt table (SALT_TABLE_NAME, else the table itself), the queue of new log
 * files (LOG_QUEUE_URL) and the objects it names in S3, and the wall clock.
 */
export function subscribersDeps(): SubscribersDeps {
  if (cached === undefined) {
    const endpoint = optionalEnv('DYNAMODB_ENDPOINT');
    const region = optionalEnv('AWS_REGION');
    const client = createDynamoClient({
      ...(endpoint !== undefined && { endpoint }),
      ...(region !== undefined && { region }),
    });
    const table = requireEnv('TABLE_NAME');
    cached = {
      config,
      clock: () => new Date(),
      stats: new DynamoStatsStore(client, table),
      salts: new DynamoSaltStore(client, optionalEnv('SALT_TABLE_NAME') ?? table),
      counts: new DynamoPublicCountStore(client, table),
      source: new QueuedLogSource(new SQSClient({}), new S3Client({}), requireEnv('LOG_QUEUE_URL')),
    };
  }
  return cached;
}

/** Lambda entry point. */
export const handler = createSubscribersHandler(subscribersDeps);
