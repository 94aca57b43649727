import type { SiteConfig } from '../config.ts';
import { escapeXml } from '../feeds/xml.ts';
import { pageUrl, SITE_FILES } from '../urls.ts';

/**
 * Sitemaps (https://www.sitemaps.org/protocol.html) and Google News sitemaps
 * (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap),
 * and the robots.txt that names them.
 *
 * - `/sitemap.xml`, the index: the fronts' sitemap, then for every month from
 *   the site's oldest story to now, the writers' and topics' sitemaps and one
 *   sitemap per edition and section (`/{edition}/{section}/sitemap-2026-11.xml`).
 *   Every story's page is in the sitemap of its section and month, read with
 *   one Query of that section's feed entries: no Scan, no article fetched.
 * - `/sitemap-fronts.xml`: the home page, every edition's front, its Top
 *   Stories and its sections.
 * - `/authors/sitemap-2026-11.xml`, `/topics/sitemap-2026-11.xml`: the page of
 *   every writer and topic of the month's stories (their articles are read).
 * - `/{edition}/news-sitemap.xml`: the edition's stories of the last two days,
 *   newest first, at most 1,000, with their publication, date and title.
 *
 * A sitemap lists at least one URL (the protocol's schema requires one): a
 * month with no story in a section lists the section's page, one with no
 * writer or topic the home page.
 */

/** The sitemaps.org namespace. */
export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
/** The Google News sitemap namespace. */
export const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

/** The protocol's limit of URLs per sitemap and of sitemaps per index. */
export const SITEMAP_MAX_URLS = 50_000;
/**
 * URLs one month's sitemap of a section lists: well inside the protocol's
 * 50,000, and small enough that the document (at most about 300 bytes a URL)
 * stays far below Lambda's 6 MB response and the protocol's 50 MB.
 */
export const MONTH_SITEMAP_URLS = 15_000;
/** Google News sitemaps list at most 1,000 URLs, of the last two days. */
export const NEWS_SITEMAP_URLS = 1000;
/** How far back a Google News sitemap reaches. */
export const NEWS_SITEMAP_MS = 2 * 24 * 3600 * 1000;
/**
 * Stories whose writers and topics one month's writers' or topics' sitemap
 * reads (each of their articles is fetched): 50 BatchGetItem calls, well
 * inside a request's time.
 */
export const MONTH_PEOPLE_STORIES = 5000;

/** One URL of a sitemap. */
export interface SitemapUrl {
  loc: string;
  /** W3C datetime of the page's last change, when known. */
  lastmod?: string;
}

/** One story of a Google News sitemap. */
export interface NewsSitemapStory {
  loc: string;
  title: string;
  /** ISO 639 code as Google News asks for it (see newsLanguage). */
  language: string;
  publicationDate: string;
}

/** A sitemap month: `2026-11`. */
export type SitemapMonth = string;

/** The month of a date, as sitemap names write it. */
export function monthOf(date: Date): SitemapMonth {
  return date.toISOString().slice(0, 7);
}

/** The first moment of a month, and of the month after it. */
export function monthSpan(month: SitemapMonth): { from: Date; until: Date } {
  const [year = 1970, number = 1] = month.split('-').map(Number);
  return { from: new Date(Date.UTC(year, number - 1, 1)), until: new Date(Date.UTC(year, number, 1)) };
}

/** Every month from `first` to `last`, oldest first. */
export function monthsBetween(first: SitemapMonth, last: SitemapMonth): SitemapMonth[] {
  const months: SitemapMonth[] = [];
  for (let at = monthSpan(first).from; monthOf(at) <= last; at = monthSpan(monthOf(at)).until) {
    months.push(monthOf(at));
  }
  return months;
}

/** What a month's sitemap lists: one section of one edition, or every writer's or topic's page. */
export type MonthList =
  | { kind: 'section'; edition: string; section: string }
  | { kind: 'authors' }
  | { kind: 'topics' };

/** Path of a month's sitemap: `/europe/world/sitemap-2026-11.xml`, `/authors/sitemap-2026-11.xml`. */
export function monthSitemapPath(list: MonthList, month: SitemapMonth): string {
  const file = `sitemap-${month}.xml`;
  switch (list.kind) {
    case 'section':
      return `/${list.edition}/${list.section}/${file}`;
    case 'authors':
      return `/authors/${file}`;
    case 'topics':
      return `/topics/${file}`;
  }
}

/** Absolute URL of the sitemap index. */
export function sitemapIndexUrl(config: SiteConfig): string {
  return `${config.baseUrl}/${SITE_FILES.sitemapIndex}`;
}

/** Absolute URL of an edition's Google News sitemap. */
export function newsSitemapUrl(config: SiteConfig, edition: string): string {
  return `${config.baseUrl}/${edition}/${SITE_FILES.newsSitemap}`;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A sitemap (`urlset`) of pages. */
export function renderSitemap(urls: readonly SitemapUrl[]): string {
  const lines = urls.map(
    (u) =>
      `<url><loc>${escapeXml(u.loc)}</loc>${u.lastmod === undefined ? '' : `<lastmod>${u.lastmod}</lastmod>`}</url>`,
  );
  return `${XML_DECLARATION}\n<urlset xmlns="${SITEMAP_NS}">\n${lines.join('\n')}\n</urlset>\n`;
}

/** A sitemap index listing sitemaps. */
export function renderSitemapIndex(sitemaps: readonly string[]): string {
  const lines = sitemaps.map((loc) => `<sitemap><loc>${escapeXml(loc)}</loc></sitemap>`);
  return `${XML_DECLARATION}\n<sitemapindex xmlns="${SITEMAP_NS}">\n${lines.join('\n')}\n</sitemapindex>\n`;
}

/**
 * The language of a story as Google News sitemaps take it: an ISO 639 code
 * (`en` for `en-GB`), except `zh-cn` for Simplified and `zh-tw` for
 * Traditional Chinese.
 */
export function newsLanguage(language: string): string {
  const [primary = 'en', ...rest] = language.toLowerCase().split('-');
  if (primary !== 'zh') return primary;
  if (rest.includes('hant') || rest.some((s) => ['tw', 'hk', 'mo'].includes(s))) return 'zh-tw';
  return 'zh-cn';
}

/** A Google News sitemap of an edition's latest stories (at least one URL: its front when it has none). */
export function renderNewsSitemap(
  config: SiteConfig,
  edition: string,
  stories: readonly NewsSitemapStory[],
): string {
  if (stories.length === 0)
    return renderSitemap([{ loc: pageUrl(config.baseUrl, { kind: 'edition', edition }) }]);
  const lines = stories.map(
    (s) =>
      `<url><loc>${escapeXml(s.loc)}</loc><news:news><news:publication><news:name>${escapeXml(config.title)}</news:name><news:language>${s.language}</news:language></news:publication><news:publication_date>${s.publicationDate}</news:publication_date><news:title>${escapeXml(s.title)}</news:title></news:news></url>`,
  );
  return `${XML_DECLARATION}\n<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${lines.join('\n')}\n</urlset>\n`;
}

/** The fronts' sitemap: the home page, and each edition's front, Top Stories and sections. */
export function frontsSitemapUrls(config: SiteConfig): SitemapUrl[] {
  return [
    { loc: pageUrl(config.baseUrl) },
    ...config.editions.flatMap((e) => [
      { loc: pageUrl(config.baseUrl, { kind: 'edition', edition: e.id }) },
      { loc: pageUrl(config.baseUrl, { kind: 'top', edition: e.id }) },
      ...config.sections.map((s) => ({
        loc: pageUrl(config.baseUrl, { kind: 'section', edition: e.id, section: s.id }),
      })),
    ]),
  ];
}

/** robots.txt: crawl everything but the write API, and where the sitemaps are. */
export function renderRobots(config: SiteConfig): string {
  return [
    'User-agent: *',
    'Disallow: /api/',
    '',
    `Sitemap: ${sitemapIndexUrl(config)}`,
    ...config.editions.map((e) => `Sitemap: ${newsSitemapUrl(config, e.id)}`),
    '',
  ].join('\n');
}
