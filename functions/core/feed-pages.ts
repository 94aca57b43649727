import { ARTICLE_ID } from './article.ts';
import type { ArticleServiceDeps } from './articles.ts';
import { checkScope, type FeedScope } from './editions.ts';
import { ValidationError } from './errors.ts';
import { type BadItemLogger, type RenderedFeed, renderFeed } from './feeds/render.ts';
import type { FeedPosition } from './ports.ts';
import type { FeedFormat } from './urls.ts';

/** Encodes a feed position as the opaque `after` cursor of RFC 5005 paging. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.publishedAt}|${position.id}`, 'utf8').toString('base64url');
}

/** Decodes an `after` cursor; a malformed one is a 400. */
export function decodeCursor(cursor: string): FeedPosition {
  const [publishedAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (
    rest.length > 0 ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(publishedAt) ||
    !ARTICLE_ID.test(id)
  ) {
    throw new ValidationError([{ field: 'after', message: 'is not a cursor this feed issued' }]);
  }
  return { publishedAt, id };
}

/** Reads and renders one page of a feed: one store query, newest first, published items only. */
export async function readFeedPage(
  deps: ArticleServiceDeps,
  scope: FeedScope,
  format: FeedFormat,
  cursor: string | undefined,
  log?: BadItemLogger,
): Promise<RenderedFeed> {
  checkScope(deps.config, scope);
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const page = await deps.store.readFeed(scope, {
    now: deps.clock(),
    limit: deps.config.pageSize,
    ...(after !== undefined && { after }),
  });
  return renderFeed({
    config: deps.config,
    scope,
    format,
    articles: page.articles,
    cursor,
    nextCursor: page.last === undefined ? undefined : encodeCursor(page.last),
    ...(log !== undefined && { log }),
  });
}
