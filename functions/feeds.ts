import { MethodNotAllowedError, NotFoundError } from './core/errors.ts';
import { planFeedPage } from './core/feed-pages.ts';
import { checkPartnerFeed } from './core/partner-feeds.ts';
import { partnerOfFile } from './core/partners.ts';
import type { ReadDeps } from './core/ports.ts';
import { scopeEdition, scopeOfPath } from './core/scopes.ts';
import { type FeedOutput, feedContentType, formatOfFile, isPartner } from './core/urls.ts';
import { websubLinks } from './core/websub.ts';
import { readDeps } from './deps.ts';
import { FEED_CACHE, plannedResponse } from './http/conditional.ts';
import { cacheableRead, httpHandler } from './http/handler.ts';
import { log } from './http/log.ts';
import { method, path, pathSegments, query } from './http/request.ts';
import { forRequest } from './http/site.ts';
import type { HttpEvent, HttpHandler } from './http/types.ts';
import { REQUEST_STORE_BUDGET_MS, withStoreDeadline } from './store/deadline.ts';

/** A feed a path names: its scope's folder and its output. */
interface FeedFile {
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

/** The feed a request names; 404 for a path that is no feed file, 405 for a method other than GET or HEAD. */
function feedFile(event: HttpEvent): FeedFile {
  const segments = pathSegments(path(event));
  const feed = segments === undefined ? undefined : feedOfPath(segments);
  if (feed === undefined) {
    throw new NotFoundError('No such feed; feeds are /{edition}/rss.xml, atom.xml or feed.json');
  }
  if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
  return feed;
}

/**
 * The feeds: `{folder}/rss.xml`, `atom.xml` and `feed.json` for an edition,
 * a section, an edition's Top Stories, a writer or a topic, and each enabled
 * partner's `{folder}/partners/{partner}.xml` for an edition or section. With
 * a WebSub hub configured, every general feed's answer carries `Link`
 * headers naming the hub and the feed itself.
 */
export function createFeedsHandler(deps: () => ReadDeps): HttpHandler {
  return httpHandler(
    'feeds',
    cacheableRead((event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, async () => {
        const { folder, format } = feedFile(event);
        const d = forRequest(event, deps());
        const scope = scopeOfPath(d.config, folder);
        if (isPartner(format)) checkPartnerFeed(d.config, scope, format);
        const cursor = query(event, 'after');
        const plan = await planFeedPage(d, scope, format, cursor, (message, context) =>
          log('warn', message, context),
        );
        log('debug', 'Feed ETag planned', { etag: plan.etag, etagInputs: plan.etagInputs });
        // Partner feeds name no hub: the notifier pings the general formats' URLs only.
        const links = isPartner(format) ? undefined : websubLinks(d.config, scope, format, cursor);
        request.feed(format, scopeEdition(scope) ?? scope.kind);
        // Only a 200 renders: the render time covers fetching the articles and rendering them.
        return plannedResponse(
          event,
          { ...plan, render: () => request.render(plan.render) },
          feedContentType(format),
          // The same headers on a 200 and a 304: a hub revalidating learns the hub and self links too.
          { 'cache-control': FEED_CACHE, ...(links !== undefined && { link: links }) },
        );
      }),
    ),
    // Feeds take no body: a path that names no feed, or a method other than GET and HEAD, is refused from the head.
    async (event) => {
      feedFile(event);
      return 0;
    },
  );
}

/** Lambda entry point. */
export const handler = createFeedsHandler(readDeps);
