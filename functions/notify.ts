import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  EventBridgeEvent,
} from 'aws-lambda';
import config from '../newswire.config.ts';
import { HubError } from './core/errors.ts';
import {
  type ChangedFeed,
  type ChangeRecord,
  changedArticles,
  changedFeeds,
  feedsFallingDue,
  type NotifyDeps,
  type PingOutcome,
  pingHub,
  readTopLists,
  sweepWindow,
} from './core/websub.ts';
import { notifyReadDeps } from './deps.ts';
import { optionalEnv } from './env.ts';
import { SHARED_MAX_AGE_SECONDS } from './http/conditional.ts';
import { createHubClient, HUB_TIMEOUT_MS } from './http/hub-client.ts';
import { describeError, log, logger } from './http/log.ts';
import { pingMetrics } from './http/metrics.ts';
import { changeOfKey } from './store/keys.ts';

/** CloudFront caches a hub's request may pass before the origin: edge location, regional edge cache, Origin Shield. */
export const CACHE_TIERS = 3;

/**
 * How long after a change the hub is pinged, unless NEWSWIRE_PING_DELAY_MS
 * says otherwise: each cache tier may have taken its copy from the tier
 * behind it just before that copy expired, so the last copy of the old feed
 * expires at most CACHE_TIERS × s-maxage after the change; plus 1 s for the
 * stream's rounding of record times and 2 s of margin.
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

/** What the notify function is invoked with: a batch from the table's stream, or the sweep's schedule. */
export type NotifyEvent = DynamoDBStreamEvent | SweepEvent;

/** The notify function. */
export type NotifyHandler = (
  event: NotifyEvent,
  context?: Context,
) => Promise<DynamoDBBatchResponse | undefined>;

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

function reportPings(
  outcome: PingOutcome,
  feeds: readonly ChangedFeed[],
  context: Record<string, unknown>,
): void {
  if (outcome.requests === 0) return;
  const summary = {
    ...context,
    feeds: feeds.length,
    pinged: outcome.pinged.length,
    failed: outcome.failed.length,
    requests: outcome.requests,
    waitedMs: outcome.waitedMs,
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
 * The WebSub notifier. From the table's stream: the feeds a batch of changes
 * changed, pinged once their cached copies have expired; a failed ping
 * reports the earliest record behind it as the batch item failure, so the
 * event source mapping retries from there (and sends what keeps failing to
 * the dead-letter queue). From the sweep's schedule: the feeds scheduled
 * stories that fell due in the last interval changed; a failure throws, so
 * the invocation is retried and, in the end, dead-lettered.
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
    if ('Records' in event) {
      const records = event.Records.flatMap((r) => changeRecordOf(r) ?? []);
      if (records.length === 0 || d.config.hubUrl === undefined) return { batchItemFailures: [] };
      const topLists = changedArticles(records).length > 0 ? await readTopLists(d.store, d.config) : [];
      const feeds = changedFeeds(records, d.config, topLists);
      const changedAt = new Date(Math.max(...records.map((r) => r.at.getTime())));
      const outcome = await pingHub(d, feeds, changedAt, deadlineOf(d, context));
      reportPings(outcome, feeds, { trigger: 'stream', records: event.Records.length });
      record({ pinged: outcome.pinged.length, failed: outcome.failed.length });
      // Lambda retries a stream batch from the earliest failed record on, in order.
      const firstFailed = records.find((r) => outcome.failedSources.has(r.id));
      return { batchItemFailures: firstFailed === undefined ? [] : [{ itemIdentifier: firstFailed.id }] };
    }
    if (d.config.hubUrl === undefined) return undefined;
    const window = sweepWindow(new Date(event.time), sweepIntervalMs);
    const feeds = await feedsFallingDue(d.store, d.config, window);
    const outcome = await pingHub(d, feeds, window.upTo, deadlineOf(d, context));
    reportPings(outcome, feeds, {
      trigger: 'schedule',
      dueAfter: window.after.toISOString(),
      dueUpTo: window.upTo.toISOString(),
    });
    record({ pinged: outcome.pinged.length, failed: outcome.failed.length });
    if (outcome.failed.length > 0) {
      throw new HubError(
        `The hub failed ${outcome.failed.length} pings for stories due by ${window.upTo.toISOString()}`,
        outcome.failed[0]?.error.status,
        { cause: outcome.failed[0]?.error },
      );
    }
    return undefined;
  };
}

let cached: NotifyDeps | undefined;

/**
 * The production wiring, built on first use: the config, the table named by
 * TABLE_NAME, fetch for the hub (NEWSWIRE_HUB_TIMEOUT_MS, default 5 s, per
 * request), the wall clock, and NEWSWIRE_PING_DELAY_MS (default
 * DEFAULT_PING_DELAY_MS) as the wait for caches to expire.
 */
export function notifyDeps(): NotifyDeps {
  if (cached === undefined) {
    const { store, clock } = notifyReadDeps();
    const delay = optionalEnv('NEWSWIRE_PING_DELAY_MS');
    const hubTimeout = optionalEnv('NEWSWIRE_HUB_TIMEOUT_MS');
    cached = {
      config,
      store,
      hub: createHubClient({
        userAgent: `Newswire (+${config.baseUrl}/)`,
        ...(hubTimeout !== undefined && { timeoutMs: Number(hubTimeout) }),
      }),
      clock,
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      delayMs: delay === undefined ? DEFAULT_PING_DELAY_MS : Number(delay),
    };
  }
  return cached;
}

/** Lambda entry point. */
export const handler = createNotifyHandler(notifyDeps, { sweepIntervalMs: sweepIntervalMs() });
