import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { LocalNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { startTestServer } from '../support/local-server.ts';

const run = promisify(execFile);
const bin = new URL('../../local/bin.js', import.meta.url).pathname;
let newswire: LocalNewswire;
let dir: string;

before(async () => {
  newswire = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'newswire-cli-'));
});
after(() => newswire?.stop());

function newswireCli(args: string[]) {
  return run(process.execPath, [bin, ...args], {
    env: { ...process.env, NEWSWIRE_DATA_DIR: join(dir, 'data') },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

describe('the newswire command', () => {
  test('ingest publishes JSON Lines through the API and names each rejected article', async () => {
    const file = join(dir, 'articles.jsonl');
    const good = { id: 'cli-good', ...sampleArticle({ url: 'https://news.example.com/cli-good/' }) };
    const bad = { id: 'cli-bad', ...sampleArticle({ section: 'weather' }) };
    writeFileSync(file, `${JSON.stringify(good)}\n\n${JSON.stringify(bad)}\n`);
    const result = await newswireCli(['ingest', file, '--url', newswire.url, '--key', newswire.apiKey]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /✓ cli-good \(created\)/);
    assert.match(result.stderr, /✗ cli-bad: 400 section must be one of/);
    assert.match(result.stdout, /1 published, 1 rejected/);
    const stored = await newswire.deps.store.getArticle('cli-good');
    assert.equal(stored?.version, 1);
  });

  test('ingest without a key is refused before anything is sent', async () => {
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify([{ id: 'no-key', ...sampleArticle() }]));
    const result = await newswireCli(['ingest', file, '--url', newswire.url]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no API key/);
    assert.equal(await newswire.deps.store.getArticle('no-key'), undefined);
  });

  test('keys create, list and revoke work against a table and the revoked key is refused', async () => {
    const target = ['--endpoint', newswire.endpoint, '--table', newswire.tableName];
    const created = await newswireCli(['keys', 'create', '--name', 'cms-test', ...target]);
    assert.equal(created.code, 0, created.stderr);
    const token = /^(nw_\S+)$/m.exec(created.stdout)?.[1];
    const keyId = /\(id ([0-9a-f]{16})\)/.exec(created.stdout)?.[1];
    assert.ok(token && keyId);
    const listed = await newswireCli(['keys', 'list', ...target]);
    assert.match(listed.stdout, new RegExp(`${keyId}\\s+cms-test`));
    assert.doesNotMatch(listed.stdout, new RegExp(token.slice(20)), 'the key itself is never listed');
    const get = () =>
      fetch(`${newswire.url}/api/articles/cli-good`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await get()).status, 200);
    const revoked = await newswireCli(['keys', 'revoke', keyId, ...target]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await get()).status, 403);
  });

  test('every command has --help', async () => {
    for (const command of [[], ['serve'], ['ingest'], ['keys']]) {
      const result = await newswireCli([...command, '--help']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: newswire/);
    }
  });
});
