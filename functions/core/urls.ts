import type { SiteConfig } from './config.ts';
import type { PartnerId } from './partners.ts';
import { type FeedScope, RESERVED_IDS, scopeName, scopePath } from './scopes.ts';

/** The syndication formats Newswire serves. */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** Every format, in the order pages list them. */
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/** File name of each format in the URL scheme. */
export const FEED_FILES: Record<FeedFormat, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' };

/** Media type of each format (with charset, as sent). */
export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** Human name of each format, for link titles. */
export const FEED_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** What a feed is written as: one of the general formats, or one partner's shape of RSS 2.0. */
export type FeedOutput = FeedFormat | PartnerId;

/** True when the output is a partner's feed (RSS shaped to that partner). */
export function isPartner(output: FeedOutput): output is PartnerId {
  return output !== 'rss' && output !== 'atom' && output !== 'json';
}

/** Path of an output's file inside its scope's folder: `rss.xml`, or `partners/google-news.xml`. */
export function feedFile(output: FeedOutput): string {
  return isPartner(output) ? `partners/${output}.xml` : FEED_FILES[output];
}

/** Media type of an output, with charset (a partner feed is RSS). */
export function feedContentType(output: FeedOutput): string {
  return FEED_CONTENT_TYPES[isPartner(output) ? 'rss' : output];
}

/** Files the site serves besides the feeds, in its root or an edition's folder. */
export const SITE_FILES = {
  opml: 'opml.xml',
  sitemapIndex: 'sitemap.xml',
  frontsSitemap: 'sitemap-fronts.xml',
  newsSitemap: 'news-sitemap.xml',
  robots: 'robots.txt',
  favicon: 'favicon.ico',
} as const;

/** A sitemap of one month's pages (`sitemap-2026-11.xml`), in a section's, writers' or topics' folder. */
export const MONTH_SITEMAP = /^sitemap-(\d{4})-(0[1-9]|1[0-2])\.xml$/;

/** Names of the site's files and folders that an article page could collide with. */
const RESERVED_NAMES: ReadonlySet<string> = new Set<string>([
  ...RESERVED_IDS,
  ...Object.values(FEED_FILES),
  ...Object.values(SITE_FILES),
]);

/**
 * True when an article id names a feed, a file or a folder of the site: its
 * page, `/{edition}/{section}/{id}/`, would then be one slash away from a
 * feed or a sitemap (`/europe/world/rss.xml`), so such ids are refused at
 * write time (test/unit/routes-openapi.test.ts checks the route table against it).
 */
export function isReservedArticleId(id: string): boolean {
  return RESERVED_NAMES.has(id) || MONTH_SITEMAP.test(id);
}

/** The format served under a file name, if any. */
export function formatOfFile(file: string): FeedFormat | undefined {
  return FEED_FORMATS.find((f) => FEED_FILES[f] === file);
}

/** The folder of subscribers' private feeds: `/private/{token}/` then any feed's path. */
export const PRIVATE_FOLDER = 'private';

/**
 * The base of a subscriber's private feeds: a feed's URL under it
 * (feedUrl with this as the base) is that feed's private copy.
 */
export function privateFeedBase(baseUrl: string, token: string): string {
  return `${baseUrl}/${PRIVATE_FOLDER}/${encodeURIComponent(token)}`;
}

/**
 * A private feed's path split into its token and the public feed path it
 * copies (`/private/ns_…/europe/rss.xml` → `/europe/rss.xml`); undefined for
 * any other path.
 */
export function splitPrivatePath(path: string): { token: string; feedPath: string } | undefined {
  const match = new RegExp(`^/${PRIVATE_FOLDER}/([^/]+)(/.*)$`).exec(path);
  return match === null ? undefined : { token: match[1]!, feedPath: match[2]! };
}

/** The token segment of a private feed's path, with the subscriber id when the token is well formed. */
const PRIVATE_TOKEN_SEGMENT = /^\/private\/(?:ns_([0-9a-f]{16})_)?[^/]*/;

/**
 * A path as log lines show it: a private feed's token (whatever follows it,
 * even nothing) cut to its subscriber id, never its secret.
 */
export function loggablePath(path: string): string {
  return path.replace(
    PRIVATE_TOKEN_SEGMENT,
    (_token, id: string | undefined) => `/${PRIVATE_FOLDER}/${id === undefined ? '…' : `ns_${id}_…`}`,
  );
}

/** Absolute URL of a feed (a format or a partner's), optionally of an older page. */
export function feedUrl(baseUrl: string, scope: FeedScope, format: FeedOutput, cursor?: string): string {
  const page = cursor === undefined ? '' : `?after=${encodeURIComponent(cursor)}`;
  return `${baseUrl}${scopePath(scope)}${feedFile(format)}${page}`;
}

/** Absolute URL of an HTML page: the home page, or a scope's page. */
export function pageUrl(baseUrl: string, scope?: FeedScope): string {
  return scope === undefined ? `${baseUrl}/` : `${baseUrl}${scopePath(scope)}`;
}

/** Path (no host) of an article's page in one edition: `/europe/world/{id}/`. */
export function articlePath(edition: string, section: string, id: string): string {
  return `/${edition}/${section}/${encodeURIComponent(id)}/`;
}

/** Absolute URL of an article's page in one edition. */
export function articlePageUrl(baseUrl: string, edition: string, section: string, id: string): string {
  return `${baseUrl}${articlePath(edition, section, id)}`;
}

/**
 * Where a feed item links: the publisher's own page when the article has one
 * (`url`), else the article's page on this site. Guids never depend on it.
 */
export function articleLink(publisherUrl: string | undefined, pageUrl: string): string {
  return publisherUrl ?? pageUrl;
}

/**
 * Where a headline on this site's pages leads: the article's page here, or
 * (config `links: 'publisher'`) the publisher's own page when there is one.
 */
export function headlineLink(config: SiteConfig, publisherUrl: string | undefined, pageUrl: string): string {
  return config.links === 'publisher' ? articleLink(publisherUrl, pageUrl) : pageUrl;
}

/** Absolute URL of the OPML list of one feed per edition, or of every feed of one edition. */
export function opmlUrl(baseUrl: string, edition?: string): string {
  return edition === undefined ? `${baseUrl}/opml.xml` : `${baseUrl}/${edition}/opml.xml`;
}

/** Stable `tag:` URI (RFC 4151) of an article: never changes with its URL, headline or editions. */
export function articleGuid(tagAuthority: string, id: string): string {
  return `tag:${tagAuthority}:article:${id}`;
}

/** Stable `tag:` URI of a feed (`…:feed:europe/world`, `…:feed:authors/ana-ortiz`). */
export function feedGuid(tagAuthority: string, scope: FeedScope): string {
  return `tag:${tagAuthority}:feed:${scopeName(scope)}`;
}
