import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { freePort } from '../../local/dynamodb-local.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { writeServerRecord } from '../../local/server-record.ts';
import { sampleArticle } from '../support/articles.ts';
import { recordAsRunning, startTestServer } from '../support/local-server.ts';

const run = promisify(execFile);
const bin = new URL('../../local/bin.js', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
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

function newswireCli(
  args: string[],
  env: Record<string, string> = {},
  data = dataDir,
  cwd: string | undefined = undefined,
): Promise<Result> {
  const {
    DYNAMODB_ENDPOINT: _endpoint,
    TABLE_NAME: _table,
    NEWSWIRE_API_KEY: _key,
    ...inherited
  } = process.env;
  return run(process.execPath, [bin, ...args], {
    env: { ...inherited, NEWSWIRE_DATA_DIR: data, ...env },
    ...(cwd !== undefined && { cwd }),
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
    assert.match(result.stdout, /^2 published \(2 created, 0 updated\), 0 unchanged, 3 rejected$/m);
    assert.equal((await newswire.deps.store.getArticle('cli-good-2'))?.version, 1);
    assert.equal(await newswire.deps.store.getArticle('cli-bad'), undefined);
  });

  test('articles Newswire already holds unchanged are not written again, and the count says so', async () => {
    const first = [article('cli-same-1'), article('cli-same-2', { publishedAt: '2026-01-02T03:04:05Z' })];
    const path = file('same.jsonl', first.join('\n'));
    const once = await newswireCli(['ingest', path]);
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /^2 published \(2 created, 0 updated\), 0 unchanged, 0 rejected$/m);
    const again = await newswireCli(['ingest', path]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^1\/2 = cli-same-1 unchanged$/m);
    assert.match(again.stdout, /^0 published \(0 created, 0 updated\), 2 unchanged, 0 rejected$/m);
    for (const id of ['cli-same-1', 'cli-same-2']) {
      assert.equal((await newswire.deps.store.getArticle(id))?.version, 1, `${id} has no new version`);
    }
    // One changed field: that article alone is written, conditionally on the version read.
    file(
      'same.jsonl',
      [
        first[0],
        article('cli-same-2', { publishedAt: '2026-01-02T03:04:05Z', headline: 'New headline' }),
      ].join('\n'),
    );
    const changed = await newswireCli(['ingest', path]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /^2\/2 ✓ cli-same-2 updated \(headline\)$/m);
    assert.match(changed.stdout, /^1 published \(0 created, 1 updated\), 1 unchanged, 0 rejected$/m);
    assert.equal((await newswire.deps.store.getArticle('cli-same-1'))?.version, 1);
    assert.equal((await newswire.deps.store.getArticle('cli-same-2'))?.version, 2);
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

  test('a DynamoDB that cannot be reached is one line with the next step, not the socket error', async () => {
    const port = await freePort();
    const result = await newswireCli([
      'keys',
      'list',
      '--endpoint',
      `http://127.0.0.1:${port}`,
      '--table',
      't',
    ]);
    assertFailure(
      result,
      1,
      new RegExp(
        `^newswire: cannot reach http://127.0.0.1:${port} \\(connection refused\\); check --endpoint, and that DynamoDB \\(Local\\) is running at`,
      ),
    );
    assert.doesNotMatch(result.stderr, /ECONNREFUSED|Error:/);
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

  test('an unknown LOG_LEVEL is refused before anything starts, naming the levels', async () => {
    const data = emptyDataDir();
    const result = await newswireCli(
      ['serve', '--port', '0'],
      { LOG_LEVEL: 'verbose', PATH: dirname(process.execPath) },
      data,
    );
    assertFailure(
      result,
      2,
      /LOG_LEVEL is "verbose", which is not one of: debug, info, warn, error, silent$/,
    );
    assert.equal(existsSync(data), false);
  });

  test('an invalid port is a usage error', async () => {
    assertFailure(await newswireCli(['serve', '--port', 'eighty']), 2, /invalid port "eighty"/);
  });
});

describe('the newswire command', () => {
  test('unknown commands and options are usage errors', async () => {
    assertFailure(
      await newswireCli(['publish']),
      2,
      /^newswire: unknown command "publish"\. See "newswire --help" for the commands\.$/,
    );
    assertFailure(
      await newswireCli(['ingest', '--force', 'x']),
      2,
      /^newswire: unknown option "--force"\. See "newswire ingest --help" for its options\.$/,
    );
  });

  test('a typo gets one line with a suggestion and a pointer to --help, exit 2', async () => {
    assertFailure(
      await newswireCli(['ingets', 'x.jsonl']),
      2,
      /^newswire: unknown command "ingets"; did you mean "ingest"\? See "newswire --help" for the commands\.$/,
    );
    assertFailure(
      await newswireCli(['import', 'feed.xml', '--dry-rum']),
      2,
      /^newswire: unknown option "--dry-rum"; did you mean "--dry-run"\? See "newswire import --help" for its options\.$/,
    );
    assertFailure(
      await newswireCli(['keys', 'revokee', 'abc']),
      2,
      /unknown keys command "revokee" \(create, list or revoke\); did you mean "revoke"\? See "newswire keys --help"/,
    );
    assertFailure(
      await newswireCli(['import', 'feed.xml', '--section', 'wrold']),
      2,
      /unknown section "wrold" .*; did you mean "world"\?$/,
    );
  });

  test('a missing or swallowed option value is one line, not the parser’s own text', async () => {
    for (const args of [
      ['ingest', 'x.jsonl', '--url'],
      ['ingest', '--url', '--key', 'k', 'x.jsonl'],
    ]) {
      const result = await newswireCli(args);
      assertFailure(
        result,
        2,
        /^newswire: --url needs a value: --url URL\. See "newswire ingest --help" for its options\.$/,
      );
      assert.doesNotMatch(result.stderr, /argument missing|ambiguous|parseArgs/);
    }
    assertFailure(await newswireCli(['import', 'x', '--dry-run=yes']), 2, /--dry-run takes no value\./);
    assertFailure(await newswireCli(['reindex', 'now']), 2, /"newswire reindex" takes no argument "now"\./);
  });

  test('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      const result = await newswireCli([flag]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `newswire ${version}\n`);
    }
  });

  test('a command that needs a subcommand, given none, prints its help on stderr and exits 2', async () => {
    for (const [args, usage] of [
      [['keys'], /^Usage: newswire keys create/],
      [[], /^Usage: newswire <command>/],
    ] as const) {
      const result = await newswireCli([...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, usage);
    }
  });

  test('works from any folder of the repository, finding the server npm start recorded at its root', async () => {
    // A relative NEWSWIRE_DATA_DIR is taken from the repository's root, as npm start takes it.
    const fromRoot = relative(ROOT, dataDir);
    for (const folder of ['docs', 'local', 'functions/core']) {
      const listed = await newswireCli(
        ['keys', 'list'],
        { NEWSWIRE_DATA_DIR: fromRoot },
        dataDir,
        join(ROOT, folder),
      );
      assert.equal(listed.code, 0, `${folder}: ${listed.stderr}`);
      assert.match(listed.stderr, /the local Newswire at/);
    }
    const env = await newswireCli(['env'], { NEWSWIRE_DATA_DIR: fromRoot }, dataDir, join(ROOT, 'docs'));
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stdout, new RegExp(`^export NEWSWIRE_URL='${newswire.url}'$`, 'm'));
  });

  test('env prints export lines that curl can use, from any folder', async () => {
    const env = await newswireCli(['env']);
    assert.equal(env.code, 0, env.stderr);
    assert.equal(
      env.stdout,
      `export NEWSWIRE_URL='${newswire.url}'\nexport NEWSWIRE_API_KEY='${newswire.apiKey}'\n`,
    );
    const script = `eval "$("${process.execPath}" "${bin}" env)" && curl -fsS -o /dev/null -w '%{http_code}' "$NEWSWIRE_URL/api/articles/cli-good" -H "Authorization: Bearer $NEWSWIRE_API_KEY"`;
    const { stdout } = await run('bash', ['-c', script], {
      cwd: join(ROOT, 'docs'),
      env: { ...process.env, NEWSWIRE_DATA_DIR: dataDir },
    });
    assert.equal(stdout, '200');
    assertFailure(
      await newswireCli(['env'], {}, emptyDataDir()),
      1,
      /no local Newswire is running .*npm start/,
    );
  });

  test('a server started --in-memory keeps no dev-key file: env and ingest find its key in its record', async () => {
    const data = emptyDataDir();
    mkdirSync(data);
    writeServerRecord(data, {
      url: newswire.url,
      dynamodbEndpoint: newswire.endpoint,
      tableName: newswire.tableName,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      devKey: newswire.apiKey,
    });
    const env = await newswireCli(['env'], {}, data);
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stdout, new RegExp(`^export NEWSWIRE_API_KEY='${newswire.apiKey}'$`, 'm'));
    const ingest = await newswireCli(['ingest', file('memory.jsonl', article('cli-in-memory'))], {}, data);
    assert.equal(ingest.code, 0, ingest.stderr);
    assert.equal((await newswire.deps.store.getArticle('cli-in-memory'))?.version, 1);
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
