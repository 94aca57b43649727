import { randomBytes } from 'node:crypto';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../core/errors.ts';
import type {
  PublicCountStore,
  PublicCounts,
  SaltStore,
  StatsStore,
  StoredTally,
  TallyKey,
} from '../core/ports.ts';
import { fromAttributes, toAttributes } from './attributes.ts';
import { translateWriteError } from './dynamo-article-store.ts';
import { DynamoPublicCounts } from './dynamo-public-counts.ts';
import { itemSize } from './item-size.ts';
import { publicCountKeys, statsKeys } from './keys.ts';
import { queryPartition, storeCall } from './partition-query.ts';

type Item = Record<string, AttributeValue>;

/** The attribute DynamoDB's time to live reads (epoch seconds); the stack turns TTL on for it. */
export const EXPIRES_AT = 'expiresAt';

/** Bytes of a day's salt. */
const SALT_BYTES = 32;

/** Items one BatchWriteItem may carry. */
const BATCH_WRITE_ITEMS = 25;

const epochSeconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

/**
 * The daily subscriber tallies on the Newswire table: per day, one summary
 * item per feed (`STATS#{day}`, kept SUMMARY_RETENTION_DAYS) and one item of
 * client sets per feed (`STATSSETS#{day}`, deleted when the day closes).
 */
export class DynamoStatsStore implements StatsStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getTally(day: string, key: TallyKey): Promise<StoredTally | undefined> {
    const get = (itemKey: { pk: string; sk: string }) =>
      storeCall(() =>
        this.client.send(
          new GetItemCommand({ TableName: this.tableName, Key: toAttributes(itemKey), ConsistentRead: true }),
        ),
      );
    const [summary, sets] = await Promise.all([
      get(statsKeys.statsSummary(day, key)),
      get(statsKeys.statsSets(day, key)),
    ]);
    if (summary.Item === undefined) return undefined;
    const setBytes: Record<string, Uint8Array> = {};
    for (const [slot, value] of Object.entries(sets.Item?.sets?.M ?? {})) {
      if (value.B !== undefined) setBytes[slot] = value.B;
    }
    return {
      day,
      key,
      summary: fromAttributes(summary.Item.summary?.M ?? {}),
      sets: setBytes,
      version: Number(summary.Item.version?.N ?? 0),
    };
  }

  async saveTally(tally: StoredTally, expiresAt: { summary: Date; sets: Date }): Promise<void> {
    const summaryKey = statsKeys.statsSummary(tally.day, tally.key);
    const setsKey = statsKeys.statsSets(tally.day, tally.key);
    const summary: Item = {
      ...toAttributes(summaryKey),
      summary: { M: toAttributes(tally.summary) },
      version: { N: String(tally.version) },
      [EXPIRES_AT]: { N: epochSeconds(expiresAt.summary) },
    };
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: summary,
          ...(tally.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :previous',
                ExpressionAttributeValues: { ':previous': { N: String(tally.version - 1) } },
              }),
        },
      },
    ];
    const slots = Object.entries(tally.sets);
    if (slots.length > 0) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...toAttributes(setsKey),
            sets: { M: Object.fromEntries(slots.map(([slot, bytes]) => [slot, { B: bytes }])) },
            [EXPIRES_AT]: { N: epochSeconds(expiresAt.sets) },
          },
        },
      });
    }
    await storeCall(() => this.client.send(new TransactWriteItemsCommand({ TransactItems: items })));
  }

  async listSummaries(day: string): Promise<Array<Pick<StoredTally, 'day' | 'key' | 'summary'>>> {
    const items = await this.everyItem(statsKeys.statsPartition(day), 'sk, summary');
    return items.flatMap((item) => {
      const key = statsKeys.tallyOf(item.sk?.S ?? '');
      return key === undefined ? [] : [{ day, key, summary: fromAttributes(item.summary?.M ?? {}) }];
    });
  }

  async deleteClientSets(day: string): Promise<number> {
    const items = await this.everyItem(statsKeys.statsSetsPartition(day), 'pk, sk');
    for (let at = 0; at < items.length; at += BATCH_WRITE_ITEMS) {
      let pending: Array<{ DeleteRequest: { Key: Item } }> = items
        .slice(at, at + BATCH_WRITE_ITEMS)
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk!, sk: item.sk! } } }));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        if (round >= 6) throw translateWriteError(new Error('Unprocessed deletes of client sets'));
        const output = await storeCall(() =>
          this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } })),
        );
        pending = (output.UnprocessedItems?.[this.tableName] ?? []).flatMap((r) =>
          r.DeleteRequest?.Key === undefined ? [] : [{ DeleteRequest: { Key: r.DeleteRequest.Key } }],
        );
      }
    }
    return items.length;
  }

  private everyItem(pk: string, projection: string): Promise<Item[]> {
    return queryPartition(this.client, this.tableName, pk, projection);
  }
}

/**
 * Each day's salt on a DynamoDB table: 32 random bytes, made by the first
 * writer that asks (a conditional put, so every Lambda instance and the local
 * server share one), expiring by TTL at the day's close as a backstop to the
 * explicit delete. In AWS this is a table of its own without point-in-time
 * recovery, so a deleted salt cannot be restored from a backup.
 */
export class DynamoSaltStore implements SaltStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async saltFor(day: string, expiresAt: Date): Promise<Uint8Array> {
    const key = toAttributes(statsKeys.salt(day));
    const read = async () => {
      const { Item } = await storeCall(() =>
        this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
      );
      return Item?.salt?.B;
    };
    const stored = await read();
    if (stored !== undefined) return stored;
    const salt = randomBytes(SALT_BYTES);
    try {
      await storeCall(() =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: { ...key, salt: { B: salt }, [EXPIRES_AT]: { N: epochSeconds(expiresAt) } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return salt;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Another writer made the day's salt first: use theirs.
      const theirs = await read();
      if (theirs === undefined) throw error;
      return theirs;
    }
  }

  async deleteSalt(day: string): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: toAttributes(statsKeys.salt(day)) }),
      ),
    );
  }
}

/**
 * Largest item of a day's public counts: every page reads it, at half a read unit per 4 KB
 * (eventually consistent), so at most 2 units a page; a site with more feeds above the floor
 * than fit keeps the most followed.
 */
export const PUBLIC_COUNTS_MAX_BYTES = 16 * 1024;

/** The public counts as the subscriber estimate publishes them: one item per closed day, written once. */
export class DynamoPublicCountStore extends DynamoPublicCounts implements PublicCountStore {
  async publishCounts(counts: PublicCounts, expiresAt: Date): Promise<boolean> {
    const item: Item = {
      ...toAttributes(publicCountKeys.day(counts.day)),
      publishedAt: { S: counts.publishedAt },
      [EXPIRES_AT]: { N: epochSeconds(expiresAt) },
      feeds: { M: {} },
    };
    const feeds: Record<string, AttributeValue> = {};
    let size = itemSize(item);
    const largestFirst = Object.entries(counts.feeds).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [feed, n] of largestFirst) {
      const entry = { [feed]: { N: String(n) } };
      // A map element costs its name, its value and one byte.
      size += itemSize(entry) + 1;
      if (size > PUBLIC_COUNTS_MAX_BYTES) break;
      Object.assign(feeds, entry);
    }
    item.feeds = { M: feeds };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      const translated = translateWriteError(error);
      if (translated instanceof ConflictError) return false;
      throw translated;
    }
  }
}
