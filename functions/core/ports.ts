import type { Article } from './article.ts';
import type { FeedScope } from './editions.ts';

/** Position of an item in a feed, newest first; used as the paging cursor. */
export interface FeedPosition {
  publishedAt: string;
  id: string;
}

/** One page of a feed, newest first. */
export interface FeedPage {
  articles: Article[];
  /** Position of the last article when older ones may follow. */
  last?: FeedPosition;
}

/** An article write: the new version, the one it replaces, and the feeds each belongs to. */
export interface ArticleWrite {
  article: Article;
  /** Feeds the new version appears in (empty when withdrawn). */
  feeds: FeedScope[];
  previous?: {
    article: Article;
    /** Feeds the previous version appeared in. */
    feeds: FeedScope[];
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

/** Where articles, feeds and API keys live. Implemented by the DynamoDB adapter. */
export interface ArticleStore {
  /** The current version of an article, withdrawn ones included. */
  getArticle(id: string): Promise<Article | undefined>;
  /** Every earlier version of an article, oldest first. */
  listRevisions(id: string): Promise<Article[]>;
  /**
   * Writes a new version atomically: the article (conditional on `previous`
   * still being current), the previous version as a revision, and the feed
   * entries added and removed. Throws ConflictError when `previous` is stale.
   */
  saveArticle(write: ArticleWrite): Promise<void>;
  /** One page of a feed: published items (publishedAt ≤ now), newest first, older than `after`. */
  readFeed(scope: FeedScope, options: { now: Date; limit: number; after?: FeedPosition }): Promise<FeedPage>;
  getApiKey(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Stores a new key; throws ConflictError if the id exists. */
  putApiKey(record: ApiKeyRecord): Promise<void>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; throws NotFoundError if it does not exist. */
  revokeApiKey(keyId: string, at: Date): Promise<void>;
}
