import { randomUUID } from 'node:crypto';
import { type LocalNewswire, startNewswire } from '../../local/runtime.ts';

/**
 * Starts the local Newswire for an e2e file: the same runtime as `npm start`,
 * on a free port, with its own table on the run's DynamoDB Local, seeded.
 */
export function startTestServer(): Promise<LocalNewswire> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  return startNewswire({
    port: 0,
    inMemory: true,
    tableName: `e2e-${randomUUID()}`,
    ...(endpoint !== undefined && { dynamodbEndpoint: endpoint }),
  });
}
