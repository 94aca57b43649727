import type { FeedPosition, TallyKey } from '../core/ports.ts';
import type { EntryScope } from '../core/scopes.ts';
import type { TableChange } from '../core/websub.ts';

/** Primary key of any item in the table. */
export interface ItemKey {
  pk: string;
  sk: string;
}

const ALL_SECTIONS = '*';
const ARTICLE = 'ARTICLE#';
const CURRENT = 'CURRENT';
const REVISION = 'REV#';
const FEED = 'FEED#';
const TOP = 'TOP#';
const LIST = 'LIST';
const KEY = 'KEY#';
const KEY_INDEX = 'KEYS';
const STATS = 'STATS#';
const STATS_SETS = 'STATSSETS#';
const FEED_TALLY = 'F#';
const UNCOUNTED_TALLY = 'UNCOUNTED';
const SALT = 'SALT#';
const SUBSCRIBER = 'SUB#';
const SUBSCRIBER_INDEX = 'SUBS';
const PUBLIC_COUNTS = 'READERS';
/** Sorts after every character an article id may contain, so `sk <= now#~` includes every item at `now`. */
const AFTER_ANY_ID = '~';

/**
 * Every key of the single-table design, built in one place. Writer and topic
 * partitions use `authors` and `topics`, which no edition may be named
 * (RESERVED_IDS), so they never meet an edition's partitions.
 */
export const keys = {
  /** The current version of an article (also its tombstone when withdrawn). */
  article(id: string): ItemKey {
    return { pk: `${ARTICLE}${id}`, sk: CURRENT };
  },
  /** An earlier version of an article. */
  revision(id: string, version: number): ItemKey {
    return { pk: `${ARTICLE}${id}`, sk: `${REVISION}${String(version).padStart(10, '0')}` };
  },
  /** Prefix shared by every revision's sort key. */
  revisionPrefix: REVISION,
  /** The version a revision sort key names. */
  versionOfRevision(sk: string): number {
    return Number(sk.slice(REVISION.length));
  },
  /** Sort key of an article's current version. */
  currentSort: CURRENT,
  /** Partition holding one feed's entries (Top Stories have a list item instead, see `topStories`). */
  feedPartition(scope: EntryScope): string {
    switch (scope.kind) {
      case 'edition':
        return `${FEED}${scope.edition}#${ALL_SECTIONS}`;
      case 'section':
        return `${FEED}${scope.edition}#${scope.section}`;
      case 'author':
        return `${FEED}authors#${scope.author}`;
      case 'topic':
        return `${FEED}topics#${scope.topic}`;
    }
  },
  /** One article's entry in one feed. */
  feedEntry(scope: EntryScope, position: FeedPosition): ItemKey {
    return { pk: keys.feedPartition(scope), sk: keys.feedSort(position) };
  },
  /** Sort key of a feed entry: newest-first order is descending sort key order. */
  feedSort(position: FeedPosition): string {
    return `${position.publishedAt}#${position.id}`;
  },
  /** The position a feed entry's sort key names. */
  positionOf(sk: string): FeedPosition {
    const at = sk.indexOf('#');
    return { publishedAt: sk.slice(0, at), id: sk.slice(at + 1) };
  },
  /** Lower bound of the sort keys published at or after `at`. */
  feedLowerBound(at: Date): string {
    return at.toISOString();
  },
  /** Upper bound of the sort keys published at or before `now`. */
  feedUpperBound(now: Date): string {
    return `${now.toISOString()}#${AFTER_ANY_ID}`;
  },
  /** An edition's Top Stories list. */
  topStories(edition: string): ItemKey {
    return { pk: `${TOP}${edition}`, sk: LIST };
  },
  /** An API key. */
  apiKey(keyId: string): ItemKey {
    return { pk: `${KEY}${keyId}`, sk: 'KEY' };
  },
  /** Prefix shared by every API key's partition key. */
  apiKeyPrefix: KEY,
  /** Prefix shared by every article's partition key. */
  articlePrefix: ARTICLE,
  /** Prefix shared by every feed partition key. */
  feedPrefix: FEED,
} as const;

/**
 * Keys of the subscriber estimate's items (STATS#, STATSSETS#, SALT#). Apart from `keys` only so
 * that the feeds and pages bundles, which never read them, leave them out.
 */
export const statsKeys = {
  /** Partition of one day's subscriber summaries (one item per feed, and the uncounted clients). */
  statsPartition(day: string): string {
    return `${STATS}${day}`;
  },
  /** Partition of one day's client sets (salted hashes), deleted when the day closes. */
  statsSetsPartition(day: string): string {
    return `${STATS_SETS}${day}`;
  },
  /** One day's subscriber summary of a feed, or of the uncounted clients. */
  statsSummary(day: string, key: TallyKey): ItemKey {
    return { pk: statsKeys.statsPartition(day), sk: statsKeys.tallySort(key) };
  },
  /** The client sets a summary was counted from. */
  statsSets(day: string, key: TallyKey): ItemKey {
    return { pk: statsKeys.statsSetsPartition(day), sk: statsKeys.tallySort(key) };
  },
  /** Sort key of a tally: `F#{feed}` or `UNCOUNTED`. */
  tallySort(key: TallyKey): string {
    return key.kind === 'feed' ? `${FEED_TALLY}${key.feed}` : UNCOUNTED_TALLY;
  },
  /** The tally a sort key names (the inverse of `tallySort`). */
  tallyOf(sk: string): TallyKey | undefined {
    if (sk === UNCOUNTED_TALLY) return { kind: 'uncounted' };
    return sk.startsWith(FEED_TALLY) ? { kind: 'feed', feed: sk.slice(FEED_TALLY.length) } : undefined;
  },
  /** A day's salt for client hashes (in the salt table). */
  salt(day: string): ItemKey {
    return { pk: `${SALT}${day}`, sk: 'SALT' };
  },
} as const;

/**
 * Keys of the subscriber counts the public pages show: one partition, one item per day
 * (sort key `YYYY-MM-DD`), so the newest day is one Query of one item. Apart from `keys` so
 * that only the pages bundle and the subscriber estimate carry them.
 */
export const publicCountKeys = {
  /** The partition of every day's public counts. */
  partition: PUBLIC_COUNTS,
  /** One day's public counts. */
  day(day: string): ItemKey {
    return { pk: PUBLIC_COUNTS, sk: day };
  },
} as const;

/**
 * Keys of the API key listing: each key's entry in the one partition that lists every key
 * (without its secret's hash), so listing keys is a Query. The partition starts with neither
 * `FEED#`, `ARTICLE#` nor `TOP#`, so the read functions' grants cannot reach it. (Apart from
 * `keys` only so the read functions' bundles leave it out.)
 */
export const keyListing = {
  /** One key's listing entry. */
  entry(keyId: string): ItemKey {
    return { pk: KEY_INDEX, sk: `${KEY}${keyId}` };
  },
  /** The partition holding every listing entry. */
  partition: KEY_INDEX,
  /** The key id of a listing entry's sort key. */
  keyIdOf(sk: string): string {
    return sk.slice(KEY.length);
  },
} as const;

/**
 * Keys of subscriber tokens: the token's record (`SUB#{id}`, with its secret's hash), and its
 * entry in the one partition that lists every subscriber (name, dates, last fetch and the day's
 * distinct clients, never the hash), so listing them is one Query. Neither starts with `FEED#`,
 * `ARTICLE#` or `TOP#`: the public reads' grants cannot reach them. (Apart from `keys` so that
 * the pages bundle leaves them out.)
 */
export const subscriberKeys = {
  /** A subscriber token's record. */
  record(subscriberId: string): ItemKey {
    return { pk: `${SUBSCRIBER}${subscriberId}`, sk: 'SUB' };
  },
  /** A subscriber's listing entry. */
  entry(subscriberId: string): ItemKey {
    return { pk: SUBSCRIBER_INDEX, sk: `${SUBSCRIBER}${subscriberId}` };
  },
  /** Prefix of every record's partition key. */
  recordPrefix: SUBSCRIBER,
  /** The partition holding every listing entry. */
  partition: SUBSCRIBER_INDEX,
} as const;

/** The feed a feed partition key names (the inverse of `keys.feedPartition`). */
function scopeOfPartition(pk: string): EntryScope | undefined {
  const [first, second, ...rest] = pk.slice(FEED.length).split('#');
  if (first === undefined || first === '' || second === undefined || second === '' || rest.length > 0) {
    return undefined;
  }
  if (first === 'authors') return { kind: 'author', author: second };
  if (first === 'topics') return { kind: 'topic', topic: second };
  return second === ALL_SECTIONS
    ? { kind: 'edition', edition: first }
    : { kind: 'section', edition: first, section: second };
}

/**
 * What a change to the item with this key means for the feeds (read from a
 * stream record's keys): a feed entry, a Top Stories list or an article's
 * current version; undefined for items no feed shows (revisions, API keys).
 */
export function changeOfKey(key: ItemKey): TableChange | undefined {
  const { pk, sk } = key;
  if (pk.startsWith(FEED)) {
    const scope = scopeOfPartition(pk);
    return scope === undefined ? undefined : { kind: 'entry', scope, ...keys.positionOf(sk) };
  }
  if (pk.startsWith(TOP) && sk === LIST) return { kind: 'top-stories', edition: pk.slice(TOP.length) };
  if (pk.startsWith(ARTICLE) && sk === CURRENT) return { kind: 'article', id: pk.slice(ARTICLE.length) };
  return undefined;
}
