import type { RequestRecord } from '../functions/core/cloudfront-log.ts';
import { decodeLogField } from '../functions/core/cloudfront-log.ts';
import type { PublicCountStore } from '../functions/core/ports.ts';
import {
  closeFinishedDays,
  countRequests,
  publishPublicCounts,
  RequestBatch,
  type SubscriberDeps,
} from '../functions/core/subscribers.ts';
import type { HttpEvent, HttpResult } from '../functions/http/types.ts';

/** How often the local server counts the requests it has served, unless told otherwise. */
export const STATS_FLUSH_MS = 10_000;

/** The local server's stand-in for CloudFront's access logs. */
export interface StatsRecorder {
  /** Notes one request and its reply (the server's observer). */
  observe(event: HttpEvent, result: HttpResult): void;
  /** Counts what was noted so far (closes finished days, publishes the public counts of the last closed one). */
  flush(): Promise<void>;
  /** Counts what is left and stops the timer. */
  stop(): Promise<void>;
}

/** The record CloudFront would log for a request the local server answered. */
export function requestRecordOf(event: HttpEvent, result: HttpResult): RequestRecord {
  const http = event.requestContext.http;
  return {
    at: new Date(event.requestContext.timeEpoch),
    address: http.sourceIp,
    method: http.method,
    path: decodeLogField(event.rawPath),
    query: event.rawQueryString === '' ? undefined : decodeLogField(event.rawQueryString),
    status: result.statusCode,
    userAgent: http.userAgent,
  };
}

/**
 * Feeds the subscriber estimate from the local server's own requests,
 * through the same counting as the cloud's log files: each request is held
 * in memory (never written or logged) until the next count, every
 * `intervalMs`, and then only its salted hash is kept.
 */
export function startStatsRecorder(options: {
  deps: SubscriberDeps & { counts: PublicCountStore };
  intervalMs?: number;
  say: (line: string) => void;
}): StatsRecorder {
  let pending: RequestRecord[] = [];
  let running: Promise<void> = Promise.resolve();
  const count = async () => {
    const records = pending;
    pending = [];
    const batch = new RequestBatch(options.deps.config);
    for (const record of records) batch.add(record);
    try {
      if (batch.feedRequests > 0) await countRequests(options.deps, batch);
      await closeFinishedDays(options.deps);
      await publishPublicCounts(options.deps);
    } catch (error) {
      const reason =
        error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
      options.say(`Subscriber counts: could not count ${batch.feedRequests} feed requests (${reason})`);
    }
  };
  const flush = () => {
    running = running.then(count);
    return running;
  };
  const timer = setInterval(() => void flush(), options.intervalMs ?? STATS_FLUSH_MS);
  timer.unref();
  return {
    observe: (event, result) => {
      pending.push(requestRecordOf(event, result));
    },
    flush,
    stop: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
