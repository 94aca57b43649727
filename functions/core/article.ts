/**
 * The article as Newswire stores and shows it. This module holds types and
 * small pure helpers only, so that the read functions can use it without the
 * write path's validator and HTML sanitiser (see article-input.ts).
 */

/** Article ids come from the URL path: they appear in keys, guids and URLs. */
export const ARTICLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Longest language tag accepted: RFC 5646 §4.4.1's 35 characters, which hold any tag without extensions. */
export const LANGUAGE_TAG_MAX = 35;

/**
 * A BCP 47 language tag as Newswire accepts one (en, en-GB, zh-Hant-HK, es-419): well-formed by
 * RFC 5646 §2.1's `langtag` or `privateuse` syntax, at most LANGUAGE_TAG_MAX characters, with a
 * language subtag of 2–3 letters (the 4–8-letter ones the syntax reserves have never been
 * registered, so `english` is refused). One definition for articles, editions, imports, the
 * renderers and the OpenAPI document.
 */
export const LANGUAGE_TAG =
  // (?=…{2,35}$): LANGUAGE_TAG_MAX. Then language (2–3 letters and up to three extlangs), script, region,
  // variants, extensions (a singleton other than x), private use; or private use alone.
  /^(?=.{2,35}$)(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?|[Xx](?:-[A-Za-z0-9]{1,8})+)$/;

/** What a refused language tag is told: one message for the API, the config and import. */
export const LANGUAGE_TAG_RULE = `must be a BCP 47 language tag (RFC 5646) of at most ${LANGUAGE_TAG_MAX} characters, such as en, en-GB or zh-Hant-HK`;

/**
 * Version of the stored content rules. Articles written under the current
 * rules are rendered as stored; older ones are cleaned again when rendered.
 * 2: plain-text fields hold text only; byline ids, thumbnails and media.
 */
export const CONTENT_RULES = 2;

/** Most stories editors may list in an edition's Top Stories (the feeds read it alone, without LIMITS). */
export const TOP_STORIES_LIMIT = 30;

/** Limits of the write API, in one place so docs and errors agree. */
export const LIMITS = {
  headline: 300,
  summary: 2000,
  bodyBytes: 200 * 1024,
  topics: 20,
  topic: 60,
  bylines: 10,
  name: 120,
  title: 120,
  caption: 1000,
  credit: 300,
  url: 2048,
  imageDimension: 20000,
  media: 20,
  /** Longest video, in seconds (a day). */
  duration: 86_400,
  scheduleAheadDays: 366,
  /** Editors' Top Stories per edition. */
  topStories: TOP_STORIES_LIMIT,
} as const;

/** Who may read a story in full: everyone, or subscribers only (the public sees a teaser). */
export const ACCESS_LEVELS = ['free', 'premium'] as const;

/** An article's access level (see ACCESS_LEVELS). */
export type Access = (typeof ACCESS_LEVELS)[number];

/** A writer credited on an article. `id` (else a slug of the name) names their feed. */
export interface Byline {
  id?: string;
  name: string;
  title?: string;
  url?: string;
}

/** A smaller rendition of a photo. */
export interface Rendition {
  url: string;
  width?: number;
  height?: number;
}

/** The lead photo. `length` (bytes) is optional and only used for RSS enclosures. */
export interface LeadImage {
  url: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
  type?: string;
  length?: number;
  thumbnail?: Rendition;
}

/** A photo or video shown after the body (a gallery, a related clip). */
export interface MediaItem {
  url: string;
  /** `image/…` or `video/…` (or HLS). */
  type: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
  /** Seconds, videos only. */
  duration?: number;
  /** Still image shown before a video plays. */
  poster?: string;
  length?: number;
}

/** What the CMS controls: the validated, sanitised article content. */
export interface ArticleContent {
  headline: string;
  summary: string;
  body: string;
  /** The publisher's own page for the story, when it has one; else the article's page on this site is its address. */
  url?: string;
  section: string;
  /** Absent means every edition. */
  editions?: string[];
  topics: string[];
  byline: Byline[];
  image?: LeadImage;
  media?: MediaItem[];
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`, so it sorts as text. */
  publishedAt: string;
  language: string;
  /** Absent on articles stored before access levels existed, which are free. */
  access?: Access;
}

/** Lifecycle of a stored article; `scheduled` is derived from publishedAt at read time. */
export type ArticleStatus = 'published' | 'scheduled' | 'withdrawn';

/** An article as stored: content plus what the server maintains. */
export interface Article extends ArticleContent {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  withdrawnAt?: string;
  /** CONTENT_RULES the content was written under; absent for the oldest articles. */
  rules?: number;
  /**
   * When what readers see of the article last changed: the time of the last write made while
   * it was published, or that published or withdrew it. Edits of a story still scheduled
   * leave it, so they change nothing public. Absent until the article is first public.
   */
  publicChangeAt?: string;
}

/** Server bookkeeping kept out of what the API returns. */
export type InternalField = 'rules' | 'publicChangeAt';

/** The article as the API returns it, with its status at the time of the request. */
export interface ArticleView extends Omit<Article, InternalField> {
  status: ArticleStatus;
  access: Access;
}

/** An article's access level: `free` unless stored as premium. */
export function accessOf(article: Pick<ArticleContent, 'access'>): Access {
  return article.access ?? 'free';
}

/** The status of an article at `now`. */
export function statusOf(article: Pick<Article, 'withdrawnAt' | 'publishedAt'>, now: Date): ArticleStatus {
  if (article.withdrawnAt !== undefined) return 'withdrawn';
  return article.publishedAt > now.toISOString() ? 'scheduled' : 'published';
}

/** An article without the server's bookkeeping (as revisions are shown). */
export function withoutInternal(article: Article): Omit<Article, InternalField> & { access: Access } {
  const { rules: _rules, publicChangeAt: _public, ...shown } = article;
  return { ...shown, access: accessOf(article) };
}

/** The article as the API shows it. */
export function viewArticle(article: Article, now: Date): ArticleView {
  return { ...withoutInternal(article), status: statusOf(article, now) };
}

/**
 * When an article version became what feeds show: the later of its
 * publication (a scheduled story appears then, with no write) and the write
 * that made it (a backdated story or a correction appears when written).
 */
export function changedAtOf(article: Pick<Article, 'publishedAt' | 'updatedAt'>): string {
  return laterTime(article.publishedAt, article.updatedAt);
}

/** The later of two ISO times (UTC, as stored: they sort as text); '' stands for none. */
export function laterTime(a: string, b: string): string {
  if (a > b) return a;
  return b;
}

/** True when readers can see the article at `now` (an ISO time): not withdrawn, and published by then. */
export function isPublic(article: Pick<Article, 'withdrawnAt' | 'publishedAt'>, now: string): boolean {
  return article.withdrawnAt === undefined && article.publishedAt <= now;
}

/** Strong ETag of a stored article version. */
export function articleEtag(article: Pick<Article, 'version'>): string {
  return `"v${article.version}"`;
}

/** True when a media type names a video (HLS playlists included). */
export function isVideoType(type: string): boolean {
  return type.startsWith('video/') || type === 'application/vnd.apple.mpegurl';
}
