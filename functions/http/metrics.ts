import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DIMENSION, METRIC, METRICS_NAMESPACE } from './metric-names.ts';

/** What one request did, as far as metrics are concerned. */
export interface RequestOutcome {
  /** HTTP status of the response. */
  status: number;
  /** Problem type of a 4xx/5xx response (`invalid-request`, `not-found`, …). */
  problem?: string;
  /** The response was a feed of this format and edition. */
  feed?: { format: string; edition: string };
  /** The response was an HTML page or OPML list. */
  page?: boolean;
  /** An article version was written with this status. */
  written?: string;
  /** Milliseconds spent reading and rendering the document. */
  renderMs?: number;
}

/**
 * A function's metrics recorder: an EMF record for each request that has
 * something to count (two for a feed: by edition, and by format), in the
 * `Newswire` namespace with `service` = the function.
 * POWERTOOLS_METRICS_DISABLED=true (the local runtime and the tests set it) turns it off.
 */
export function requestMetrics(service: string): (outcome: RequestOutcome) => void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  return (outcome) => {
    const served = outcome.status === 200 || outcome.status === 304;
    if (outcome.problem !== undefined) {
      metrics.addDimensions({ [DIMENSION.reason]: outcome.problem });
      metrics.addMetric(METRIC.refusals, MetricUnit.Count, 1);
    } else if (outcome.written !== undefined) {
      metrics.addDimensions({ [DIMENSION.articleStatus]: outcome.written });
      metrics.addMetric(METRIC.articlesWritten, MetricUnit.Count, 1);
    } else if (served && (outcome.feed !== undefined || outcome.page === true)) {
      if (outcome.feed !== undefined) {
        // By edition, only the count: every metric × dimension value is a billed custom metric.
        metrics.addDimensions({ [DIMENSION.edition]: outcome.feed.edition });
        metrics.addMetric(METRIC.feedsServed, MetricUnit.Count, 1);
        metrics.publishStoredMetrics();
        metrics.addDimensions({ [DIMENSION.format]: outcome.feed.format });
      }
      metrics.addMetric(
        outcome.feed === undefined ? METRIC.pagesServed : METRIC.feedsServed,
        MetricUnit.Count,
        1,
      );
      metrics.addMetric(METRIC.notModified, MetricUnit.Count, outcome.status === 304 ? 1 : 0);
      if (outcome.renderMs !== undefined) {
        metrics.addMetric(METRIC.renderTime, MetricUnit.Milliseconds, outcome.renderMs);
      }
    }
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
}

/** Records one round of WebSub pings: feed URLs the hub accepted, and those to retry. */
export function pingMetrics(): (outcome: { pinged: number; failed: number }) => void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'notify' });
  return (outcome) => {
    metrics.addMetric(METRIC.hubPings, MetricUnit.Count, outcome.pinged);
    metrics.addMetric(METRIC.hubPingFailures, MetricUnit.Count, outcome.failed);
    metrics.publishStoredMetrics();
  };
}

/**
 * Records one day's subscriber estimate per edition (and `authors`, `topics`),
 * stamped at `at`: the estimates only grow through a day, so a day's Maximum
 * is its final figure.
 */
export function subscriberMetrics(): (totals: ReadonlyMap<string, number>, at: Date) => void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'subscribers' });
  return (totals, at) => {
    for (const [edition, subscribers] of totals) {
      metrics.setTimestamp(at);
      metrics.addDimensions({ [DIMENSION.edition]: edition });
      metrics.addMetric(METRIC.subscribers, MetricUnit.Count, subscribers);
      metrics.publishStoredMetrics();
    }
  };
}
