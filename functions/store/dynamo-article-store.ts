import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { type Article, laterTime } from '../core/article.ts';
import {
  ConflictError,
  ContentTooLargeError,
  NewswireError,
  NotFoundError,
  StoreUnavailableError,
  TooManyRequestsError,
} from '../core/errors.ts';
import type {
  ApiKeyRecord,
  ArticleReader,
  ArticleState,
  ArticleStore,
  ArticleWrite,
  EntryFacts,
  EntryScope,
  FeedPeriod,
  FeedPosition,
  FeedRef,
  FeedWindow,
  NotifyStore,
  ReindexStep,
  RevisionSummary,
  TopStories,
} from '../core/ports.ts';
import { articleItem, articleOf } from './article-item.ts';
import { fromAttributes, toAttributes } from './attributes.ts';
import { deadlineSignal } from './deadline.ts';
import { itemSize } from './item-size.ts';
import { type ItemKey, keyListing, keys } from './keys.ts';

type Item = Record<string, AttributeValue>;
type Key = Record<string, AttributeValue>;
type Paged = { Items?: Item[] | undefined; LastEvaluatedKey?: Key | undefined };

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** DynamoDB's item size limit (400 KB, attribute names included). */
export const ITEM_LIMIT_BYTES = 400 * 1024;
/** Keys one BatchGetItem call may ask for. */
const BATCH_GET_KEYS = 100;
/** Rounds of retrying the keys a BatchGetItem left unprocessed before giving up with 429. */
const BATCH_GET_ROUNDS = 4;

/**
 * Failures of the connection rather than of the request: the SDK's own
 * connection and request timeouts (client.ts), a refused or reset connection.
 */
const UNREACHABLE = new Set([
  'TimeoutError',
  'AbortError',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Turns an SDK failure into a typed Newswire error (never leaking SDK details
 * to clients): a lost condition → 409, throttling → 429, and anything else,
 * timeouts included → 503 (for writes, an item too large → 413:
 * translateWriteError).
 */
export function translateError(error: unknown): Error {
  if (error instanceof NewswireError) return error;
  const name = error instanceof Error ? error.name : '';
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (UNREACHABLE.has(name) || UNREACHABLE.has(code)) return new StoreUnavailableError(5, { cause: error });
  if (error instanceof ConditionalCheckFailedException) {
    return new ConflictError('The item changed concurrently', { cause: error });
  }
  if (error instanceof TransactionCanceledException) {
    const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
      return new ConflictError('The article changed concurrently', { cause: error });
    }
    if (codes.some((c) => c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded')) {
      return new TooManyRequestsError(1, { cause: error });
    }
  }
  if (THROTTLING.has(name)) return new TooManyRequestsError(1, { cause: error });
  return new StoreUnavailableError(5, { cause: error });
}

/**
 * translateError for writes: an item over DynamoDB's 400 KB is a 413 too (a
 * permanent refusal, so a CMS does not retry it; saveArticle refuses such
 * articles before sending them, this is the safety net). Apart from reads',
 * so that the read functions' bundles do not carry it.
 */
export function translateWriteError(error: unknown): Error {
  const translated = translateError(error);
  if (!(translated instanceof StoreUnavailableError)) return translated;
  // DynamoDB Local refuses the whole request; DynamoDB may instead cancel the transaction with this reason.
  const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
  const messages = [error instanceof Error ? error.message : '', ...reasons.map((r) => r.Message ?? '')];
  if (messages.some((m) => /item size has exceeded/i.test(m))) {
    return new ContentTooLargeError(
      `The article is larger than the ${ITEM_LIMIT_BYTES / 1024} KB DynamoDB allows one item once stored; shorten the body or the media list`,
      { limitBytes: ITEM_LIMIT_BYTES, actualBytes: Number.NaN },
      { cause: error },
    );
  }
  return translated;
}

/** An item's attributes without its key: what the store puts in is what comes out. */
function storedValue<T>(item: Item): T {
  const { pk: _pk, sk: _sk, ...value } = fromAttributes(item);
  return value as T;
}

function entryItem(scope: EntryScope, article: Article, facts: EntryFacts): Item {
  const key = keys.feedEntry(scope, article);
  return {
    pk: { S: key.pk },
    sk: { S: key.sk },
    id: { S: article.id },
    v: { N: String(article.version) },
    // When the entry became what the feed shows (entries written before it held the article's
    // last correction or publication time instead).
    m: { S: facts.changedAt },
    w: { N: String(facts.weight) },
  };
}

/**
 * What stays where a published article's entry was when a write takes it out
 * of a feed (a withdrawal, or a move to another time, edition, section, writer
 * or topic): the position and when it was vacated. Feeds skip it; it tells a
 * page's Last-Modified that the page lost an entry, and keeps the cursor of a
 * page that ended there valid. A few dozen bytes, kept for good.
 */
function tombstoneItem(key: ItemKey, id: string, at: string): Item {
  return { pk: { S: key.pk }, sk: { S: key.sk }, id: { S: id }, gone: { S: at } };
}

/** True for the tombstone of a vacated feed entry. */
function isTombstone(item: Item): boolean {
  return item.gone?.S !== undefined;
}

/** An API key's entry in the key listing: the record without its secret's hash. */
function listingItem(record: ApiKeyRecord): Item {
  const { secretHash: _hash, ...listed } = record;
  return toAttributes({ ...listed, ...keyListing.entry(record.keyId) });
}

/** Weight assumed for entries written before weights existed: generous, so pages stay small. */
const LEGACY_WEIGHT = 64 * 1024;

function refOf(item: Item): FeedRef {
  const position = keys.positionOf(item.sk?.S ?? '');
  return {
    ...position,
    version: Number(item.v?.N ?? 0),
    changedAt: item.m?.S ?? item.updatedAt?.S ?? position.publishedAt,
    weight: Number(item.w?.N ?? LEGACY_WEIGHT),
  };
}

/**
 * Queries one feed read makes at most. Tombstones count against a Query's
 * `Limit`, so a stretch of them makes a read go on; past this many Queries the
 * page is shorter, and its `next` link carries on from there.
 */
const FEED_READ_ROUNDS = 3;

function encodeStart(key: Key | undefined): string | undefined {
  return key === undefined
    ? undefined
    : Buffer.from(JSON.stringify(fromAttributes(key))).toString('base64url');
}

function decodeStart(start: string | undefined): Key | undefined {
  if (start === undefined) return undefined;
  return toAttributes(
    JSON.parse(Buffer.from(start, 'base64url').toString('utf8')) as Record<string, unknown>,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The reads of the store on one DynamoDB table: what the feeds and pages
 * functions use, so that their bundles carry none of the write code.
 */
export class DynamoArticleReader implements ArticleReader {
  constructor(
    protected readonly client: DynamoDBClient,
    protected readonly tableName: string,
    protected readonly onBadItem: (message: string, context: Record<string, unknown>) => void = () => {},
  ) {}

  /** Options of every send: the current request's deadline, when there is one. */
  protected sendOptions(): { abortSignal?: AbortSignal } {
    const abortSignal = deadlineSignal();
    return abortSignal === undefined ? {} : { abortSignal };
  }

  protected async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw translateError(error);
    }
  }

  /** BatchGetItem in chunks of 100, retrying unprocessed keys a few times with backoff. */
  protected async batchGet(itemKeys: ItemKey[], projection?: string[]): Promise<Item[]> {
    const items: Item[] = [];
    const names = projection?.map((_, i) => `#a${i}`);
    for (let at = 0; at < itemKeys.length; at += BATCH_GET_KEYS) {
      let pending: Key[] = itemKeys.slice(at, at + BATCH_GET_KEYS).map((k) => toAttributes(k));
      for (let round = 0; pending.length > 0; round++) {
        if (round >= BATCH_GET_ROUNDS) throw new TooManyRequestsError(1);
        if (round > 0) await sleep(25 * 2 ** round);
        const request = {
          Keys: pending,
          ...(projection !== undefined && {
            ProjectionExpression: names!.join(', '),
            ExpressionAttributeNames: Object.fromEntries(projection.map((p, i) => [names![i]!, p])),
          }),
        };
        const output = await this.call(() =>
          this.client.send(
            new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }),
            this.sendOptions(),
          ),
        );
        items.push(...(output.Responses?.[this.tableName] ?? []));
        pending = output.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return items;
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const { Item } = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: toAttributes(keys.article(id)),
          ConsistentRead: true,
        }),
        this.sendOptions(),
      ),
    );
    return Item === undefined ? undefined : this.current(Item);
  }

  /** The current version an article item holds (the write store also keeps its stored bytes). */
  protected current(item: Item): Article {
    return articleOf(item);
  }

  async getArticles(ids: readonly string[]): Promise<Map<string, Article>> {
    const items = await this.batchGet([...new Set(ids)].map((id) => keys.article(id)));
    const articles = new Map<string, Article>();
    for (const item of items) {
      try {
        const article = articleOf(item);
        articles.set(article.id, article);
      } catch (error) {
        this.onBadItem('Skipped an unreadable article', {
          pk: item.pk?.S,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return articles;
  }

  async getArticleStates(ids: readonly string[]): Promise<Map<string, ArticleState>> {
    const items = await this.batchGet(
      [...new Set(ids)].map((id) => keys.article(id)),
      ['pk', 'version', 'publishedAt', 'updatedAt', 'withdrawnAt', 'publicChangeAt'],
    );
    const states = new Map<string, ArticleState>();
    for (const item of items) {
      const id = (item.pk?.S ?? '').slice(keys.articlePrefix.length);
      const publicChangeAt = item.publicChangeAt?.S;
      states.set(id, {
        id,
        version: Number(item.version?.N ?? 0),
        publishedAt: item.publishedAt?.S ?? '',
        updatedAt: item.updatedAt?.S ?? '',
        withdrawn: item.withdrawnAt?.S !== undefined,
        ...(publicChangeAt !== undefined && { publicChangeAt }),
      });
    }
    return states;
  }

  async listFeed(
    scope: EntryScope,
    options: { now: Date; limit: number; after?: FeedPosition },
  ): Promise<FeedWindow> {
    const upper = keys.feedUpperBound(options.now);
    const after = options.after === undefined ? undefined : keys.feedSort(options.after);
    const unknown = { entries: [], changedAt: '', truncated: false, afterKnown: false };
    // A cursor names a position a page showed, so a published one: one past `now` was never issued.
    if (after !== undefined && after > upper) return unknown;
    const entries: FeedRef[] = [];
    let changedAt = '';
    let start: Key | undefined;
    // With a cursor the first Query starts at the cursor's own position, to check it is there.
    let cursor = after === undefined ? 0 : 1;
    for (let round = 0; round < FEED_READ_ROUNDS && (round === 0 || start !== undefined); round++) {
      const page = await this.call(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk <= :bound',
            ExpressionAttributeValues: toAttributes({
              ':pk': keys.feedPartition(scope),
              ':bound': after ?? upper,
            }),
            ScanIndexForward: false,
            Limit: options.limit + cursor,
            ExclusiveStartKey: start,
          }),
          this.sendOptions(),
        ),
      );
      const items = page.Items ?? [];
      if (cursor === 1 && items.shift()?.sk?.S !== after) return unknown;
      cursor = 0;
      for (const item of items) {
        const ref = refOf(item);
        const gone = item.gone?.S;
        changedAt = laterTime(changedAt, gone ?? ref.changedAt);
        if (gone === undefined && entries.length < options.limit) entries.push(ref);
      }
      start = entries.length < options.limit ? page.LastEvaluatedKey : undefined;
    }
    const truncated = start !== undefined;
    return { entries, changedAt, truncated, ...(after !== undefined && { afterKnown: true }) };
  }

  async listFeedPeriod(scope: EntryScope, period: FeedPeriod): Promise<FeedRef[]> {
    const refs: FeedRef[] = [];
    let start: Key | undefined;
    // Thin entries: a 1 MB Query page holds thousands; follow pages until `limit`.
    do {
      const page = await this.call(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :upTo',
            ExpressionAttributeValues: toAttributes({
              ':pk': keys.feedPartition(scope),
              ':from': keys.feedLowerBound(period.from),
              ':upTo': keys.feedUpperBound(period.upTo),
            }),
            ScanIndexForward: period.newestFirst !== true,
            Limit: period.limit - refs.length,
            ExclusiveStartKey: start,
          }),
          this.sendOptions(),
        ),
      );
      // Entries only: a tombstone marks where a published story left the feed.
      refs.push(...(page.Items ?? []).filter((item) => item.gone === undefined).map(refOf));
      start = page.LastEvaluatedKey;
    } while (start !== undefined && refs.length < period.limit);
    return refs;
  }

  async getTopStories(edition: string): Promise<TopStories | undefined> {
    const { Item } = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: toAttributes(keys.topStories(edition)),
          ConsistentRead: true,
        }),
        this.sendOptions(),
      ),
    );
    return Item === undefined ? undefined : storedValue<TopStories>(Item);
  }
}

/**
 * The reads of the notify function: the public reads, the window of entries
 * that fell due, and an article's earlier version (was it published?). Apart
 * from DynamoArticleReader so the feeds and pages bundles leave them out.
 */
export class DynamoNotifyReader extends DynamoArticleReader implements NotifyStore {
  /** Follows LastEvaluatedKey until a Query or Scan has returned every item. */
  protected async everyPage(request: (start: Key | undefined) => Promise<Paged>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Key | undefined;
    do {
      const page = await this.call(() => request(start));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async listFeedBetween(scope: EntryScope, window: { after: Date; upTo: Date }): Promise<FeedPosition[]> {
    // `after#~` sorts after every entry published at `after` itself, so BETWEEN excludes them.
    const items = await this.everyPage((start) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :upTo',
          // Entries only: a tombstone marks a position vacated by a write, which the stream reported.
          FilterExpression: 'attribute_not_exists(gone)',
          ExpressionAttributeValues: toAttributes({
            ':pk': keys.feedPartition(scope),
            ':after': keys.feedUpperBound(window.after),
            ':upTo': keys.feedUpperBound(window.upTo),
          }),
          ProjectionExpression: 'sk',
          ExclusiveStartKey: start,
        }),
        this.sendOptions(),
      ),
    );
    return items.map((item) => keys.positionOf(item.sk?.S ?? ''));
  }

  async getRevision(id: string, version: number): Promise<Article | undefined> {
    const { Item } = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: toAttributes(keys.revision(id, version)),
          ConsistentRead: true,
        }),
        this.sendOptions(),
      ),
    );
    return Item === undefined ? undefined : articleOf(Item);
  }
}

/** ArticleStore on one DynamoDB table (DESIGN.md's single-table design, with thin feed entries). */
export class DynamoArticleStore extends DynamoNotifyReader implements ArticleStore {
  protected override async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw translateWriteError(error);
    }
  }

  /** The Brotli bytes of the versions this store read, by version object: written again, they are not compressed anew. */
  private readonly stored = new WeakMap<Article, { version: number; updatedAt: string; br: Uint8Array }>();

  protected override current(item: Item): Article {
    const article = articleOf(item);
    const br = item.br?.B;
    if (br !== undefined)
      this.stored.set(article, { version: article.version, updatedAt: article.updatedAt, br });
    return article;
  }

  /** An article version as an item, reusing the bytes it was read as when it is the same version. */
  private item(key: ItemKey, article: Article): Promise<Item> {
    const kept = this.stored.get(article);
    const same =
      kept !== undefined && kept.version === article.version && kept.updatedAt === article.updatedAt;
    return articleItem(key, article, same ? kept.br : undefined);
  }

  async listRevisions(
    id: string,
    options: { limit: number; before?: number },
  ): Promise<{ revisions: RevisionSummary[]; more: boolean }> {
    const { pk } = keys.article(id);
    // BETWEEN is inclusive: the bound is the version just below `before`.
    const upper =
      options.before === undefined ? `${keys.revisionPrefix}~` : keys.revision(id, options.before - 1).sk;
    const { Items = [] } = await this.call(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
          ExpressionAttributeValues: toAttributes({
            ':pk': pk,
            ':lower': keys.revisionPrefix,
            ':upper': upper,
          }),
          ProjectionExpression: 'sk, headline, publishedAt, updatedAt, withdrawnAt',
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: options.limit + 1,
        }),
        this.sendOptions(),
      ),
    );
    const revisions = Items.map(
      (item): RevisionSummary => ({
        version: keys.versionOfRevision(item.sk?.S ?? ''),
        headline: item.headline?.S ?? '',
        publishedAt: item.publishedAt?.S ?? '',
        updatedAt: item.updatedAt?.S ?? '',
        ...(item.withdrawnAt?.S !== undefined && { withdrawnAt: item.withdrawnAt.S }),
      }),
    );
    return { revisions: revisions.slice(0, options.limit), more: revisions.length > options.limit };
  }

  async saveArticle({ article, feeds, entry, previous }: ArticleWrite): Promise<void> {
    const [current, revision] = await Promise.all([
      this.item(keys.article(article.id), article),
      previous === undefined
        ? undefined
        : this.item(keys.revision(article.id, previous.article.version), previous.article),
    ]);
    const size = itemSize(current);
    if (size > ITEM_LIMIT_BYTES) {
      throw new ContentTooLargeError(
        `The article takes ${Math.ceil(size / 1024)} KB once stored (compressed), more than DynamoDB's ` +
          `${ITEM_LIMIT_BYTES / 1024} KB item limit; shorten the body or the media list`,
        { limitBytes: ITEM_LIMIT_BYTES, actualBytes: size },
      );
    }
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: current,
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': { N: String(previous.article.version) } },
              }),
        },
      },
    ];
    if (revision !== undefined) {
      items.push({
        Put: { TableName: this.tableName, Item: revision, ConditionExpression: 'attribute_not_exists(pk)' },
      });
    }
    const written = new Set<string>();
    for (const scope of feeds) {
      const item = entryItem(scope, article, entry);
      written.add(`${item.pk?.S}|${item.sk?.S}`);
      items.push({ Put: { TableName: this.tableName, Item: item } });
    }
    for (const scope of previous?.feeds ?? []) {
      const key = keys.feedEntry(scope, previous!.article);
      if (written.has(`${key.pk}|${key.sk}`)) continue;
      // One item either way: a vacated entry readers saw becomes a tombstone, one they never saw goes.
      items.push(
        previous?.tombstoneAt === undefined
          ? { Delete: { TableName: this.tableName, Key: toAttributes(key) } }
          : {
              Put: { TableName: this.tableName, Item: tombstoneItem(key, article.id, previous.tombstoneAt) },
            },
      );
    }
    await this.call(() =>
      this.client.send(new TransactWriteItemsCommand({ TransactItems: items }), this.sendOptions()),
    );
  }

  async saveTopStories(list: TopStories, expectedVersion: number | undefined): Promise<void> {
    await this.call(() =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toAttributes({ ...list, ...keys.topStories(list.edition) }),
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': { N: String(expectedVersion) } },
              }),
        }),
        this.sendOptions(),
      ),
    );
  }

  async reindexStep(
    feedsOf: (article: Article) => { feeds: EntryScope[]; entry: EntryFacts },
    options: { start?: string; limit: number },
  ): Promise<ReindexStep> {
    const page = await this.call(() =>
      this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          Limit: options.limit,
          ExclusiveStartKey: decodeStart(options.start),
          ConsistentRead: true,
        }),
        this.sendOptions(),
      ),
    );
    const items = page.Items ?? [];
    let articles = 0;
    for (const item of items.filter((i) => i.sk?.S === keys.currentSort)) {
      if (await this.rewriteEntries(item, feedsOf)) articles++;
    }
    const orphans = await this.removeOrphans(
      items.filter((i) => i.pk?.S?.startsWith(keys.feedPrefix) && !isTombstone(i)),
      feedsOf,
    );
    // Keys created before keys had a listing get one, so `keys list` (a Query of it) shows them.
    for (const item of items.filter((i) => i.pk?.S?.startsWith(keys.apiKeyPrefix))) {
      await this.call(() =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: listingItem(storedValue<ApiKeyRecord>(item)),
          }),
          this.sendOptions(),
        ),
      );
    }
    const next = encodeStart(page.LastEvaluatedKey);
    return { articles, orphans, scanned: items.length, ...(next !== undefined && { next }) };
  }

  /** Rewrites the entries one article calls for (and its item, in the current format); false if it changed meanwhile. */
  private async rewriteEntries(
    item: Item,
    feedsOf: (article: Article) => { feeds: EntryScope[]; entry: EntryFacts },
  ): Promise<boolean> {
    const article = this.current(item);
    const { feeds, entry } = feedsOf(article);
    const transactItems: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: await this.item(keys.article(article.id), article),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': { N: String(article.version) } },
        },
      },
      ...feeds.map((scope) => ({
        Put: { TableName: this.tableName, Item: entryItem(scope, article, entry) },
      })),
    ];
    try {
      await this.call(() =>
        this.client.send(new TransactWriteItemsCommand({ TransactItems: transactItems }), this.sendOptions()),
      );
      return true;
    } catch (error) {
      // A write since the scan rewrote its entries itself.
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** Deletes the feed entries among `entries` that their article no longer calls for. */
  private async removeOrphans(
    entries: Item[],
    feedsOf: (article: Article) => { feeds: EntryScope[]; entry: EntryFacts },
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const articles = await this.getArticles(entries.map((e) => keys.positionOf(e.sk?.S ?? '').id));
    let removed = 0;
    for (const entry of entries) {
      const pk = entry.pk?.S ?? '';
      const sk = entry.sk?.S ?? '';
      const article = articles.get(keys.positionOf(sk).id);
      const wanted =
        article !== undefined &&
        sk === keys.feedSort(article) &&
        feedsOf(article).feeds.some((scope) => keys.feedPartition(scope) === pk);
      if (wanted) continue;
      try {
        await this.call(() =>
          this.client.send(
            new DeleteItemCommand({
              TableName: this.tableName,
              Key: { pk: { S: pk }, sk: { S: sk } },
              // Only the entry as scanned: a write that re-created it meanwhile wins.
              ...(entry.v?.N === undefined
                ? { ConditionExpression: 'attribute_not_exists(v)' }
                : { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { N: entry.v.N } } }),
            }),
            this.sendOptions(),
          ),
        );
        removed++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return removed;
  }

  async getApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.call(() =>
      this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: toAttributes(keys.apiKey(keyId)) }),
        this.sendOptions(),
      ),
    );
    return Item === undefined ? undefined : storedValue<ApiKeyRecord>(Item);
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.call(() =>
      this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toAttributes({ ...record, ...keys.apiKey(record.keyId) }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: listingItem(record) } },
          ],
        }),
        this.sendOptions(),
      ),
    );
  }

  async listApiKeys(): Promise<Omit<ApiKeyRecord, 'secretHash'>[]> {
    const items = await this.everyPage((start) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: toAttributes({ ':pk': keyListing.partition }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
        this.sendOptions(),
      ),
    );
    return items
      .map((item) => storedValue<Omit<ApiKeyRecord, 'secretHash'>>(item))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revokeApiKey(keyId: string, at: Date): Promise<void> {
    const { Item } = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: toAttributes(keys.apiKey(keyId)),
          ConsistentRead: true,
        }),
        this.sendOptions(),
      ),
    );
    if (Item === undefined) throw new NotFoundError(`No API key "${keyId}"`);
    const record = storedValue<ApiKeyRecord>(Item);
    const revokedAt = record.revokedAt ?? at.toISOString();
    try {
      await this.call(() =>
        this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: toAttributes(keys.apiKey(keyId)),
                  UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: toAttributes({ ':at': revokedAt }),
                },
              },
              // Written whole, so a key created before keys had a listing gets one.
              { Put: { TableName: this.tableName, Item: listingItem({ ...record, revokedAt }) } },
            ],
          }),
          this.sendOptions(),
        ),
      );
    } catch (error) {
      if (error instanceof ConflictError) throw new NotFoundError(`No API key "${keyId}"`, { cause: error });
      throw error;
    }
  }
}
