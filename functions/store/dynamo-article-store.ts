import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Article } from '../core/article.ts';
import type { FeedScope } from '../core/editions.ts';
import {
  ConflictError,
  NewswireError,
  NotFoundError,
  PayloadTooLargeError,
  StoreUnavailableError,
  TooManyRequestsError,
} from '../core/errors.ts';
import type { ApiKeyRecord, ArticleStore, ArticleWrite, FeedPage, FeedPosition } from '../core/ports.ts';
import { type ItemKey, keys } from './keys.ts';

type Item = Record<string, AttributeValue>;
type Key = Record<string, AttributeValue>;
type Paged = { Items?: Item[] | undefined; LastEvaluatedKey?: Key | undefined };

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** DynamoDB's limit on one item, attributes and key included. */
const MAX_ITEM_BYTES = 400 * 1024;

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
 * to clients): a lost condition → 409, throttling → 429, an item over
 * DynamoDB's 400 KB → 413 (a permanent refusal, so a CMS does not retry it),
 * and anything else, timeouts included → 503.
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
  // DynamoDB Local refuses the whole request; DynamoDB may instead cancel the transaction with this reason.
  const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
  const messages = [error instanceof Error ? error.message : '', ...reasons.map((r) => r.Message ?? '')];
  if (messages.some((m) => /item size has exceeded/i.test(m))) {
    return new PayloadTooLargeError(
      MAX_ITEM_BYTES,
      'The article is larger than the 400 KB DynamoDB allows for one item once it is sanitised and stored (escaped characters such as & count several times); shorten the body',
      { cause: error },
    );
  }
  return new StoreUnavailableError(5, { cause: error });
}

function marshallItem(key: ItemKey, value: Record<string, unknown>) {
  return marshall({ ...value, ...key }, { removeUndefinedValues: true, convertClassInstanceToMap: false });
}

/** An item's attributes without its key: what the store puts in is what comes out. */
function storedValue<T>(item: Record<string, AttributeValue>): T {
  const { pk: _pk, sk: _sk, ...value } = unmarshall(item);
  return value as T;
}

/** Feed entries carry the whole article, gzipped: bodies are large, and one page must fit one Query. */
function encodeEntry(article: Article): Uint8Array {
  return gzipSync(JSON.stringify(article));
}

function decodeEntry(doc: Uint8Array): Article {
  return JSON.parse(gunzipSync(doc).toString('utf8')) as Article;
}

function positionOf(article: Article): FeedPosition {
  return { publishedAt: article.publishedAt, id: article.id };
}

/** ArticleStore on one DynamoDB table (DESIGN.md's single-table design). */
export class DynamoArticleStore implements ArticleStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly onBadItem: (message: string, context: Record<string, unknown>) => void = () => {},
  ) {}

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Follows LastEvaluatedKey until a Query or Scan has returned every item. */
  private async everyPage(request: (start: Key | undefined) => Promise<Paged>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Key | undefined;
    do {
      const page = await this.call(() => request(start));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async getArticle(id: string): Promise<Article | undefined> {
    const { Item } = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: marshall(keys.article(id)),
          ConsistentRead: true,
        }),
      ),
    );
    return Item === undefined ? undefined : storedValue<Article>(Item);
  }

  async listRevisions(id: string): Promise<Article[]> {
    const items = await this.everyPage((start) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rev)',
          ExpressionAttributeValues: marshall({ ':pk': keys.article(id).pk, ':rev': keys.revisionPrefix }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ),
    );
    return items.map((item) => storedValue<Article>(item));
  }

  async saveArticle({ article, feeds, previous }: ArticleWrite): Promise<void> {
    const items: TransactWriteItem[] = [];
    items.push({
      Put: {
        TableName: this.tableName,
        Item: marshallItem(keys.article(article.id), { ...article }),
        ...(previous === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: marshall({ ':version': previous.article.version }),
            }),
      },
    });
    if (previous !== undefined) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: marshallItem(keys.revision(article.id, previous.article.version), { ...previous.article }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const entryKey = (scope: FeedScope, of: Article) => keys.feedEntry(scope, positionOf(of));
    const added = feeds.map((scope) => entryKey(scope, article));
    const addedIds = new Set(added.map((k) => `${k.pk}|${k.sk}`));
    const doc = encodeEntry(article);
    for (const key of added) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...marshall({ ...key, id: article.id, updatedAt: article.updatedAt }),
            doc: { B: doc },
          },
        },
      });
    }
    for (const scope of previous?.feeds ?? []) {
      const key = entryKey(scope, previous!.article);
      if (!addedIds.has(`${key.pk}|${key.sk}`)) {
        items.push({ Delete: { TableName: this.tableName, Key: marshall(key) } });
      }
    }
    await this.call(() => this.client.send(new TransactWriteItemsCommand({ TransactItems: items })));
  }

  async readFeed(
    scope: FeedScope,
    options: { now: Date; limit: number; after?: FeedPosition },
  ): Promise<FeedPage> {
    const pk = keys.feedPartition(scope);
    // One more than the page size tells whether an older page exists.
    const wanted = options.limit + 1;
    const articles: Article[] = [];
    const upper = keys.feedUpperBound(options.now);
    const after = options.after === undefined ? undefined : keys.feedEntry(scope, options.after);
    // A cursor dated after `now` was never issued, but anyone can write one: every published item is
    // older than it, and DynamoDB refuses a start key outside the key condition, so start at the top.
    let start = after === undefined || after.sk > upper ? undefined : marshall(after);
    // One Query per page; DynamoDB caps a response at 1 MB, so a page of very large items may take two.
    do {
      const page = await this.call(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk <= :upper',
            ExpressionAttributeValues: marshall({ ':pk': pk, ':upper': upper }),
            ScanIndexForward: false,
            Limit: wanted - articles.length,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        try {
          const doc = item.doc?.B;
          if (doc === undefined) throw new Error('no doc attribute');
          articles.push(decodeEntry(doc));
        } catch (error) {
          this.onBadItem('Skipped an unreadable feed entry', {
            pk,
            sk: item.sk?.S,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined && articles.length < wanted);
    if (articles.length <= options.limit) return { articles };
    const shown = articles.slice(0, options.limit);
    return { articles: shown, last: positionOf(shown.at(-1)!) };
  }

  async getApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.call(() =>
      this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall(keys.apiKey(keyId)) })),
    );
    return Item === undefined ? undefined : storedValue<ApiKeyRecord>(Item);
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.call(() =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshallItem(keys.apiKey(record.keyId), { ...record }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    // Keys are few and listed only by an operator's CLI, so a filtered Scan is acceptable here.
    const items = await this.everyPage((start) =>
      this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: marshall({ ':prefix': keys.apiKeyPrefix }),
          ExclusiveStartKey: start,
        }),
      ),
    );
    return items
      .map((item) => storedValue<ApiKeyRecord>(item))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revokeApiKey(keyId: string, at: Date): Promise<void> {
    try {
      await this.call(() =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: marshall(keys.apiKey(keyId)),
            UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: marshall({ ':at': at.toISOString() }),
          }),
        ),
      );
    } catch (error) {
      if (error instanceof ConflictError) throw new NotFoundError(`No API key "${keyId}"`, { cause: error });
      throw error;
    }
  }
}
