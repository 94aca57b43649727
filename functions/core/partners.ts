/**
 * The news apps Newswire syndicates to, each with the rules its own published
 * specification sets (docs/partners.md quotes each rule with its source). A
 * partner feed is RSS 2.0 shaped to one partner: which date it reads for
 * corrections, the elements it asks for, the HTML it renders, its image
 * minimum, item count and size limit. A new partner is one new entry here
 * (and its row in docs/partners.md); routes, OPML, pages, write-time warnings
 * and the renderer read the entries.
 */

/** The partners Newswire can syndicate to: a closed vocabulary, used in URLs and the config. */
export const PARTNER_IDS = ['google-news', 'smartnews', 'msn', 'flipboard', 'apple-news'] as const;

/** One partner's id, as in `/{edition}/partners/{id}.xml`. */
export type PartnerId = (typeof PARTNER_IDS)[number];

/** The smallest photo a partner shows, in pixels. */
export interface ImageMinimum {
  /** Which side the minimum applies to. */
  side: 'width' | 'shortest' | 'longest';
  pixels: number;
}

/** A partner as pages, OPML and routes name it. */
export interface Partner {
  /** The partner's name, as in titles and warnings. */
  name: string;
  /** True when the partner takes one feed per edition only (else also one per section). */
  editionsOnly?: true;
}

/** What one partner's published specification asks of its feed and its stories. */
export interface PartnerSpec {
  /** Most items it reads from a feed; else the site's page size. */
  maxItems?: number;
  /** Largest feed, in bytes, it takes or recommends; else the budget of every feed. */
  maxBytes?: number;
  /** The smallest photo it asks for: a story without one, or with a smaller one, is flagged at write time. */
  image?: ImageMinimum;
  /** True when each item's RSS `pubDate` carries its latest correction (else its first publication). */
  pubDateIsModified?: true;
  /** The HTML elements it renders in the full text; undefined when it renders any sanitised HTML. */
  htmlTags?: readonly string[];
  /** Longest channel description it takes, in characters. */
  maxDescription?: number;
  /** Square channel image it asks for, in pixels (else the RSS 2.0 channel image, at most 144 wide). */
  squareLogo?: number;
}

/** MSN's allowed tags ("MSN HTML guidelines and tag restrictions"), less iframe: Newswire never embeds. */
const MSN_TAGS =
  'b i em strong sub sup small h1 h2 h3 h4 h5 a img table thead tbody tfoot tr td th col caption colgroup ul ol li p div span br blockquote'.split(
    ' ',
  );

/**
 * Each partner, and its rules from its own published specification (quoted,
 * with its address, in docs/partners.md): a new partner is one entry in each
 * table. Two tables, so that the pages, which name partners, do not carry
 * the rules only feeds and writes read.
 */
export const PARTNERS: Readonly<Record<PartnerId, Partner>> = {
  'google-news': { name: 'Google News' },
  smartnews: { name: 'SmartNews', editionsOnly: true },
  msn: { name: 'MSN' },
  flipboard: { name: 'Flipboard' },
  'apple-news': { name: 'Apple News' },
};

/** Each partner's rules (see PARTNERS). */
export const PARTNER_RULES: Readonly<Record<PartnerId, PartnerSpec>> = {
  'google-news': {
    maxItems: 60,
    maxBytes: 2_000_000,
    // Google Discover's "large images" (the Publisher Center feed page states no minimum).
    image: { side: 'width', pixels: 1200 },
    pubDateIsModified: true,
  },
  smartnews: { maxBytes: 1_000_000, maxDescription: 30, squareLogo: 512 },
  msn: { image: { side: 'longest', pixels: 720 }, htmlTags: MSN_TAGS },
  flipboard: { image: { side: 'shortest', pixels: 400 } },
  'apple-news': {},
};

/** The partner a feed file names (`google-news.xml`), if any. */
export function partnerOfFile(file: string): PartnerId | undefined {
  return PARTNER_IDS.find((id) => `${id}.xml` === file);
}

/** True when a photo of this size meets the partner's minimum (a photo of unknown size does not). */
export function meetsImageMinimum(
  minimum: ImageMinimum,
  size: { width?: number | undefined; height?: number | undefined },
): boolean {
  const { width, height } = size;
  if (width === undefined || height === undefined) return false;
  const side =
    minimum.side === 'width'
      ? width
      : minimum.side === 'shortest'
        ? Math.min(width, height)
        : Math.max(width, height);
  return side >= minimum.pixels;
}

/** How a minimum reads in a warning: "at least 800 px on its shortest side". */
export function describeMinimum(minimum: ImageMinimum): string {
  const side = { width: 'wide', shortest: 'on its shortest side', longest: 'on its longest side' }[
    minimum.side
  ];
  return `at least ${minimum.pixels} px ${side}`;
}
