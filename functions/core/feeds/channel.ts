import type { Brand, BrandImage, SiteConfig } from '../config.ts';
import { type FeedScope, type ScopeNames, scopeDescription, scopeLanguage, scopeTitle } from '../scopes.ts';
import { type FeedOutput, feedGuid, feedUrl, isPartner, pageUrl } from '../urls.ts';
import { type FeedEntry, newestChange } from './entry.ts';

/**
 * An item's language with the feed's region when it names none and is the
 * feed's language (`en` in an `en-GB` feed is `en-GB`); any other tag as it is.
 */
export function withLocale(language: string, feedLanguage: string): string {
  return !language.includes('-') && feedLanguage.toLowerCase().startsWith(`${language.toLowerCase()}-`)
    ? feedLanguage
    : language;
}

/** The brand images the site ships (files in functions/static/, served under /assets/), used when the config names none. */
export const SITE_BRAND: Brand = {
  channelImage: { url: '/assets/logo.png', width: 144, height: 144 },
  logo: { url: '/assets/logo-wide.png', width: 288, height: 144 },
  icon: { url: '/assets/icon-512.png', width: 512, height: 512 },
  favicon: { url: '/assets/icon.png', width: 64, height: 64 },
  cover: { url: '/assets/cover.png', width: 1200, height: 600 },
  accentColor: 'B3001B',
};

/** The config's brand images (else the site's own), each path on the site made absolute against its address. */
export function brandOf(config: Pick<SiteConfig, 'brand' | 'baseUrl'>): Brand {
  const brand = config.brand ?? SITE_BRAND;
  const at = (image: BrandImage): BrandImage =>
    image.url.startsWith('/') ? { ...image, url: `${config.baseUrl}${image.url}` } : image;
  return {
    ...brand,
    channelImage: at(brand.channelImage),
    logo: at(brand.logo),
    icon: at(brand.icon),
    favicon: at(brand.favicon),
    cover: at(brand.cover),
  };
}

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

/**
 * Builds the channel of one feed page. `cursor` is this page's, `nextCursor` the older page's.
 * `feedBase`, for a subscriber's private copy (urls.ts privateFeedBase), is where its own and
 * its next page's URLs live; a private copy names no hub (nothing pings for it).
 */
export function feedChannel(
  config: SiteConfig,
  scope: FeedScope,
  format: FeedOutput,
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
    // News apps ask for a language with its region: the site's locale where the edition names none.
    language: withLocale(scopeLanguage(config, scope), config.locale ?? ''),
    copyright: config.copyright,
    homeUrl: pageUrl(config.baseUrl, scope),
    selfUrl: feedUrl(feedBase, scope, format, page.cursor),
    updated: newestChange(entries),
    published: newestPublication(entries),
    publisher: { name: config.title, url: pageUrl(config.baseUrl) },
  };
  if (page.nextCursor !== undefined) channel.nextUrl = feedUrl(feedBase, scope, format, page.nextCursor);
  if (config.logoUrl !== undefined) channel.logoUrl = config.logoUrl;
  if (config.iconUrl !== undefined) channel.iconUrl = config.iconUrl;
  // Partner feeds and private copies name no hub: the notifier pings the public general formats' URLs only.
  if (config.hubUrl !== undefined && !isPartner(format) && page.feedBase === undefined)
    channel.hubUrl = config.hubUrl;
  channel.brand = brandOf(config);
  return channel;
}
