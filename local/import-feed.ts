import { createHash } from 'node:crypto';
import {
  type AnyFeed,
  type AtomFeed,
  type JsonFeed,
  type MediaNs,
  parseFeed,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import sanitizeHtml from 'sanitize-html';
import { LANGUAGE_TAG, LANGUAGE_TAG_RULE, LIMITS } from '../functions/core/article.ts';
import { IMAGE_TYPES, VIDEO_TYPES } from '../functions/core/article-input.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { sanitizeBody, sanitizeSummary, toPlainText } from '../functions/core/html.ts';
import { characterCount, htmlToText } from '../functions/core/text.ts';

/**
 * Turns an existing RSS 2.0, RSS 1.0, Atom 1.0 or JSON Feed (1.0, 1.1) into
 * write-API articles. Parsing is feedsmith's; this module only maps its
 * output, resolves relative links and makes the choices a feed leaves open
 * (which picture leads, what an item without a summary shows, …), each of
 * which is listed in the README's "Migrating an existing feed".
 */

/** The feed formats an import reads. */
export type FeedFormat = 'rss' | 'atom' | 'json' | 'rdf';

/** How each format is named in messages. */
export const FORMAT_NAMES: Record<FeedFormat, string> = {
  rss: 'RSS 2.0',
  atom: 'Atom 1.0',
  json: 'JSON Feed',
  rdf: 'RSS 1.0 (RDF)',
};

/** A feed that cannot be read at all (not a feed, or malformed). */
export class FeedReadError extends Error {
  override name = 'FeedReadError';
}

/** One feed item turned into an article for `PUT /api/articles/{id}`. */
export interface ImportArticle {
  ok: true;
  /** `item 3`: where the item is in the feed. */
  where: string;
  id: string;
  /** The item's guid / id (or link, when it has none), from which `id` is derived. */
  key: string;
  article: Record<string, unknown>;
  /** What was changed or left out to make the item fit the API's rules. */
  notes: string[];
}

/** A feed item that cannot become an article, and why. */
export interface ImportRefusal {
  ok: false;
  where: string;
  /** The article id, when the item has a guid / id / link to derive one from. */
  id?: string;
  reason: string;
}

/** What the import makes of one item. */
export type ImportItem = ImportArticle | ImportRefusal;

/** A feed read for import. */
export interface ImportFeed {
  format: FeedFormat;
  title: string;
  items: ImportItem[];
}

/** Choices the command line passes to the mapping. */
export interface ImportOptions {
  config: SiteConfig;
  /** Where the feed was fetched from: the base of relative links (with xml:base). */
  documentUrl?: string;
  /** Every item's section (else: a category naming a section, else the site's first section). */
  section?: string;
  /** Every item's editions (else: omitted, which means every edition). */
  editions?: string[];
}

/** A photo or video as a feed describes it, before it is checked against the API's rules. */
interface SourceMedia {
  url: string;
  type?: string | undefined;
  medium?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  length?: number | undefined;
  duration?: number | undefined;
  caption?: string | undefined;
  credit?: string | undefined;
  thumbnail?: { url: string; width?: number | undefined; height?: number | undefined } | undefined;
}

/** One item in a common shape, every link still as the feed wrote it. */
interface SourceItem {
  key?: string | undefined;
  /** The headline; may hold markup (RSS, Atom html/xhtml), which the API strips. */
  title?: string | undefined;
  link?: string | undefined;
  /** A summary that is HTML (plain-text summaries are escaped before they get here). */
  summaryHtml?: string | undefined;
  bodyHtml?: string | undefined;
  writers: { name: string; url?: string | undefined }[];
  categories: string[];
  /** Candidate dates, most preferred first. */
  dates: (string | undefined)[];
  media: SourceMedia[];
  language?: string | undefined;
  /** Base of the item's links (xml:base chain, else the document). */
  base?: string | undefined;
  /** Base of links inside the full text. */
  contentBase?: string | undefined;
}

/** The feed-level facts items fall back on. */
interface SourceFeed {
  format: FeedFormat;
  title: string;
  items: SourceItem[];
  dates: (string | undefined)[];
  language?: string | undefined;
}

// ---------------------------------------------------------------- small helpers

function present<T>(value: T | undefined | null): value is T {
  return value !== undefined && value !== null;
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** `href` made absolute against `base`; undefined when that is impossible. */
function resolve(href: string | undefined, base: string | undefined): string | undefined {
  const raw = nonBlank(href)?.trim();
  if (raw === undefined) return undefined;
  try {
    return new URL(raw, base).href;
  } catch {
    return undefined;
  }
}

/** Applies a chain of xml:base values (outermost first) to a starting base. */
function baseChain(start: string | undefined, ...bases: (string | undefined)[]): string | undefined {
  let base = start;
  for (const next of bases) {
    if (nonBlank(next) === undefined) continue;
    base = resolve(next, base) ?? base;
  }
  return base;
}

/** Text as HTML text: only what would be read as markup is escaped. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plain text as HTML, paragraphs at blank lines and line breaks kept. */
function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${escapeText(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** The text of some HTML: block boundaries kept as spaces, white space collapsed, references decoded once. */
function textOf(html: string): string {
  const inline = sanitizeSummary(html, 'https://invalid.invalid/');
  return htmlToText(sanitizeHtml(inline, { allowedTags: [], allowedAttributes: {} }))
    .replace(/\s+/g, ' ')
    .trim();
}

/** `{ [key]: value }` when the value is there, else nothing: for spreading optional fields. */
function fieldIf<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/**
 * The text of some HTML as an HTML summary of at most `max` characters,
 * cut at a word (with an ellipsis) when it is longer.
 */
function excerpt(html: string, max: number): string {
  const text = textOf(html);
  const chars = Array.from(text);
  let room = max;
  for (;;) {
    let cut = text;
    if (chars.length > room) {
      const head = chars.slice(0, room - 1).join('');
      const space = head.lastIndexOf(' ');
      cut = `${(space > room / 2 ? head.slice(0, space) : head).trimEnd()}…`;
    }
    const escaped = escapeText(cut);
    const over = characterCount(escaped) - max;
    if (over <= 0) return escaped;
    room -= over;
  }
}

function positive(value: number | undefined, max: number): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const rounded = Math.round(value);
  return rounded >= 1 && rounded <= max ? rounded : undefined;
}

const EXTENSION_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  m3u8: 'application/vnd.apple.mpegurl',
};

/** The media type a feed gave, else the one the file name implies. */
function mediaType(media: SourceMedia): string | undefined {
  const given = nonBlank(media.type)?.trim().toLowerCase();
  if (given !== undefined) return given === 'image/jpg' ? 'image/jpeg' : given;
  const extension = new URL(media.url).pathname.split('.').pop()?.toLowerCase() ?? '';
  return EXTENSION_TYPES[extension];
}

function isImage(media: SourceMedia, type: string | undefined): boolean {
  if (type !== undefined) return type.startsWith('image/');
  return media.medium === 'image';
}

function isVideo(media: SourceMedia, type: string | undefined): boolean {
  if (type !== undefined) return VIDEO_TYPES.includes(type);
  return media.medium === 'video';
}

/** A date as the feed wrote it, in UTC RFC 3339; undefined when it is not a date. Zoneless times are UTC. */
function feedDate(raw: string | undefined): string | undefined {
  const value = nonBlank(raw)?.trim();
  if (value === undefined) return undefined;
  const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  const time = Date.parse(zoneless ? `${value}Z` : value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A language tag as BCP 47 (`en_US` becomes `en-US`); undefined when it is not one. */
function languageTag(raw: string | undefined): string | undefined {
  const value = nonBlank(raw)?.trim().replace(/_/g, '-');
  return value !== undefined && LANGUAGE_TAG.test(value) ? value : undefined;
}

// ---------------------------------------------------------------- article ids

/** Longest readable part of a derived id, in characters. */
const ID_SLUG_LENGTH = 60;

/**
 * The article id of a feed item: a readable slug of the last segment of its
 * guid, a hyphen and 12 hex digits of the guid's SHA-256, so the same item
 * always gets the same id and two items never share one
 * (`https://example.com/world/2026/nov/17/cafe-strike` → `cafe-strike-1f0c5e9a2b7d`).
 */
export function articleIdFor(key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  const last =
    key
      .split(/[/:?=&#]+/)
      .filter((segment) => /[A-Za-z0-9]/.test(segment))
      .pop() ?? '';
  const slug = last
    .replace(/\.(s?html?|php|aspx?|jsp)$/i, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const short = slug.length <= ID_SLUG_LENGTH ? slug : slug.slice(0, ID_SLUG_LENGTH).replace(/-[^-]*$/, '');
  return short === '' ? `item-${hash}` : `${short}-${hash}`;
}

// ---------------------------------------------------------------- each format into SourceItem

function mediaCaption(...values: (MediaNs.TitleOrDescription | undefined)[]): string | undefined {
  return values.map((v) => nonBlank(v?.value)).find(present);
}

function mediaCredit(...lists: (MediaNs.Credit[] | undefined)[]): string | undefined {
  for (const list of lists) {
    const names = (list ?? []).map((c) => nonBlank(c.value)?.trim()).filter(present);
    if (names.length > 0) return [...new Set(names)].join(', ');
  }
  return undefined;
}

function firstThumbnail(...lists: (MediaNs.Thumbnail[] | undefined)[]): SourceMedia['thumbnail'] | undefined {
  for (const list of lists) {
    const thumbnail = list?.find((t) => nonBlank(t.url) !== undefined);
    if (thumbnail?.url !== undefined)
      return { url: thumbnail.url, width: thumbnail.width, height: thumbnail.height };
  }
  return undefined;
}

function fromMediaContent(
  content: MediaNs.Content,
  outer: { description?: string | undefined; credit?: string | undefined },
): SourceMedia | undefined {
  if (content.url === undefined) return undefined;
  return {
    url: content.url,
    type: content.type,
    medium: content.medium,
    width: content.width,
    height: content.height,
    length: content.fileSize,
    duration: content.duration,
    caption: mediaCaption(content.description) ?? outer.description,
    credit: mediaCredit(content.credits) ?? outer.credit,
    thumbnail: firstThumbnail(content.thumbnails),
  };
}

/**
 * Media RSS: each `media:group` is one photo or video in several renditions
 * (the default one, else the widest, leads; the narrowest other image is its
 * thumbnail); each `media:content` outside a group is one more photo or
 * video; an item-level `media:thumbnail` is the picture when nothing else is.
 */
function mediaRss(media: MediaNs.ItemOrFeed | undefined): SourceMedia[] {
  if (media === undefined) return [];
  const item = { description: mediaCaption(media.description), credit: mediaCredit(media.credits) };
  const found: SourceMedia[] = [];
  for (const group of media.groups ?? []) {
    const outer = {
      description: mediaCaption(group.description) ?? item.description,
      credit: mediaCredit(group.credits) ?? item.credit,
    };
    const renditions = (group.contents ?? []).map((c) => fromMediaContent(c, outer)).filter(present);
    const chosen =
      renditions.find((_, i) => group.contents?.[i]?.isDefault === true) ??
      [...renditions].sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0];
    if (chosen === undefined) continue;
    const smaller = renditions
      .filter((r) => r !== chosen && (r.width ?? 0) < (chosen.width ?? 0))
      .sort((a, b) => (a.width ?? 0) - (b.width ?? 0))[0];
    const thumbnail =
      chosen.thumbnail ??
      firstThumbnail(group.thumbnails) ??
      (smaller === undefined
        ? undefined
        : { url: smaller.url, width: smaller.width, height: smaller.height });
    found.push({ ...chosen, thumbnail });
  }
  for (const content of media.contents ?? []) {
    const one = fromMediaContent(content, item);
    if (one !== undefined) found.push(one);
  }
  const thumbnail = firstThumbnail(media.thumbnails);
  if (found.length === 0 && thumbnail !== undefined) {
    found.push({ ...thumbnail, medium: 'image', caption: item.description, credit: item.credit });
  } else if (thumbnail !== undefined && found[0] !== undefined && found[0].thumbnail === undefined) {
    found[0] = { ...found[0], thumbnail };
  }
  return found;
}

function fromRss(feed: RssFeed.Feed<string>, documentUrl: string | undefined): SourceFeed {
  const self = feed.atom?.links?.find((l) => l.rel === 'self')?.href;
  const root = baseChain(
    documentUrl ?? resolve(self, undefined) ?? resolve(feed.link, undefined),
    feed.xml?.base,
  );
  return {
    format: 'rss',
    title: feed.title ?? '',
    dates: [feed.lastBuildDate, feed.pubDate, ...(feed.dc?.dates ?? [])],
    language: feed.language ?? feed.dc?.languages?.[0],
    items: (feed.items ?? []).map((item) => {
      const base = baseChain(root, item.xml?.base);
      const permalink = item.guid?.isPermaLink !== false ? item.guid?.value : undefined;
      const content = nonBlank(item.content?.encoded);
      const creators = item.dc?.creators ?? [];
      const writers =
        creators.length > 0
          ? creators.map((name) => ({ name }))
          : (item.authors ?? []).map((a) => ({ name: a.name ?? '' }));
      const enclosures = (item.enclosures ?? [])
        .filter((e) => e.url !== undefined)
        .map((e): SourceMedia => ({ url: e.url!, type: e.type, length: e.length }));
      return {
        key: nonBlank(item.guid?.value)?.trim() ?? nonBlank(item.link)?.trim(),
        title: item.title ?? item.dc?.titles?.[0],
        link: item.link ?? permalink,
        summaryHtml: content === undefined ? undefined : nonBlank(item.description),
        bodyHtml: content ?? nonBlank(item.description),
        writers,
        categories: [...(item.categories ?? []).map((c) => c.name ?? ''), ...(item.dc?.subjects ?? [])],
        dates: [item.pubDate, ...(item.dc?.dates ?? []), item.atom?.published, item.atom?.updated],
        media: [...mediaRss(item.media), ...enclosures],
        language: item.dc?.languages?.[0] ?? item.xml?.lang,
        base,
        contentBase: base,
      };
    }),
  };
}

function fromRdf(feed: RdfFeed.Feed<string>, documentUrl: string | undefined): SourceFeed {
  const root = baseChain(documentUrl ?? resolve(feed.link, undefined), feed.xml?.base);
  return {
    format: 'rdf',
    title: feed.title ?? '',
    dates: [...(feed.dc?.dates ?? [])],
    language: feed.dc?.languages?.[0],
    items: (feed.items ?? []).map((item) => {
      const base = baseChain(root, item.xml?.base);
      const content = nonBlank(item.content?.encoded);
      return {
        key: nonBlank(item.rdf?.about)?.trim() ?? nonBlank(item.link)?.trim(),
        title: item.title,
        link: item.link,
        summaryHtml: content === undefined ? undefined : nonBlank(item.description),
        bodyHtml: content ?? nonBlank(item.description),
        writers: (item.dc?.creators ?? []).map((name) => ({ name })),
        categories: item.dc?.subjects ?? [],
        dates: [...(item.dc?.dates ?? [])],
        media: mediaRss(item.media),
        language: item.dc?.languages?.[0],
        base,
        contentBase: base,
      };
    }),
  };
}

/** An Atom text construct as HTML (type text is escaped). */
function atomHtml(text: AtomFeed.Text | AtomFeed.Content | undefined): string | undefined {
  const value = nonBlank(text?.value);
  if (value === undefined) return undefined;
  return text?.type === 'html' || text?.type === 'xhtml' ? value : textToHtml(value);
}

function atomLink(links: AtomFeed.Link<string>[] | undefined, rel: string): string | undefined {
  const matching = (links ?? []).filter((l) => (l.rel ?? 'alternate') === rel && l.href !== undefined);
  return (matching.find((l) => l.type === undefined || l.type === 'text/html') ?? matching[0])?.href;
}

function fromAtom(feed: AtomFeed.Feed<string>, documentUrl: string | undefined): SourceFeed {
  const self = resolve(atomLink(feed.links, 'self'), undefined);
  const root = baseChain(documentUrl ?? self, feed.xml?.base);
  return {
    format: 'atom',
    title: feed.title?.value ?? '',
    dates: [feed.updated],
    language: feed.xml?.lang,
    items: (feed.entries ?? []).map((entry) => {
      const base = baseChain(root, entry.xml?.base);
      const people = entry.authors ?? entry.source?.authors ?? feed.authors ?? [];
      const enclosures = (entry.links ?? [])
        .filter((l) => l.rel === 'enclosure' && l.href !== undefined)
        .map((l): SourceMedia => ({ url: l.href!, type: l.type, length: l.length }));
      const body = entry.content?.src === undefined ? atomHtml(entry.content) : undefined;
      return {
        key: nonBlank(entry.id)?.trim() ?? nonBlank(atomLink(entry.links, 'alternate'))?.trim(),
        title: entry.title?.value,
        link: atomLink(entry.links, 'alternate'),
        summaryHtml: atomHtml(entry.summary),
        bodyHtml: body ?? atomHtml(entry.summary),
        writers: people.map((p) => ({ name: p.name ?? '', url: resolve(p.uri, base) })),
        categories: (entry.categories ?? []).map((c) => nonBlank(c.label) ?? c.term ?? ''),
        dates: [entry.published, entry.updated, ...(entry.dc?.dates ?? [])],
        media: [...mediaRss(entry.media), ...enclosures],
        language: entry.content?.xml?.lang ?? entry.xml?.lang,
        base,
        contentBase: baseChain(base, entry.content?.xml?.base),
      };
    }),
  };
}

function fromJson(feed: JsonFeed.Feed<string>, documentUrl: string | undefined): SourceFeed {
  const root = documentUrl ?? resolve(feed.feed_url, undefined) ?? resolve(feed.home_page_url, undefined);
  return {
    format: 'json',
    title: feed.title ?? '',
    dates: [],
    language: feed.language,
    items: (feed.items ?? []).map((item) => {
      const text = nonBlank(item.content_text);
      const attachments = (item.attachments ?? [])
        .filter((a) => a.url !== undefined)
        .map(
          (a): SourceMedia => ({
            url: a.url!,
            type: a.mime_type,
            length: a.size_in_bytes,
            duration: a.duration_in_seconds,
            caption: nonBlank(a.title),
          }),
        );
      const image: SourceMedia[] = item.image === undefined ? [] : [{ url: item.image, medium: 'image' }];
      const summary = nonBlank(item.summary);
      return {
        key: nonBlank(String(item.id ?? ''))?.trim() ?? nonBlank(item.url)?.trim(),
        title: item.title,
        link: item.url,
        summaryHtml: summary === undefined ? undefined : escapeText(summary),
        bodyHtml: nonBlank(item.content_html) ?? (text === undefined ? undefined : textToHtml(text)),
        writers: (item.authors ?? feed.authors ?? []).map((a) => ({ name: a.name ?? '', url: a.url })),
        categories: item.tags ?? [],
        dates: [item.date_published, item.date_modified],
        media: [...image, ...attachments],
        language: item.language,
        base: root,
        contentBase: root,
      };
    }),
  };
}

/**
 * Reads a feed with feedsmith. Throws FeedReadError when the text is not an
 * RSS, Atom or JSON feed, or is malformed.
 */
function readSource(text: string, documentUrl: string | undefined): SourceFeed {
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0];
    throw new FeedReadError(`not an RSS, Atom or JSON feed that can be read (${detail})`, { cause: error });
  }
  switch (parsed.format) {
    case 'rss':
      return fromRss(parsed.feed, documentUrl);
    case 'atom':
      return fromAtom(parsed.feed, documentUrl);
    case 'json':
      return fromJson(parsed.feed, documentUrl);
    case 'rdf':
      return fromRdf(parsed.feed, documentUrl);
  }
}

// ---------------------------------------------------------------- SourceItem into an article

/**
 * Writers from one credit line: "By A and B", "A, B and C", "A & B" are
 * several writers; a URL is kept only for a credit that names one writer.
 */
export function splitWriters(line: string): string[] {
  const text = toPlainText(line).text.replace(/^by\s+/i, '');
  return text
    .split(/\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+/i)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function writersOf(item: SourceItem, notes: string[]): Record<string, unknown>[] {
  const writers: { name: string; url?: string }[] = [];
  for (const { name, url } of item.writers) {
    const names = splitWriters(name);
    for (const one of names) {
      if (writers.some((w) => w.name === one)) continue;
      writers.push(names.length === 1 && url !== undefined ? { name: one, url } : { name: one });
    }
  }
  if (writers.length > LIMITS.bylines) {
    notes.push(`byline: ${writers.length} writers, the first ${LIMITS.bylines} kept`);
    writers.length = LIMITS.bylines;
  }
  return writers;
}

/** The section a category names (by id or title, in any case). */
function sectionNamed(config: SiteConfig, category: string): string | undefined {
  const wanted = category.trim().toLowerCase();
  return config.sections.find((s) => s.id === wanted || s.title.toLowerCase() === wanted)?.id;
}

function topicsAndSection(
  item: SourceItem,
  options: ImportOptions,
  notes: string[],
): { topics: string[]; section: string } {
  const categories = [...new Set(item.categories.map((c) => toPlainText(c).text).filter((c) => c !== ''))];
  const section =
    options.section ??
    categories.map((c) => sectionNamed(options.config, c)).find(present) ??
    options.config.sections[0]!.id;
  // A category that names the section is the section, not a topic as well.
  let topics = categories.filter((c) => sectionNamed(options.config, c) !== section);
  const long = topics.filter((t) => characterCount(t) > LIMITS.topic);
  if (long.length > 0) {
    notes.push(
      `topics: ${long.map((t) => `"${t}"`).join(', ')} left out (a topic has at most ${LIMITS.topic} characters)`,
    );
    topics = topics.filter((t) => !long.includes(t));
  }
  if (topics.length > LIMITS.topics) {
    notes.push(`topics: ${topics.length} categories, the first ${LIMITS.topics} kept`);
    topics = topics.slice(0, LIMITS.topics);
  }
  return { topics, section };
}

function mediaOf(
  item: SourceItem,
  notes: string[],
): { image?: Record<string, unknown>; media: Record<string, unknown>[] } {
  let image: Record<string, unknown> | undefined;
  const media: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const source of item.media) {
    const url = resolve(source.url, item.base);
    if (url === undefined || !/^https?:/.test(url)) {
      notes.push(`media: ${source.url} left out (not an absolute http(s) URL, and no base to resolve it)`);
      continue;
    }
    if (seen.has(url)) continue;
    seen.add(url);
    const type = mediaType({ ...source, url });
    const photo = isImage(source, type);
    const video = isVideo(source, type);
    if (!photo && !video) {
      const why =
        type === undefined ? 'its type is not given' : `${type}: Newswire carries photos and videos`;
      notes.push(`media: ${url} left out (${why})`);
      continue;
    }
    if (photo && type !== undefined && !(IMAGE_TYPES as readonly string[]).includes(type)) {
      notes.push(`media: ${url} left out (${type} is not a web image type Newswire serves)`);
      continue;
    }
    const thumbnailUrl = resolve(source.thumbnail?.url, item.base);
    const caption = toPlainText(source.caption ?? '').text;
    const credit = toPlainText(source.credit ?? '').text;
    const common = {
      url,
      ...(caption !== '' && { caption }),
      ...(credit !== '' && { credit }),
      ...fieldIf('width', positive(source.width, LIMITS.imageDimension)),
      ...fieldIf('height', positive(source.height, LIMITS.imageDimension)),
      ...fieldIf('length', positive(source.length, 2 ** 40)),
    };
    if (photo && image === undefined) {
      const thumbnail =
        thumbnailUrl === undefined
          ? undefined
          : {
              url: thumbnailUrl,
              ...fieldIf('width', positive(source.thumbnail?.width, LIMITS.imageDimension)),
              ...fieldIf('height', positive(source.thumbnail?.height, LIMITS.imageDimension)),
            };
      image = {
        ...common,
        ...(type !== undefined && { type }),
        ...(thumbnail !== undefined && { thumbnail }),
      };
      continue;
    }
    if (type === undefined) {
      notes.push(`media: ${url} left out (its type is not given and cannot be told from its name)`);
      continue;
    }
    media.push({
      ...common,
      type,
      ...(video && fieldIf('duration', positive(source.duration, LIMITS.duration))),
      ...(video && thumbnailUrl !== undefined && { poster: thumbnailUrl }),
    });
  }
  if (media.length > LIMITS.media) {
    notes.push(`media: ${media.length} photos and videos, the first ${LIMITS.media} kept`);
    media.length = LIMITS.media;
  }
  return { ...(image !== undefined && { image }), media };
}

/** Summaries cut from the full text (when the feed gives none) are at most this long. */
const DERIVED_SUMMARY_LENGTH = 300;

function toImportItem(
  item: SourceItem,
  index: number,
  feed: SourceFeed,
  options: ImportOptions,
  seen: Map<string, string>,
): ImportItem {
  const where = `item ${index + 1}`;
  if (item.key === undefined) return { ok: false, where, reason: 'has no guid, id or link to identify it' };
  const id = articleIdFor(item.key);
  const refuse = (reason: string): ImportRefusal => ({ ok: false, where, id, reason });
  const earlier = seen.get(item.key);
  if (earlier !== undefined) return refuse(`has the same guid as ${earlier} ("${item.key}")`);
  seen.set(item.key, where);
  // Feed titles are HTML more often than not (RSS by custom, Atom type="html" and "xhtml"): as text here.
  const headline = nonBlank(toPlainText(item.title ?? '').text);
  if (headline === undefined) return refuse('has no title (Newswire needs a headline)');
  const url = resolve(item.link, item.base);
  if (url === undefined && item.link !== undefined) {
    return refuse(
      `its link "${item.link}" is relative and the feed gives no base (xml:base); import the feed from its URL`,
    );
  }
  const notes: string[] = [];
  if (url === undefined)
    notes.push("url: the item has no link; the article's page on this site is its address");
  let date = item.dates.map(feedDate).find(present);
  if (date === undefined) {
    date = feed.dates.map(feedDate).find(present);
    if (date === undefined) return refuse('has no date, and neither does the feed');
    notes.push(`publishedAt: the item has no date; the feed's (${date}) is used`);
  }
  const contentBase = item.contentBase ?? url ?? `${options.config.baseUrl}/`;
  const body = item.bodyHtml === undefined ? '' : sanitizeBody(item.bodyHtml, contentBase);
  let summary: string;
  if (item.summaryHtml !== undefined) {
    summary = sanitizeSummary(item.summaryHtml, contentBase);
    const length = characterCount(summary);
    if (length > LIMITS.summary) {
      notes.push(`summary: ${length} characters, shortened to ${LIMITS.summary} at a word`);
      summary = excerpt(summary, LIMITS.summary);
    }
  } else {
    summary = excerpt(body, DERIVED_SUMMARY_LENGTH);
  }
  const { topics, section } = topicsAndSection(item, options, notes);
  const { image, media } = mediaOf(item, notes);
  const sentLanguage = item.language ?? feed.language;
  const language = languageTag(sentLanguage);
  if (language === undefined && sentLanguage !== undefined && nonBlank(sentLanguage) !== undefined) {
    const shown =
      sentLanguage.length > 40
        ? `${sentLanguage.slice(0, 40)}…" (${sentLanguage.length} characters)`
        : `${sentLanguage}"`;
    notes.push(
      `language: "${shown} ${LANGUAGE_TAG_RULE.replace(/^must be/, 'is not')}; the site's language is used`,
    );
  }
  const article: Record<string, unknown> = {
    headline,
    summary,
    body,
    ...(url !== undefined && { url }),
    section,
    ...(options.editions !== undefined && { editions: options.editions }),
    topics,
    byline: writersOf(item, notes),
    ...(image !== undefined && { image }),
    ...(media.length > 0 && { media }),
    publishedAt: date,
    ...(language !== undefined && { language }),
  };
  return { ok: true, where, id, key: item.key, article, notes };
}

/**
 * Reads a feed and maps every item to an article (or to the reason it cannot
 * be one). Throws FeedReadError when the text is not a feed.
 */
export function readFeedForImport(text: string, options: ImportOptions): ImportFeed {
  const feed = readSource(text, options.documentUrl);
  const seen = new Map<string, string>();
  return {
    format: feed.format,
    title: toPlainText(feed.title).text,
    items: feed.items.map((item, i) => toImportItem(item, i, feed, options, seen)),
  };
}
