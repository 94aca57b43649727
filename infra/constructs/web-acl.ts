import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Requests one client address may make in a window before the web ACL refuses it, unless `-c wafRateLimit` says otherwise. */
export const WAF_RATE_LIMIT = 3_000;

/** The rate-based rule's evaluation window: 5 minutes, so the default limit is 10 requests/s sustained. */
export const WAF_WINDOW_SECONDS = 300;

/** AWS WAF's bounds on a rate-based rule's limit (per evaluation window). */
export const WAF_RATE_LIMIT_BOUNDS = { min: 100, max: 2_000_000_000 } as const;

/** What a refused client is told to wait: WAF re-evaluates the rate over the sliding window every few seconds. */
const RETRY_AFTER_SECONDS = 60;

/** The key of the refusal's body among the web ACL's custom response bodies. */
const REFUSAL_BODY = 'rate-limited';

/**
 * A CLOUDFRONT-scope AWS WAF web ACL with one rate-based rule: a client
 * address that sends more than `limit` requests in 5 minutes gets 429 (with
 * Retry-After and a JSON problem body) at the edge, before the cache, until
 * its rate falls back under the limit. Everything else is allowed. Must be
 * created in us-east-1.
 */
export function createRateLimitWebAcl(scope: Construct, id: string, limit: number): CfnWebACL {
  const visibility = (metricName: string) => ({
    cloudWatchMetricsEnabled: true,
    metricName,
    sampledRequestsEnabled: true,
  });
  return new CfnWebACL(scope, id, {
    scope: 'CLOUDFRONT',
    description: `Newswire: at most ${limit} requests per client address in ${WAF_WINDOW_SECONDS / 60} minutes`,
    defaultAction: { allow: {} },
    visibilityConfig: visibility('NewswireWebAcl'),
    customResponseBodies: {
      [REFUSAL_BODY]: {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          detail: `More than ${limit} requests from one address in ${WAF_WINDOW_SECONDS / 60} minutes; slow down and retry after the time in Retry-After`,
        }),
      },
    },
    rules: [
      {
        name: 'RequestsPerClientAddress',
        priority: 0,
        statement: {
          rateBasedStatement: {
            limit,
            aggregateKeyType: 'IP',
            evaluationWindowSec: WAF_WINDOW_SECONDS,
          },
        },
        action: {
          block: {
            customResponse: {
              responseCode: 429,
              customResponseBodyKey: REFUSAL_BODY,
              responseHeaders: [{ name: 'retry-after', value: String(RETRY_AFTER_SECONDS) }],
            },
          },
        },
        visibilityConfig: visibility('NewswireRequestsPerClientAddress'),
      },
    ],
  });
}
