/**
 * Runs the test suite with one DynamoDB Local for the whole run (integration
 * and e2e files each make their own table on it), then stops it.
 * Usage: tsx test/run.ts [folder-or-file …]   (default: every test/**\/*.test.ts)
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';

function testFiles(target: string): string[] {
  if (statSync(target).isFile()) return [target];
  return readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(target, f))
    .sort();
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : ['test']).flatMap(testFiles);
const needsDynamo = files.some((f) => !f.includes('/unit/') && !f.includes('/infra/'));
const dynamo =
  needsDynamo && process.env.DYNAMODB_ENDPOINT === undefined ? await startDynamoDbLocal() : undefined;

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      ...(dynamo !== undefined && { DYNAMODB_ENDPOINT: dynamo.endpoint }),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
);
const code = await new Promise<number>((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
await dynamo?.stop();
process.exit(code);
