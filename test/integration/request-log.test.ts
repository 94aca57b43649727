/**
 * What an operator sees: the Lambda entry points, run in their own process as
 * Lambda runs them, print one structured line per request (and EMF metrics);
 * the local format prints one readable line; no key, header or body ever shows.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { issueApiKey } from '../../functions/core/api-keys.ts';
import { freshDeps } from '../support/dynamo.ts';

const scenario = new URL('../support/lambda-scenario.ts', import.meta.url).pathname;
let table: string;
let token: string;

before(async () => {
  const deps = await freshDeps();
  const key = issueApiKey('log-test', deps.clock());
  await deps.store.putApiKey(key.record);
  table = deps.tableName;
  token = key.token;
});

async function runScenario(id: string, env: Record<string, string>) {
  const out = join(mkdtempSync(join(tmpdir(), 'newswire-log-')), 'statuses.json');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', scenario], {
    env: {
      ...process.env,
      TABLE_NAME: table,
      SCENARIO_TOKEN: token,
      SCENARIO_ID: id,
      SCENARIO_OUT: out,
      NEWSWIRE_LOG_FORMAT: '',
      ...env,
    },
  });
  return { stdout, stderr, statuses: JSON.parse(readFileSync(out, 'utf8')) as number[] };
}

function assertNoSecrets(output: string) {
  const secret = /^nw_[0-9a-f]{16}_(.+)$/.exec(token)?.[1] ?? '';
  assert.equal(secret.length, 43);
  for (const forbidden of [token, secret, 'UNKNOWNSECRET', 'SECRET-BODY-TEXT', 'BAD-BODY-TEXT', 'Bearer']) {
    assert.ok(!output.includes(forbidden), `the log shows ${forbidden}`);
  }
  assert.doesNotMatch(output, /authorization/i);
}

describe('request logs and metrics in Lambda (JSON, EMF)', () => {
  let records: Record<string, unknown>[] = [];
  let output = '';

  before(async () => {
    const run = await runScenario('log-json', { LOG_LEVEL: 'info', POWERTOOLS_METRICS_DISABLED: 'false' });
    assert.deepEqual(run.statuses, [201, 200, 304, 401, 400, 200]);
    output = run.stdout + run.stderr;
    records = run.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  });

  test('each request is one JSON line with request id, route, method, status and latency', () => {
    const requests = records.filter((r) => r.level !== undefined);
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.status, r.route, r.requestId, r.function_request_id]),
      [
        ['PUT', '/api/articles/log-json', 201, 'ANY /api/articles/{id}', 'api-1', 'lambda-request-1'],
        ['GET', '/europe/rss.xml', 200, 'GET /{edition}/{proxy+}', 'api-2', 'lambda-request-2'],
        ['GET', '/europe/rss.xml', 304, 'GET /{edition}/{proxy+}', 'api-3', 'lambda-request-3'],
        ['PUT', '/api/articles/log-json', 401, 'ANY /api/articles/{id}', 'api-4', 'lambda-request-4'],
        ['PUT', '/api/articles/log-json', 400, 'ANY /api/articles/{id}', 'api-5', 'lambda-request-5'],
        ['GET', '/europe/', 200, '$default', 'api-6', 'lambda-request-6'],
      ],
    );
    for (const r of requests) {
      assert.equal(r.level, 'INFO');
      assert.equal(r.service, 'newswire');
      assert.equal(typeof r.latencyMs, 'number');
      assert.match(String(r.timestamp), /^\d{4}-\d\d-\d\dT/);
    }
  });

  test('a write adds the article id, version and status; a refusal its problem type', () => {
    const [write, , , unauthorized, invalid] = records.filter((r) => r.level !== undefined);
    assert.deepEqual(
      [write?.articleId, write?.version, write?.articleStatus, write?.function],
      ['log-json', 1, 'published', 'articles'],
    );
    assert.equal(unauthorized?.problem, 'unauthorized');
    assert.equal(invalid?.problem, 'invalid-request');
  });

  test('no key, Authorization header or body appears in any line', () => {
    assertNoSecrets(output);
  });

  test('metrics: feeds by format and edition with 304s and render time, writes by status, refusals by reason', () => {
    const emf = records.filter((r) => r._aws !== undefined);
    const summary = emf.map((r) => {
      const aws = r._aws as {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
      const [cw] = aws.CloudWatchMetrics;
      return {
        namespace: cw?.Namespace,
        dimensions: cw?.Dimensions,
        values: Object.fromEntries(
          (cw?.Metrics ?? []).map((m) => [m.Name, m.Name === 'RenderTime' ? 'ms' : r[m.Name]]),
        ),
      };
    });
    const byFormat = { namespace: 'Newswire', dimensions: [['service', 'format']] };
    const byEdition = {
      namespace: 'Newswire',
      dimensions: [['service', 'edition']],
      values: { FeedsServed: 1 },
    };
    assert.deepEqual(summary, [
      { namespace: 'Newswire', dimensions: [['service', 'articleStatus']], values: { ArticlesWritten: 1 } },
      byEdition,
      { ...byFormat, values: { FeedsServed: 1, NotModified: 0, RenderTime: 'ms' } },
      byEdition,
      // A revalidation is answered from the feed's index alone: nothing is rendered, so no render time.
      { ...byFormat, values: { FeedsServed: 1, NotModified: 1 } },
      { namespace: 'Newswire', dimensions: [['service', 'reason']], values: { Refusals: 1 } },
      { namespace: 'Newswire', dimensions: [['service', 'reason']], values: { Refusals: 1 } },
      {
        namespace: 'Newswire',
        dimensions: [['service']],
        values: { PagesServed: 1, NotModified: 0, RenderTime: 'ms' },
      },
    ]);
    assert.deepEqual(
      emf.map((r) => [r.service, r.format ?? r.edition ?? r.articleStatus ?? r.reason ?? null]),
      [
        ['articles', 'published'],
        ['feeds', 'europe'],
        ['feeds', 'rss'],
        ['feeds', 'europe'],
        ['feeds', 'rss'],
        ['articles', 'unauthorized'],
        ['articles', 'invalid-request'],
        ['pages', null],
      ],
    );
  });
});

describe('request logs on the local server (NEWSWIRE_LOG_FORMAT=text)', () => {
  test('one readable line per request and per write, no secrets, no EMF', async () => {
    const run = await runScenario('log-text', {
      LOG_LEVEL: 'info',
      NEWSWIRE_LOG_FORMAT: 'text',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const lines = run.stdout.trim().split('\n');
    const expected = [
      /^\d\d:\d\d:\d\d PUT \/api\/articles\/log-text 201 \d+ ms {2}log-text v1 published$/,
      /^\d\d:\d\d:\d\d GET \/europe\/rss\.xml 200 \d+ ms$/,
      /^\d\d:\d\d:\d\d GET \/europe\/rss\.xml 304 \d+ ms$/,
      /^\d\d:\d\d:\d\d PUT \/api\/articles\/log-text 401 \d+ ms {2}unauthorized$/,
      /^\d\d:\d\d:\d\d PUT \/api\/articles\/log-text 400 \d+ ms {2}invalid-request$/,
      /^\d\d:\d\d:\d\d GET \/europe\/ 200 \d+ ms$/,
    ];
    assert.equal(lines.length, expected.length, run.stdout);
    for (const [i, pattern] of expected.entries()) assert.match(lines[i] ?? '', pattern);
    assertNoSecrets(run.stdout + run.stderr);
  });

  test('LOG_LEVEL=warn keeps successful and refused requests quiet', async () => {
    const run = await runScenario('log-quiet', { LOG_LEVEL: 'warn', NEWSWIRE_LOG_FORMAT: 'text' });
    assert.equal(run.stdout + run.stderr, '');
  });
});
