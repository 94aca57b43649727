import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** How Lambda reads the table's stream for the notify function; test/infra checks the template against it. */
export const STREAM_MAPPING = {
  /**
   * Each batch waits ~33 s for cached feeds to expire, so batches are large (a burst of writes,
   * an ingest, is pinged once per feed per batch) and several run per shard at once: 1,000
   * records × 10 batches per 34 s is ~300 records a second per shard, so a backlog never
   * outlives maxRecordAge. KEYS_ONLY records are ~300 bytes: 1,000 fit Lambda's 6 MB payload.
   */
  batchSize: 1000,
  parallelizationFactor: 10,
  /** Collect a second of changes (an article write is one transaction of up to 26 items) into one batch. */
  maxBatchingWindowSeconds: 1,
  /** Retries of a failing batch (partial failures retry from the failed record) before it is dead-lettered. */
  retryAttempts: 5,
  /** A ping older than this is of no use to subscribers any more: dead-letter it. */
  maxRecordAgeSeconds: 3600,
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
 * mapping with partial batch failures, bisect on error, bounded retries and a
 * dead-letter queue) and an every-minute schedule that sweeps for scheduled
 * stories falling due (asynchronous invocations, retried, then dead-lettered
 * to the same queue). Writes never call the hub: a hub that is down or slow
 * only delays pings.
 */
export class NewswireWebSub extends Construct {
  /** Where stream batches and sweeps that kept failing go (alarmed on in the stack). */
  readonly deadLetters: Queue;

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

    if (props.table.tableStreamArn === undefined) {
      Annotations.of(this).addWarningV2(
        'newswire:no-table-stream',
        'The table named by -c tableName has no stream given (-c tableStreamArn): WebSub pings follow only ' +
          'scheduled stories falling due, not writes. Turn its stream on (KEYS_ONLY) and pass its ARN.',
      );
    } else {
      props.alias.addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: StartingPosition.LATEST,
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
