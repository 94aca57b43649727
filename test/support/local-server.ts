import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalNewswire, type LocalOptions, startNewswire } from '../../local/runtime.ts';
import type { ResponseObserver } from '../../local/server.ts';
import { writeServerRecord } from '../../local/server-record.ts';
import { openApiChecker } from './openapi.ts';

/**
 * Starts the local Newswire for an e2e file: the same runtime as `npm start`,
 * on a free port, with its own table on the run's DynamoDB Local, seeded.
 * Every reply it sends is checked against the OpenAPI document; `stop()`
 * fails, listing them, when any reply broke it. `observe` also sees each request and reply;
 * `runtime` adds options of the runtime (a WebSub hub, its timings).
 */
export async function startTestServer(
  options: { observe?: ResponseObserver; runtime?: Omit<LocalOptions, 'observe'> } = {},
): Promise<LocalNewswire> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  // The config is read once the runtime has set the server's own base URL (it imports it then).
  let check: ReturnType<typeof openApiChecker> | undefined;
  const broken: string[] = [];
  const newswire = await startNewswire({
    port: 0,
    inMemory: true,
    tableName: `e2e-${randomUUID()}`,
    ...(endpoint !== undefined && { dynamodbEndpoint: endpoint }),
    ...options.runtime,
    observe: (event, result) => {
      options.observe?.(event, result);
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

/**
 * Records a test server in a fresh data folder as `newswire serve` would
 * (server.json and the dev key), so that CLI commands run against that folder
 * find it. Returns the folder.
 */
export function recordAsRunning(newswire: LocalNewswire, prefix: string): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), prefix)), 'data');
  mkdirSync(dataDir);
  writeServerRecord(dataDir, {
    url: newswire.url,
    dynamodbEndpoint: newswire.endpoint,
    tableName: newswire.tableName,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });
  writeFileSync(join(dataDir, 'dev-key'), `${newswire.apiKey}\n`);
  return dataDir;
}

/** `PUT`s `body` as JSON to `path` on a test server, with its dev API key. */
export function putJson(newswire: LocalNewswire, path: string, body: unknown): Promise<Response> {
  return fetch(`${newswire.url}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${newswire.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
