import type { ArticleServiceDeps } from './core/articles.ts';
import { MethodNotAllowedError, NotFoundError } from './core/errors.ts';
import { readFeedPage } from './core/feed-pages.ts';
import { FEED_CONTENT_TYPES, formatOfFile } from './core/urls.ts';
import { defaultDeps } from './deps.ts';
import { cacheableResponse } from './http/conditional.ts';
import { httpHandler } from './http/handler.ts';
import { log } from './http/log.ts';
import { method, path, query } from './http/request.ts';
import type { HttpHandler } from './http/types.ts';

const FEED_PATH = /^\/([^/]+)\/(?:([^/]+)\/)?([^/]+)$/;

/** The feeds: /{edition}/{file} and /{edition}/{section}/{file} for rss.xml, atom.xml and feed.json. */
export function createFeedsHandler(deps: () => ArticleServiceDeps): HttpHandler {
  return httpHandler('feeds', async (event, request) => {
    const match = FEED_PATH.exec(path(event));
    const format = formatOfFile(match?.[3] ?? '');
    if (match === null || format === undefined) {
      throw new NotFoundError('No such feed; feeds are /{edition}/rss.xml, atom.xml or feed.json');
    }
    if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
    const [, edition = '', section] = match;
    const feed = await request.render(() =>
      readFeedPage(
        deps(),
        { edition, ...(section !== undefined && { section }) },
        format,
        query(event, 'after'),
        (message, context) => log('warn', message, context),
      ),
    );
    request.feed(format, edition);
    return cacheableResponse(event, feed.body, FEED_CONTENT_TYPES[format], feed.updated);
  });
}

/** Lambda entry point. */
export const handler = createFeedsHandler(defaultDeps);
