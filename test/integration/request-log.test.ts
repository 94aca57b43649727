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

describe('LOG_LEVEL=debug: what a request did, for someone looking into it', () => {
  let records: Record<string, unknown>[] = [];
  let output = '';

  before(async () => {
    const run = await runScenario('log-debug', { LOG_LEVEL: 'debug' });
    assert.deepEqual(run.statuses, [201, 200, 304, 401, 400, 200]);
    output = run.stdout + run.stderr;
    records = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((r) => r.level === 'DEBUG');
  });

  test('every store call with its time and the capacity DynamoDB reports', () => {
    const calls = records.filter((r) => String(r.message).startsWith('Store '));
    const commands = new Set(calls.map((r) => String(r.message).slice('Store '.length)));
    for (const command of ['GetItem', 'TransactWriteItems', 'Query', 'BatchGetItem']) {
      assert.ok(commands.has(command), `${command} in ${[...commands].join(', ')}`);
    }
    for (const call of calls) {
      assert.equal(typeof call.storeMs, 'number', JSON.stringify(call));
      if (!String(call.message).includes('Describe')) {
        assert.equal(typeof call.capacityUnits, 'number', JSON.stringify(call));
      }
    }
  });

  test('the cache decision of each cacheable answer: a 304 from the validators, or a body built', () => {
    const decisions = records.filter((r) => String(r.message).startsWith('Cache:'));
    const [built, notModified] = decisions;
    assert.equal(built?.message, 'Cache: 200, rendered');
    assert.equal(built?.ifNoneMatch, undefined);
    assert.equal(notModified?.message, 'Cache: 304, validators matched, nothing rendered');
    assert.equal(notModified?.ifNoneMatch, built?.etag);
    assert.equal(typeof built?.lastModified, 'string');
  });

  test("a feed's ETag with what it hashes: renderer, config, format, scope, and each entry's version", () => {
    const planned = records.filter((r) => r.message === 'Feed ETag planned');
    assert.equal(planned.length, 2, 'the 200 and the 304 each planned the page');
    const inputs = planned[0]?.etagInputs as string[];
    assert.deepEqual(inputs.slice(2, 5), ['rss', 'edition', 'europe']);
    assert.ok(
      inputs.some((input) => /#log-debug:1$/.test(input)),
      inputs.join(' '),
    );
    assert.equal(planned[0]?.etag, planned[1]?.etag);
  });

  test('no key, header, body or address at debug either', () => {
    assertNoSecrets(output);
    assert.doesNotMatch(output, /127\.0\.0\.1|sourceIp|localhost/);
  });
});

describe('an unknown LOG_LEVEL', () => {
  test('stops each function at load, naming the levels', async () => {
    await assert.rejects(
      runScenario('log-bad-level', { LOG_LEVEL: 'verbose' }),
      (error: { stderr: string }) => {
        assert.match(
          error.stderr,
          /Environment variable LOG_LEVEL is "verbose", which is not one of: debug, info, warn, error, silent/,
        );
        return true;
      },
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
