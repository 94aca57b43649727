import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { cloudFrontMetric, TABLE_OPERATIONS } from './alarms.ts';
import { applicationMetricRows } from './dashboard-app-metrics.ts';
import type { FunctionName } from './functions.ts';

/** Inputs of the dashboard construct. */
export interface NewswireDashboardProps {
  readonly distribution: Distribution;
  readonly httpApi: HttpApi;
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly table: ITable;
  readonly alarms: readonly Alarm[];
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/** One CloudWatch dashboard, top to bottom: alarms, CDN, API, functions, table. */
export class NewswireDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: NewswireDashboardProps) {
    super(scope, id);
    const { distribution: cdn, httpApi: api, table } = props;
    const functions = Object.entries(props.functions) as [FunctionName, IFunction][];
    const perFunction = (metric: (fn: IFunction, name: FunctionName) => IMetric): IMetric[] =>
      functions.map(([name, fn]) => metric(fn, name));
    const graph = (title: string, left: IMetric[], right: IMetric[] = [], width = WIDTH) =>
      new GraphWidget({ title, left, right, width, height: HEIGHT, period: PERIOD });

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Newswire\nReads are served by CloudFront; misses go to the HTTP API and the feeds/pages functions. ' +
          'Writes (`/api/*`) are never cached. CloudFront metrics are read from us-east-1 (Region=Global), ' +
          'wherever the stack runs.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 3 }),
    );
    // Distribution.metric*() carry neither the region nor Region=Global (aws/aws-cdk#19245),
    // so their graphs stay empty outside us-east-1; these name both.
    const edge = (name: string, statistic: string, label: string) =>
      cloudFrontMetric(cdn.distributionId, name, { statistic, label, period: PERIOD });
    this.dashboard.addWidgets(
      graph('CloudFront requests', [edge('Requests', 'Sum', 'Requests')]),
      graph('CloudFront error rate (%)', [
        edge('4xxErrorRate', 'Average', '4xx'),
        edge('5xxErrorRate', 'Average', '5xx'),
      ]),
      graph('CloudFront bytes downloaded', [edge('BytesDownloaded', 'Sum', 'Bytes')]),
    );
    this.dashboard.addWidgets(
      graph(
        'API requests and errors (origin = cache misses + writes)',
        [api.metricCount({ statistic: 'Sum', label: 'Requests' })],
        [
          api.metricClientError({ statistic: 'Sum', label: '4xx' }),
          api.metricServerError({ statistic: 'Sum', label: '5xx' }),
        ],
      ),
      graph('API latency (ms)', [
        api.metricLatency({ statistic: 'p50', label: 'p50' }),
        api.metricLatency({ statistic: 'p99', label: 'p99' }),
        api.metricIntegrationLatency({ statistic: 'p99', label: 'integration p99' }),
      ]),
      graph(
        'Function invocations',
        perFunction((fn, name) => fn.metricInvocations({ statistic: 'Sum', label: name })),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Function duration p99 (ms)',
        perFunction((fn, name) => fn.metricDuration({ statistic: 'p99', label: name })),
      ),
      graph('Function errors and throttles', [
        ...perFunction((fn, name) => fn.metricErrors({ statistic: 'Sum', label: `${name} errors` })),
        ...perFunction((fn, name) => fn.metricThrottles({ statistic: 'Sum', label: `${name} throttles` })),
      ]),
      graph(
        'Function concurrent executions',
        perFunction((fn, name) => fn.metric('ConcurrentExecutions', { statistic: 'Maximum', label: name })),
      ),
    );
    const operations = [...TABLE_OPERATIONS];
    const latency = (operation: string) =>
      table.metricSuccessfulRequestLatency({ dimensionsMap: dimensions(table, operation), label: operation });
    this.dashboard.addWidgets(
      graph(
        'DynamoDB capacity consumed',
        [
          table.metricConsumedReadCapacityUnits({ statistic: 'Sum', label: 'RCU' }),
          table.metricConsumedWriteCapacityUnits({ statistic: 'Sum', label: 'WCU' }),
        ],
        [],
        6,
      ),
      graph('DynamoDB latency (ms)', ['Query', 'GetItem', 'TransactWriteItems'].map(latency), [], 6),
      // Two graphs: the per-operation throttle and error expressions reuse the same metric ids.
      graph(
        'DynamoDB throttled requests',
        [table.metricThrottledRequestsForOperations({ operations, label: 'throttled' })],
        [],
        6,
      ),
      graph(
        'DynamoDB errors',
        [
          table.metricSystemErrorsForOperations({ operations, label: 'system errors' }),
          table.metricUserErrors({ label: 'user errors (account-wide)' }),
          table.metricConditionalCheckFailedRequests({ label: 'conditional check failed' }),
        ],
        [],
        6,
      ),
    );
    for (const row of applicationMetricRows()) this.dashboard.addWidgets(...row);
  }
}

function dimensions(table: ITable, operation: string): Record<string, string> {
  return { TableName: table.tableName, Operation: operation };
}
