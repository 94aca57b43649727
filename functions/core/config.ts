/**
 * The site configuration's shape and defaults. This module is what the
 * Lambda functions bundle: it neither imports a validator nor checks
 * anything, so that a cold start does not pay for either. The config is
 * validated where it is built and run from source — by the CDK app before a
 * deploy, by the local runtime at start-up and by the tests — with
 * validateConfig (config-schema.ts).
 */

/** One section (world, business, …). */
export interface Section {
  id: string;
  title: string;
}

/** One regional edition of the site. */
export interface Edition {
  id: string;
  title: string;
  description: string;
  /** BCP 47 language tag; no two editions share one (pages tie them together with hreflang). */
  language: string;
  /** IANA time zone of the edition's home desk. */
  timeZone: string;
  /** ISO 3166-1 alpha-2 codes of the countries it serves. */
  countries: string[];
  /** The edition carries every article (the International edition). */
  includesAll: boolean;
}

/** Where headlines on the site's pages lead (see SiteConfig.links). */
export type HeadlineLinks = 'site' | 'publisher';

/** The site configuration every module reads, with its defaults filled in. */
export interface SiteConfig {
  title: string;
  description: string;
  /** Public address of the site, without a trailing slash. */
  baseUrl: string;
  copyright: string;
  language: string;
  /** Fixed authority for `tag:` URIs (RFC 4151), so article guids survive a domain change. */
  tagAuthority: string;
  /** Channel image (RSS image, Atom logo, JSON icon): PNG, JPEG or GIF, ideally 144×144 or wider. */
  logoUrl?: string | undefined;
  /** Small square icon (Atom icon, JSON favicon). */
  iconUrl?: string | undefined;
  /** Items per feed page (1–100). */
  pageSize: number;
  hubUrl?: string | undefined;
  /**
   * Where headlines on the site's pages lead: `site` (the default), the
   * article's page here; `publisher`, the publisher's own page (the article's
   * `url`) when it has one. Feed items link to the publisher's page either way.
   */
  links?: HeadlineLinks | undefined;
  /** The publisher's subscription page: where a premium story's teaser invites readers to subscribe. */
  subscribeUrl?: string | undefined;
  /**
   * The subscriber estimate on the public site: with `public: true`, pages
   * show each feed's count of readers beside its subscribe links (rounded,
   * and only from PUBLIC_COUNT_FLOOR up). Off by default: then no count
   * appears anywhere public; `newswire stats` and `GET /api/stats` have them.
   */
  subscriberCounts?: { public: boolean } | undefined;
  defaultEdition: string;
  sections: Section[];
  editions: Edition[];
}

/** An edition as written in newswire.config.ts (countries and includesAll may be left out). */
export type EditionInput = Omit<Edition, 'countries' | 'includesAll'> &
  Partial<Pick<Edition, 'countries' | 'includesAll'>>;

/** The site configuration as written in newswire.config.ts (defaults may be left out). */
export type SiteConfigInput = Omit<SiteConfig, 'pageSize' | 'editions'> & {
  pageSize?: number;
  editions: EditionInput[];
};

/** Items per feed page when the config names no pageSize. */
export const DEFAULT_PAGE_SIZE = 50;

/** DynamoDB's limit on items in one TransactWriteItems call. */
export const TRANSACTION_ITEMS = 100;

/** Raised when newswire.config.ts is invalid; the message names every bad field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The site configuration with its defaults filled in (page size 50, editions
 * serving no particular country, baseUrl without a trailing slash). Does not
 * validate: see validateConfig. Unknown fields are kept, so that validation
 * can name them.
 */
export function defineConfig(input: SiteConfigInput): SiteConfig {
  const editions = Array.isArray(input.editions)
    ? input.editions.map((edition) =>
        typeof edition === 'object' && edition !== null
          ? { ...edition, countries: edition.countries ?? [], includesAll: edition.includesAll ?? false }
          : edition,
      )
    : input.editions;
  return {
    ...input,
    baseUrl: typeof input.baseUrl === 'string' ? input.baseUrl.replace(/\/+$/, '') : input.baseUrl,
    pageSize: input.pageSize ?? DEFAULT_PAGE_SIZE,
    editions: editions as Edition[],
  };
}
