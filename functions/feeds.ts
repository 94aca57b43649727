import { publicDeps } from './core/access.ts';
import type { ReadDeps } from './core/ports.ts';
import { isPartner } from './core/urls.ts';
import { websubLinks } from './core/websub.ts';
import { readDeps } from './deps.ts';
import { FEED_CACHE } from './http/conditional.ts';
import { type FeedHeaders, feedFile, serveFeedPage } from './http/feed-page.ts';
import { cacheableRead, httpHandler } from './http/handler.ts';
import { path } from './http/request.ts';
import { forRequest } from './http/site.ts';
import type { HttpHandler } from './http/types.ts';
import { REQUEST_STORE_BUDGET_MS, withStoreDeadline } from './store/deadline.ts';

/**
 * A public feed's headers: shared caches may keep it, and a hub, when configured, is named
 * with the feed itself — for the general formats only: the notifier pings their URLs, never
 * a partner's.
 */
const publicHeaders: FeedHeaders = (config, scope, format, cursor) => {
  const links = isPartner(format) ? undefined : websubLinks(config, scope, format, cursor);
  return { 'cache-control': FEED_CACHE, ...(links !== undefined && { link: links }) };
};

/**
 * The feeds: `{folder}/rss.xml`, `atom.xml` and `feed.json` for an edition,
 * a section, an edition's Top Stories, a writer or a topic, and each enabled
 * partner's `{folder}/partners/{partner}.xml` for an edition or section, all
 * showing premium stories as teasers. With a WebSub hub configured, every
 * general feed's answer carries `Link` headers naming the hub and the feed
 * itself.
 */
export function createFeedsHandler(deps: () => ReadDeps): HttpHandler {
  return httpHandler(
    'feeds',
    cacheableRead((event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, () =>
        // Public feeds, partners' included, show what the public may see: premium stories as teasers.
        serveFeedPage(event, request, publicDeps(forRequest(event, deps())), path(event), publicHeaders),
      ),
    ),
    // Feeds take no body: a path that names no feed, or a method other than GET and HEAD, is refused from the head.
    async (event) => {
      feedFile(event, path(event));
      return 0;
    },
  );
}

/** Lambda entry point. */
export const handler = createFeedsHandler(readDeps);
