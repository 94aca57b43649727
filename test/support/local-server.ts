import { randomUUID } from 'node:crypto';
import { type LocalNewswire, startNewswire } from '../../local/runtime.ts';
import { openApiChecker } from './openapi.ts';

/**
 * Starts the local Newswire for an e2e file: the same runtime as `npm start`,
 * on a free port, with its own table on the run's DynamoDB Local, seeded.
 * Every reply it sends is checked against the OpenAPI document; `stop()`
 * fails, listing them, when any reply broke it.
 */
export async function startTestServer(): Promise<LocalNewswire> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  // The config is read once the runtime has set the server's own base URL (it imports it then).
  let check: ReturnType<typeof openApiChecker> | undefined;
  const broken: string[] = [];
  const newswire = await startNewswire({
    port: 0,
    inMemory: true,
    tableName: `e2e-${randomUUID()}`,
    ...(endpoint !== undefined && { dynamodbEndpoint: endpoint }),
    observe: (event, result) => {
      check ??= openApiChecker(newswire.deps.config);
      const problem = check(event, result);
      if (problem !== undefined) broken.push(problem);
    },
  });
  return {
    ...newswire,
    stop: async () => {
      await newswire.stop();
      if (broken.length > 0) {
        throw new Error(`Replies that break the OpenAPI document:\n  ${broken.slice(0, 20).join('\n  ')}`);
      }
    },
  };
}
