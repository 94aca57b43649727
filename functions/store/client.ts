import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Where to find DynamoDB: the real service (region from the environment) or a local endpoint. */
export interface DynamoClientOptions {
  endpoint?: string;
  region?: string;
}

/**
 * Builds the DynamoDB client. Against a local endpoint it uses fixed dummy
 * credentials (DynamoDB Local accepts any) so no AWS account is needed.
 */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const local = options.endpoint !== undefined;
  const region = options.region ?? (local ? 'local' : undefined);
  return new DynamoDBClient({
    ...(region !== undefined && { region }),
    ...(local && {
      endpoint: options.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    maxAttempts: local ? 2 : 3,
  });
}
