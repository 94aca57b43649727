import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import type { PrivateFeedStore, PrivateFetch, SubscriberStore } from '../core/ports.ts';
import {
  MAX_COUNTED_CLIENTS,
  type SubscriberListing,
  type SubscriberRecord,
} from '../core/subscriber-tokens.ts';
import { fromAttributes, toAttributes } from './attributes.ts';
import { subscriberKeys } from './keys.ts';
import { queryPartition, storeCall } from './partition-query.ts';

type Item = Record<string, AttributeValue>;

function recordOf(item: Item): SubscriberRecord {
  const { pk: _pk, sk: _sk, ...record } = fromAttributes(item);
  return record as unknown as SubscriberRecord;
}

function listingItem(record: SubscriberRecord): Item {
  const { secretHash: _hash, ...listed } = record;
  return toAttributes({ ...listed, ...subscriberKeys.entry(record.subscriberId) });
}

function listingOf(item: Item, today: string): SubscriberListing {
  const { pk: _pk, sk: _sk, day, clients, ...rest } = fromAttributes(item);
  const count = day === today && Array.isArray(clients) ? clients.length : 0;
  return { ...(rest as Omit<SubscriberListing, 'clientsToday'>), clientsToday: count };
}

/**
 * What the feeds function reads and notes of subscriber tokens: a token's
 * record, and each fetch on its listing entry — one UpdateItem of an item
 * under 1 KB (one write unit) in the usual case.
 */
export class DynamoPrivateFeedStore implements PrivateFeedStore {
  constructor(
    protected readonly client: DynamoDBClient,
    protected readonly tableName: string,
  ) {}

  async getSubscriber(subscriberId: string): Promise<SubscriberRecord | undefined> {
    const { Item } = await storeCall(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: toAttributes(subscriberKeys.record(subscriberId)),
          // A revocation answers at once: the read after it sees it.
          ConsistentRead: true,
        }),
      ),
    );
    return Item === undefined ? undefined : recordOf(Item);
  }

  async recordFetch(subscriberId: string, fetch: PrivateFetch): Promise<void> {
    const Key = toAttributes(subscriberKeys.entry(subscriberId));
    const update = (expression: string, condition: string, values: Item) =>
      storeCall(() =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: expression,
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: values,
          }),
        ),
      ).then(
        () => true,
        (error: unknown) => {
          if (error instanceof ConflictError) return false;
          throw error;
        },
      );
    const at = { S: fetch.at };
    const day = { S: fetch.day };
    const client = { SS: [fetch.client] };
    // The usual case: the same day, fewer clients than counted. A set union, so a repeat adds nothing.
    if (
      await update(
        'SET lastFetchAt = :at ADD clients :client',
        'attribute_exists(pk) AND #day = :day AND size(clients) < :max',
        { ':at': at, ':day': day, ':client': client, ':max': { N: String(MAX_COUNTED_CLIENTS) } },
      )
    ) {
      return;
    }
    // A new day: its set starts with this client.
    if (
      await update(
        'SET lastFetchAt = :at, #day = :day, clients = :client',
        'attribute_exists(pk) AND (attribute_not_exists(#day) OR #day <> :day)',
        { ':at': at, ':day': day, ':client': client },
      )
    ) {
      return;
    }
    // The day's set is full: the time alone.
    await update('SET lastFetchAt = :at', 'attribute_exists(pk) AND #day = :day', { ':at': at, ':day': day });
  }
}

/** Subscriber tokens in the table: their records, and the listing the newsroom reads with one Query. */
export class DynamoSubscriberStore extends DynamoPrivateFeedStore implements SubscriberStore {
  async putSubscriber(record: SubscriberRecord): Promise<void> {
    await storeCall(() =>
      this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toAttributes({ ...record, ...subscriberKeys.record(record.subscriberId) }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: listingItem(record) } },
          ],
        }),
      ),
    );
  }

  async listSubscribers(today: string): Promise<SubscriberListing[]> {
    const items = await queryPartition(this.client, this.tableName, subscriberKeys.partition);
    const listings = items.map((item) => listingOf(item, today));
    return listings.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revokeSubscriber(subscriberId: string, at: Date): Promise<void> {
    const revokedAt = { S: at.toISOString() };
    try {
      await storeCall(() =>
        this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [subscriberKeys.record(subscriberId), subscriberKeys.entry(subscriberId)].map(
              (key) => ({
                Update: {
                  TableName: this.tableName,
                  Key: toAttributes(key),
                  // Revoking twice keeps the first time.
                  UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':at': revokedAt },
                },
              }),
            ),
          }),
        ),
      );
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new NotFoundError(`No subscriber "${subscriberId}"`, { cause: error });
      }
      throw error;
    }
  }
}
