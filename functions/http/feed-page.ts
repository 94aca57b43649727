import type { SiteConfig } from '../core/config.ts';
import { MethodNotAllowedError, NotFoundError } from '../core/errors.ts';
import { type PrivateCopy, planFeedPage } from '../core/feed-pages.ts';
import { checkPartnerFeed } from '../core/partner-feeds.ts';
import { partnerOfFile } from '../core/partners.ts';
import type { ReadDeps } from '../core/ports.ts';
import { type FeedScope, scopeEdition, scopeOfPath } from '../core/scopes.ts';
import { type FeedOutput, feedContentType, formatOfFile, isPartner } from '../core/urls.ts';
import { plannedResponse } from './conditional.ts';
import type { RequestContext } from './handler.ts';
import { log } from './log.ts';
import { method, pathSegments, query } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** A feed a path names: its scope's folder and its output. */
export interface FeedFile {
  folder: string[];
  format: FeedOutput;
}

/**
 * The feed a path names — `{folder}/rss.xml` (atom.xml, feed.json), or a
 * partner's `{folder}/partners/{partner}.xml` — if any.
 */
function feedOfPath(segments: readonly string[]): FeedFile | undefined {
  const file = segments.at(-1) ?? '';
  // `/partners/rss.xml` is an edition's feed file, as its route says, not a partner folder without an edition.
  const partner = segments.length > 2 && segments.at(-2) === 'partners';
  const format = partner ? partnerOfFile(file) : formatOfFile(file);
  const folder = segments.slice(0, partner ? -2 : -1);
  return format === undefined || folder.length < 1 || folder.length > 2 ? undefined : { folder, format };
}

/** The feed a path names; 404 for a path that is no feed file, 405 for a method other than GET or HEAD. */
export function feedFile(event: HttpEvent, feedPath: string): FeedFile {
  const segments = pathSegments(feedPath);
  const feed = segments === undefined ? undefined : feedOfPath(segments);
  if (feed === undefined) {
    throw new NotFoundError('No such feed; feeds are /{edition}/rss.xml, atom.xml or feed.json');
  }
  if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
  return feed;
}

/** The headers a feed's answer carries, 200 and 304 alike, beside its validators and type. */
export type FeedHeaders = (
  config: SiteConfig,
  scope: FeedScope,
  format: FeedOutput,
  cursor: string | undefined,
) => Record<string, string>;

/**
 * One page of the feed at `feedPath` (a format's or an enabled partner's), public or (with
 * `copy`) a subscriber's private copy of it, whose links carry the subscriber's token;
 * `headers` says how it may be cached.
 */
export async function serveFeedPage(
  event: HttpEvent,
  request: RequestContext,
  d: ReadDeps,
  feedPath: string,
  headers: FeedHeaders,
  copy?: PrivateCopy,
): Promise<HttpResult> {
  const { folder, format } = feedFile(event, feedPath);
  const scope = scopeOfPath(d.config, folder);
  if (isPartner(format)) checkPartnerFeed(d.config, scope, format);
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
    feedContentType(format),
    // The same headers on a 200 and a 304: a hub revalidating learns the hub and self links too.
    headers(d.config, scope, format, cursor),
  );
}
