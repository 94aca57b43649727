import type { Article } from '../article.ts';
import type { SiteConfig } from '../config.ts';
import type { FeedScope } from '../editions.ts';
import type { FeedFormat } from '../urls.ts';
import { renderAtom } from './atom.ts';
import { type FeedChannel, feedChannel } from './channel.ts';
import { type FeedEntry, newestChange, toFeedEntries } from './entry.ts';
import { renderJson } from './json.ts';
import { renderRss } from './rss.ts';
import { xmlError } from './xml.ts';

/** Reports an item that was repaired or left out, so that operators can fix the data. */
export type BadItemLogger = (message: string, context: Record<string, unknown>) => void;

const RENDERERS: Record<FeedFormat, (channel: FeedChannel, entries: FeedEntry[]) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJson,
};

function problemWith(format: FeedFormat, output: string): string | undefined {
  if (format !== 'json') return xmlError(output);
  try {
    JSON.parse(output);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A page of a feed to render. */
export interface FeedRequest {
  config: SiteConfig;
  scope: FeedScope;
  format: FeedFormat;
  articles: Article[];
  cursor?: string | undefined;
  nextCursor?: string | undefined;
  log?: BadItemLogger;
}

/** A rendered feed and the facts HTTP caching needs. */
export interface RenderedFeed {
  body: string;
  /** Newest change among the items (the feed's lastBuildDate / updated). */
  updated: Date;
}

/**
 * Renders one page of a feed. Every stored item is mapped defensively; one
 * that cannot be shown is left out and logged, and the output is verified
 * with a strict parser so a bad item can never take the feed down.
 */
export function renderFeed(request: FeedRequest): RenderedFeed {
  const { config, scope, format, log = () => {} } = request;
  const entries = toFeedEntries(request.articles, config, scope.edition, log);
  const page = { cursor: request.cursor, nextCursor: request.nextCursor };
  const render = (items: FeedEntry[]) =>
    RENDERERS[format](feedChannel(config, scope, format, items, page), items);
  let body = render(entries);
  const problem = problemWith(format, body);
  if (problem !== undefined) {
    // Should not happen; find the items that break the document and leave them out.
    const good = entries.filter((entry) => {
      const broken = problemWith(format, render([entry])) !== undefined;
      if (broken) log('Left an unrenderable item out of a feed', { guid: entry.guid, format, problem });
      return !broken;
    });
    body = render(good);
    const stillBroken = problemWith(format, body);
    if (stillBroken !== undefined) throw new Error(`Feed output is not well-formed: ${stillBroken}`);
    return { body, updated: newestChange(good) };
  }
  return { body, updated: newestChange(entries) };
}
