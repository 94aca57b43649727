import type { FeedScope } from '../core/editions.ts';
import type { FeedPosition } from '../core/ports.ts';

/** Primary key of any item in the table. */
export interface ItemKey {
  pk: string;
  sk: string;
}

const ALL_SECTIONS = '*';
/** Sorts after every character an article id may contain, so `sk <= now#~` includes every item at `now`. */
const AFTER_ANY_ID = '~';

/** Every key of the single-table design, built in one place. */
export const keys = {
  /** The current version of an article (also its tombstone when withdrawn). */
  article(id: string): ItemKey {
    return { pk: `ARTICLE#${id}`, sk: 'CURRENT' };
  },
  /** An earlier version of an article. */
  revision(id: string, version: number): ItemKey {
    return { pk: `ARTICLE#${id}`, sk: `REV#${String(version).padStart(10, '0')}` };
  },
  /** Prefix shared by every revision's sort key. */
  revisionPrefix: 'REV#',
  /** Partition holding one feed's entries. */
  feedPartition(scope: FeedScope): string {
    return `FEED#${scope.edition}#${scope.section ?? ALL_SECTIONS}`;
  },
  /** One article's entry in one feed. */
  feedEntry(scope: FeedScope, position: FeedPosition): ItemKey {
    return { pk: keys.feedPartition(scope), sk: keys.feedSort(position) };
  },
  /** Sort key of a feed entry: newest-first order is descending sort key order. */
  feedSort(position: FeedPosition): string {
    return `${position.publishedAt}#${position.id}`;
  },
  /** Upper bound of the sort keys published at or before `now`. */
  feedUpperBound(now: Date): string {
    return `${now.toISOString()}#${AFTER_ANY_ID}`;
  },
  /** An API key. */
  apiKey(keyId: string): ItemKey {
    return { pk: `KEY#${keyId}`, sk: 'KEY' };
  },
  /** Prefix shared by every API key's partition key. */
  apiKeyPrefix: 'KEY#',
} as const;
