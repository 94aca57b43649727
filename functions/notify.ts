import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import config from '../newswire.config.ts';
import { HubError } from './core/errors.ts';
import {
  type ChangedFeed,
  type ChangeRecord,
  duePings,
  type FeedPing,
  feedOfMessage,
  type NotifyDeps,
  type PingOutcome,
  type PingQueue,
  pingHub,
  queuedPing,
  readStreamFacts,
  streamPings,
  sweepWindow,
} from './core/websub.ts';
import { notifyStore, readDeps } from './deps.ts';
import { optionalEnv, requireEnv } from './env.ts';
import { SHARED_MAX_AGE_SECONDS } from './http/conditional.ts';
import { createHubClient, HUB_TIMEOUT_MS } from './http/hub-client.ts';
import { describeError, log, logger } from './http/log.ts';
import { pingMetrics } from './http/metrics.ts';
import { changeOfKey } from './store/keys.ts';
import { createSqsPingQueue } from './store/ping-queue.ts';

/** CloudFront caches a hub's request may pass before the origin: edge location, regional edge cache, Origin Shield. */
export const CACHE_TIERS = 3;

/**
 * How long a ping waits in the queue after the change was read off the
 * stream (the queue's delay): each cache tier may have taken its copy from
 * the tier behind it just before that copy expired, so the last copy of the
 * old feed expires at most CACHE_TIERS × s-maxage after the change; plus 1 s
 * for the stream's rounding of record times and 2 s of margin. No function
 * runs while a ping waits.
 */
export const DEFAULT_PING_DELAY_MS = (CACHE_TIERS * SHARED_MAX_AGE_SECONDS + 3) * 1000;

/** How often scheduled stories are swept for ones that fell due (the schedule in infra/ runs this often). */
export const SWEEP_INTERVAL_MS = 60_000;

/** The sweep's interval: NEWSWIRE_SWEEP_INTERVAL_MS (the local runtime's timer uses it too), else SWEEP_INTERVAL_MS. */
export function sweepIntervalMs(): number {
  return Number(optionalEnv('NEWSWIRE_SWEEP_INTERVAL_MS') ?? SWEEP_INTERVAL_MS);
}

/** The periodic sweep's event: an EventBridge scheduled event (the local runtime sends the same). */
export type SweepEvent = EventBridgeEvent<'Scheduled Event', unknown>;

/** What the notify function is invoked with: a stream batch, the sweep's schedule, or queued pings now due. */
export type NotifyEvent = DynamoDBStreamEvent | SweepEvent | SQSEvent;

/** The notify function. */
export type NotifyHandler = (
  event: NotifyEvent,
  context?: Context,
) => Promise<DynamoDBBatchResponse | SQSBatchResponse | undefined>;

/** Time kept back at the end of an invocation: one ping's timeout and a second to report. */
const FINISH_MS = HUB_TIMEOUT_MS + 1000;

/** When the last ping may start: early enough to finish within the invocation's time (none locally). */
function deadlineOf(deps: NotifyDeps, context: Context | undefined): number | undefined {
  if (context === undefined) return undefined;
  return deps.clock().getTime() + context.getRemainingTimeInMillis() - FINISH_MS;
}

/** The change a stream record reports, if it is one the feeds care about. */
function changeRecordOf(record: DynamoDBRecord): ChangeRecord | undefined {
  const stream = record.dynamodb;
  const pk = stream?.Keys?.pk?.S;
  const sk = stream?.Keys?.sk?.S;
  const id = stream?.SequenceNumber ?? record.eventID;
  if (pk === undefined || sk === undefined || id === undefined) return undefined;
  const change = changeOfKey({ pk, sk });
  if (change === undefined) return undefined;
  return { id, change, at: new Date((stream?.ApproximateCreationDateTime ?? 0) * 1000) };
}

/** Queues one message per changed feed; the queue holds each until cached copies have expired. */
async function queuePings(deps: NotifyDeps, pings: readonly FeedPing[], context: Record<string, unknown>) {
  if (pings.length === 0) return;
  await deps.queue.send(pings.map(queuedPing));
  log('info', `Queued pings for ${pings.length} feeds`, { ...context, feeds: pings.length });
}

function reportPings(outcome: PingOutcome, feeds: readonly ChangedFeed[], messages: number): void {
  if (outcome.requests === 0) return;
  const summary = {
    trigger: 'queue',
    messages,
    feeds: feeds.length,
    pinged: outcome.pinged.length,
    failed: outcome.failed.length,
    requests: outcome.requests,
  };
  if (outcome.failed.length === 0) {
    log('info', `Pinged the hub for ${outcome.pinged.length} feed URLs`, summary);
    return;
  }
  const first = outcome.failed[0]!;
  log(
    'error',
    `The hub failed ${outcome.failed.length} of ${outcome.failed.length + outcome.pinged.length} pings; they will be retried`,
    {
      ...summary,
      ...describeError(first.error),
      ...(first.error.status !== undefined && { hubStatus: first.error.status }),
      failedTopics: outcome.failed.slice(0, 10).map((f) => f.topic),
    },
  );
}

/**
 * The WebSub notifier, in three steps that never wait for caches. From the
 * table's stream: the feeds a batch visibly changed, each queued as one
 * message (a failure throws, and the event source mapping retries the batch;
 * queueing again is harmless, the FIFO queue takes a message once). From the
 * every-minute schedule: the feeds of scheduled stories that fell due,
 * queued the same way. From the queue, once the delay has let every cached
 * copy expire: the pings, each topic once per batch; a message whose ping
 * failed is reported, and the queue hands it back later (then to its
 * dead-letter queue).
 */
export function createNotifyHandler(
  deps: () => NotifyDeps,
  options: { sweepIntervalMs?: number } = {},
): NotifyHandler {
  const record = pingMetrics();
  const sweepIntervalMs = options.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
  return async (event, context) => {
    if (context !== undefined) logger().addContext(context);
    const d = deps();
    if ('Records' in event && event.Records.some((r) => 'receiptHandle' in r || 'body' in r)) {
      const messages = (event as SQSEvent).Records;
      if (d.config.hubUrl === undefined) return { batchItemFailures: [] };
      const feeds: ChangedFeed[] = [];
      for (const message of messages) {
        const scope = feedOfMessage(d.config, message.body);
        if (scope === undefined) {
          log('warn', 'Dropped a queued ping that names no configured feed', {
            messageId: message.messageId,
          });
          continue;
        }
        feeds.push({ scope, sources: [message.messageId] });
      }
      const outcome = await pingHub(d, feeds, deadlineOf(d, context));
      reportPings(outcome, feeds, messages.length);
      record({ pinged: outcome.pinged.length, failed: outcome.failed.length });
      return { batchItemFailures: [...outcome.failedSources].map((itemIdentifier) => ({ itemIdentifier })) };
    }
    if ('Records' in event) {
      const records = (event as DynamoDBStreamEvent).Records.flatMap((r) => changeRecordOf(r) ?? []);
      if (records.length === 0 || d.config.hubUrl === undefined) return { batchItemFailures: [] };
      const facts = await readStreamFacts(d.store, d.config, records);
      await queuePings(d, streamPings(records, facts, d.config), {
        trigger: 'stream',
        records: records.length,
      });
      return { batchItemFailures: [] };
    }
    if (d.config.hubUrl === undefined) return undefined;
    const window = sweepWindow(new Date(event.time), sweepIntervalMs);
    try {
      await queuePings(d, await duePings(d.store, d.config, window), {
        trigger: 'schedule',
        dueAfter: window.after.toISOString(),
        dueUpTo: window.upTo.toISOString(),
      });
    } catch (error) {
      // Thrown, so the invocation is retried (and, in the end, dead-lettered).
      throw new HubError(
        `Could not queue the pings for stories due by ${window.upTo.toISOString()}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    return undefined;
  };
}

/**
 * The notifier's wiring around a queue: the config, the table named by
 * TABLE_NAME, fetch for the hub (NEWSWIRE_HUB_TIMEOUT_MS, default 5 s, per
 * request) and the wall clock. The local runtime passes its stand-in queue.
 */
export function createNotifyDeps(queue: PingQueue): NotifyDeps {
  const { clock } = readDeps();
  const store = notifyStore();
  const hubTimeout = optionalEnv('NEWSWIRE_HUB_TIMEOUT_MS');
  return {
    config,
    store,
    hub: createHubClient({
      userAgent: `Newswire (+${config.baseUrl}/)`,
      ...(hubTimeout !== undefined && { timeoutMs: Number(hubTimeout) }),
    }),
    queue,
    clock,
  };
}

let cached: NotifyDeps | undefined;

/** The production wiring, built on first use: the SQS FIFO queue named by NEWSWIRE_PING_QUEUE_URL. */
export function notifyDeps(): NotifyDeps {
  cached ??= createNotifyDeps(createSqsPingQueue(requireEnv('NEWSWIRE_PING_QUEUE_URL')));
  return cached;
}

/** Lambda entry point. */
export const handler = createNotifyHandler(notifyDeps, { sweepIntervalMs: sweepIntervalMs() });
