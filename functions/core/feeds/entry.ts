import type { Article } from '../article.ts';
import type { SiteConfig } from '../config.ts';
import { cleanLine, cleanText } from '../text.ts';
import { articleGuid, pageUrl } from '../urls.ts';

/** A writer as every format shows them. */
export interface EntryAuthor {
  name: string;
  title?: string;
  url?: string;
}

/** The lead photo as every format shows it. */
export interface EntryImage {
  url: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
  type: string;
  length?: number;
}

/** A category: the section (with its page as scheme/domain) or a topic. */
export interface EntryCategory {
  term: string;
  label: string;
  scheme?: string;
}

/** One article as a feed item, format-neutral: each format file maps it to its elements. */
export interface FeedEntry {
  guid: string;
  link: string;
  title: string;
  summaryHtml: string;
  contentHtml: string;
  authors: EntryAuthor[];
  image?: EntryImage;
  categories: EntryCategory[];
  language: string;
  published: Date;
  /** Latest change: never before `published`; later only for a correction or update. */
  modified: Date;
}

/** True when the article changed after it was published (a correction or update). */
export function isCorrected(entry: FeedEntry): boolean {
  return entry.modified > entry.published;
}

/** The newest change among entries; the Unix epoch when there are none (never "now"). */
export function newestChange(entries: FeedEntry[]): Date {
  return new Date(Math.max(0, ...entries.map((e) => e.modified.getTime())));
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

function text(value: unknown): string {
  return typeof value === 'string' ? cleanText(value) : '';
}

function line(value: unknown): string {
  return typeof value === 'string' ? cleanLine(value) : '';
}

/** A stored media type if it looks like one, else image/jpeg. */
function imageType(value: unknown): string {
  return typeof value === 'string' && /^image\/[a-z0-9.+-]{1,40}$/i.test(value) ? value : 'image/jpeg';
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== '') Object.assign(base, { [key]: value });
  }
  return base;
}

/** Raised when a stored article cannot be shown in a feed at all. */
export class UnrenderableArticleError extends Error {
  override name = 'UnrenderableArticleError';
}

/**
 * Maps a stored article to a feed entry, repairing what can be repaired (text
 * that XML cannot carry, bad optional URLs) so that an item written by an
 * older version or by hand cannot break a feed. Throws
 * UnrenderableArticleError when the article lacks what every format requires.
 * `edition` is the feed's edition: section categories point at its section page.
 */
export function toFeedEntry(article: Article, config: SiteConfig, edition: string): FeedEntry {
  const link = httpUrl(article.url);
  const title = line(article.headline);
  const published = validDate(article.publishedAt);
  if (link === undefined || title === '' || published === undefined || typeof article.id !== 'string') {
    throw new UnrenderableArticleError(
      `Article "${String(article.id)}" has no valid url, headline or publishedAt`,
    );
  }
  const updated = validDate(article.updatedAt) ?? published;
  // A first version written after its publication time (a backdated import) is not a correction.
  const modified = article.version > 1 && updated > published ? updated : published;
  const section = config.sections.find((s) => s.id === article.section);
  const topics = (Array.isArray(article.topics) ? article.topics : []).map(line).filter((t) => t !== '');
  const authors = (Array.isArray(article.byline) ? article.byline : [])
    .map((b) =>
      withOptional({ name: line(b?.name) } as EntryAuthor, { title: line(b?.title), url: httpUrl(b?.url) }),
    )
    .filter((a) => a.name !== '');
  const imageUrl = httpUrl(article.image?.url);
  const entry: FeedEntry = {
    guid: articleGuid(config.tagAuthority, article.id),
    link,
    title,
    summaryHtml: text(article.summary),
    contentHtml: text(article.body),
    authors,
    categories: [
      ...(section === undefined
        ? []
        : [
            {
              term: section.id,
              label: section.title,
              scheme: pageUrl(config.baseUrl, { edition, section: section.id }),
            },
          ]),
      ...topics.map((t) => ({ term: t, label: t })),
    ],
    language: line(article.language) || config.language,
    published,
    modified,
  };
  if (imageUrl !== undefined && article.image !== undefined) {
    entry.image = withOptional({ url: imageUrl, type: imageType(article.image.type) } as EntryImage, {
      caption: line(article.image.caption),
      credit: line(article.image.credit),
      width: positive(article.image.width),
      height: positive(article.image.height),
      length: positive(article.image.length),
    });
  }
  return entry;
}

/** Maps stored articles to entries, leaving out (and logging) those that cannot be shown. */
export function toFeedEntries(
  articles: Article[],
  config: SiteConfig,
  edition: string,
  log: (message: string, context: Record<string, unknown>) => void,
): FeedEntry[] {
  const entries: FeedEntry[] = [];
  for (const article of articles) {
    try {
      entries.push(toFeedEntry(article, config, edition));
    } catch (error) {
      log('Left an article out', { id: article?.id, reason: (error as Error).message });
    }
  }
  return entries;
}
