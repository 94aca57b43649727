import type { Article } from '../article.ts';
import type { SiteConfig } from '../config.ts';
import { PARTNER_RULES } from '../partners.ts';
import type { FeedScope, ScopeNames } from '../scopes.ts';
import { type FeedOutput, isPartner, pageUrl } from '../urls.ts';
import { renderAtom } from './atom.ts';
import { type FeedChannel, feedChannel } from './channel.ts';
import { type FeedEntry, toFeedEntries } from './entry.ts';
import { renderJson } from './json.ts';
import { renderRss } from './rss.ts';

/** Reports an item that was repaired or left out, so that operators can fix the data. */
export type BadItemLogger = (message: string, context: Record<string, unknown>) => void;

const RENDERERS = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJson,
} as const;

/** The document of one page in one output: a general format, or RSS shaped to a partner. */
function renderOutput(output: FeedOutput, channel: FeedChannel, entries: readonly FeedEntry[]): string {
  return isPartner(output)
    ? renderRss(channel, entries, PARTNER_RULES[output])
    : RENDERERS[output](channel, entries);
}

/** A page of a feed to render. */
export interface FeedRequest {
  config: SiteConfig;
  scope: FeedScope;
  format: FeedOutput;
  articles: readonly Article[];
  cursor?: string | undefined;
  nextCursor?: string | undefined;
  /** A subscriber's private copy: the base of its own URLs (see feedChannel). */
  feedBase?: string | undefined;
  log?: BadItemLogger;
}

/** A rendered feed and the facts HTTP caching needs. */
export interface RenderedFeed {
  body: string;
  /** Newest change among the items (the feed's lastBuildDate / updated). */
  updated: Date;
  /** How many items the page shows. */
  items: number;
}

/** What a writer's or topic's feed is called, from the newest item that names them. */
export function namesFor(config: SiteConfig, scope: FeedScope, entries: readonly FeedEntry[]): ScopeNames {
  if (scope.kind !== 'author' && scope.kind !== 'topic') return {};
  const page = pageUrl(config.baseUrl, scope);
  for (const entry of entries) {
    if (scope.kind === 'author') {
      const writer = entry.authors.find((a) => a.page === page);
      if (writer !== undefined) {
        return { author: { name: writer.name, ...(writer.title !== undefined && { title: writer.title }) } };
      }
    } else {
      const topic = entry.categories.find((c) => c.scheme === page);
      if (topic !== undefined) return { topic: topic.label };
    }
  }
  return {};
}

/**
 * Renders one page of a feed. Every stored item is mapped defensively; one
 * that cannot be shown is left out and logged. Well-formedness for any
 * content is the renderers' guarantee, proven by the property tests
 * (test/unit/feeds-property.test.ts) rather than re-parsed on every request.
 */
export function renderFeed(request: FeedRequest): RenderedFeed {
  const { config, scope, format, log = () => {} } = request;
  const entries = toFeedEntries(request.articles, config, scope, log);
  const channel = feedChannel(config, scope, format, entries, {
    cursor: request.cursor,
    nextCursor: request.nextCursor,
    feedBase: request.feedBase,
    names: namesFor(config, scope, entries),
  });
  return { body: renderOutput(format, channel, entries), updated: channel.updated, items: entries.length };
}
