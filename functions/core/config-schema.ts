/**
 * Validation of the site configuration, run where the config is built and
 * run from source — the CDK app before a deploy, the local runtime at
 * start-up, the tests — and never bundled into a Lambda function (zod and
 * the time-zone checks would cost every cold start).
 */
import { z } from 'zod';
import { LANGUAGE_TAG, LANGUAGE_TAG_RULE, LIMITS } from './article.ts';
import {
  ConfigError,
  defineConfig,
  type SiteConfig,
  type SiteConfigInput,
  TRANSACTION_ITEMS,
} from './config.ts';
import { PARTNER_IDS } from './partners.ts';
import { maxMemberships, RESERVED_IDS } from './scopes.ts';

/** Characters allowed in edition and section ids: they appear in URLs and DynamoDB keys. */
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lowercase letters, digits or hyphens');

const absoluteUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an absolute http(s) URL');

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/London');

const language = z.string().regex(LANGUAGE_TAG, LANGUAGE_TAG_RULE);

const brandImage = z
  .object({
    url: z.union([
      absoluteUrl,
      z.string().regex(/^\/[^/]/, 'must be an absolute http(s) URL or a path such as /assets/logo.png'),
    ]),
    width: z.number().int().min(1),
    height: z.number().int().min(1),
  })
  .strict();

const brandSchema = z
  .object({
    channelImage: brandImage.refine(
      (i) => i.width <= 144 && i.height <= 400,
      'must be at most 144 px wide and 400 px high (RSS 2.0 <image>)',
    ),
    logo: brandImage.refine((i) => i.width === 2 * i.height, 'must be twice as wide as high (Atom <logo>)'),
    icon: brandImage.refine(
      (i) => i.width === i.height && i.width >= 512,
      'must be a square of at least 512 px',
    ),
    favicon: brandImage.refine((i) => i.width === i.height, 'must be square'),
    cover: brandImage,
    accentColor: z.string().regex(/^[0-9a-fA-F]{6}$/, 'must be six hexadecimal digits, no #'),
  })
  .strict();

const sectionSchema = z.object({ id: slug, title: z.string().min(1).max(100) }).strict();

const editionSchema = z
  .object({
    id: slug,
    title: z.string().min(1).max(100),
    description: z.string().min(1).max(500),
    language,
    timeZone,
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')),
    includesAll: z.boolean(),
  })
  .strict();

const siteSchema = z
  .object({
    title: z.string().min(1).max(100),
    description: z.string().min(1).max(500),
    baseUrl: absoluteUrl,
    copyright: z.string().min(1).max(300),
    language,
    /** Fixed authority for `tag:` URIs (RFC 4151), so article guids survive a domain change. */
    tagAuthority: z
      .string()
      .regex(/^[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?$/, 'must look like example.com,2026'),
    /** Channel image (RSS image, Atom logo, JSON icon): PNG, JPEG or GIF, ideally 144×144 or wider. */
    logoUrl: absoluteUrl.optional(),
    /** Small square icon (Atom icon, JSON favicon). */
    iconUrl: absoluteUrl.optional(),
    brand: brandSchema.optional(),
    locale: z
      .string()
      .regex(
        /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?-([a-zA-Z]{2}|\d{3})$/,
        'must be a language with its region, such as en-GB',
      )
      .optional(),
    partners: z
      .array(z.enum(PARTNER_IDS))
      .refine((ids) => new Set(ids).size === ids.length, 'lists a partner twice'),
    pageSize: z.number().int().min(1).max(100),
    hubUrl: absoluteUrl.optional(),
    links: z.enum(['site', 'publisher']).optional(),
    subscribeUrl: absoluteUrl.optional(),
    subscriberCounts: z
      .object(
        { public: z.boolean({ error: 'must be true (pages show subscriber counts) or false' }) },
        { error: 'must be { public: true } or { public: false }' },
      )
      .strict()
      .optional(),
    defaultEdition: slug,
    sections: z.array(sectionSchema).min(1),
    editions: z.array(editionSchema).min(1),
  })
  .strict()
  .superRefine((site, ctx) => {
    const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
    for (const id of duplicates(site.sections.map((s) => s.id))) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: `duplicate section id "${id}"` });
    }
    for (const id of duplicates(site.editions.map((e) => e.id))) {
      ctx.addIssue({ code: 'custom', path: ['editions'], message: `duplicate edition id "${id}"` });
    }
    // Pages link each edition's copy with hreflang = its language, so no two editions may share one.
    const languages = site.editions.map((e) => e.language.toLowerCase());
    for (const [i, e] of site.editions.entries()) {
      const first = languages.indexOf(languages[i] ?? '');
      if (first !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['editions', i, 'language'],
          message: `"${e.language}" is already the language of edition "${site.editions[first]?.id}"; give each edition its own tag, e.g. a region subtag (en-GB, en-SG), so hreflang alternates do not collide`,
        });
      }
    }
    if (!site.editions.some((e) => e.id === site.defaultEdition)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultEdition'],
        message: `"${site.defaultEdition}" is not one of the editions`,
      });
    }
    const reserved = new Set<string>([...RESERVED_IDS, 'opml.xml', 'rss.xml', 'atom.xml', 'feed.json']);
    for (const [i, e] of site.editions.entries()) {
      if (reserved.has(e.id)) {
        ctx.addIssue({ code: 'custom', path: ['editions', i, 'id'], message: `"${e.id}" is reserved` });
      }
    }
    for (const [i, s] of site.sections.entries()) {
      if (reserved.has(s.id)) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'id'], message: `"${s.id}" is reserved` });
      }
    }
    // An article write is one DynamoDB transaction (at most 100 items): the article, its previous
    // version, and its feed entries out and in — two per edition, one per writer and topic.
    const items = 2 + 2 * maxMemberships(site.editions.length, LIMITS);
    if (items > TRANSACTION_ITEMS) {
      const most = Math.floor((TRANSACTION_ITEMS - 2 - 2 * (LIMITS.bylines + LIMITS.topics)) / 4);
      ctx.addIssue({
        code: 'custom',
        path: ['editions'],
        message: `at most ${most} editions: an article in every edition, with ${LIMITS.bylines} writers and ${LIMITS.topics} topics, must be written in one DynamoDB transaction of at most ${TRANSACTION_ITEMS} items`,
      });
    }
  });

/**
 * Validates a site configuration (its defaults filled in by defineConfig
 * first), throwing a ConfigError that names every bad field; returns the
 * config the functions use.
 */
export function validateConfig(input: SiteConfigInput | SiteConfig): SiteConfig {
  const config = defineConfig(input);
  const result = siteSchema.safeParse(config);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`newswire.config.ts is invalid:\n${problems.join('\n')}`);
  }
  return config;
}
