import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Where to find DynamoDB: the real service (region from the environment) or a local endpoint. */
export interface DynamoClientOptions {
  endpoint?: string;
  region?: string;
  /** Other bounds than STORE_TIMEOUTS, for work no client waits on (e.g. setting up a local table). */
  timeouts?: StoreTimeouts;
  /** Told of every call when it ends, with the capacity DynamoDB reports for it (debug logs). */
  observe?: (call: StoreCall) => void;
}

/** One DynamoDB call as the debug log shows it: never a key, an item or a request. */
export interface StoreCall {
  /** `Query`, `BatchGetItem`, `TransactWriteItems`, … */
  command: string;
  /** Wall time of the call, retries included. */
  ms: number;
  /** Capacity units DynamoDB reports it consumed (undefined for calls that report none). */
  capacityUnits?: number;
  /** The error's name when it failed. */
  error?: string;
}

/** Adds a middleware that reports every call, asking DynamoDB for the capacity it consumed. */
function observeCalls(client: DynamoDBClient, observe: (call: StoreCall) => void): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      // Commands without this parameter (DescribeTable, …) do not serialize it.
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const started = performance.now();
      const report = (rest: Partial<StoreCall>) =>
        observe({ command, ms: Math.round(performance.now() - started), ...rest });
      try {
        const result = await next(args);
        const capacity = (result.output as { ConsumedCapacity?: { CapacityUnits?: number }[] })
          .ConsumedCapacity;
        // One object for a single-table call, a list for batches and transactions.
        const units = [capacity ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
        report(capacity === undefined ? {} : { capacityUnits: units });
        return result;
      } catch (error) {
        report({ error: (error as Error).name });
        throw error;
      }
    },
    { step: 'initialize', name: 'newswireObserveCalls' },
  );
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
  const client = new DynamoDBClient({
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
  if (options.observe !== undefined) observeCalls(client, options.observe);
  return client;
}
