import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Where to find DynamoDB: the real service (region from the environment) or a local endpoint. */
export interface DynamoClientOptions {
  endpoint?: string;
  region?: string;
  /** Other bounds than STORE_TIMEOUTS, for work no client waits on (e.g. setting up a local table). */
  timeouts?: StoreTimeouts;
}

/** How long one DynamoDB call may wait, and how often it is tried, before the store gives up. */
export interface StoreTimeouts {
  /** TCP connect, per attempt. */
  connectionMs: number;
  /** From sending the request to the response headers, and any silence while the body streams, per attempt. */
  requestMs: number;
  /** Attempts in all (the first one included). */
  attempts: number;
}

/**
 * The bounds on every DynamoDB call. A stalled store costs at most
 * attempts × requestMs plus the SDK's jittered backoff (≤ 100 ms before the
 * second attempt, ≤ 200 ms before the third): 3.3 s against AWS, 3.1 s
 * against DynamoDB Local. A request fails on the first store call that gives
 * up, so a client gets its 503 within 5 s, well inside the functions' 10 s
 * timeout. DynamoDB answers in milliseconds, so neither bound touches normal
 * traffic; DynamoDB Local on a busy laptop is slower, hence its longer wait
 * per attempt and one retry fewer.
 */
export const STORE_TIMEOUTS = {
  aws: { connectionMs: 1000, requestMs: 1000, attempts: 3 },
  local: { connectionMs: 1000, requestMs: 1500, attempts: 2 },
  /** Setting up (the local table, the sample newsroom): a DynamoDB Local that has just started is slow. */
  setup: { connectionMs: 5000, requestMs: 30_000, attempts: 3 },
} as const satisfies Record<string, StoreTimeouts>;

/**
 * Builds the DynamoDB client. Against a local endpoint it uses fixed dummy
 * credentials (DynamoDB Local accepts any) so no AWS account is needed.
 * Retries of TransactWriteItems are safe: the SDK fills its
 * ClientRequestToken once per call, so DynamoDB applies a retried write once.
 */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const local = options.endpoint !== undefined;
  const region = options.region ?? (local ? 'local' : undefined);
  const timeouts: StoreTimeouts = options.timeouts ?? (local ? STORE_TIMEOUTS.local : STORE_TIMEOUTS.aws);
  return new DynamoDBClient({
    ...(region !== undefined && { region }),
    ...(local && {
      endpoint: options.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    maxAttempts: timeouts.attempts,
    // Options of the SDK's own NodeHttpHandler, which the client builds from them.
    requestHandler: {
      connectionTimeout: timeouts.connectionMs,
      requestTimeout: timeouts.requestMs,
      // Without this a request past requestTimeout is only logged as a warning and keeps waiting.
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestMs,
    },
  });
}
