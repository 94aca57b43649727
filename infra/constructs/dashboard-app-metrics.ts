import { Duration } from 'aws-cdk-lib';
import { GraphWidget, type IWidget, MathExpression, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { DIMENSION, METRIC, METRICS_NAMESPACE } from '../../functions/http/metric-names.ts';

const PERIOD = Duration.minutes(5);
const SECONDS = PERIOD.toSeconds();
const HEIGHT = 6;
/** The subscriber estimate is daily: each day's Maximum is its figure (it only grows through the day). */
const DAY_SECONDS = 86_400;

/** Every series of a metric, one line per value of `dimension` (and per function). */
function search(metric: string, dimension: string, statistic: string): string {
  return `SEARCH('{${METRICS_NAMESPACE},${DIMENSION.service},${dimension}} MetricName="${metric}"', '${statistic}', ${SECONDS})`;
}

/** A dynamic label: the value of a dimension of each series a SEARCH finds. */
function byDimension(...dimensions: string[]): string {
  return dimensions.map((d) => `\${PROP('Dim.${d}')}`).join(' ');
}

/** A metric math expression. */
function expression(text: string, label?: string, usingMetrics: Record<string, Metric> = {}): MathExpression {
  return new MathExpression({
    expression: text,
    usingMetrics,
    period: PERIOD,
    ...(label !== undefined && { label }),
  });
}

function pagesMetric(metric: string, statistic: string, label: string, service = 'pages'): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: metric,
    dimensionsMap: { [DIMENSION.service]: service },
    statistic,
    label,
    period: PERIOD,
  });
}

/**
 * The dashboard rows for Newswire's own metrics (EMF from the functions, see
 * functions/http/metric-names.ts): what readers fetch, how often a cache
 * revalidation saves a render, how long rendering takes, what is written,
 * what is refused, and the WebSub pings.
 */
export function applicationMetricRows(): IWidget[][] {
  const graph = (title: string, left: (Metric | MathExpression)[], width = 8) =>
    new GraphWidget({ title, left, width, height: HEIGHT, period: PERIOD });
  return [
    [
      new TextWidget({
        markdown:
          '## Newswire application metrics\nEMF records from the functions (namespace `Newswire`). ' +
          'Counts are origin requests: CloudFront hits never reach the functions.',
        width: 24,
        height: 2,
      }),
    ],
    [
      graph('Feeds served by format', [
        expression(search(METRIC.feedsServed, DIMENSION.format, 'Sum'), byDimension(DIMENSION.format)),
      ]),
      graph('Feeds served by edition', [
        expression(search(METRIC.feedsServed, DIMENSION.edition, 'Sum'), byDimension(DIMENSION.edition)),
      ]),
      graph('304 Not Modified (% of responses)', [
        expression(
          `100 * SUM(${search(METRIC.notModified, DIMENSION.format, 'Sum')}) / SUM(${search(METRIC.feedsServed, DIMENSION.format, 'Sum')})`,
          'feeds',
        ),
        expression('100 * notModified / served', 'pages', {
          notModified: pagesMetric(METRIC.notModified, 'Sum', 'pages 304'),
          served: pagesMetric(METRIC.pagesServed, 'Sum', 'pages served'),
        }),
      ]),
    ],
    [
      graph('Render time p99 (ms, store read included)', [
        expression(search(METRIC.renderTime, DIMENSION.format, 'p99'), byDimension(DIMENSION.format)),
        pagesMetric(METRIC.renderTime, 'p99', 'pages'),
      ]),
      graph('Articles written by status', [
        expression(
          search(METRIC.articlesWritten, DIMENSION.articleStatus, 'Sum'),
          byDimension(DIMENSION.articleStatus),
        ),
      ]),
      graph('Refusals by reason (problem type)', [
        expression(
          search(METRIC.refusals, DIMENSION.reason, 'Sum'),
          byDimension(DIMENSION.service, DIMENSION.reason),
        ),
      ]),
    ],
    [
      new GraphWidget({
        title: 'Subscribers per edition (daily estimate from CloudFront logs; needs accessLogs=true)',
        left: [
          new MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},${DIMENSION.service},${DIMENSION.edition}} MetricName="${METRIC.subscribers}"', 'Maximum', ${DAY_SECONDS})`,
            usingMetrics: {},
            period: Duration.days(1),
            label: byDimension(DIMENSION.edition),
          }),
        ],
        width: 24,
        height: HEIGHT,
        period: Duration.days(1),
        liveData: true,
      }),
    ],
    [
      graph(
        'WebSub pings (feed URLs)',
        [
          pagesMetric(METRIC.hubPings, 'Sum', 'accepted by the hub', 'notify'),
          pagesMetric(METRIC.hubPingFailures, 'Sum', 'failed (retried)', 'notify'),
        ],
        24,
      ),
    ],
  ];
}
