/**
 * Names of Newswire's own CloudWatch metrics, shared by the handlers that emit
 * them (as EMF, through Powertools Metrics) and the dashboard that graphs them.
 * Every metric has the dimension `service` (articles, feeds, pages or notify).
 */

/** CloudWatch namespace of every Newswire metric. */
export const METRICS_NAMESPACE = 'Newswire';

/** Metric names. */
export const METRIC = {
  /** Feed responses (200 and 304), by `format` and, separately, by `edition`. */
  feedsServed: 'FeedsServed',
  /** HTML page and OPML responses (200 and 304). */
  pagesServed: 'PagesServed',
  /** 304 Not Modified answers among the above: feeds by `format`, pages by `service` alone. */
  notModified: 'NotModified',
  /** Milliseconds to read and render a feed (by `format`) or page (the store query included). */
  renderTime: 'RenderTime',
  /** Article versions written, by `articleStatus` (published, scheduled, withdrawn). */
  articlesWritten: 'ArticlesWritten',
  /** Problem responses (4xx and 5xx), by `reason`: the problem type, e.g. `invalid-request`. */
  refusals: 'Refusals',
  /** Feed URLs a WebSub hub accepted a publish ping for (service `notify`). */
  hubPings: 'HubPings',
  /** Feed URLs whose publish ping failed and will be retried (service `notify`). */
  hubPingFailures: 'HubPingFailures',
  /** Estimated subscriptions per `edition` (and `authors`, `topics`) for the day so far (service `subscribers`). */
  subscribers: 'Subscribers',
} as const;

/** Dimension names. */
export const DIMENSION = {
  service: 'service',
  format: 'format',
  edition: 'edition',
  articleStatus: 'articleStatus',
  reason: 'reason',
} as const;
