import type { SiteConfig } from '../config.ts';
import { type FeedScope, type ScopeNames, scopeDescription, scopeLanguage, scopeTitle } from '../scopes.ts';
import { type FeedFormat, feedGuid, feedUrl, pageUrl } from '../urls.ts';
import { type FeedEntry, newestChange } from './entry.ts';

/** Everything about a feed that is not its items. */
export interface FeedChannel {
  id: string;
  title: string;
  description: string;
  language: string;
  copyright: string;
  homeUrl: string;
  selfUrl: string;
  /** The next (older) page, RFC 5005 §3. */
  nextUrl?: string;
  logoUrl?: string;
  iconUrl?: string;
  hubUrl?: string;
  /** Newest change among the items; the Unix epoch for an empty feed, never "now". */
  updated: Date;
  /** Name and URL of the publisher (Atom's feed-level author). */
  publisher: { name: string; url: string };
}

/**
 * Builds the channel of one feed page. `cursor` is this page's, `nextCursor` the older page's.
 * `feedBase`, for a subscriber's private copy (urls.ts privateFeedBase), is where its own and
 * its next page's URLs live; a private copy names no hub (nothing pings for it).
 */
export function feedChannel(
  config: SiteConfig,
  scope: FeedScope,
  format: FeedFormat,
  entries: readonly FeedEntry[],
  page: {
    cursor?: string | undefined;
    nextCursor?: string | undefined;
    names?: ScopeNames;
    feedBase?: string | undefined;
  } = {},
): FeedChannel {
  const feedBase = page.feedBase ?? config.baseUrl;
  const channel: FeedChannel = {
    id: feedGuid(config.tagAuthority, scope),
    title: scopeTitle(config, scope, page.names),
    description: scopeDescription(config, scope, page.names),
    language: scopeLanguage(config, scope),
    copyright: config.copyright,
    homeUrl: pageUrl(config.baseUrl, scope),
    selfUrl: feedUrl(feedBase, scope, format, page.cursor),
    updated: newestChange(entries),
    publisher: { name: config.title, url: pageUrl(config.baseUrl) },
  };
  if (page.nextCursor !== undefined) channel.nextUrl = feedUrl(feedBase, scope, format, page.nextCursor);
  if (config.logoUrl !== undefined) channel.logoUrl = config.logoUrl;
  if (config.iconUrl !== undefined) channel.iconUrl = config.iconUrl;
  if (config.hubUrl !== undefined && page.feedBase === undefined) channel.hubUrl = config.hubUrl;
  return channel;
}
