import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** What the poller hands batches to: the notify function's handler. */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

/** How the poller reads the stream and retries, as Lambda's event source mapping is configured in infra/. */
export interface StreamPollerOptions {
  /** DynamoDB (Local) endpoint; the Streams API is served on the same one. */
  endpoint: string;
  /** Client for DescribeTable (the stream's ARN). */
  dynamo: DynamoDBClient;
  tableName: string;
  handler: StreamHandler;
  /** Pause between polls of a shard that had nothing new; default 500 ms. */
  intervalMs?: number;
  /** Records per batch at most; default 1,000, as the cloud's mapping. */
  batchSize?: number;
  /** Retries of a failing batch before its records are given up (dead-lettered: logged); default 3. */
  retryAttempts?: number;
  /** Pause before a retry; default 1 s. */
  retryDelayMs?: number;
  /** Where the poller says what it does (lost DynamoDB, gave up on records). */
  say: (line: string) => void;
}

/** A running stream poller. */
export interface StreamPoller {
  stop(): Promise<void>;
}

interface ShardState {
  parent?: string;
  iterator?: string;
  /** Sequence number of the last record handed to the handler (or given up). */
  checkpoint?: string;
  /** Where to start when there is no checkpoint: the shard's oldest record. */
  start: ShardIteratorType;
  done: boolean;
}

/** DynamoDB Local rounds record times down to the minute, DynamoDB to the second. */
const LOCAL_TIME_PRECISION_MS = 60_000;

/**
 * Converts a Streams API record to the shape Lambda delivers: creation time
 * in epoch seconds, rounded down. DynamoDB Local rounds it down to the
 * minute, which would make a story published this minute look scheduled, so
 * the record is stamped with the second it was read at, unless that is past
 * the minute the record names.
 */
function lambdaRecord(record: StreamRecord, readAt: number, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb;
  const stated = stream?.ApproximateCreationDateTime?.getTime() ?? readAt;
  const at = Math.min(readAt, stated + LOCAL_TIME_PRECISION_MS - 1);
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(at / 1000),
      Keys: stream?.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      SequenceNumber: stream?.SequenceNumber,
      SizeBytes: stream?.SizeBytes,
      StreamViewType: stream?.StreamViewType,
    },
  };
}

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

function isAfter(sequence: string, checkpoint: string | undefined): boolean {
  return checkpoint === undefined || BigInt(sequence) > BigInt(checkpoint);
}

/**
 * Polls the table's stream on DynamoDB Local the way Lambda's event source
 * mapping polls DynamoDB Streams: shards (children after their parents),
 * iterators, batches of at most `batchSize` records in order, partial batch
 * failures retried from the failed record on, a batch whose handler throws
 * bisected, and records that still fail after `retryAttempts` given up and
 * logged (the dead-letter queue of the cloud). It reads every shard from its
 * oldest record (TRIM_HORIZON, as the cloud's mapping), so writes made before
 * it started are announced too. When DynamoDB Local dies it keeps trying, and
 * resumes after the last record it handled; a stream that is new (the table
 * was made again) is read from its start.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const intervalMs = options.intervalMs ?? 500;
  const batchSize = options.batchSize ?? 1000;
  const retryAttempts = options.retryAttempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 5000, throwOnRequestTimeout: true },
  });
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  let streamArn: string | undefined;
  const shards = new Map<string, ShardState>();

  /** Finds the table's stream and its shards; a stream not seen before is read from its start. */
  async function discover(): Promise<boolean> {
    const { Table } = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
    const arn = Table?.LatestStreamArn;
    if (arn === undefined) return false;
    if (arn !== streamArn) {
      if (streamArn !== undefined)
        options.say('The table has a new stream (it was made again); reading it from its start.');
      streamArn = arn;
      shards.clear();
    }
    const found: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }),
      );
      found.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    for (const shard of found) {
      const id = shard.ShardId;
      if (id === undefined || shards.has(id)) continue;
      shards.set(id, {
        ...(shard.ParentShardId !== undefined && { parent: shard.ParentShardId }),
        // Every shard is read from its oldest record, as a mapping created with StartingPosition
        // TRIM_HORIZON does: nothing written before polling began (or while it was stopped) is missed.
        start: 'TRIM_HORIZON',
        done: false,
      });
    }
    return true;
  }

  async function iteratorOf(shardId: string, state: ShardState): Promise<string | undefined> {
    const request =
      state.checkpoint === undefined
        ? { ShardIteratorType: state.start }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: state.checkpoint };
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...request }),
    );
    return ShardIterator;
  }

  /** Hands records to the handler until they succeed, are bisected, or are given up. */
  async function deliver(shardId: string, records: DynamoDBRecord[], attemptsLeft: number): Promise<void> {
    let pending = records;
    while (pending.length > 0 && !stopped) {
      let failedFrom: number;
      try {
        const result = await options.handler({ Records: pending });
        const failed = result?.batchItemFailures[0]?.itemIdentifier;
        if (failed === undefined) return;
        failedFrom = Math.max(
          pending.findIndex((r) => sequenceOf(r) === failed),
          0,
        );
      } catch {
        if (pending.length > 1) {
          // Bisect on error: each half is retried on its own, so one bad record cannot hold back the rest.
          const middle = Math.ceil(pending.length / 2);
          await deliver(shardId, pending.slice(0, middle), attemptsLeft - 1);
          await deliver(shardId, pending.slice(middle), attemptsLeft - 1);
          return;
        }
        failedFrom = 0;
      }
      pending = pending.slice(failedFrom);
      if (attemptsLeft <= 0) {
        options.say(
          `Gave up on ${pending.length} stream record(s) of ${shardId} after ${retryAttempts} retries ` +
            `(sequence ${sequenceOf(pending[0]!)}–${sequenceOf(pending.at(-1)!)}); in the cloud they go to the dead-letter queue.`,
        );
        return;
      }
      attemptsLeft--;
      await pause(retryDelayMs);
    }
  }

  /** One poll of one shard; true when it returned records. */
  async function pollShard(shardId: string, state: ShardState): Promise<boolean> {
    if (state.iterator === undefined) {
      const iterator = await iteratorOf(shardId, state);
      if (iterator === undefined) {
        state.done = true;
        return false;
      }
      state.iterator = iterator;
    }
    const output = await streams.send(
      new GetRecordsCommand({ ShardIterator: state.iterator, Limit: batchSize }),
    );
    const readAt = Date.now();
    const records = (output.Records ?? [])
      .map((r) => lambdaRecord(r, readAt, streamArn ?? ''))
      .filter((r) => isAfter(sequenceOf(r), state.checkpoint));
    if (records.length > 0) {
      await deliver(shardId, records, retryAttempts);
      state.checkpoint = sequenceOf(records.at(-1)!);
    }
    if (output.NextShardIterator === undefined) state.done = true;
    else state.iterator = output.NextShardIterator;
    return records.length > 0;
  }

  async function run(): Promise<void> {
    let failing = false;
    let backoff = intervalMs;
    while (!stopped) {
      try {
        if (streamArn === undefined || [...shards.values()].every((s) => s.done)) {
          if (!(await discover())) {
            await pause(intervalMs);
            continue;
          }
        }
        let busy = false;
        for (const [id, state] of shards) {
          if (stopped) break;
          const parent = state.parent === undefined ? undefined : shards.get(state.parent);
          if (state.done || (parent !== undefined && !parent.done)) continue;
          if (await pollShard(id, state)) busy = true;
        }
        if (failing) options.say('The stream poller is reading the stream again.');
        failing = false;
        backoff = intervalMs;
        if (!busy) await pause(intervalMs);
      } catch (error) {
        // DynamoDB Local died or restarts, or an iterator expired: find the stream again and resume
        // after the last record handled.
        if (!failing) {
          options.say(`The stream poller lost the stream (${(error as Error).name}); trying again…`);
        }
        failing = true;
        for (const state of shards.values()) delete state.iterator;
        await pause(backoff);
        backoff = Math.min(backoff * 2, 5000);
        // The same stream keeps its shards and checkpoints; a new one starts over.
        await discover().catch(() => undefined);
      }
    }
  }

  // Where polling begins is fixed before this returns: every write after start-up is seen, however
  // late the first poll runs. (A stream that cannot be read yet is found by the loop.)
  const ready = (async () => {
    try {
      if (!(await discover())) return;
      for (const [id, state] of shards) {
        if (state.done) continue;
        const iterator = await iteratorOf(id, state);
        if (iterator !== undefined) state.iterator = iterator;
      }
    } catch {
      // The loop retries and says so.
    }
  })();
  const running = ready.then(run);
  await ready;
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
      streams.destroy();
    },
  };
}
