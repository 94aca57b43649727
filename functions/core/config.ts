/**
 * The site configuration's shape and defaults. This module is what the
 * Lambda functions bundle: it neither imports a validator nor checks
 * anything, so that a cold start does not pay for either. The config is
 * validated where it is built and run from source — by the CDK app before a
 * deploy, by the local runtime at start-up and by the tests — with
 * validateConfig (config-schema.ts).
 */

import type { PartnerId } from './partners.ts';

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

/** An image the site publishes for one slot, with its size in pixels. */
export interface BrandImage {
  /** Absolute, or a path on this site (`/assets/logo.png`), which follows the site's address. */
  url: string;
  width: number;
  height: number;
}

/**
 * The site's images, each made for the slot that shows it, and Feedly's
 * colour. Feeds name each in its own element; see docs/feeds.md.
 */
export interface Brand {
  /** RSS 2.0 channel `<image>`: at most 144 px wide and 400 px high, sent with its size. */
  channelImage: BrandImage;
  /** A wide logo, twice as wide as high: Atom `<logo>` (RFC 4287 §4.2.8) and Feedly's `webfeeds:logo`. */
  logo: BrandImage;
  /** A 512 × 512 square: JSON Feed `icon`, Feedly's `webfeeds:icon`, SmartNews's channel logo. */
  icon: BrandImage;
  /** A 64 × 64 square: Atom `<icon>`, JSON Feed `favicon`. */
  favicon: BrandImage;
  /** A wide cover picture for the feed's page in Feedly (`webfeeds:cover`). */
  cover: BrandImage;
  /** Feedly's accent colour (`webfeeds:accentColor`): six hexadecimal digits, no `#`. */
  accentColor: string;
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
  /** Images made for each slot of the feeds (channel image, wide logo, icons); without it, the site's own under /assets/. */
  brand?: Brand | undefined;
  /**
   * Language with region (BCP 47, `en-GB`) of feeds whose edition names no
   * region — an edition tagged `en`, writers' and topics' feeds — and of
   * their items in that language: news apps ask for a locale.
   */
  locale?: string | undefined;
  /** The news apps this site syndicates to: each gets a feed per edition (docs/partners.md). */
  partners: PartnerId[];
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
export type SiteConfigInput = Omit<SiteConfig, 'pageSize' | 'editions' | 'partners'> & {
  pageSize?: number;
  partners?: PartnerId[];
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
 * The site configuration with its defaults filled in (page size 50, no partners, editions
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
    partners: input.partners ?? [],
    editions: editions as Edition[],
  };
}
