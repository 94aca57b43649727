import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITable, Operation } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { FunctionName } from './functions.ts';

/** The DynamoDB operations the store issues; throttles and system errors are summed over them. */
export const TABLE_OPERATIONS: readonly Operation[] = [
  Operation.GET_ITEM,
  Operation.QUERY,
  Operation.BATCH_GET_ITEM,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

const FIVE_MINUTES = Duration.minutes(5);

/** Where CloudFront publishes its metrics, whatever the stack's region. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

/** A CloudFront distribution metric as CloudWatch stores it: us-east-1, dimension Region=Global. */
export function cloudFrontMetric(
  distributionId: string,
  metricName: string,
  options: { statistic: string; label: string; period?: Duration },
): Metric {
  return new Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
    region: CLOUDFRONT_METRICS_REGION,
    statistic: options.statistic,
    label: options.label,
    period: options.period ?? FIVE_MINUTES,
  });
}

/**
 * The SNS topic alarms notify. `enforceSSL` gives the topic a policy, which replaces
 * SNS's default one, so CloudWatch must be allowed to publish explicitly — only for
 * alarms of this account whose names start with `alarmNamePrefix`.
 */
export function createAlarmTopic(
  scope: Construct,
  id: string,
  alarmNamePrefix: string,
  email?: string,
): Topic {
  const topic = new Topic(scope, id, { displayName: 'Newswire alarms', enforceSSL: true });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${alarmNamePrefix}-*`,
        },
      },
    }),
  );
  if (email !== undefined) topic.addSubscription(new EmailSubscription(email));
  return topic;
}

/** One alarm that notifies `topic` on alarm and on recovery, named `<prefix>-<id>`. */
function notifyingAlarm(
  scope: Construct,
  id: string,
  topic: Topic,
  alarmNamePrefix: string,
  options: {
    metric: IMetric;
    threshold: number;
    description: string;
    evaluationPeriods?: number;
    datapointsToAlarm?: number;
  },
): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmName: `${alarmNamePrefix}-${id}`,
    metric: options.metric,
    threshold: options.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: options.evaluationPeriods ?? 1,
    datapointsToAlarm: options.datapointsToAlarm ?? 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: options.description,
  });
  const action = new SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** Id of the CloudFront 5xx alarm (its name is `<stack>-CloudFront5xxRate`). */
const CLOUDFRONT_5XX_ALARM = 'CloudFront5xxRate';

/**
 * The error rate readers see at the edge. CloudWatch only alarms on metrics of its own
 * region, so this alarm must be created in us-east-1 (see the stack).
 */
export function cloudFront5xxAlarm(
  scope: Construct,
  distributionId: string,
  topic: Topic,
  prefix: string,
): Alarm {
  const rate = new MathExpression({
    label: 'CloudFront 5xx rate (%)',
    expression: 'IF(requests >= 20, rate, 0)',
    usingMetrics: {
      rate: cloudFrontMetric(distributionId, '5xxErrorRate', { statistic: 'Average', label: '5xx %' }),
      requests: cloudFrontMetric(distributionId, 'Requests', { statistic: 'Sum', label: 'requests' }),
    },
    period: FIVE_MINUTES,
  });
  return notifyingAlarm(scope, CLOUDFRONT_5XX_ALARM, topic, prefix, {
    metric: rate,
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    description:
      'More than 1% of the requests readers sent to CloudFront (at least 20 in 5 minutes) ended in 5xx in 2 of ' +
      'the last 3 periods: origin errors, origin timeouts (504) or an unreachable origin (502), as readers see them.',
  });
}

/** Inputs of the alarms construct. */
export interface NewswireAlarmsProps {
  readonly httpApi: HttpApi;
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /** Each function's timeout, for the alarm texts. */
  readonly timeouts: Readonly<Record<FunctionName, Duration | undefined>>;
  readonly table: ITable;
  readonly alarmEmail?: string;
}

/** Alarms meaning "readers or the newsroom are affected now", each notifying one SNS topic on alarm and recovery. */
export class NewswireAlarms extends Construct {
  /** The topic every alarm notifies. */
  readonly topic: Topic;
  /** Every alarm, for the dashboard. */
  readonly alarms: Alarm[] = [];
  /** Prefix of every alarm name (the stack name); the topic accepts alarms with this prefix only. */
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: NewswireAlarmsProps) {
    super(scope, id);
    this.prefix = Stack.of(this).stackName;
    this.topic = createAlarmTopic(this, 'Topic', this.prefix, props.alarmEmail);

    const apiErrors = new MathExpression({
      label: 'API 5xx rate (%)',
      expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        requests: props.httpApi.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      period: FIVE_MINUTES,
    });
    this.add('Api5xxRate', apiErrors, {
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description:
        'More than 1% of API requests (at least 20 in 5 minutes) ended in 5xx in 2 of the last 3 periods: ' +
        'function crashes or timeouts, or DynamoDB unavailable (503). Readers get stale or error responses.',
    });

    for (const [name, fn] of Object.entries(props.functions) as [FunctionName, IFunction][]) {
      const title = name.charAt(0).toUpperCase() + name.slice(1);
      const timeout = `${(props.timeouts[name] ?? Duration.seconds(3)).toSeconds()} s`;
      const meaning =
        name === 'notify'
          ? 'It reports failed pings to its queue rather than failing, so any count here is a stream batch or ' +
            'sweep that could not read the table or queue its pings (retried, then dead-lettered), or a bug'
          : 'Handlers map every expected error to an HTTP reply, so any count here is a bug or an outage';
      this.add(`${title}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), {
        threshold: 1,
        description: `The ${name} function failed an invocation (uncaught error or its ${timeout} timeout). ${meaning}; see its log group.`,
      });
      this.add(`${title}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), {
        threshold: 1,
        description: `The ${name} function was throttled: the account's Lambda concurrency limit was reached.`,
      });
    }

    const operations = [...TABLE_OPERATIONS];
    this.add(
      'TableThrottles',
      props.table.metricThrottledRequestsForOperations({
        operations,
        period: FIVE_MINUTES,
        statistic: 'Sum',
      }),
      {
        threshold: 1,
        description:
          'DynamoDB throttled requests on the table (on-demand table or account limits, or a hot partition). ' +
          'The store answers 503 with Retry-After; sustained throttling means readers and the CMS see errors.',
      },
    );
    this.add(
      'TableSystemErrors',
      props.table.metricSystemErrorsForOperations({ operations, period: FIVE_MINUTES, statistic: 'Sum' }),
      {
        threshold: 1,
        description: 'DynamoDB answered with 500 (service-side errors). Check the AWS Health Dashboard.',
      },
    );
    this.add('TableUserErrors', props.table.metricUserErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), {
      threshold: 10,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      description:
        'DynamoDB rejected 10+ requests as invalid (HTTP 400) in each of two 5-minute periods. Counted for the ' +
        'whole account and region, so another application can trigger it; for Newswire it means a code bug ' +
        '(malformed request or missing permission).',
    });
  }

  /** Adds an alarm of this stack; it notifies the topic on alarm and on recovery. */
  add(
    id: string,
    metric: IMetric,
    options: {
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ): Alarm {
    const alarm = notifyingAlarm(this, id, this.topic, this.prefix, { metric, ...options });
    this.alarms.push(alarm);
    return alarm;
  }
}
