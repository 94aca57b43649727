import type { Edition, SiteConfig } from '../config.ts';
import type { EntryMedia, FeedEntry } from '../feeds/entry.ts';
import { h } from './layout.ts';

/**
 * What an article page tells search engines and social apps about its
 * story, in the head: NewsArticle JSON-LD with every property Google lists
 * as recommended for articles (headline, image, datePublished, dateModified,
 * author with name and url — Google lists none as required), each writer as
 * a Person with their jobTitle as Google's author markup best practices ask
 * (https://developers.google.com/search/docs/appearance/structured-data/article),
 * the publisher with its logo; Open Graph (https://ogp.me/, with its article
 * properties) and Twitter card tags.
 */

type Json = Record<string, unknown>;

/**
 * The class of a premium story's paywalled section. Google's paywalled-content markup names
 * it in `hasPart.cssSelector`, which must be a class selector, on a section not nested in
 * another marked one (https://developers.google.com/search/docs/appearance/structured-data/paywalled-content).
 */
export const PAYWALL_CLASS = 'paywall';

/**
 * Whether the story is free, and for a premium one the paywalled part of its page, as Google's
 * paywalled-content markup states it so that the teaser is not taken for cloaking.
 */
function accessProperties(entry: FeedEntry): Json {
  if (entry.premium === undefined) return { isAccessibleForFree: true };
  return {
    isAccessibleForFree: false,
    hasPart: {
      '@type': 'WebPageElement',
      isAccessibleForFree: false,
      cssSelector: `.${PAYWALL_CLASS}`,
    },
  };
}

/** ISO 8601 duration of a video (`PT1M34S`). */
function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s > 0 || (h === 0 && m === 0) ? `${s}S` : ''}`;
}

function imageObject(image: EntryMedia): Json {
  return {
    '@type': 'ImageObject',
    url: image.url,
    ...(image.width !== undefined && { width: image.width }),
    ...(image.height !== undefined && { height: image.height }),
    ...(image.caption !== undefined && { caption: image.caption }),
    ...(image.credit !== undefined && { creditText: image.credit }),
  };
}

/**
 * JSON that can sit inside a `<script>` element: `<`, `>` and `&` escaped
 * as JSON unicode escapes, so no value can close the element or open a comment.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The NewsArticle of a story's page, as JSON-LD (an object: the page embeds it, tests read it). */
export function newsArticle(config: SiteConfig, entry: FeedEntry, section: string | undefined): Json {
  const photos = [entry.image, ...entry.media.filter((m) => m.medium === 'image')].filter(
    (m) => m !== undefined,
  );
  const videos = entry.media.filter((m) => m.medium === 'video');
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': entry.page,
    url: entry.page,
    mainEntityOfPage: { '@type': 'WebPage', '@id': entry.page },
    headline: entry.title,
    ...(entry.summaryText !== '' && { description: entry.summaryText }),
    ...(photos.length > 0 && { image: photos.map(imageObject) }),
    ...(entry.image?.thumbnail !== undefined && { thumbnailUrl: entry.image.thumbnail.url }),
    ...(videos.length > 0 && {
      video: videos.map((v) => ({
        '@type': 'VideoObject',
        name: v.caption ?? entry.title,
        ...(v.caption !== undefined && { description: v.caption }),
        contentUrl: v.url,
        encodingFormat: v.type,
        ...(v.thumbnail !== undefined && { thumbnailUrl: v.thumbnail.url }),
        uploadDate: entry.published.toISOString(),
        ...(v.duration !== undefined && { duration: isoDuration(v.duration) }),
        ...(v.credit !== undefined && { creditText: v.credit }),
      })),
    }),
    datePublished: entry.published.toISOString(),
    dateModified: entry.modified.toISOString(),
    author: entry.authors.map((a) => ({
      '@type': 'Person',
      name: a.name,
      ...(a.title !== undefined && { jobTitle: a.title }),
      ...((a.url ?? a.page) !== undefined && { url: a.url ?? a.page }),
      ...(a.url !== undefined && a.page !== undefined && { sameAs: [a.page] }),
    })),
    publisher: {
      '@type': 'NewsMediaOrganization',
      name: config.title,
      url: `${config.baseUrl}/`,
      ...(config.logoUrl !== undefined && { logo: { '@type': 'ImageObject', url: config.logoUrl } }),
    },
    ...(section !== undefined && { articleSection: section }),
    ...(entry.categories.length > 1 && { keywords: entry.categories.slice(1).map((c) => c.label) }),
    inLanguage: entry.language,
    ...accessProperties(entry),
  };
}

/** `en-GB` as Open Graph writes locales: `en_GB`. */
function ogLocale(language: string): string {
  const [lang = 'en', region] = language.split('-');
  return region === undefined || region.length !== 2
    ? lang.toLowerCase()
    : `${lang.toLowerCase()}_${region.toUpperCase()}`;
}

/**
 * The head markup of an article page for search engines and social apps:
 * NewsArticle JSON-LD, Open Graph and Twitter card tags.
 */
export function articleHeadTags(
  config: SiteConfig,
  entry: FeedEntry,
  edition: Edition,
  canonical: string,
  section: string | undefined,
): string {
  const image = entry.image;
  const meta = (attribute: 'property' | 'name', key: string, value: string | number | undefined) =>
    value === undefined ? [] : [`<meta ${attribute}="${key}" content="${h(String(value))}">`];
  const og = (key: string, value: string | number | undefined) => meta('property', key, value);
  const tags = [
    ...og('og:type', 'article'),
    ...og('og:site_name', config.title),
    ...og('og:title', entry.title),
    ...og('og:description', entry.summaryText === '' ? undefined : entry.summaryText),
    ...og('og:url', canonical),
    ...og('og:locale', ogLocale(edition.language)),
    ...(image === undefined
      ? []
      : [
          ...og('og:image', image.url),
          ...og('og:image:type', image.type),
          ...og('og:image:width', image.width),
          ...og('og:image:height', image.height),
          ...og('og:image:alt', image.caption),
        ]),
    ...og('article:published_time', entry.published.toISOString()),
    ...og('article:modified_time', entry.modified.toISOString()),
    ...og('article:section', section),
    ...entry.authors.flatMap((a) => og('article:author', a.page ?? a.url)),
    ...entry.categories.slice(1).flatMap((c) => og('article:tag', c.label)),
    ...meta('name', 'twitter:card', image === undefined ? 'summary' : 'summary_large_image'),
    ...meta('name', 'twitter:title', entry.title),
    ...meta('name', 'twitter:description', entry.summaryText === '' ? undefined : entry.summaryText),
    ...(image === undefined
      ? []
      : [...meta('name', 'twitter:image', image.url), ...meta('name', 'twitter:image:alt', image.caption)]),
  ];
  return [
    ...tags,
    `<script type="application/ld+json">${scriptJson(newsArticle(config, entry, section))}</script>`,
  ].join('\n');
}
