import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { freePort } from '../../local/dynamodb-local.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { writeServerRecord } from '../../local/server-record.ts';
import { sampleArticle } from '../support/articles.ts';
import { recordAsRunning, startTestServer } from '../support/local-server.ts';

const run = promisify(execFile);
const bin = new URL('../../local/bin.js', import.meta.url).pathname;
let newswire: LocalNewswire;
let root: string;
/** A data folder in which a local server is recorded as running, with its dev key. */
let dataDir: string;

before(async () => {
  newswire = await startTestServer();
  // What `newswire serve` records while it runs (this test process plays the server).
  dataDir = recordAsRunning(newswire, 'newswire-cli-');
  root = dirname(dataDir);
});
after(() => newswire?.stop());

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function newswireCli(args: string[], env: Record<string, string> = {}, data = dataDir): Promise<Result> {
  const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, ...inherited } = process.env;
  return run(process.execPath, [bin, ...args], {
    env: { ...inherited, NEWSWIRE_DATA_DIR: data, ...env },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: Result) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** An expected failure: one `newswire: …` line on stderr, no stack trace, the given exit code. */
function assertFailure(result: Result, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', /^newswire: /);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(`${result.stdout}${result.stderr}`, /^\s+at /m, 'no stack trace');
}

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

/** A data folder nothing was ever started in. */
function emptyDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'newswire-cli-empty-')), 'data');
}

const article = (id: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ id, ...sampleArticle({ url: `https://news.example.com/${id}/`, ...overrides }) });

describe('newswire ingest', () => {
  test('finds the running server, goes on past bad lines, names them by line number and ends with a count', async () => {
    const path = file(
      'mixed.jsonl',
      [
        article('cli-good'),
        '{"id": "cli-broken", "headline": By Ana Ortiz}',
        '',
        article('cli-bad', { section: 'weather' }),
        JSON.stringify({ headline: 'no id' }),
        article('cli-good-2'),
      ].join('\n'),
    );
    const result = await newswireCli(['ingest', path]);
    assertFailure(result, 1, /^newswire: 3 of 5 entries were not published \(line 2, line 4, line 5\)$/);
    assert.match(
      result.stdout,
      new RegExp(`^Publishing 3 of 5 entries from .*mixed\\.jsonl to ${newswire.url}$`, 'm'),
    );
    assert.match(result.stdout, /^✗ line 2 is not valid JSON: column 34: expected a value, found "B"/m);
    assert.match(result.stdout, /^✗ line 5 has no "id"/m);
    assert.match(result.stdout, /^1\/3 ✓ cli-good created$/m);
    assert.match(result.stdout, /^2\/3 ✗ cli-bad \(line 4\): 400 section must be one of/m);
    assert.match(result.stdout, /^3\/3 ✓ cli-good-2 created$/m);
    assert.match(result.stdout, /^2 published \(2 created, 0 updated\), 3 rejected$/m);
    assert.equal((await newswire.deps.store.getArticle('cli-good-2'))?.version, 1);
    assert.equal(await newswire.deps.store.getArticle('cli-bad'), undefined);
  });

  test('a file that does not exist is one line', async () => {
    assertFailure(
      await newswireCli(['ingest', join(root, 'nope.jsonl')]),
      1,
      /cannot read .*nope\.jsonl: no such file$/,
    );
  });

  test('a JSON array that is not JSON names its line and column', async () => {
    const path = file('broken.json', `[\n  ${article('a1')},\n  {"id": "a2",}\n]`);
    assertFailure(
      await newswireCli(['ingest', path]),
      1,
      /broken\.json is not valid JSON: line 3, column 15: .*no trailing commas/,
    );
  });

  test('with no server running and no --url it says how to start one', async () => {
    const path = file('one.jsonl', article('never'));
    assertFailure(
      await newswireCli(['ingest', path], {}, emptyDataDir()),
      1,
      /no local Newswire is running \(no .*server\.json\); start one with "npm start", or pass --url$/,
    );
  });

  test('a server that was recorded but is gone is named as such', async () => {
    const stale = emptyDataDir();
    mkdirSync(stale);
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeServerRecord(stale, {
      url: 'http://127.0.0.1:9',
      dynamodbEndpoint: 'http://127.0.0.1:9',
      tableName: 'newswire',
      pid: gone,
      startedAt: '',
    });
    assertFailure(
      await newswireCli(['ingest', file('stale.jsonl', article('never'))], {}, stale),
      1,
      new RegExp(`names a server \\(pid ${gone}, http://127.0.0.1:9\\) that is no longer running`),
    );
  });

  test('an unreachable server is one line', async () => {
    const port = await freePort();
    const result = await newswireCli([
      'ingest',
      file('two.jsonl', article('never')),
      '--url',
      `http://127.0.0.1:${port}`,
    ]);
    assertFailure(
      result,
      1,
      new RegExp(`cannot reach Newswire at http://127.0.0.1:${port} \\(connection refused\\)`),
    );
  });

  test('a wrong key stops at the first refusal', async () => {
    const wrong = `nw_0123456789abcdef_${'x'.repeat(43)}`;
    const path = file('keyed.jsonl', `${article('wrong-key-1')}\n${article('wrong-key-2')}\n`);
    const result = await newswireCli(['ingest', path, '--key', wrong]);
    assertFailure(result, 1, /refused the API key \(401: The API key is not valid\); pass --key/);
    assert.ok(!result.stderr.includes('x'.repeat(43)), 'the key is not echoed');
    assert.equal(await newswire.deps.store.getArticle('wrong-key-1'), undefined);
  });

  test('without any key it refuses before sending anything', async () => {
    const bare = emptyDataDir();
    const result = await newswireCli(
      ['ingest', file('nokey.json', `[${article('no-key')}]`), '--url', newswire.url],
      {},
      bare,
    );
    assertFailure(result, 1, /no API key: pass --key, set NEWSWIRE_API_KEY/);
    assert.equal(await newswire.deps.store.getArticle('no-key'), undefined);
  });
});

describe('newswire keys', () => {
  test('create, list and revoke use the running server’s table, say so, and never print a key back', async () => {
    const created = await newswireCli(['keys', 'create', '--name', 'cms-test']);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^nw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/, 'stdout is the key alone');
    const where = `Using table "${newswire.tableName}" at ${newswire.endpoint} (the local Newswire at ${newswire.url}).`;
    assert.equal(created.stderr.split('\n')[0], where);
    const keyId = token.slice(3, 19);

    const listed = await newswireCli(['keys', 'list']);
    assert.equal(listed.stderr.trim(), where);
    assert.match(listed.stdout, new RegExp(`^${keyId}\\s+cms-test\\s+created`, 'm'));
    assert.ok(!listed.stdout.includes(token.slice(20)), 'the key itself is never listed');

    const get = () =>
      fetch(`${newswire.url}/api/articles/cli-good`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await get()).status, 200);
    const revoked = await newswireCli(['keys', 'revoke', token]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `Revoked API key ${keyId} ("cms-test").\n`);
    assert.ok(!`${revoked.stdout}${revoked.stderr}`.includes(token.slice(20)), 'the secret is not echoed');
    assert.equal((await get()).status, 403);
  });

  test('an explicit --endpoint and --table work without a running server', async () => {
    const target = ['--endpoint', newswire.endpoint, '--table', newswire.tableName];
    const listed = await newswireCli(['keys', 'list', ...target], {}, emptyDataDir());
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stderr.trim(), `Using table "${newswire.tableName}" at ${newswire.endpoint}.`);
    assert.match(listed.stdout, /\bdev\b/);
  });

  test('create without --name is a usage error', async () => {
    assertFailure(await newswireCli(['keys', 'create']), 2, /keys create needs --name NAME/);
  });

  test('list with no server running refuses, says how to name a store, and starts nothing', async () => {
    const data = emptyDataDir();
    const result = await newswireCli(['keys', 'list'], { PATH: dirname(process.execPath) }, data);
    assertFailure(
      result,
      1,
      /no local Newswire is running .*--table NAME --region REGION .*--endpoint URL --table NAME$/,
    );
    assert.equal(existsSync(data), false, 'no data folder, no DynamoDB Local');
  });

  test('revoke of something that is neither an id nor a key does not echo it', async () => {
    const result = await newswireCli(['keys', 'revoke', 'nw_secret-looking-thing']);
    assertFailure(result, 2, /needs a key id .* or the whole key/);
    assert.ok(!result.stderr.includes('secret-looking'));
  });

  test('a table that does not exist is named, not created', async () => {
    const result = await newswireCli([
      'keys',
      'list',
      '--endpoint',
      newswire.endpoint,
      '--table',
      'no-such-table',
    ]);
    assertFailure(result, 1, new RegExp(`there is no table "no-such-table" at ${newswire.endpoint}$`));
  });
});

describe('newswire serve', () => {
  let blocker: Server;
  let port: number;
  before(async () => {
    port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  });
  after(() => blocker.close());

  test('a port in use is found before DynamoDB Local starts: one line, nothing written', async () => {
    const data = emptyDataDir();
    // Without java on PATH, starting DynamoDB Local first would fail with a message about Java instead.
    const result = await newswireCli(
      ['serve', '--port', String(port)],
      { PATH: dirname(process.execPath) },
      data,
    );
    assertFailure(
      result,
      1,
      new RegExp(
        `port ${port} is already in use on 127.0.0.1 .*"npm start -- --port ${port + 1}" or "PORT=${port + 1} npm start"`,
      ),
    );
    assert.equal(existsSync(data), false);
  });

  test('an invalid port is a usage error', async () => {
    assertFailure(await newswireCli(['serve', '--port', 'eighty']), 2, /invalid port "eighty"/);
  });
});

describe('the newswire command', () => {
  test('unknown commands and options are usage errors', async () => {
    assertFailure(await newswireCli(['publish']), 2, /unknown command "publish"/);
    assertFailure(await newswireCli(['ingest', '--force', 'x']), 2, /Unknown option '--force'/);
  });

  test('every command has --help', async () => {
    for (const command of [[], ['serve'], ['ingest'], ['keys']]) {
      const result = await newswireCli([...command, '--help']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: newswire/);
    }
  });
});

describe('newswire reindex', () => {
  test('rebuilds the running server’s feed entries, says which table, and leaves no state behind', async () => {
    const result = await newswireCli(['reindex']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`^Using table "${newswire.tableName}" at `));
    assert.match(
      result.stdout,
      /^Reindexed: \d+ items scanned, \d+ articles' entries rewritten, 0 orphan entries removed\.\n$/,
    );
    const articles = Number(/(\d+) articles'/.exec(result.stdout)?.[1]);
    assert.ok(articles >= 32, result.stdout);
    assert.equal(existsSync(join(dataDir, `reindex-${newswire.tableName}.json`)), false);
  });

  test('continues from a saved state, and refuses a state file it did not write', async () => {
    const state = join(dataDir, `reindex-${newswire.tableName}.json`);
    writeFileSync(state, `${JSON.stringify({ scanned: 7, articles: 3, orphans: 1 })}\n`);
    const resumed = await newswireCli(['reindex']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(
      resumed.stderr,
      /Continuing the reindex saved in .* \(7 items scanned, 3 articles' entries rewritten, 1 orphan entries removed\)/,
    );
    writeFileSync(state, 'not json');
    assertFailure(
      await newswireCli(['reindex']),
      1,
      /is not a reindex state this command wrote; delete it, or pass --restart/,
    );
    const restarted = await newswireCli(['reindex', '--restart']);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(existsSync(state), false);
  });

  test('with no server running and no table named, it says how to name one', async () => {
    assertFailure(await newswireCli(['reindex'], {}, emptyDataDir()), 1, /no local Newswire is running/);
  });
});
