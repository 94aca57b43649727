import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_PING_DELAY_MS } from '../../functions/notify.ts';

/** How Lambda reads the table's stream for the notify function; test/infra checks the template against it. */
export const STREAM_MAPPING = {
  /**
   * A batch only reads what its records name and queues one message per changed feed (no waiting), so
   * one invocation per shard at a time keeps up: ~1,000 records in a second or two. KEYS_ONLY records
   * are ~300 bytes: 1,000 fit Lambda's 6 MB payload.
   */
  batchSize: 1000,
  /** One batch per shard at a time: records are handled in order, and notify's concurrency is one per shard. */
  parallelizationFactor: 1,
  /** Collect a second of changes (an article write is one transaction of up to 86 items) into one batch. */
  maxBatchingWindowSeconds: 1,
  /** Retries of a failing batch (bisected) before it is dead-lettered. */
  retryAttempts: 5,
  /** A ping older than this is of no use to subscribers any more: dead-letter it. */
  maxRecordAgeSeconds: 3600,
} as const;

/** The queue that holds each ping until cached feeds have expired, and hands it to notify. */
export const PING_QUEUE = {
  /** The wait for caches (DEFAULT_PING_DELAY_MS, 33 s), spent in the queue: no function runs meanwhile. */
  deliveryDelaySeconds: DEFAULT_PING_DELAY_MS / 1000,
  /** Messages handed to one invocation (SQS FIFO's most). */
  batchSize: 10,
  /** notify invocations on the queue at once (the event source mapping's maximum concurrency; 2 is its least). */
  maxConcurrency: 2,
  /** Deliveries of a message whose ping keeps failing before it goes to the dead-letter queue. */
  maxReceiveCount: 5,
} as const;

/** Retries of a failed sweep invocation (Lambda's asynchronous retries) before it is dead-lettered. */
export const SWEEP_RETRY_ATTEMPTS = 2;

/** Inputs of the WebSub construct. */
export interface NewswireWebSubProps {
  readonly table: ITable;
  /** The notify function (unqualified: for its environment). */
  readonly function: NodejsFunction;
  /** Its `live` alias: what the stream mapping and the schedule invoke. */
  readonly alias: IFunction;
  /** The public site URL the feeds name themselves by (custom domain or the distribution's). */
  readonly siteUrl: string;
}

/**
 * The triggers of the notify function: the table's stream (an event source
 * mapping, one batch per shard at a time from the oldest record, bisect on
 * error, bounded retries and a dead-letter queue) and an every-minute
 * schedule that sweeps for scheduled stories falling due (asynchronous
 * invocations, retried, then dead-lettered to the same queue) both queue one
 * message per changed feed on a FIFO queue whose delay outlasts CloudFront's
 * copies; the queue hands them back to notify (at most two invocations at
 * once), which pings the hub. Writes never call the hub, and no function
 * waits for caches.
 */
export class NewswireWebSub extends Construct {
  /** Where stream batches and sweeps that kept failing go (alarmed on in the stack). */
  readonly deadLetters: Queue;
  /** The FIFO queue holding each ping until cached feeds have expired. */
  readonly pings: Queue;
  /** Where pings that kept failing go (alarmed on in the stack). */
  readonly pingDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: NewswireWebSubProps) {
    super(scope, id);
    // Not an origin of the distribution, so it can be told the site's address without a cycle.
    props.function.addEnvironment('NEWSWIRE_BASE_URL', props.siteUrl);

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the notify function (stream batches and sweeps that ' +
        'kept failing); an operator reads it after its alarm fires.',
    });

    // FIFO, so that the same message sent twice (a retried stream batch) is queued once, and a feed's
    // pings are handled in order; its delay is the wait for CloudFront's copies to expire.
    this.pingDeadLetters = new Queue(this, 'PingDeadLetters', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.pingDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the ping queue (pings the hub kept refusing); an operator ' +
        'reads it after its alarm fires.',
    });
    const timeout = props.function.timeout ?? Duration.seconds(3);
    this.pings = new Queue(this, 'Pings', {
      fifo: true,
      deliveryDelay: Duration.seconds(PING_QUEUE.deliveryDelaySeconds),
      // AWS's advice for a queue a Lambda function reads: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.pingDeadLetters, maxReceiveCount: PING_QUEUE.maxReceiveCount },
    });
    this.pings.grantSendMessages(props.function);
    props.function.addEnvironment('NEWSWIRE_PING_QUEUE_URL', this.pings.queueUrl);
    props.alias.addEventSource(
      new SqsEventSource(this.pings, {
        batchSize: PING_QUEUE.batchSize,
        maxConcurrency: PING_QUEUE.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    if (props.table.tableStreamArn === undefined) {
      Annotations.of(this).addWarningV2(
        'newswire:no-table-stream',
        'The table named by -c tableName has no stream given (-c tableStreamArn): WebSub pings follow only ' +
          'scheduled stories falling due, not writes. Turn its stream on (KEYS_ONLY) and pass its ARN.',
      );
    } else {
      props.alias.addEventSource(
        new DynamoEventSource(props.table, {
          // From the oldest record the stream keeps (24 hours): records written while the mapping is created
          // or replaced (a restored table adopted) are announced too.
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: STREAM_MAPPING.batchSize,
          parallelizationFactor: STREAM_MAPPING.parallelizationFactor,
          maxBatchingWindow: Duration.seconds(STREAM_MAPPING.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          bisectBatchOnError: true,
          retryAttempts: STREAM_MAPPING.retryAttempts,
          maxRecordAge: Duration.seconds(STREAM_MAPPING.maxRecordAgeSeconds),
          onFailure: new SqsDlq(this.deadLetters),
        }),
      );
      // The mapping's grant: DescribeStream, GetRecords and GetShardIterator on this table's stream, and
      // ListStreams, which IAM only grants on "*" (it names no stream).
      Validations.of(props.function.role!).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams (granted for the stream event source mapping) supports no resource-level ' +
          'permission, so IAM requires Resource "*"; every other stream action is limited to the table stream.',
      });
    }

    props.alias.configureAsyncInvoke({
      retryAttempts: SWEEP_RETRY_ATTEMPTS,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetters),
    });
    new Rule(this, 'Sweep', {
      description: 'Newswire: every minute, ping the WebSub hub for scheduled stories that fell due',
      schedule: Schedule.cron({ minute: '*' }),
      targets: [
        new LambdaFunction(props.alias, {
          retryAttempts: SWEEP_RETRY_ATTEMPTS,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.deadLetters,
        }),
      ],
    });
  }
}
