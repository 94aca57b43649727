import type { Article } from './article.ts';
import type { SiteConfig } from './config.ts';
import type { EntryScope } from './scopes.ts';
import type { SubscriberListing, SubscriberRecord } from './subscriber-tokens.ts';

export type { EntryScope } from './scopes.ts';

/** Position of an item in a feed, newest first; used as the paging cursor. */
export interface FeedPosition {
  publishedAt: string;
  id: string;
}

/**
 * One feed entry as the store keeps it: where the article sits in the feed
 * and what the page needs to know before fetching the article itself.
 */
export interface FeedRef extends FeedPosition {
  /** The article version the entry was written for. */
  version: number;
  /**
   * When the entry became what its feed shows (ISO): the later of its publication (a scheduled
   * story appears then) and the write that made it (a backdated story appears when written).
   */
  changedAt: string;
  /** Upper bound, in bytes, of what the item adds to a rendered page (see core/feeds/weight.ts). */
  weight: number;
}

/**
 * What one read of a feed found: its live entries, and the facts that decide
 * the page's Last-Modified and whether a cursor was one the feed issued.
 */
export interface FeedWindow {
  /** Published entries, newest first, at most the `limit` asked for. */
  entries: FeedRef[];
  /**
   * The newest change among everything the read passed (entries, and tombstones of entries
   * that left this stretch of the feed by withdrawal or a move), ISO; '' when it passed nothing.
   */
  changedAt: string;
  /** The read gave up before finding `limit` entries, with more of the feed left unread. */
  truncated: boolean;
  /** With `after`: the feed holds, or held until a withdrawal or move, a published entry there. */
  afterKnown?: boolean;
}

/** A span of publication times to list a feed's entries for (see ArticleStore.listFeedPeriod). */
export interface FeedPeriod {
  from: Date;
  upTo: Date;
  limit: number;
  newestFirst?: boolean;
}

/** What a Top Stories ETag depends on, read without fetching whole articles. */
export interface ArticleState {
  id: string;
  version: number;
  publishedAt: string;
  updatedAt: string;
  withdrawn: boolean;
  /**
   * When what the public sees of the article last changed (Article.publicChangeAt). Absent when
   * that is `updatedAt` of a version public when written, when the article was never public, and
   * for items written before it existed: readers take `updatedAt` once the article is published.
   */
  publicChangeAt?: string;
}

/** An edition's Top Stories, in the editors' order. */
export interface TopStories {
  edition: string;
  articles: string[];
  version: number;
  updatedAt: string;
  /**
   * When a write last changed what the list shows (its visible stories, in order): a write
   * that only adds, removes or moves still-scheduled ids leaves it. Absent on lists stored
   * before it existed, which count as changed at `updatedAt`. Not part of the API's answer.
   */
  visibleChangedAt?: string;
}

/** One earlier version of an article, as revision lists show it. */
export interface RevisionSummary {
  version: number;
  headline: string;
  publishedAt: string;
  updatedAt: string;
  withdrawnAt?: string;
}

/** What a feed entry of an article version carries besides its position. */
export interface EntryFacts {
  /** See FeedRef.changedAt. */
  changedAt: string;
  weight: number;
}

/** An article write: the new version, the one it replaces, and the feeds each belongs to. */
export interface ArticleWrite {
  article: Article;
  /** Feeds the new version appears in (empty when withdrawn). */
  feeds: EntryScope[];
  entry: EntryFacts;
  previous?: {
    article: Article;
    /** Feeds the previous version appeared in. */
    feeds: EntryScope[];
    /**
     * Set when the previous version was published (readers saw its entries): each entry it
     * loses is replaced by a tombstone dated this (ISO), so its feed's Last-Modified moves and
     * cursors naming it stay valid. Unset: lost entries were never shown, and are deleted.
     */
    tombstoneAt?: string;
  };
}

/** A stored API key: never the key itself, only its hash. */
export interface ApiKeyRecord {
  keyId: string;
  name: string;
  /** SHA-256 of the key's secret part, hex. */
  secretHash: string;
  createdAt: string;
  revokedAt?: string;
}

/** One step of a whole-table maintenance pass (reindex), resumable from `next`. */
export interface ReindexStep {
  /** Articles whose entries were rewritten. */
  articles: number;
  /** Entries removed because no article calls for them any more. */
  orphans: number;
  /** Items looked at. */
  scanned: number;
  /** Where to continue; undefined when the pass is complete. */
  next?: string;
}

/** Where articles, feeds, Top Stories and API keys live. Implemented by the DynamoDB adapter. */
export interface ArticleStore {
  /** The current version of an article, withdrawn ones included. */
  getArticle(id: string): Promise<Article | undefined>;
  /** Current versions of several articles (at most 100), by id; missing ids are left out. */
  getArticles(ids: readonly string[]): Promise<Map<string, Article>>;
  /** Version, time and withdrawal of several articles (at most 100), without their content. */
  getArticleStates(ids: readonly string[]): Promise<Map<string, ArticleState>>;
  /** Earlier versions of an article, newest first, older than `before` (a version number). */
  listRevisions(
    id: string,
    options: { limit: number; before?: number },
  ): Promise<{ revisions: RevisionSummary[]; more: boolean }>;
  /** One earlier version of an article. */
  getRevision(id: string, version: number): Promise<Article | undefined>;
  /**
   * Writes a new version atomically: the article (conditional on `previous`
   * still being current), the previous version as a revision, and the feed
   * entries added, rewritten and removed. Throws ConflictError when
   * `previous` is stale, ContentTooLargeError when the article cannot be stored.
   */
  saveArticle(write: ArticleWrite): Promise<void>;
  /**
   * Entries of a feed published at or before `now`, newest first, older than
   * `after` (which must be at or before `now`), at most `limit`; with what the
   * read passed on the way (see FeedWindow).
   */
  listFeed(
    scope: EntryScope,
    options: { now: Date; limit: number; after?: FeedPosition },
  ): Promise<FeedWindow>;
  /**
   * Entries of a feed published from `from` up to `upTo` (both included),
   * oldest first (newest first with `newestFirst`), at most `limit`: what a
   * sitemap lists, read without fetching a single article.
   */
  listFeedPeriod(scope: EntryScope, period: FeedPeriod): Promise<FeedRef[]>;
  /** An edition's Top Stories, if editors have set them. */
  getTopStories(edition: string): Promise<TopStories | undefined>;
  /**
   * Stores an edition's Top Stories. `expectedVersion` is the version being
   * replaced (undefined: there must be none); ConflictError when it is stale.
   */
  saveTopStories(list: TopStories, expectedVersion: number | undefined): Promise<void>;
  /**
   * One step of rebuilding every feed entry from the stored articles (no
   * article version changes): entries each article calls for under
   * `feedsOf` are written, entries no article calls for are removed.
   */
  reindexStep(
    feedsOf: (article: Article) => { feeds: EntryScope[]; entry: EntryFacts },
    options: { start?: string; limit: number },
  ): Promise<ReindexStep>;
  getApiKey(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Stores a new key; throws ConflictError if the id exists. */
  putApiKey(record: ApiKeyRecord): Promise<void>;
  /** Every key, oldest first, read from the keys' own index (one Query), never their secrets' hashes. */
  listApiKeys(): Promise<Omit<ApiKeyRecord, 'secretHash'>[]>;
  /** Marks a key revoked; throws NotFoundError if it does not exist. */
  revokeApiKey(keyId: string, at: Date): Promise<void>;
}

/** What the read functions (feeds, pages) ask of the store; their bundles carry no write code. */
export type ArticleReader = Pick<
  ArticleStore,
  'getArticle' | 'getArticles' | 'getArticleStates' | 'listFeed' | 'listFeedPeriod' | 'getTopStories'
>;

/** Dependencies of the read paths: the config, a store that reads, and the clock. */
export interface ReadDeps {
  store: ArticleReader;
  config: SiteConfig;
  clock: () => Date;
}

/** One fetch of a private feed, as its token's listing records it (no address: a salted hash). */
export interface PrivateFetch {
  /** ISO time of the fetch. */
  at: string;
  /** Its UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The client's hash under the day's salt (core/subscribers.ts), base64url. */
  client: string;
}

/** What the feeds function asks of the store about subscribers: their token's record, and a note of each fetch. */
export interface PrivateFeedStore {
  /** A subscriber token's record, revoked ones included. */
  getSubscriber(subscriberId: string): Promise<SubscriberRecord | undefined>;
  /** Notes a fetch on the token's listing entry (last fetch, the day's distinct clients, capped); never creates one. */
  recordFetch(subscriberId: string, fetch: PrivateFetch): Promise<void>;
}

/** Where subscriber tokens live. Implemented by the DynamoDB adapter. */
export interface SubscriberStore extends PrivateFeedStore {
  /** Stores a new token's record and listing entry at once; ConflictError if the id exists. */
  putSubscriber(record: SubscriberRecord): Promise<void>;
  /** Every subscriber, oldest first, from the listing (one Query), never a secret's hash; clients counted for `today` (UTC). */
  listSubscribers(today: string): Promise<SubscriberListing[]>;
  /** Marks a token revoked (record and listing at once); NotFoundError if it does not exist. */
  revokeSubscriber(subscriberId: string, at: Date): Promise<void>;
}

/** What WebSub publishing reads: Top Stories lists, articles and their states, and the entries that fell due in a window. */
export interface NotifyStore
  extends Pick<ArticleReader, 'getTopStories' | 'getArticles' | 'getArticleStates'>,
    Pick<ArticleStore, 'getRevision'> {
  /** Positions of a feed's entries published after `after` and up to `upTo` (inclusive), every page. */
  listFeedBetween(scope: EntryScope, window: { after: Date; upTo: Date }): Promise<FeedPosition[]>;
}

/** Which tally of a day: one feed's (by its scope name, `europe/world`), or the clients left out of the estimate. */
export type TallyKey = { kind: 'feed'; feed: string } | { kind: 'uncounted' };

/**
 * One day's tally of one feed (or of the uncounted clients) as stored: the
 * summary that reports read, and the client sets it was counted from (salted
 * hashes or sketches, by slot), which are deleted when the day closes.
 */
export interface StoredTally {
  day: string;
  key: TallyKey;
  /** The summary's numbers (see core/subscribers.ts), kept for the reports. */
  summary: Record<string, unknown>;
  /** Client sets by slot; empty once the day has closed. */
  sets: Record<string, Uint8Array>;
  /** Optimistic-locking version of the summary (0: not stored yet). */
  version: number;
}

/** Where the daily subscriber tallies live. Implemented by the DynamoDB adapter. */
export interface StatsStore {
  /** One day's tally of one feed or of the uncounted clients, read consistently; undefined when there is none. */
  getTally(day: string, key: TallyKey): Promise<StoredTally | undefined>;
  /**
   * Writes a tally's summary and sets at once, if the stored version is still
   * `tally.version - 1` (none stored when 1); ConflictError otherwise.
   */
  saveTally(tally: StoredTally, expiresAt: { summary: Date; sets: Date }): Promise<void>;
  /** Every summary of a day (no client sets), every page. */
  listSummaries(day: string): Promise<Array<Pick<StoredTally, 'day' | 'key' | 'summary'>>>;
  /** Deletes every client set of a day; returns how many items it deleted. */
  deleteClientSets(day: string): Promise<number>;
}

/** The random salt of each day's client hashes: one per day, shared by every writer, deleted when the day closes. */
export interface SaltStore {
  /** The day's salt, made (randomly, from nothing persistent) by whoever asks first. */
  saltFor(day: string, expiresAt: Date): Promise<Uint8Array>;
  /** Deletes the day's salt; the day's hashes can then never be recomputed. */
  deleteSalt(day: string): Promise<void>;
}

/** One day's subscriber estimates that the public pages may show: only feeds at or above the floor. */
export interface PublicCounts {
  /** The UTC day they estimate, `YYYY-MM-DD`. */
  day: string;
  /** When they were published (ISO): the pages' Last-Modified takes it into account. */
  publishedAt: string;
  /** Estimate per feed, by its scope name (`europe/world`, `authors/ana-ortiz`). */
  feeds: Record<string, number>;
}

/** What the pages function reads of the published counts: one read per page. */
export interface PublicCountReader {
  /** The counts of the newest day published from `from` to `to` (inclusive), if any. */
  latestCounts(from: string, to: string): Promise<PublicCounts | undefined>;
}

/** Where the subscriber estimate publishes each closed day's public counts. */
export interface PublicCountStore extends PublicCountReader {
  /** Stores a day's counts once; false when that day's were stored already. */
  publishCounts(counts: PublicCounts, expiresAt: Date): Promise<boolean>;
}

/** The pages' dependencies: the read paths', and where published subscriber counts are read. */
export interface PageDeps extends ReadDeps {
  counts?: PublicCountReader;
}

/** One access-log file to count: its name (for log lines) and its bytes, gzip-compressed or not. */
export interface LogFile {
  name: string;
  body: Uint8Array;
}

/** Where new access-log files wait to be counted (in AWS: S3 notifications on a queue). */
export interface LogSource {
  /**
   * Up to `max` files not yet counted, and `done` to call once they are
   * counted (until then they come back, so a file is counted at least once);
   * undefined when none is waiting.
   */
  next(max: number): Promise<{ files: LogFile[]; done(): Promise<void> } | undefined>;
}
