import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * The table's stream: keys only, which is all the notify function reads (a
 * changed item's key names the feed, Top Stories list or article it is).
 * The CDK stack declares the same.
 */
export const STREAM_VIEW_TYPE = 'KEYS_ONLY';

/** Options of a table made locally. */
export interface TableOptions {
  /**
   * Turn the stream on (the local runtime does when a WebSub hub is
   * configured). Off by default: DynamoDB Local keeps stream records at the
   * cost of slower writes (about twice as slow, measured), which tests and a
   * runtime without a hub do not need.
   */
  stream?: boolean;
}

/** The table definition of DESIGN.md (the CDK stack declares the same keys, and always the stream). */
export function tableDefinition(tableName: string, options: TableOptions = {}): CreateTableCommandInput {
  return {
    ...(options.stream === true && {
      StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
    }),
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
}

/**
 * Creates the table if it does not exist yet (and turns its stream on when
 * asked to and it has none); returns true when it did not
 * exist (so it is new and empty). "Already exists" after our own CreateTable
 * still counts as new: that is a retry finding the table its timed-out first
 * attempt created, or another process creating it at the same moment.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: TableOptions = {},
): Promise<boolean> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A table made without a stream (before WebSub was turned on) gets one when it is wanted.
    if (options.stream === true && Table?.StreamSpecification?.StreamEnabled !== true) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
        }),
      );
    }
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName, options)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  return true;
}
