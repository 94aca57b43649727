import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

/** One raw DynamoDB item. */
export type TableItem = Record<string, AttributeValue>;

/** Every item of a table, read with a consistent Scan, sorted by pk then sk. */
export async function scanTable(client: DynamoDBClient, tableName: string): Promise<TableItem[]> {
  const items: TableItem[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const key = (item: TableItem) => `${item.pk?.S}\u0000${item.sk?.S}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The whole table as one canonical string: equal strings mean equal tables, byte for byte. */
export async function tableSnapshot(client: DynamoDBClient, tableName: string): Promise<string> {
  const items = await scanTable(client, tableName);
  return JSON.stringify(items, (_key, value: unknown) =>
    value instanceof Uint8Array
      ? Buffer.from(value).toString('base64')
      : value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value,
  );
}
