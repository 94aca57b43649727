import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { PublicCountReader, PublicCounts } from '../core/ports.ts';
import { deadlineSignal } from './deadline.ts';
import { translateError } from './dynamo-article-store.ts';
import { publicCountKeys } from './keys.ts';

/**
 * The published subscriber counts, as the pages read them: the newest day's
 * item in a range is one eventually consistent Query of one item (half a
 * read unit per 4 KB; the publisher keeps the item within PUBLIC_COUNTS_MAX_BYTES).
 */
export class DynamoPublicCounts implements PublicCountReader {
  constructor(
    protected readonly client: DynamoDBClient,
    protected readonly tableName: string,
  ) {}

  async latestCounts(from: string, to: string): Promise<PublicCounts | undefined> {
    const abortSignal = deadlineSignal();
    const page = await this.client
      .send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': { S: publicCountKeys.partition },
            ':from': { S: from },
            ':to': { S: to },
          },
          ScanIndexForward: false,
          Limit: 1,
        }),
        abortSignal === undefined ? {} : { abortSignal },
      )
      .catch((error: unknown) => {
        throw translateError(error);
      });
    const item = page.Items?.[0];
    if (item?.sk?.S === undefined) return undefined;
    const feeds: Record<string, number> = {};
    for (const [feed, value] of Object.entries(item.feeds?.M ?? {})) {
      const n = Number(value.N);
      if (Number.isFinite(n)) feeds[feed] = n;
    }
    return { day: item.sk.S, publishedAt: item.publishedAt?.S ?? `${item.sk.S}T00:00:00.000Z`, feeds };
  }
}
