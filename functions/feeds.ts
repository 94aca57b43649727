import { MethodNotAllowedError, NotFoundError } from './core/errors.ts';
import { planFeedPage } from './core/feed-pages.ts';
import type { ReadDeps } from './core/ports.ts';
import { scopeEdition, scopeOfPath } from './core/scopes.ts';
import { FEED_CONTENT_TYPES, type FeedFormat, formatOfFile } from './core/urls.ts';
import { websubLinks } from './core/websub.ts';
import { readDeps } from './deps.ts';
import { FEED_CACHE, plannedResponse } from './http/conditional.ts';
import { cacheableRead, httpHandler } from './http/handler.ts';
import { log } from './http/log.ts';
import { method, path, pathSegments, query } from './http/request.ts';
import { forRequest } from './http/site.ts';
import type { HttpEvent, HttpHandler } from './http/types.ts';
import { REQUEST_STORE_BUDGET_MS, withStoreDeadline } from './store/deadline.ts';

/** The folder segments and format a feed request names; 404 for a path that is no feed file, 405 for a method other than GET or HEAD. */
function feedFile(event: HttpEvent): { segments: string[]; format: FeedFormat } {
  const segments = pathSegments(path(event));
  const format = formatOfFile(segments?.at(-1) ?? '');
  if (segments === undefined || format === undefined || segments.length < 2 || segments.length > 3) {
    throw new NotFoundError('No such feed; feeds are /{edition}/rss.xml, atom.xml or feed.json');
  }
  if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
  return { segments, format };
}

/**
 * The feeds: `{folder}/rss.xml`, `atom.xml` and `feed.json` for an edition,
 * a section, an edition's Top Stories, a writer or a topic. With a WebSub
 * hub configured, every answer carries `Link` headers naming the hub and the
 * feed itself.
 */
export function createFeedsHandler(deps: () => ReadDeps): HttpHandler {
  return httpHandler(
    'feeds',
    cacheableRead((event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, async () => {
        const { segments, format } = feedFile(event);
        const d = forRequest(event, deps());
        const scope = scopeOfPath(d.config, segments.slice(0, -1));
        const cursor = query(event, 'after');
        const plan = await planFeedPage(d, scope, format, cursor, (message, context) =>
          log('warn', message, context),
        );
        log('debug', 'Feed ETag planned', { etag: plan.etag, etagInputs: plan.etagInputs });
        const links = websubLinks(d.config, scope, format, cursor);
        request.feed(format, scopeEdition(scope) ?? scope.kind);
        // Only a 200 renders: the render time covers fetching the articles and rendering them.
        return plannedResponse(
          event,
          { ...plan, render: () => request.render(plan.render) },
          FEED_CONTENT_TYPES[format],
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
