import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { translateWriteError } from './dynamo-article-store.ts';

type Item = Record<string, AttributeValue>;

/** Runs one DynamoDB call, its failures translated into the store's typed errors. */
export async function storeCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateWriteError(error);
  }
}

/**
 * Every item of one partition, read consistently page by page (DynamoDB
 * returns at most 1 MB a page), with only `projection`'s attributes if given.
 */
export async function queryPartition(
  client: DynamoDBClient,
  tableName: string,
  pk: string,
  projection?: string,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await storeCall(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ...(projection !== undefined && { ProjectionExpression: projection }),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
