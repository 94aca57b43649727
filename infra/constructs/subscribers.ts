import { join } from 'node:path';
import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, type IFunction, type IVersion } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXPIRES_AT } from '../../functions/store/dynamo-stats-store.ts';
import { SCHEDULE_MINUTES } from '../../functions/subscribers.ts';
import { ARCHITECTURE, BUNDLING, RUNTIME } from '../bundling.ts';
import type { LogLevel } from '../settings.ts';
import { LIVE_ALIAS, PROJECT_ROOT, PUBLIC_COUNTS_PARTITION } from './functions.ts';

/** The subscribers function's settings; test/infra checks the template against them. */
export const SUBSCRIBERS_FUNCTION = {
  entry: 'functions/subscribers.ts',
  description: 'Newswire subscriber estimate: counts new CloudFront log files, closes finished days',
  /** Parsing and hashing a few hundred thousand log lines a run. */
  memorySize: 1024,
  timeoutMinutes: 5,
} as const;

/**
 * Partition keys the subscribers function may touch in the table (built in functions/store/keys.ts):
 * the tallies, their client sets, and the counts it publishes for the pages.
 */
export const SUBSCRIBER_PARTITIONS = ['STATS#*', 'STATSSETS#*', PUBLIC_COUNTS_PARTITION] as const;

/** Receives of one log file's notification before it is set aside in the dead-letter queue. */
export const MAX_RECEIVES = 5;

/** Inputs of the subscribers construct. */
export interface NewswireSubscribersProps {
  readonly table: ITable;
  /** The bucket CloudFront's standard logs are delivered to, and their key prefix. */
  readonly logBucket: IBucket;
  readonly logPrefix: string;
  readonly logLevel: LogLevel;
}

/**
 * The subscriber estimate in AWS: S3 announces each new CloudFront log file
 * on a queue; every SCHEDULE_MINUTES a function counts the files waiting
 * into the table, closes finished days and records the estimates per edition
 * as metrics. Each day's salt lives in a table of its own without
 * point-in-time recovery, so that once deleted it cannot be restored.
 */
export class NewswireSubscribers extends Construct {
  /** The function (for the dashboard and alarms). */
  readonly function: NodejsFunction;
  /** The salts' table. */
  readonly salts: Table;
  /** Notifications of new log files, waiting for the next run. */
  readonly queue: Queue;
  /** Notifications whose file kept failing to be counted. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: NewswireSubscribersProps) {
    super(scope, id);
    this.salts = new Table(this, 'Salts', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: EXPIRES_AT,
      // Deliberately not recoverable: a salt deleted when its day closes must stay deleted.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.salts).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The salts table holds only each day’s random salt for hashing reader addresses; it must not be ' +
        'recoverable, or a deleted day’s salt could be restored and its hashes tied to addresses again.',
    });

    const timeout = Duration.minutes(SUBSCRIBERS_FUNCTION.timeoutMinutes);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the log-file notifications: a file whose counting failed ' +
        'five times waits here for an operator.',
    });
    this.queue = new Queue(this, 'NewLogFiles', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A file read and not yet counted stays invisible for longer than a run can take.
      visibilityTimeout: timeout.plus(Duration.minutes(1)),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVES },
    });
    props.logBucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue), {
      prefix: props.logPrefix,
    });

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the Newswire subscribers function',
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        // TransactWriteItems is authorised as the Puts it holds; BatchWriteItem as its Deletes.
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
        ],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...SUBSCRIBER_PARTITIONS] } },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.salts.tableArn],
      }),
    );
    this.queue.grantConsumeMessages(role);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:GetObject'],
        resources: [props.logBucket.arnForObjects(`${props.logPrefix}*`)],
      }),
    );
    const bucketId = Stack.of(this).resolve((props.logBucket.node.defaultChild as CfnResource).logicalId);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${props.logPrefix}*]`,
      reason:
        'Reads the CloudFront log files, which are named by CloudFront under their prefix: s3:GetObject only, ' +
        'on that prefix only.',
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, SUBSCRIBERS_FUNCTION.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: SUBSCRIBERS_FUNCTION.memorySize,
      timeout,
      description: SUBSCRIBERS_FUNCTION.description,
      role,
      logGroup,
      bundling: BUNDLING,
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
      environment: {
        TABLE_NAME: props.table.tableName,
        SALT_TABLE_NAME: this.salts.tableName,
        LOG_QUEUE_URL: this.queue.queueUrl,
        LOG_LEVEL: props.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    const alias = new Alias(this, 'Live', {
      aliasName: LIVE_ALIAS,
      version: this.function.currentVersion as unknown as IVersion,
      description: 'The subscribers version the schedule invokes',
    });
    // S3 bucket notifications are set by CDK's own singleton custom resource, made once per stack.
    for (const child of Stack.of(this).node.children) {
      if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
      Validations.of(child).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            'CDK’s own BucketNotificationsHandler (it sets the log bucket’s notification to the queue at deploy ' +
            'time); its role and policy are made by aws-cdk-lib, not by this stack.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            's3:PutBucketNotification of CDK’s BucketNotificationsHandler, which aws-cdk-lib grants on "*".',
        },
      );
    }
    new Rule(this, 'Schedule', {
      description: `Newswire: every ${SCHEDULE_MINUTES} minutes, count new CloudFront log files into the subscriber estimate`,
      schedule: Schedule.rate(Duration.minutes(SCHEDULE_MINUTES)),
      targets: [new LambdaFunction(alias as unknown as IFunction, { retryAttempts: 0 })],
    });
  }
}
