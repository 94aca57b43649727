import {
  ACCESS_LEVELS,
  type Access,
  ARTICLE_ID,
  type ArticleContent,
  type Byline,
  LANGUAGE_TAG,
  LANGUAGE_TAG_RULE,
  type LeadImage,
  LIMITS,
  type MediaItem,
  type Rendition,
} from './article.ts';
import type { SiteConfig } from './config.ts';
import { type FieldProblem, MAX_PROBLEMS, ValidationError } from './errors.ts';
import { absoluteLink, sanitizeBody, sanitizeSummary, toPlainText } from './html.ts';
import { characterCount, hasForbiddenCharacters, htmlToText, isSlug, utf8Length } from './text.ts';
import { isReservedArticleId } from './urls.ts';

/**
 * The write API's article validator: every field checked, every problem
 * named (up to MAX_PROBLEMS, then counted), HTML sanitised, plain-text fields
 * reduced to text with a warning saying what changed.
 */

/** Problems listed in one 400; the rest are counted, so an error response stays small. */

/** Web image types accepted for photos. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'] as const;
/** Video types accepted in `media` (MP4, WebM, QuickTime and HLS playlists). */
export const VIDEO_TYPES = ['video/mp4', 'video/webm', 'video/quicktime', 'application/vnd.apple.mpegurl'];

/** Fields the server maintains: tolerated when a client echoes a GET back, never stored from input. */
const SERVER_FIELDS = new Set([
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'status',
  'withdrawnAt',
  'warnings',
  'republished',
]);
/** The fields of an article a client writes (the rest are the server's). */
export const ARTICLE_CONTENT_FIELDS = [
  'headline',
  'summary',
  'body',
  'url',
  'section',
  'editions',
  'topics',
  'byline',
  'image',
  'media',
  'publishedAt',
  'language',
  'access',
] as const;
const CONTENT_FIELDS: ReadonlySet<string> = new Set(ARTICLE_CONTENT_FIELDS);

/** A parsed article: content ready to store, and what was changed to make it so. */
export interface ParsedArticle {
  /** `publishedAt` is absent when the client left it out (the service decides: now, or unchanged). */
  content: Omit<ArticleContent, 'publishedAt'> & { publishedAt?: string };
  /** Plain-text fields that lost markup or had character references decoded. */
  warnings: FieldProblem[];
}

class Checker {
  readonly problems: FieldProblem[] = [];
  readonly warnings: FieldProblem[] = [];
  omitted = 0;

  fail(field: string, message: string): undefined {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ field, message });
    else this.omitted++;
    return undefined;
  }

  warn(field: string, message: string): void {
    if (this.warnings.length < MAX_PROBLEMS) this.warnings.push({ field, message });
  }
}

type Input = Record<string, unknown>;

function isObject(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/** Names every key of `value` that is not in `known`. */
function unknownKeys(check: Checker, path: string, value: Input, known: ReadonlySet<string>): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) check.fail(join(path, key), 'is not a known field');
  }
}

/** A field is left out only when it is absent; `null` is a value, and a wrong one for every field. */
function present(value: unknown): boolean {
  return value !== undefined;
}

/** A required or optional string; `undefined` (after reporting) when it is missing or not a string. */
function stringAt(check: Checker, field: string, value: unknown, required: boolean): string | undefined {
  if (!present(value)) return required ? check.fail(field, 'is required') : undefined;
  if (typeof value !== 'string') return check.fail(field, 'must be a string');
  return value;
}

/** A plain-text field: markup stripped, references decoded (with a warning), white space collapsed. */
function plainText(
  check: Checker,
  field: string,
  value: unknown,
  options: { max: number; required: boolean; allowEmpty?: boolean },
): string | undefined {
  const raw = stringAt(check, field, value, options.required);
  if (raw === undefined) return undefined;
  const plain = toPlainText(raw);
  if (plain.markup) check.warn(field, 'markup was removed: this field is plain text');
  if (plain.references) check.warn(field, 'character references such as &amp; were decoded to characters');
  if (plain.text === '') {
    if (options.allowEmpty) return undefined;
    return check.fail(field, 'must not be empty');
  }
  if (characterCount(plain.text) > options.max) {
    return check.fail(field, `must be at most ${options.max} characters`);
  }
  return plain.text;
}

/** An absolute http(s) URL without credentials, normalised. */
function httpUrl(check: Checker, field: string, value: unknown, required: boolean): string | undefined {
  const raw = stringAt(check, field, value, required);
  if (raw === undefined) return undefined;
  if (raw.length > LIMITS.url) return check.fail(field, `must be at most ${LIMITS.url} characters`);
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    hasForbiddenCharacters(raw)
  ) {
    return check.fail(field, 'must be an absolute http or https URL');
  }
  if (url.username !== '' || url.password !== '') {
    return check.fail(field, 'must not contain a user name or password');
  }
  return url.href;
}

function integerAt(
  check: Checker,
  field: string,
  value: unknown,
  range: { min: number; max: number; unit: string },
): number | undefined {
  if (!present(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    return check.fail(field, `must be a number of ${range.unit}`);
  if (!Number.isInteger(value)) return check.fail(field, `must be a whole number of ${range.unit}`);
  if (value < range.min) return check.fail(field, `must be at least ${range.min} ${range.unit}`);
  if (value > range.max) return check.fail(field, `must be at most ${range.max} ${range.unit}`);
  return value;
}

const PIXELS = { min: 1, max: LIMITS.imageDimension, unit: 'pixels' };
const BYTES = { min: 1, max: 2 ** 40, unit: 'bytes' };
const SECONDS = { min: 1, max: LIMITS.duration, unit: 'seconds' };

/** An array field; `undefined` (after reporting) when it is not an array or is too long. */
function arrayAt(
  check: Checker,
  field: string,
  value: unknown,
  options: { max: number; noun: string; what: string },
): unknown[] | undefined {
  if (!present(value)) return undefined;
  if (!Array.isArray(value)) return check.fail(field, `must be an array of ${options.what}`);
  if (value.length > options.max)
    return check.fail(field, `must have at most ${options.max} ${options.noun}`);
  return value;
}

function assign<T extends object>(target: T, values: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) Object.assign(target, { [key]: value });
  }
  return target;
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/i;

/** True for an RFC 3339 date-time that names a real moment (no 30 February, no hour 24). */
function isRfc3339(value: string): boolean {
  const m = rfc3339.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const [offsetHours, offsetMinutes] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month! - 1 &&
    calendar.getUTCDate() === day &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

function publishedAt(check: Checker, value: unknown, now: Date): string | undefined {
  const raw = stringAt(check, 'publishedAt', value, false);
  if (raw === undefined) return undefined;
  const time = isRfc3339(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(time)) {
    return check.fail(
      'publishedAt',
      'must be an RFC 3339 date-time with an offset, e.g. 2026-11-27T09:30:00Z',
    );
  }
  if (time < 0) return check.fail('publishedAt', 'must not be before 1970');
  if (time > now.getTime() + LIMITS.scheduleAheadDays * 86_400_000) {
    return check.fail('publishedAt', `must not be more than ${LIMITS.scheduleAheadDays} days ahead`);
  }
  return new Date(time).toISOString();
}

function oneOf(
  check: Checker,
  field: string,
  value: unknown,
  allowed: readonly string[],
): string | undefined {
  const raw = stringAt(check, field, value, true);
  if (raw === undefined) return undefined;
  return allowed.includes(raw) ? raw : check.fail(field, `must be one of ${allowed.join(', ')}`);
}

function editionsAt(check: Checker, value: unknown, config: SiteConfig): string[] | undefined {
  const ids = config.editions.map((e) => e.id);
  const list = arrayAt(check, 'editions', value, {
    max: Number.POSITIVE_INFINITY,
    noun: '',
    what: 'edition ids',
  });
  if (list === undefined) return undefined;
  if (list.length === 0) {
    return check.fail('editions', 'must name at least one edition (omit the field for every edition)');
  }
  const editions: string[] = [];
  let valid = true;
  for (const [i, item] of list.entries()) {
    const id = oneOf(check, `editions.${i}`, item, ids);
    if (id === undefined) valid = false;
    else editions.push(id);
  }
  if (!valid) return undefined;
  if (new Set(editions).size !== editions.length) return check.fail('editions', 'must not repeat an edition');
  return editions;
}

function topicsAt(check: Checker, value: unknown): string[] {
  const list = arrayAt(check, 'topics', value, { max: LIMITS.topics, noun: 'topics', what: 'strings' }) ?? [];
  const topics = list.map((item, i) =>
    plainText(check, `topics.${i}`, item, { max: LIMITS.topic, required: true }),
  );
  return [...new Set(topics.filter((t) => t !== undefined))];
}

const BYLINE_FIELDS = new Set(['id', 'name', 'title', 'url']);

function bylineAt(check: Checker, value: unknown): Byline[] {
  const list =
    arrayAt(check, 'byline', value, { max: LIMITS.bylines, noun: 'writers', what: 'writers' }) ?? [];
  const writers: Byline[] = [];
  for (const [i, item] of list.entries()) {
    const path = `byline.${i}`;
    if (!isObject(item)) {
      check.fail(path, 'must be an object with name, and optionally id, title and url');
      continue;
    }
    unknownKeys(check, path, item, BYLINE_FIELDS);
    const id = stringAt(check, `${path}.id`, item.id, false);
    if (id !== undefined && !isSlug(id)) {
      check.fail(
        `${path}.id`,
        'must be a slug: lowercase letters, digits and single hyphens, e.g. ana-ortiz',
      );
    }
    const name = plainText(check, `${path}.name`, item.name, { max: LIMITS.name, required: true });
    const title = plainText(check, `${path}.title`, item.title, {
      max: LIMITS.title,
      required: false,
      allowEmpty: true,
    });
    const url = httpUrl(check, `${path}.url`, item.url, false);
    if (name !== undefined) writers.push(assign({ name } as Byline, { id, title, url }));
  }
  return writers;
}

/** Caption and credit, plain text, blank ones left out. */
function captionAndCredit(check: Checker, path: string, item: Input): { caption?: string; credit?: string } {
  const caption = plainText(check, `${path}.caption`, item.caption, {
    max: LIMITS.caption,
    required: false,
    allowEmpty: true,
  });
  const credit = plainText(check, `${path}.credit`, item.credit, {
    max: LIMITS.credit,
    required: false,
    allowEmpty: true,
  });
  return assign({}, { caption, credit });
}

const IMAGE_FIELDS = new Set(['url', 'caption', 'credit', 'width', 'height', 'type', 'length', 'thumbnail']);
const RENDITION_FIELDS = new Set(['url', 'width', 'height']);

function renditionAt(check: Checker, path: string, value: unknown): Rendition | undefined {
  if (!present(value)) return undefined;
  if (!isObject(value)) return check.fail(path, 'must be an object with url, width and height');
  unknownKeys(check, path, value, RENDITION_FIELDS);
  const url = httpUrl(check, `${path}.url`, value.url, true);
  const width = integerAt(check, `${path}.width`, value.width, PIXELS);
  const height = integerAt(check, `${path}.height`, value.height, PIXELS);
  return url === undefined ? undefined : assign({ url } as Rendition, { width, height });
}

function imageAt(check: Checker, value: unknown): LeadImage | undefined {
  if (!present(value)) return undefined;
  if (!isObject(value)) {
    return check.fail('image', 'must be an object with url, caption, credit, width, height and type');
  }
  unknownKeys(check, 'image', value, IMAGE_FIELDS);
  const url = httpUrl(check, 'image.url', value.url, true);
  const type = present(value.type) ? oneOf(check, 'image.type', value.type, IMAGE_TYPES) : undefined;
  const fields = {
    ...captionAndCredit(check, 'image', value),
    width: integerAt(check, 'image.width', value.width, PIXELS),
    height: integerAt(check, 'image.height', value.height, PIXELS),
    type,
    length: integerAt(check, 'image.length', value.length, BYTES),
    thumbnail: renditionAt(check, 'image.thumbnail', value.thumbnail),
  };
  return url === undefined ? undefined : assign({ url } as LeadImage, fields);
}

const MEDIA_FIELDS = new Set([
  'url',
  'type',
  'caption',
  'credit',
  'width',
  'height',
  'duration',
  'poster',
  'length',
]);
const MEDIA_TYPES = [...IMAGE_TYPES, ...VIDEO_TYPES];

function mediaAt(check: Checker, value: unknown): MediaItem[] {
  const list =
    arrayAt(check, 'media', value, { max: LIMITS.media, noun: 'items', what: 'photos and videos' }) ?? [];
  const media: MediaItem[] = [];
  for (const [i, item] of list.entries()) {
    const path = `media.${i}`;
    if (!isObject(item)) {
      check.fail(
        path,
        'must be an object with url and type, and optionally caption, credit, width, height, duration and poster',
      );
      continue;
    }
    unknownKeys(check, path, item, MEDIA_FIELDS);
    const url = httpUrl(check, `${path}.url`, item.url, true);
    const type = oneOf(check, `${path}.type`, item.type, MEDIA_TYPES);
    const video = type !== undefined && VIDEO_TYPES.includes(type);
    if (!video && type !== undefined && present(item.duration))
      check.fail(`${path}.duration`, 'is for videos only');
    if (!video && type !== undefined && present(item.poster))
      check.fail(`${path}.poster`, 'is for videos only');
    const fields = {
      ...captionAndCredit(check, path, item),
      width: integerAt(check, `${path}.width`, item.width, PIXELS),
      height: integerAt(check, `${path}.height`, item.height, PIXELS),
      duration: integerAt(check, `${path}.duration`, item.duration, SECONDS),
      poster: httpUrl(check, `${path}.poster`, item.poster, false),
      length: integerAt(check, `${path}.length`, item.length, BYTES),
    };
    if (url !== undefined && type !== undefined) media.push(assign({ url, type } as MediaItem, fields));
  }
  return media;
}

/**
 * The base for resolving relative links: the publisher's URL when it is
 * valid; without one, the site itself (the article's page lives there).
 */
function baseFor(url: unknown, config: SiteConfig): string {
  const site = `${config.baseUrl}/`;
  return (typeof url === 'string' && absoluteLink(url, site)) || site;
}

/**
 * Validates and sanitises one article from the write API. Throws a
 * ValidationError that names every problem; returns content that is safe to
 * store and render, and warnings about what was changed in plain-text fields.
 */
export function parseArticle(input: unknown, id: string, config: SiteConfig, now: Date): ParsedArticle {
  const check = new Checker();
  if (!isObject(input)) {
    check.fail('', 'must be a JSON object');
    throw new ValidationError(check.problems);
  }
  for (const key of Object.keys(input)) {
    if (!CONTENT_FIELDS.has(key) && !SERVER_FIELDS.has(key)) check.fail(key, 'is not a known field');
  }
  if (present(input.id) && input.id !== id) {
    check.fail('id', `must match the id in the URL ("${id}") or be left out`);
  }
  if (isReservedArticleId(id)) {
    check.fail(
      'id',
      `"${id}" is the name of a feed, file or folder of the site, which the article's page /{edition}/{section}/${id}/ would collide with; choose another id`,
    );
  }
  const headline = plainText(check, 'headline', input.headline, { max: LIMITS.headline, required: true });
  const rawSummary = stringAt(check, 'summary', input.summary, true);
  let summary: string | undefined;
  if (rawSummary !== undefined) {
    if (characterCount(rawSummary) > LIMITS.summary) {
      check.fail('summary', `must be at most ${LIMITS.summary} characters`);
    } else {
      summary = sanitizeSummary(rawSummary, baseFor(input.url, config));
      if (htmlToText(summary).trim() === '') summary = check.fail('summary', 'must not be empty');
    }
  }
  const rawBody = stringAt(check, 'body', input.body, true);
  if (rawBody !== undefined && utf8Length(rawBody) > LIMITS.bodyBytes) {
    check.fail('body', `must be at most ${LIMITS.bodyBytes} bytes of UTF-8`);
  }
  const url = httpUrl(check, 'url', input.url, false);
  const section = oneOf(
    check,
    'section',
    input.section,
    config.sections.map((s) => s.id),
  );
  const editions = editionsAt(check, input.editions, config);
  const topics = topicsAt(check, input.topics);
  const byline = bylineAt(check, input.byline);
  const image = imageAt(check, input.image);
  const media = mediaAt(check, input.media);
  const published = publishedAt(check, input.publishedAt, now);
  const language = present(input.language) ? stringAt(check, 'language', input.language, false) : undefined;
  if (language !== undefined && !LANGUAGE_TAG.test(language)) check.fail('language', LANGUAGE_TAG_RULE);
  const access = present(input.access) ? oneOf(check, 'access', input.access, ACCESS_LEVELS) : undefined;
  if (check.problems.length > 0) throw new ValidationError(check.problems, { omitted: check.omitted });
  const content: ParsedArticle['content'] = {
    headline: headline!,
    summary: summary!,
    body: sanitizeBody(rawBody!, url ?? baseFor(undefined, config)),
    ...(url !== undefined && { url }),
    section: section!,
    topics,
    byline,
    language: language ?? config.language,
  };
  if (editions !== undefined) content.editions = editions;
  if (image !== undefined) content.image = image;
  if (media.length > 0) content.media = media;
  if (published !== undefined) content.publishedAt = published;
  if (access !== undefined) content.access = access as Access;
  return { content, warnings: check.warnings };
}

/** Validates an article id taken from a URL path. */
export function parseArticleId(raw: string | undefined): string {
  if (raw === undefined || !ARTICLE_ID.test(raw)) {
    throw new ValidationError([
      {
        field: 'id',
        message:
          'must be 1–128 characters: letters, digits, ".", "_" or "-", starting with a letter or digit',
      },
    ]);
  }
  return raw;
}
