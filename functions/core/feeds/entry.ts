import { type Article, CONTENT_RULES, isVideoType } from '../article.ts';
import type { SiteConfig } from '../config.ts';
import { homeEdition } from '../editions.ts';
import { type FeedScope, scopeEdition } from '../scopes.ts';
import { cleanLine, cleanText, htmlToText, plainLine, slugify } from '../text.ts';
import { articleGuid, articleLink, articlePageUrl, pageUrl } from '../urls.ts';

/** A writer as every format shows them. */
export interface EntryAuthor {
  name: string;
  title?: string;
  /** The writer's own page (from the CMS). */
  url?: string;
  /** Their feed's page on this site. */
  page?: string;
}

/** A smaller rendition of a photo. */
export interface EntryRendition {
  url: string;
  width?: number;
  height?: number;
}

/** A photo or video as every format shows it. */
export interface EntryMedia {
  url: string;
  type: string;
  medium: 'image' | 'video';
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
  duration?: number;
  /** Still shown for a video, or a photo's thumbnail. */
  thumbnail?: EntryRendition;
  length?: number;
  /** True when the CMS sent `type` (else it is assumed: image/jpeg). */
  typeKnown: boolean;
}

/** A category: the section (with its page as scheme/domain) or a topic (with its page, when it has one). */
export interface EntryCategory {
  term: string;
  label: string;
  scheme?: string;
}

/** One article as a feed item, format-neutral: each format file maps it to its elements. */
export interface FeedEntry {
  id: string;
  guid: string;
  /** Where the item links: the publisher's page when there is one, else `page` (see articleLink). */
  link: string;
  /** The publisher's own page, when the article has one. */
  publisherUrl?: string;
  /** The article's page on this site, in the scope's edition (else its home edition). */
  page: string;
  /** Plain text. */
  title: string;
  /** Sanitised inline HTML. */
  summaryHtml: string;
  /** The summary as plain text. */
  summaryText: string;
  /** True when the summary holds no markup (Atom then sends it as text). */
  summaryIsText: boolean;
  /** The body as stored (full-text.ts puts byline, photos and videos around it for the full text). */
  bodyHtml: string;
  /** False for a body not written under the current rules: feeds send it as read, a page shows it as text (see pages/article.ts). */
  bodyTrusted: boolean;
  authors: EntryAuthor[];
  /** The lead photo. */
  image?: EntryMedia;
  /** Photos and videos after the body. */
  media: EntryMedia[];
  /** The section, then the topics (pages rely on that order). */
  categories: EntryCategory[];
  /**
   * Set for a premium story (public surfaces show its teaser, see core/access.ts): the
   * "Premium" category, in the access scheme, that every format and page marks it with.
   */
  premium?: EntryCategory;
  language: string;
  published: Date;
  /** Latest change: never before `published`; later only for a correction or update. */
  modified: Date;
}

/** The scheme (RSS domain, Atom scheme) of the access category: a stable `tag:` URI, like guids. */
export function accessScheme(config: Pick<SiteConfig, 'tagAuthority'>): string {
  return `tag:${config.tagAuthority}:access`;
}

/**
 * The categories a feed item lists: the section and topics, then for a
 * premium story a "Premium" category in the access scheme, which readers
 * show beside the others and programs can match on.
 */
export function feedCategories(entry: Pick<FeedEntry, 'categories' | 'premium'>): EntryCategory[] {
  return entry.premium === undefined ? entry.categories : [...entry.categories, entry.premium];
}

/** True when the article changed after it was published (a correction or update). */
export function isCorrected(entry: Pick<FeedEntry, 'modified' | 'published'>): boolean {
  return entry.modified > entry.published;
}

/** The newest change among entries; the Unix epoch when there are none (never "now"). */
export function newestChange(entries: readonly Pick<FeedEntry, 'modified'>[]): Date {
  let newest = 0;
  for (const entry of entries) newest = Math.max(newest, entry.modified.getTime());
  return new Date(newest);
}

/**
 * When an article last changed as feeds show it: its update time for a
 * correction (a version after the first, updated after publication), else
 * its publication time. A backdated import is not a correction.
 */
export function modifiedTime(article: Pick<Article, 'version' | 'publishedAt' | 'updatedAt'>): string {
  return article.version > 1 && article.updatedAt > article.publishedAt
    ? article.updatedAt
    : article.publishedAt;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function validDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Raised when a stored article cannot be shown in a feed at all. */
export class UnrenderableArticleError extends Error {
  override name = 'UnrenderableArticleError';
}

/**
 * How stored strings are read. Articles written under the current content
 * rules are shown as stored (their URLs, normalised on write, are only
 * checked); older ones (or items written by hand) have every string cleaned
 * again, markup taken out of plain-text fields and URLs normalised.
 */
interface Reader {
  html(value: unknown): string;
  line(value: unknown): string;
  url(value: unknown): string | undefined;
}

const TRUSTED: Reader = {
  html: (value) => (typeof value === 'string' ? value : ''),
  // Held to the plain-text rule whatever the content rules: a field holding a `<` or `&` is stripped
  // and decoded until nothing changes (text written under the current rules comes out as it is).
  line: (value) => (typeof value !== 'string' ? '' : /[<&]/.test(value) ? plainLine(value) : value),
  // Stored normalised; still checked, as the generator throws on a URL it cannot parse.
  url: (value) =>
    typeof value === 'string' && /^https?:\/\//.test(value) && URL.canParse(value) ? value : undefined,
};

const REPAIRING: Reader = {
  html: (value) => (typeof value === 'string' ? cleanText(value) : ''),
  line: (value) => (typeof value === 'string' ? plainLine(value) : ''),
  url: httpUrl,
};

/** Slugs of writers' names and topics, which recur on every page: slugify normalises Unicode, so keep them. */
const slugs = new Map<string, string>();
const SLUG_CACHE = 4096;

function cachedSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    if (slugs.size >= SLUG_CACHE) slugs.clear();
    slug = slugify(text);
    slugs.set(text, slug);
  }
  return slug;
}

function mediaOf(value: unknown, read: Reader, lead: boolean): EntryMedia | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const item = value as Record<string, unknown>;
  const url = read.url(item.url);
  if (url === undefined) return undefined;
  const rawType = typeof item.type === 'string' ? item.type : '';
  const video = !lead && isVideoType(rawType);
  const declared = video || /^image\/[a-z0-9.+-]{1,40}$/i.test(rawType);
  const type = declared ? rawType : 'image/jpeg';
  const media: EntryMedia = {
    url,
    type,
    medium: video ? 'video' : 'image',
    typeKnown: declared,
  };
  const caption = read.line(item.caption);
  if (caption !== '') media.caption = caption;
  const credit = read.line(item.credit);
  if (credit !== '') media.credit = credit;
  const width = positive(item.width);
  if (width !== undefined) media.width = width;
  const height = positive(item.height);
  if (height !== undefined) media.height = height;
  const duration = video ? positive(item.duration) : undefined;
  if (duration !== undefined) media.duration = duration;
  if (lead) {
    const t = item.thumbnail as Record<string, unknown> | undefined;
    const thumbnailUrl = read.url(t?.url);
    if (thumbnailUrl !== undefined) {
      const thumbnail: EntryRendition = { url: thumbnailUrl };
      const tWidth = positive(t?.width);
      if (tWidth !== undefined) thumbnail.width = tWidth;
      const tHeight = positive(t?.height);
      if (tHeight !== undefined) thumbnail.height = tHeight;
      media.thumbnail = thumbnail;
    }
  } else {
    const poster = read.url(item.poster);
    if (poster !== undefined) media.thumbnail = { url: poster };
  }
  const length = positive(item.length);
  if (length !== undefined) media.length = length;
  return media;
}

/**
 * Maps a stored article to a feed entry. Items written under older rules (or
 * by hand) are repaired where they can be — text that XML cannot carry,
 * markup in plain-text fields, bad optional URLs — so that no stored item can
 * break a feed. Throws UnrenderableArticleError when the article lacks what
 * every format requires. Section categories point at the section page of
 * `scope`'s edition (the default edition for writer and topic feeds).
 */
export function toFeedEntry(article: Article, config: SiteConfig, scope: FeedScope): FeedEntry {
  const read = article.rules === CONTENT_RULES ? TRUSTED : REPAIRING;
  const publisherUrl = article.url === undefined ? undefined : read.url(article.url);
  const title = read.line(article.headline);
  const published = validDate(article.publishedAt);
  if (
    (article.url !== undefined && publisherUrl === undefined) ||
    title === '' ||
    published === undefined ||
    typeof article.id !== 'string'
  ) {
    throw new UnrenderableArticleError(
      `Article "${String(article.id)}" has no valid url, headline or publishedAt`,
    );
  }
  const updated = validDate(article.updatedAt) ?? published;
  const modified =
    typeof article.version === 'number' && article.version > 1 && updated > published ? updated : published;
  const edition = scopeEdition(scope) ?? config.defaultEdition;
  const section = config.sections.find((s) => s.id === article.section);
  const page = articlePageUrl(
    config.baseUrl,
    homeEdition(article, config, scopeEdition(scope)),
    article.section,
    article.id,
  );
  const topics = (Array.isArray(article.topics) ? article.topics : []).map(read.line).filter((t) => t !== '');
  const authors: EntryAuthor[] = [];
  for (const writer of Array.isArray(article.byline) ? article.byline : []) {
    if (typeof writer !== 'object' || writer === null) continue;
    const name = read.line(writer.name);
    if (name === '') continue;
    const author: EntryAuthor = { name };
    const title = read.line(writer.title);
    if (title !== '') author.title = title;
    const url = read.url(writer.url);
    if (url !== undefined) author.url = url;
    const slug = typeof writer.id === 'string' && writer.id !== '' ? writer.id : cachedSlug(name);
    if (slug !== '') author.page = pageUrl(config.baseUrl, { kind: 'author', author: slug });
    authors.push(author);
  }
  const image = mediaOf(article.image, read, true);
  const media = (Array.isArray(article.media) ? article.media : [])
    .map((m) => mediaOf(m, read, false))
    .filter((m) => m !== undefined);
  const summaryHtml = read.html(article.summary);
  const bodyHtml = read.html(article.body);
  // A tag stored before tags were bounded may be anything (hundreds of KB): only one of a tag's characters,
  // at most LANGUAGE_TAG_MAX of them, is shown (the write API checks the full syntax; this keeps the read
  // bundles small).
  const stored = read.line(article.language);
  const language = /^[A-Za-z0-9-]{2,35}$/.test(stored) ? stored : config.language;
  return {
    id: article.id,
    guid: articleGuid(config.tagAuthority, article.id),
    link: articleLink(publisherUrl, page),
    ...(publisherUrl !== undefined && { publisherUrl }),
    page,
    title,
    summaryHtml,
    summaryText: cleanLine(htmlToText(summaryHtml)),
    summaryIsText: !summaryHtml.includes('<'),
    bodyHtml,
    bodyTrusted: read === TRUSTED,
    authors,
    ...(image !== undefined && { image }),
    media,
    categories: [
      ...(section === undefined
        ? []
        : [
            {
              // Readers show a category's term: the section's title, as topics show theirs.
              term: section.title,
              label: section.title,
              scheme: pageUrl(config.baseUrl, { kind: 'section', edition, section: section.id }),
            },
          ]),
      ...topics.map((t): EntryCategory => {
        const slug = cachedSlug(t);
        return slug === ''
          ? { term: t, label: t }
          : { term: t, label: t, scheme: pageUrl(config.baseUrl, { kind: 'topic', topic: slug }) };
      }),
    ],
    ...(article.access === 'premium' && {
      premium: { term: 'premium', label: 'Premium', scheme: accessScheme(config) },
    }),
    language,
    published,
    modified,
  };
}

/** Maps stored articles to entries, leaving out (and logging) those that cannot be shown. */
export function toFeedEntries(
  articles: readonly Article[],
  config: SiteConfig,
  scope: FeedScope,
  log: (message: string, context: Record<string, unknown>) => void,
): FeedEntry[] {
  const entries: FeedEntry[] = [];
  for (const article of articles) {
    try {
      entries.push(toFeedEntry(article, config, scope));
    } catch (error) {
      log('Left an article out', { id: article?.id, reason: (error as Error).message });
    }
  }
  return entries;
}
