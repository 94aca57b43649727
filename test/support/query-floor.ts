/**
 * The floor a read function's bundle and cold start are measured against: a
 * Lambda handler that does one DynamoDB Query (a feed page's) and nothing
 * else, bundled the same way as the functions (test/infra/bundle-size.test.ts
 * and `npm run bench`).
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient(
  process.env.DYNAMODB_ENDPOINT === undefined
    ? {}
    : {
        endpoint: process.env.DYNAMODB_ENDPOINT,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
);

/** Answers every request with the number of entries on the International edition's first page. */
export async function handler(): Promise<{ statusCode: number; body: string }> {
  const { Count = 0 } = await client.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND sk <= :now',
      ExpressionAttributeValues: {
        ':pk': { S: 'FEED#international#*' },
        ':now': { S: `${new Date().toISOString()}#~` },
      },
      ScanIndexForward: false,
      Limit: 51,
    }),
  );
  return { statusCode: 200, body: String(Count) };
}
