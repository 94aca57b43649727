import { z } from 'zod';
import type { SiteConfig } from './config.ts';
import { type FieldProblem, ValidationError } from './errors.ts';
import { sanitizeBody, sanitizeSummary } from './html.ts';
import { cleanLine, cleanText, hasForbiddenCharacters, htmlToText, utf8Length } from './text.ts';

/** Article ids come from the URL path: they appear in keys, guids and URLs. */
export const ARTICLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

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
  scheduleAheadDays: 366,
} as const;

/** A writer credited on an article. */
export interface Byline {
  name: string;
  title?: string;
  url?: string;
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
}

/** What the CMS controls: the validated, sanitised article content. */
export interface ArticleContent {
  headline: string;
  summary: string;
  body: string;
  url: string;
  section: string;
  /** Absent means every edition. */
  editions?: string[];
  topics: string[];
  byline: Byline[];
  image?: LeadImage;
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`, so it sorts as text. */
  publishedAt: string;
  language: string;
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
}

/** The article as the API returns it, with its status at the time of the request. */
export interface ArticleView extends Article {
  status: ArticleStatus;
}

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'] as const;
const SERVER_FIELDS = ['id', 'version', 'createdAt', 'updatedAt', 'status', 'withdrawnAt'];

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

function lineText(max: number, min = 1) {
  return z
    .string({ error: 'must be a string' })
    .transform(cleanLine)
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
        .max(max, `must be at most ${max} characters`),
    );
}

const httpUrl = z
  .string({ error: 'must be a string' })
  .max(LIMITS.url, `must be at most ${LIMITS.url} characters`)
  .transform((value, ctx) => {
    try {
      const url = new URL(value.trim());
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !hasForbiddenCharacters(value)) {
        return url.href;
      }
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be an absolute http or https URL' });
    return z.NEVER;
  });

const pixels = z
  .number({ error: 'must be a number of pixels' })
  .int('must be a whole number of pixels')
  .min(1, 'must be at least 1 pixel')
  .max(LIMITS.imageDimension, `must be at most ${LIMITS.imageDimension} pixels`);

function schemaFor(config: SiteConfig, now: Date) {
  const sectionIds = config.sections.map((s) => s.id);
  const editionIds = config.editions.map((e) => e.id);
  const latest = now.getTime() + LIMITS.scheduleAheadDays * 86_400_000;
  return z
    .object({
      headline: lineText(LIMITS.headline),
      summary: z
        .string({ error: 'must be a string' })
        .max(LIMITS.summary, `must be at most ${LIMITS.summary} characters`),
      body: z
        .string({ error: 'must be a string' })
        .refine(
          (b) => utf8Length(b) <= LIMITS.bodyBytes,
          `must be at most ${LIMITS.bodyBytes} bytes of UTF-8`,
        ),
      url: httpUrl,
      section: z.string({ error: 'must be a string' }).refine((s) => sectionIds.includes(s), {
        message: `must be one of ${sectionIds.join(', ')}`,
      }),
      editions: z
        .array(
          z.string({ error: 'must be a string' }).refine((e) => editionIds.includes(e), {
            message: `must be one of ${editionIds.join(', ')}`,
          }),
          { error: 'must be an array of edition ids' },
        )
        .min(1, 'must name at least one edition (omit the field for every edition)')
        .refine((a) => new Set(a).size === a.length, 'must not repeat an edition')
        .optional(),
      topics: z
        .array(lineText(LIMITS.topic), { error: 'must be an array of strings' })
        .max(LIMITS.topics, `must have at most ${LIMITS.topics} topics`)
        .default([])
        .transform((topics) => [...new Set(topics)]),
      byline: z
        .array(
          z
            .object(
              {
                name: lineText(LIMITS.name),
                title: lineText(LIMITS.title).optional(),
                url: httpUrl.optional(),
              },
              { error: 'must be an object with name, title and url' },
            )
            .strict(),
          { error: 'must be an array of writers' },
        )
        .max(LIMITS.bylines, `must have at most ${LIMITS.bylines} writers`)
        .default([]),
      image: z
        .object(
          {
            url: httpUrl,
            caption: z
              .string({ error: 'must be a string' })
              .transform(cleanLine)
              .pipe(z.string().max(LIMITS.caption, `must be at most ${LIMITS.caption} characters`))
              .optional(),
            credit: lineText(LIMITS.credit).optional(),
            width: pixels.optional(),
            height: pixels.optional(),
            type: z.enum(IMAGE_TYPES, { error: `must be one of ${IMAGE_TYPES.join(', ')}` }).optional(),
            length: z
              .number()
              .int()
              .min(1)
              .max(2 ** 40)
              .optional(),
          },
          { error: 'must be an object with url, caption, credit, width, height and type' },
        )
        .strict()
        .optional(),
      publishedAt: z
        .string({ error: 'must be a string' })
        .refine((s) => isRfc3339(s) && !Number.isNaN(Date.parse(s)), {
          message: 'must be an RFC 3339 date-time with an offset, e.g. 2026-11-27T09:30:00Z',
        })
        .transform((s) => new Date(s))
        .refine((d) => d.getTime() >= Date.UTC(1970, 0, 1), 'must not be before 1970')
        .refine((d) => d.getTime() <= latest, `must not be more than ${LIMITS.scheduleAheadDays} days ahead`)
        .transform((d) => d.toISOString()),
      language: z
        .string({ error: 'must be a string' })
        .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or en-GB')
        .optional(),
    })
    .catchall(z.unknown());
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function problemsOf(error: z.ZodError, input: unknown): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      return { field, message: 'is required' };
    }
    if (issue.code === 'unrecognized_keys') {
      return { field: [field, ...issue.keys].filter(Boolean).join('.'), message: 'is not a known field' };
    }
    return { field, message: issue.message };
  });
}

/** The base for resolving relative links: the article URL when it is valid. */
function baseFor(url: unknown): string {
  try {
    return new URL(String(url)).href;
  } catch {
    return 'https://invalid.invalid/';
  }
}

/**
 * Validates and sanitises one article from the write API. Throws a
 * ValidationError that lists every problem; returns content that is safe to
 * store and render.
 */
export function parseArticle(input: unknown, id: string, config: SiteConfig, now: Date): ArticleContent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ field: '', message: 'must be a JSON object' }]);
  }
  const problems: FieldProblem[] = [];
  const record = input as Record<string, unknown>;
  const schema = schemaFor(config, now);
  const known = new Set([...Object.keys(schema.shape), ...SERVER_FIELDS]);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) problems.push({ field: key, message: 'is not a known field' });
  }
  if ('id' in record && record.id !== id) {
    problems.push({ field: 'id', message: `must match the id in the URL ("${id}") or be left out` });
  }
  const result = schema.safeParse(input);
  // Not push(...spread): 125,000 bad elements would overflow the stack.
  if (!result.success) for (const problem of problemsOf(result.error, input)) problems.push(problem);
  // Checked on the raw value too, so an empty summary is reported with every other problem.
  const rawSummary = record.summary;
  const summary =
    typeof rawSummary === 'string' ? sanitizeSummary(rawSummary, baseFor(record.url)) : undefined;
  if (summary !== undefined && htmlToText(summary).trim() === '') {
    problems.push({ field: 'summary', message: 'must not be empty' });
  }
  if (problems.length > 0 || !result.success || summary === undefined) throw new ValidationError(problems);
  const data = result.data;
  const body = sanitizeBody(data.body, data.url);
  const content: ArticleContent = {
    headline: data.headline,
    summary: sanitizeSummary(data.summary, data.url),
    body,
    url: data.url,
    section: data.section,
    topics: data.topics,
    byline: data.byline.map((b) => ({
      name: b.name,
      ...(b.title !== undefined && { title: b.title }),
      ...(b.url !== undefined && { url: b.url }),
    })),
    publishedAt: data.publishedAt,
    language: data.language ?? config.language,
  };
  if (data.editions !== undefined) content.editions = data.editions;
  if (data.image !== undefined) {
    const image: LeadImage = { url: data.image.url };
    for (const key of ['caption', 'credit', 'width', 'height', 'type', 'length'] as const) {
      const value = data.image[key];
      if (value !== undefined && value !== '') Object.assign(image, { [key]: value });
    }
    content.image = image;
  }
  return content;
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

/** The status of an article at `now`. */
export function statusOf(article: Article, now: Date): ArticleStatus {
  if (article.withdrawnAt !== undefined) return 'withdrawn';
  return article.publishedAt > now.toISOString() ? 'scheduled' : 'published';
}

/** The article as the API shows it. */
export function viewArticle(article: Article, now: Date): ArticleView {
  return { ...article, status: statusOf(article, now) };
}

/** Strong ETag of a stored article version. */
export function articleEtag(article: Pick<Article, 'version'>): string {
  return `"v${article.version}"`;
}

/** Re-applies text hygiene to a stored string (items written by older versions may predate a rule). */
export function repairText(value: string): string {
  return cleanText(value);
}
