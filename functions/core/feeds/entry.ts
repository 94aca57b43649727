import { type Article, CONTENT_RULES, isVideoType } from '../article.ts';
import type { SiteConfig } from '../config.ts';
import { homeEdition } from '../editions.ts';
import { type FeedScope, scopeEdition } from '../scopes.ts';
import { cleanLine, cleanText, escapeHtml, htmlToText, plainLine, slugify } from '../text.ts';
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
  /** The full text readers display: byline, lead photo with caption and credit, body, then media. */
  contentHtml: string;
  /** The body alone for a page (between the photo and the media): as sanitised on write, or as text paragraphs when not written under the current rules. */
  bodyHtml: string;
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

/**
 * A body not written under the current rules (never sanitised, or by hand) as
 * plain paragraphs: a page shows it as text, never as markup it cannot trust.
 */
function textParagraphs(html: string): string {
  const text = htmlToText(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<\/(p|div|h[1-6]|li|blockquote|figure|table|tr)\s*>|<br\s*\/?>/gi, '\n\n'),
  );
  return text
    .split(/\n\s*\n/)
    .map(cleanLine)
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
}

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

/** `m:ss` or `h:mm:ss`. */
function clock(seconds: number): string {
  const s = String(seconds % 60).padStart(2, '0');
  const m = Math.floor(seconds / 60) % 60;
  const h = Math.floor(seconds / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function sizeAttributes(item: { width?: number; height?: number }): string {
  return item.width !== undefined && item.height !== undefined
    ? ` width="${item.width}" height="${item.height}"`
    : '';
}

/** "By Ana Ortiz, Senior China Analyst, and Lee Min" — the byline readers expect at the top of a story. */
export function bylineHtml(authors: readonly EntryAuthor[]): string {
  if (authors.length === 0) return '';
  const credits = authors.map((a) => {
    const href = a.url ?? a.page;
    const name =
      href === undefined ? escapeHtml(a.name) : `<a href="${escapeHtml(href)}">${escapeHtml(a.name)}</a>`;
    return a.title === undefined ? name : `${name}, ${escapeHtml(a.title)}`;
  });
  let list: string;
  if (credits.length <= 2) {
    // "A, Title, and B": the comma closes the first writer's title.
    list = credits.join(authors[0]?.title === undefined ? ' and ' : ', and ');
  } else {
    // Titles hold commas, so with titles writers are set apart by semicolons.
    const titled = authors.some((a) => a.title !== undefined);
    list = `${credits.slice(0, -1).join(titled ? '; ' : ', ')}${titled ? ';' : ''} and ${credits.at(-1)}`;
  }
  return `<p class="byline">By ${list}</p>`;
}

/** A photo or video as a figure with its caption and credit, for the full text. */
export function figureHtml(media: EntryMedia): string {
  const alt = escapeHtml(media.caption ?? '');
  const credit =
    media.credit === undefined
      ? ''
      : ` <small class="credit">${media.medium === 'video' ? 'Video' : 'Photo'}: ${escapeHtml(media.credit)}</small>`;
  const length =
    media.duration === undefined ? '' : ` <small class="duration">(${clock(media.duration)})</small>`;
  const caption = media.caption === undefined ? '' : escapeHtml(media.caption);
  const figcaption =
    caption === '' && credit === '' && length === ''
      ? ''
      : `<figcaption>${caption}${length}${credit}</figcaption>`;
  const url = escapeHtml(media.url);
  if (media.medium === 'video') {
    const poster = media.thumbnail === undefined ? '' : ` poster="${escapeHtml(media.thumbnail.url)}"`;
    const fallback =
      media.thumbnail === undefined
        ? `<a href="${url}">Watch the video</a>`
        : `<a href="${url}"><img src="${escapeHtml(media.thumbnail.url)}" alt="${alt}"${sizeAttributes(media)}></a>`;
    return `<figure class="video"><video controls preload="none"${poster}${sizeAttributes(media)}><source src="${url}" type="${escapeHtml(media.type)}">${fallback}</video>${figcaption}</figure>`;
  }
  return `<figure><img src="${url}" alt="${alt}"${sizeAttributes(media)}>${figcaption}</figure>`;
}

function mediaOf(value: unknown, read: Reader, lead: boolean): EntryMedia | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const item = value as Record<string, unknown>;
  const url = read.url(item.url);
  if (url === undefined) return undefined;
  const rawType = typeof item.type === 'string' ? item.type : '';
  const video = !lead && isVideoType(rawType);
  const type = video || /^image\/[a-z0-9.+-]{1,40}$/i.test(rawType) ? rawType : 'image/jpeg';
  const media: EntryMedia = { url, type, medium: video ? 'video' : 'image' };
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
  const body = read.html(article.body);
  // A tag stored before tags were bounded may be anything (hundreds of KB): only one of a tag's characters,
  // at most LANGUAGE_TAG_MAX of them, is shown (the write API checks the full syntax; this keeps the read
  // bundles small).
  const stored = read.line(article.language);
  const language = /^[A-Za-z0-9-]{2,35}$/.test(stored) ? stored : config.language;
  // The full text readers display: byline, lead photo with caption and credit, body, then media.
  let contentHtml = bylineHtml(authors);
  const add = (part: string) => {
    if (part !== '') contentHtml = contentHtml === '' ? part : `${contentHtml}\n${part}`;
  };
  if (image !== undefined) add(figureHtml(image));
  add(body);
  for (const item of media) add(figureHtml(item));
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
    contentHtml,
    bodyHtml: read === TRUSTED ? body : textParagraphs(body),
    authors,
    ...(image !== undefined && { image }),
    media,
    categories: [
      ...(section === undefined
        ? []
        : [
            {
              term: section.id,
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
