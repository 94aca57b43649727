import type { SiteConfig } from '../core/config.ts';
import { MethodNotAllowedError, NotFoundError } from '../core/errors.ts';
import { type PrivateCopy, planFeedPage } from '../core/feed-pages.ts';
import type { ReadDeps } from '../core/ports.ts';
import { type FeedScope, scopeEdition, scopeOfPath } from '../core/scopes.ts';
import { FEED_CONTENT_TYPES, type FeedFormat, formatOfFile } from '../core/urls.ts';
import { plannedResponse } from './conditional.ts';
import type { RequestContext } from './handler.ts';
import { log } from './log.ts';
import { method, pathSegments, query } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** The folder segments and format a feed path names; 404 for a path that is no feed file, 405 for a method other than GET or HEAD. */
export function feedFile(event: HttpEvent, feedPath: string): { segments: string[]; format: FeedFormat } {
  const segments = pathSegments(feedPath);
  const format = formatOfFile(segments?.at(-1) ?? '');
  if (segments === undefined || format === undefined || segments.length < 2 || segments.length > 3) {
    throw new NotFoundError('No such feed; feeds are /{edition}/rss.xml, atom.xml or feed.json');
  }
  if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
  return { segments, format };
}

/** The headers a feed's answer carries, 200 and 304 alike, beside its validators and type. */
export type FeedHeaders = (
  config: SiteConfig,
  scope: FeedScope,
  format: FeedFormat,
  cursor: string | undefined,
) => Record<string, string>;

/**
 * One page of the feed at `feedPath`, public or (with `copy`) a subscriber's private copy
 * of it, whose links carry the subscriber's token; `headers` says how it may be cached.
 */
export async function serveFeedPage(
  event: HttpEvent,
  request: RequestContext,
  d: ReadDeps,
  feedPath: string,
  headers: FeedHeaders,
  copy?: PrivateCopy,
): Promise<HttpResult> {
  const { segments, format } = feedFile(event, feedPath);
  const scope = scopeOfPath(d.config, segments.slice(0, -1));
  const cursor = query(event, 'after');
  const plan = await planFeedPage(
    d,
    scope,
    format,
    cursor,
    (message, context) => log('warn', message, context),
    copy,
  );
  log('debug', 'Feed ETag planned', { etag: plan.etag, etagInputs: plan.etagInputs });
  request.feed(format, scopeEdition(scope) ?? scope.kind);
  // Only a 200 renders: the render time covers fetching the articles and rendering them.
  return plannedResponse(
    event,
    { ...plan, render: () => request.render(plan.render) },
    FEED_CONTENT_TYPES[format],
    headers(d.config, scope, format, cursor),
  );
}
