import type { PrivateFeedStore, ReadDeps, SaltStore } from './core/ports.ts';
import { FetchNotes, WrongTokenLimiter } from './core/private-feeds.ts';
import { unknownPrivateFeed, verifySubscriberToken } from './core/subscriber-tokens.ts';
import { privateFeedBase, splitPrivatePath } from './core/urls.ts';
import { privateFeedStore, readDeps, saltStore } from './deps.ts';
import { PRIVATE_FEED_CACHE } from './http/conditional.ts';
import { type FeedHeaders, feedFile, serveFeedPage } from './http/feed-page.ts';
import { httpHandler } from './http/handler.ts';
import { log } from './http/log.ts';
import { clientIdentity, path } from './http/request.ts';
import { forRequest } from './http/site.ts';
import type { HttpEvent, HttpHandler } from './http/types.ts';
import { REQUEST_STORE_BUDGET_MS, withStoreDeadline } from './store/deadline.ts';

/** What serving subscribers' private feeds takes besides the read dependencies. */
export interface PrivateFeedDeps {
  store: () => PrivateFeedStore;
  salts: () => SaltStore;
}

/**
 * A private feed's headers: only the subscriber's own reader may keep it, revalidating every
 * time; search engines may not index it; and it names no hub (nothing pings for it, and its
 * address is its subscriber's secret).
 */
const privateHeaders: FeedHeaders = () => ({
  'cache-control': PRIVATE_FEED_CACHE,
  'x-robots-tag': 'noindex',
});

/** The token and the public feed path a private feed's path names; 404 for any other path. */
function privatePath(event: HttpEvent): { token: string; feedPath: string } {
  const found = splitPrivatePath(path(event));
  if (found === undefined) throw unknownPrivateFeed();
  return found;
}

/**
 * Subscribers' private feeds, `/private/{token}/…`: a copy of any feed, premium
 * stories in full, its links under the same token. An unknown, wrong or revoked
 * token gets one answer (404), and a client that sends too many wrong tokens is
 * refused (429) for a while. Each fetch is noted on the token's listing (time,
 * and the client as a daily-salted hash), at most once a minute per client.
 */
export function createPrivateFeedsHandler(
  deps: () => ReadDeps,
  privateFeeds: PrivateFeedDeps = { store: privateFeedStore, salts: saltStore },
): HttpHandler {
  const limiter = new WrongTokenLimiter();
  const notes = new FetchNotes(privateFeeds.store, privateFeeds.salts);
  return httpHandler(
    'private',
    (event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, async () => {
        const found = privatePath(event);
        const d = forRequest(event, deps());
        const identity = clientIdentity(event);
        limiter.check(identity, d.clock());
        const subscriber = await verifySubscriberToken(
          (id) => privateFeeds.store().getSubscriber(id),
          found.token,
        );
        if (subscriber === undefined) {
          limiter.failed(identity, d.clock());
          throw unknownPrivateFeed();
        }
        const copy = {
          feedBase: privateFeedBase(d.config.baseUrl, found.token),
          subscriberId: subscriber.subscriberId,
        };
        const result = await serveFeedPage(event, request, d, found.feedPath, privateHeaders, copy);
        // Bookkeeping never fails a subscriber's fetch.
        await notes
          .note(subscriber.subscriberId, identity, d.clock())
          .catch((error: unknown) =>
            log('warn', 'Could not note a private feed fetch', { reason: (error as Error).name }),
          );
        return result;
      }),
    // Private feeds take no body: a path that names no feed, or a method other than GET and HEAD, is refused from the head.
    async (event) => {
      feedFile(event, privatePath(event).feedPath);
      return 0;
    },
  );
}

/** Lambda entry point. */
export const handler = createPrivateFeedsHandler(readDeps);
