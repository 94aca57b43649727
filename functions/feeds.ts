import { publicDeps } from './core/access.ts';
import { MethodNotAllowedError, NotFoundError } from './core/errors.ts';
import { type PrivateCopy, planFeedPage } from './core/feed-pages.ts';
import type { PrivateFeedStore, ReadDeps, SaltStore } from './core/ports.ts';
import { FetchNotes, WrongTokenLimiter } from './core/private-feeds.ts';
import { scopeEdition, scopeOfPath } from './core/scopes.ts';
import { unknownPrivateFeed, verifySubscriberToken } from './core/subscriber-tokens.ts';
import {
  FEED_CONTENT_TYPES,
  type FeedFormat,
  formatOfFile,
  privateFeedBase,
  splitPrivatePath,
} from './core/urls.ts';
import { websubLinks } from './core/websub.ts';
import { privateFeedStore, readDeps, saltStore } from './deps.ts';
import { FEED_CACHE, PRIVATE_FEED_CACHE, plannedResponse } from './http/conditional.ts';
import { httpHandler, type RequestContext } from './http/handler.ts';
import { log } from './http/log.ts';
import { clientIdentity, method, path, pathSegments, query } from './http/request.ts';
import { forRequest } from './http/site.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './http/types.ts';
import { REQUEST_STORE_BUDGET_MS, withStoreDeadline } from './store/deadline.ts';

/** The folder segments and format a feed path names; 404 for a path that is no feed file, 405 for a method other than GET or HEAD. */
function feedFile(event: HttpEvent, feedPath: string): { segments: string[]; format: FeedFormat } {
  const segments = pathSegments(feedPath);
  const format = formatOfFile(segments?.at(-1) ?? '');
  if (segments === undefined || format === undefined || segments.length < 2 || segments.length > 3) {
    throw new NotFoundError('No such feed; feeds are /{edition}/rss.xml, atom.xml or feed.json');
  }
  if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
  return { segments, format };
}

/** What serving subscribers' private feeds takes besides the read dependencies. */
export interface PrivateFeedDeps {
  store: () => PrivateFeedStore;
  salts: () => SaltStore;
}

/** One feed page, public or a subscriber's private copy. */
async function feedPage(
  event: HttpEvent,
  request: RequestContext,
  d: ReadDeps,
  feedPath: string,
  copy: PrivateCopy | undefined,
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
  // A private copy names no hub: nothing pings for it, and its address is its subscriber's secret.
  const links = copy === undefined ? websubLinks(d.config, scope, format, cursor) : undefined;
  request.feed(format, scopeEdition(scope) ?? scope.kind);
  // Only a 200 renders: the render time covers fetching the articles and rendering them.
  return plannedResponse(
    event,
    { ...plan, render: () => request.render(plan.render) },
    FEED_CONTENT_TYPES[format],
    // The same headers on a 200 and a 304: a hub revalidating learns the hub and self links too.
    copy === undefined
      ? { 'cache-control': FEED_CACHE, ...(links !== undefined && { link: links }) }
      : { 'cache-control': PRIVATE_FEED_CACHE, 'x-robots-tag': 'noindex' },
  );
}

/**
 * The feeds: `{folder}/rss.xml`, `atom.xml` and `feed.json` for an edition,
 * a section, an edition's Top Stories, a writer or a topic, showing premium
 * stories as teasers. With a WebSub hub configured, every answer carries
 * `Link` headers naming the hub and the feed itself.
 *
 * `/private/{token}/…`: a subscriber's copy of any of them, premium stories
 * in full, its links under the same token; an unknown, wrong or revoked
 * token gets one answer (404), and a client that sends too many wrong
 * tokens is refused (429) for a while.
 */
export function createFeedsHandler(
  deps: () => ReadDeps,
  privateFeeds: PrivateFeedDeps = { store: privateFeedStore, salts: saltStore },
): HttpHandler {
  const limiter = new WrongTokenLimiter();
  const notes = new FetchNotes(privateFeeds.store, privateFeeds.salts);
  return httpHandler(
    'feeds',
    (event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, async () => {
        const requested = path(event);
        const found = splitPrivatePath(requested);
        if (found === undefined) {
          // Public feeds show what the public may see: premium stories as teasers.
          return feedPage(event, request, publicDeps(forRequest(event, deps())), requested, undefined);
        }
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
        const result = await feedPage(event, request, d, found.feedPath, copy);
        // Bookkeeping never fails a subscriber's fetch.
        await notes
          .note(subscriber.subscriberId, identity, d.clock())
          .catch((error: unknown) =>
            log('warn', 'Could not note a private feed fetch', { reason: (error as Error).name }),
          );
        return result;
      }),
    // Feeds take no body: a path that names no feed, or a method other than GET and HEAD, is refused from the head.
    async (event) => {
      const requested = path(event);
      feedFile(event, splitPrivatePath(requested)?.feedPath ?? requested);
      return 0;
    },
  );
}

/** Lambda entry point. */
export const handler = createFeedsHandler(readDeps);
