import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { PingQueue, QueuedPing } from '../functions/core/websub.ts';

/** What the local queue hands due pings to: the notify function's handler. */
export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined | unknown>;

/** How the local stand-in for the notifier's SQS FIFO queue behaves, as infra/ configures the real one. */
export interface LocalPingQueueOptions {
  /** How long a message waits before it is handed out (the queue's delay); 0 locally, no CloudFront in front. */
  delayMs: number;
  /** How long a failed message waits before it is handed out again (the visibility timeout); default 1 s. */
  retryDelayMs?: number;
  /** Receives before a message is given up (the redrive policy's maxReceiveCount); default 5. */
  maxReceives?: number;
  /** Messages handed to one invocation at most (the event source mapping's batch size); default 10. */
  batchSize?: number;
  /** Where the queue says what it gave up (in the cloud: the dead-letter queue). */
  say: (line: string) => void;
}

/** The local queue: a PingQueue for the notify handler, and its own delivery loop. */
export interface LocalPingQueue extends PingQueue {
  /** Starts handing due messages to `handler`, one batch at a time. */
  start(handler: QueueHandler): void;
  /** Messages waiting or being handled. */
  readonly size: number;
  stop(): Promise<void>;
}

/** How long SQS FIFO remembers a deduplication id. */
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

interface Waiting {
  id: string;
  message: QueuedPing;
  dueAt: number;
  receives: number;
}

/**
 * The notifier's queue on one machine, standing in for SQS as the stream
 * poller stands in for Lambda's event source mapping: every message waits
 * `delayMs`, a message with a deduplication id seen in the last five minutes
 * is dropped, due messages go to the handler in batches, those it reports
 * failed come back after `retryDelayMs`, and after `maxReceives` they are
 * given up with a line saying so. Nothing runs while messages wait.
 */
export function createLocalPingQueue(options: LocalPingQueueOptions): LocalPingQueue {
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const maxReceives = options.maxReceives ?? 5;
  const batchSize = options.batchSize ?? 10;
  const seen = new Map<string, number>();
  const waiting: Waiting[] = [];
  let handler: QueueHandler | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    if (stopped || handler === undefined || running !== undefined || waiting.length === 0) return;
    const next = Math.min(...waiting.map((w) => w.dueAt));
    timer = setTimeout(deliver, Math.max(0, next - Date.now()));
  };

  const deliver = () => {
    const now = Date.now();
    const batch = waiting.filter((w) => w.dueAt <= now).slice(0, batchSize);
    if (batch.length === 0 || handler === undefined) return schedule();
    for (const item of batch) item.receives++;
    const event: SQSEvent = { Records: batch.map(sqsRecord) };
    running = (async () => {
      let failed: Set<string>;
      try {
        const result = (await handler(event)) as SQSBatchResponse | undefined;
        failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        failed = new Set(batch.map((w) => w.id));
      }
      for (const item of batch) {
        if (!failed.has(item.id)) {
          waiting.splice(waiting.indexOf(item), 1);
        } else if (item.receives >= maxReceives) {
          waiting.splice(waiting.indexOf(item), 1);
          options.say(
            `Gave up on a queued ping (${item.message.body}) after ${item.receives} attempts; ` +
              'in the cloud it goes to the dead-letter queue.',
          );
        } else {
          item.dueAt = Date.now() + retryDelayMs;
        }
      }
    })().finally(() => {
      running = undefined;
      schedule();
    });
  };

  return {
    async send(messages) {
      const now = Date.now();
      for (const [id, expires] of seen) if (expires <= now) seen.delete(id);
      for (const message of messages) {
        if (seen.has(message.deduplicationId)) continue;
        seen.set(message.deduplicationId, now + DEDUPLICATION_WINDOW_MS);
        waiting.push({ id: randomUUID(), message, dueAt: now + options.delayMs, receives: 0 });
      }
      schedule();
    },
    start(next) {
      handler = next;
      schedule();
    },
    get size() {
      return waiting.length;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** A waiting message as Lambda's SQS event source hands it to the function. */
function sqsRecord(item: Waiting): SQSRecord {
  return {
    messageId: item.id,
    receiptHandle: item.id,
    body: item.message.body,
    attributes: {
      ApproximateReceiveCount: String(item.receives),
      SentTimestamp: String(item.dueAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      MessageGroupId: item.message.groupId,
      MessageDeduplicationId: item.message.deduplicationId,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:pings.fifo',
    awsRegion: 'local',
  };
}
