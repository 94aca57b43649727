/**
 * Who fetched a feed, told from the request's User-Agent: a hosted reader
 * that says how many of its users follow the feed, a reader that runs for one
 * person (or one install), a service that fetches for many but reports no
 * count, a crawler, a browser, or something unknown. Every recogniser is in
 * one table, each with the page where its format is published.
 */

/** What kind of client a request came from; only `hosted` and `reader` count as subscribers. */
export type ClientKind = 'hosted' | 'reader' | 'aggregator' | 'crawler' | 'browser' | 'unknown';

/** The kinds that are left out of the estimate and listed by family instead. */
export const UNCOUNTED_KINDS = ['aggregator', 'crawler', 'browser', 'unknown'] as const;

/** A kind left out of the estimate. */
export type UncountedKind = (typeof UNCOUNTED_KINDS)[number];

/** A client as the estimate sees it. */
export type Client =
  /** A hosted reader reporting how many of its users follow this feed (under `feedId`, when it names one). */
  | { kind: 'hosted'; name: string; subscribers: number; feedId: string }
  /** A reader on a person's device or one self-hosted install: each distinct one is one subscriber. */
  | { kind: 'reader'; name: string }
  /** Left out of the estimate, listed by its User-Agent family. */
  | { kind: UncountedKind; name: string };

/** One entry of the table: a name, what it is, how to recognise it, and where its format is published. */
export interface Recogniser {
  readonly name: string;
  /** `hosted`: reports a count (without one on a request, that request is an aggregator's). */
  readonly kind: 'hosted' | 'reader' | 'aggregator' | 'crawler';
  readonly pattern: RegExp;
  /** Where the reader's feed id is in its User-Agent (group 1), beyond the generic `feed-id=`/`feed-id:`. */
  readonly feedId?: RegExp;
  /** The page or source file where the reader publishes this User-Agent. */
  readonly source: string;
}

/** Feed id written into the estimate for a hosted reader that names none. */
export const NO_FEED_ID = '-';

/**
 * The recognisers, in the order they are tried. Hosted readers come first:
 * several of them end their User-Agent with a browser's, which must not make
 * them a browser.
 */
export const RECOGNISERS: readonly Recogniser[] = [
  // Hosted readers that report their subscribers.
  { name: 'Feedly', kind: 'hosted', pattern: /\bFeedly\//i, source: 'https://feedly.com/fetcher.html' },
  {
    name: 'Inoreader',
    kind: 'hosted',
    pattern: /\binoreader\b/i,
    source: 'https://www.inoreader.com/feed-fetcher',
  },
  {
    name: 'NewsBlur',
    kind: 'hosted',
    pattern: /^NewsBlur Feed Fetcher\b|\(NewsBlur Feed Fetcher\b/,
    feedId: /newsblur\.com\/site\/(\d+)/i,
    source: 'https://github.com/samuelclay/NewsBlur/blob/master/apps/rss_feeds/models.py (Feed.user_agent)',
  },
  {
    name: 'Feedbin',
    kind: 'hosted',
    pattern: /\bFeedbin\b/,
    source: 'https://github.com/feedbin/crawler/blob/main/app/jobs/feed_downloader.rb',
  },
  {
    name: 'The Old Reader',
    kind: 'hosted',
    pattern: /\btheoldreader\.com\b/i,
    source:
      'https://theoldreader.com/ (format as publishers log it: "compatible; theoldreader.com; N subscribers; feed-id=…")',
  },
  { name: 'BazQux', kind: 'hosted', pattern: /\bBazQux\b/i, source: 'https://bazqux.com/fetcher' },
  {
    name: 'Feedspot',
    kind: 'hosted',
    pattern: /\bFeedspot\b/i,
    source: 'https://www.feedspot.com/ (token "Feedspot"; a count is used only when the request carries one)',
  },
  {
    name: 'PlainFeeder',
    kind: 'hosted',
    pattern: /^PlainFeeder\b/,
    source: 'https://www.plainfeeder.com/about',
  },
  {
    name: 'FeedHQ',
    kind: 'hosted',
    pattern: /^FeedHQ\//,
    source: 'https://github.com/feedhq/feedhq/wiki/User-Agent',
  },
  // Services that fetch for many people (or for a hub) and report no count: listed, not counted.
  {
    name: 'Google Feedfetcher',
    kind: 'aggregator',
    pattern: /\bFeedfetcher-Google\b/i,
    source: 'https://developers.google.com/crawling/docs/crawlers-fetchers/feedfetcher',
  },
  {
    name: 'Flipboard',
    kind: 'aggregator',
    pattern: /\bFlipboard(RSS|Proxy)?\//i,
    source: 'https://about.flipboard.com/ (FlipboardRSS/FlipboardProxy, +http://flipboard.com/browserproxy)',
  },
  {
    name: 'Superfeedr',
    kind: 'aggregator',
    pattern: /\bSuperfeedr\b/i,
    source: 'https://superfeedr.com/ (a WebSub hub fetching for its subscribers)',
  },
  {
    name: 'Blogtrottr',
    kind: 'aggregator',
    pattern: /^Blogtrottr\//,
    source: 'https://blogtrottr.com/ (feed-to-email)',
  },
  // Readers that run for one person or one install: one subscriber per distinct client.
  {
    name: 'NetNewsWire',
    kind: 'reader',
    pattern: /\bNetNewsWire\b/,
    source:
      'https://github.com/Ranchero-Software/NetNewsWire ("NetNewsWire (RSS Reader; https://netnewswire.com/)")',
  },
  {
    name: 'Newsboat',
    kind: 'reader',
    pattern: /^Newsboat\//i,
    source: 'https://newsboat.org/ ("Newsboat/<version> (<OS> <arch>)", src/utils.cpp get_useragent)',
  },
  {
    name: 'Feeder',
    kind: 'reader',
    pattern: /^SpaceCowboys Android RSS Reader\b/,
    source: 'https://github.com/spacecowboy/Feeder (USER_AGENT_STRING)',
  },
  {
    name: 'Tiny Tiny RSS',
    kind: 'reader',
    pattern: /^Tiny Tiny RSS\//,
    source: 'https://tt-rss.org/ ("Tiny Tiny RSS/<version> (https://tt-rss.org/)", SELF_USER_AGENT)',
  },
  {
    name: 'Miniflux',
    kind: 'reader',
    pattern: /\bMiniflux\//,
    source:
      'https://github.com/miniflux/v2/blob/main/internal/config/options.go (defaultHTTPClientUserAgent)',
  },
  {
    name: 'FreshRSS',
    kind: 'reader',
    pattern: /^FreshRSS\//,
    source: 'https://freshrss.org/ ("FreshRSS/<version> (<OS>; https://freshrss.org)")',
  },
  {
    name: 'Reeder',
    kind: 'reader',
    pattern: /^Reeder\b/,
    source: 'https://reederapp.com/ ("Reeder/<build> CFNetwork/…")',
  },
  { name: 'Newsify', kind: 'reader', pattern: /^Newsify\b/, source: 'https://newsify.co/' },
  {
    name: 'Liferea',
    kind: 'reader',
    pattern: /^Liferea\//,
    source: 'https://lzone.de/liferea/ ("Liferea/<version> (<OS>; <locale>; https://lzone.de/liferea/)")',
  },
  {
    name: 'Akregator',
    kind: 'reader',
    pattern: /^Akregator\//i,
    source: 'https://apps.kde.org/akregator/ ("Akregator/<version>; syndication")',
  },
  { name: 'Thunderbird', kind: 'reader', pattern: /\bThunderbird\//, source: 'https://www.thunderbird.net/' },
  {
    name: 'Fiery Feeds',
    kind: 'reader',
    pattern: /^Fiery(%20| )Feeds\//,
    source: 'https://voidstern.net/fiery-feeds',
  },
  {
    name: 'Unread',
    kind: 'reader',
    pattern: /^Unread\//,
    source: 'https://www.goldenhillsoftware.com/unread/',
  },
  { name: 'CommaFeed', kind: 'reader', pattern: /\bCommaFeed\b/i, source: 'https://www.commafeed.com/' },
  {
    name: 'Nextcloud News',
    kind: 'reader',
    pattern: /\bNextCloud-News\b/i,
    source: 'https://github.com/nextcloud/news',
  },
  // Crawlers and one-off fetchers: never a subscription.
  {
    name: 'Google-Read-Aloud',
    kind: 'crawler',
    pattern: /\bGoogle-Read-Aloud\b/,
    source: 'https://developers.google.com/crawling/docs/crawlers-fetchers/google-user-triggered-fetchers',
  },
  {
    name: 'Googlebot',
    kind: 'crawler',
    pattern: /\bGooglebot\b|\bGoogle-InspectionTool\b|\bGoogleOther\b/,
    source: 'https://developers.google.com/crawling/docs/crawlers-fetchers/overview-google-crawlers',
  },
  {
    name: 'Bingbot',
    kind: 'crawler',
    pattern: /\bbingbot\b|\bBingPreview\b/i,
    source: 'https://www.bing.com/webmasters/help/which-crawlers-does-bing-use-8c184ec0',
  },
  {
    name: 'Applebot',
    kind: 'crawler',
    pattern: /\bApplebot\b/,
    source: 'https://support.apple.com/en-us/119829',
  },
  {
    name: 'Link previews',
    kind: 'crawler',
    pattern:
      /\b(facebookexternalhit|meta-externalagent|Twitterbot|Slackbot|Discordbot|LinkedInBot|TelegramBot|WhatsApp)\b/i,
    source: 'https://developers.facebook.com/docs/sharing/webmasters/web-crawlers/',
  },
];

/** Crawlers that the table does not name, by the words they use for themselves. */
const CRAWLER_WORDS = /bot\b|bot\/|crawl|spider|slurp|archiver|scanner|headless|preview/i;

/** Browsers: a Mozilla/5.0 platform clause and an engine, and no `compatible;` service clause. */
const BROWSER = /^Mozilla\/5\.0 \([^)]*\).*\b(Chrome|CriOS|Firefox|FxiOS|Safari|Edg|OPR)\/[\d.]+/;

/** "N subscribers" (or "1 subscriber", "N readers", "Subscriber Count: N"), as hosted readers report it. */
const COUNT = /(?:\b(\d[\d,]*)\s+(?:subscribers?|readers)\b)|(?:\bSubscriber Count:\s*(\d[\d,]*))/i;

/** The generic feed id: `feed-id=…`, `feed-id:…` or `feedid: …`. */
const FEED_ID = /\bfeed-?id\s*[=:]\s*([A-Za-z0-9._-]{1,64})/i;

/** Longest family name kept: families come from whoever sends a request. */
const FAMILY_LENGTH = 40;

/** Largest count believed from one User-Agent: more than any reader has reported for one feed. */
const MAX_REPORTED = 10_000_000;

/** The count a User-Agent reports, if any. */
function reportedCount(userAgent: string): number | undefined {
  const match = COUNT.exec(userAgent);
  const digits = (match?.[1] ?? match?.[2])?.replaceAll(',', '');
  if (digits === undefined) return undefined;
  const count = Number(digits);
  return Number.isSafeInteger(count) && count >= 0 && count <= MAX_REPORTED ? count : undefined;
}

/**
 * The product a User-Agent names: `Mozilla/5.0 (compatible; Foo/1.2; …)` → `Foo`,
 * `Foo Bar/1.2 (…)` → `Foo Bar`, with versions and oddities dropped and the
 * length bounded (families come from anyone).
 */
export function userAgentFamily(userAgent: string): string {
  const text = userAgent.trim();
  if (text === '') return '(none)';
  const compatible = /\(compatible;\s*([^;)]+)/i.exec(text)?.[1];
  const product = compatible ?? text;
  const name = /^[^/;(]+/.exec(product)?.[0] ?? product;
  const cleaned = name
    .replace(/[^\p{L}\p{N} ._+-]/gu, '')
    .trim()
    .replace(/\s+v?\d[\d.]*$/i, '')
    .trim()
    .slice(0, FAMILY_LENGTH);
  return cleaned === '' ? '(other)' : cleaned;
}

function browserName(engine: string, userAgent: string): string {
  if (/\bEdg\//.test(userAgent)) return 'Edge';
  if (/\bOPR\//.test(userAgent)) return 'Opera';
  if (engine === 'CriOS') return 'Chrome';
  if (engine === 'FxiOS') return 'Firefox';
  if (engine === 'Safari' && /\bChrome\//.test(userAgent)) return 'Chrome';
  return engine;
}

/** Classifies a request by its User-Agent (as sent, already URL-decoded). */
export function classifyUserAgent(userAgent: string): Client {
  const recogniser = RECOGNISERS.find((r) => r.pattern.test(userAgent));
  const count = reportedCount(userAgent);
  if (recogniser !== undefined) {
    if (recogniser.kind === 'reader' || recogniser.kind === 'crawler') {
      return { kind: recogniser.kind, name: recogniser.name };
    }
    if (count === undefined) return { kind: 'aggregator', name: recogniser.name };
    const feedId = (recogniser.feedId?.exec(userAgent) ?? FEED_ID.exec(userAgent))?.[1] ?? NO_FEED_ID;
    return { kind: 'hosted', name: recogniser.name, subscribers: count, feedId };
  }
  const family = userAgentFamily(userAgent);
  // Any service that follows the "N subscribers; feed-id=…" convention (FeedPress, "How to be a good feed fetcher").
  if (count !== undefined) {
    return {
      kind: 'hosted',
      name: family,
      subscribers: count,
      feedId: FEED_ID.exec(userAgent)?.[1] ?? NO_FEED_ID,
    };
  }
  // Only the product tokens: a reader's info URL may well contain "bot".
  if (CRAWLER_WORDS.test(userAgent.replace(/\+?https?:\/\/\S*/g, '')))
    return { kind: 'crawler', name: family };
  const browser = BROWSER.exec(userAgent);
  if (browser !== null && !/\(compatible;/i.test(userAgent)) {
    return { kind: 'browser', name: browserName(browser[1] ?? '', userAgent) };
  }
  return { kind: 'unknown', name: family };
}
