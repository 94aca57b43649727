import type { Brand, SiteConfig } from '../config.ts';
import { type FeedScope, type ScopeNames, scopeDescription, scopeLanguage, scopeTitle } from '../scopes.ts';
import { type FeedOutput, feedGuid, feedUrl, isPartner, pageUrl } from '../urls.ts';
import { type FeedEntry, newestChange } from './entry.ts';

/** The newest publication among entries; the Unix epoch when there are none (never "now"). */
function newestPublication(entries: readonly Pick<FeedEntry, 'published'>[]): Date {
  let newest = 0;
  for (const entry of entries) newest = Math.max(newest, entry.published.getTime());
  return new Date(newest);
}

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
  /** The site's images for each slot, when it configures them (else logoUrl and iconUrl). */
  brand?: Brand;
  hubUrl?: string;
  /** Newest change among the items; the Unix epoch for an empty feed, never "now". */
  updated: Date;
  /** Newest publication among the items (RSS channel `pubDate`); the Unix epoch for an empty feed. */
  published: Date;
  /** Name and URL of the publisher (Atom's feed-level author). */
  publisher: { name: string; url: string };
}

/** Builds the channel of one feed page. `cursor` is this page's, `nextCursor` the older page's. */
export function feedChannel(
  config: SiteConfig,
  scope: FeedScope,
  format: FeedOutput,
  entries: readonly FeedEntry[],
  page: { cursor?: string | undefined; nextCursor?: string | undefined; names?: ScopeNames } = {},
): FeedChannel {
  const channel: FeedChannel = {
    id: feedGuid(config.tagAuthority, scope),
    title: scopeTitle(config, scope, page.names),
    description: scopeDescription(config, scope, page.names),
    language: scopeLanguage(config, scope, true),
    copyright: config.copyright,
    homeUrl: pageUrl(config.baseUrl, scope),
    selfUrl: feedUrl(config.baseUrl, scope, format, page.cursor),
    updated: newestChange(entries),
    published: newestPublication(entries),
    publisher: { name: config.title, url: pageUrl(config.baseUrl) },
  };
  if (page.nextCursor !== undefined)
    channel.nextUrl = feedUrl(config.baseUrl, scope, format, page.nextCursor);
  if (config.logoUrl !== undefined) channel.logoUrl = config.logoUrl;
  if (config.iconUrl !== undefined) channel.iconUrl = config.iconUrl;
  // Partner feeds name no hub: the notifier pings the general formats' URLs only.
  if (config.hubUrl !== undefined && !isPartner(format)) channel.hubUrl = config.hubUrl;
  if (config.brand !== undefined) channel.brand = config.brand;
  return channel;
}
