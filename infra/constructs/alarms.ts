import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { FunctionName } from './functions.ts';

/** The DynamoDB operations the store issues; throttles and system errors are summed over them. */
export const TABLE_OPERATIONS: readonly Operation[] = [
  Operation.GET_ITEM,
  Operation.QUERY,
  Operation.SCAN,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

const FIVE_MINUTES = Duration.minutes(5);

/** Inputs of the alarms construct. */
export interface NewswireAlarmsProps {
  readonly httpApi: HttpApi;
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly table: Table;
  readonly alarmEmail?: string;
}

/** Alarms meaning "readers or the newsroom are affected now", each notifying one SNS topic on alarm and recovery. */
export class NewswireAlarms extends Construct {
  /** The topic every alarm notifies. */
  readonly topic: Topic;
  /** Every alarm, for the dashboard. */
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: NewswireAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Newswire alarms', enforceSSL: true });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

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
      this.add(`${title}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), {
        threshold: 1,
        description:
          `The ${name} function failed an invocation (uncaught error or 10 s timeout). Handlers map every ` +
          'expected error to an HTTP reply, so any count here is a bug or an outage; see its log group.',
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

  private add(
    id: string,
    metric: IMetric,
    options: {
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
