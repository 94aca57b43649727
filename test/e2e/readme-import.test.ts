/**
 * The README's "Migrating an existing feed" walkthrough, run as written: each
 * shell block of that section, taken from README.md itself, pasted in order
 * into one bash session against a fresh `newswire serve` (seeded, as after
 * `npm start`). The only changes are where the server listens (a free port
 * instead of 3000) and its data folder (a temporary one instead of .newswire/).
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dynamoEndpoint } from '../support/dynamo.ts';
import { codeBlocks, readmeSection } from '../support/readme.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let server: ChildProcessWithoutNullStreams;
let serverOutput = '';
let url = '';
let dataDir = '';

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen; server said:\n${serverOutput}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'newswire-readme-import-'));
  server = spawn(process.execPath, ['local/bin.js', 'serve', '--port', '0'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NEWSWIRE_DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamoEndpoint(),
      TABLE_NAME: `readme-import-${randomUUID()}`,
    },
  });
  const collect = (chunk: Buffer) => {
    serverOutput += chunk.toString();
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  const record = join(dataDir, 'server.json');
  url = await waitFor('server.json', () =>
    existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as { url: string }).url : undefined,
  );
});

after(async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
});

/** One bash session, as the reader's terminal, without the test run's own DynamoDB settings. */
function terminal() {
  const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, NEWSWIRE_DEBUG: _debug, ...env } = process.env;
  const bash = spawn('bash', [], { cwd: ROOT, env: { ...env, NEWSWIRE_DATA_DIR: dataDir } });
  let out = '';
  let err = '';
  bash.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  bash.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return {
    /** Pastes a block; resolves with what it printed and the status of its last command. */
    async paste(code: string): Promise<{ status: number; stdout: string; stderr: string }> {
      const marker = `__done_${randomUUID()}__`;
      out = '';
      err = '';
      bash.stdin.write(`${code}\nprintf '\\n${marker} %s\\n' "$?"\n`);
      const found = await waitFor(
        `the block to finish:\n${code}\n${out}${err}`,
        () => new RegExp(`\\n${marker} (\\d+)\\n`).exec(out) ?? undefined,
      );
      return { status: Number(found[1]), stdout: out.slice(0, found.index), stderr: err };
    },
    close: () => bash.stdin.end(),
  };
}

describe('README: migrating an existing feed, as written', () => {
  const blocks = codeBlocks(readmeSection('Migrating an existing feed')).filter((b) => b.lang === 'sh');
  const localised = (code: string) =>
    code.replaceAll('http://127.0.0.1:3000', url).replaceAll('.newswire/', `${dataDir}/`);

  test('dry run, import, check, re-import, a key for the CMS: each does what the README says', async () => {
    assert.equal(blocks.length, 4, 'dry run, import, check, CMS key');
    const [dryRun, importing, check, cms] = blocks.map((b) => localised(b.code));
    const shell = terminal();
    try {
      const dry = await shell.paste(dryRun!);
      assert.equal(dry.status, 0, `${dry.stdout}${dry.stderr}`);
      assert.match(dry.stdout, /^1\/3 \+ paris-cafe-strike-8ce5a4939844 would be created$/m);
      assert.match(
        dry.stdout,
        /^Dry run, nothing written: 3 would be created, 0 updated, 0 unchanged, 0 would fail$/m,
      );

      const imported = await shell.paste(importing!);
      assert.equal(imported.status, 0, `${imported.stdout}${imported.stderr}`);
      assert.match(imported.stdout, /^3 created, 0 updated, 0 unchanged, 0 failed$/m);

      const checked = await shell.paste(check!);
      assert.equal(checked.status, 0, `${checked.stdout}${checked.stderr}`);
      const json = checked.stdout.slice(0, checked.stdout.indexOf('\n<link>'));
      const article = JSON.parse(json) as Record<string, unknown>;
      assert.equal(article.id, 'paris-cafe-strike-8ce5a4939844');
      assert.equal(article.status, 'published');
      assert.equal(article.publishedAt, '2025-11-17T09:12:33.000Z');
      assert.deepEqual(article.byline, [{ name: 'Ana Ortiz' }, { name: 'Lee Min' }, { name: 'Sam Roe' }]);
      assert.deepEqual(article.image, {
        url: 'https://old-courier.example.com/img/flore-strike-1200.jpg',
        caption: 'Strikers outside Café de Flore.',
        credit: 'Photograph: Claire Dubois/AFP',
        width: 1200,
        height: 720,
        type: 'image/jpeg',
        thumbnail: {
          url: 'https://old-courier.example.com/img/flore-strike-140.jpg',
          width: 140,
          height: 84,
        },
      });
      const links = checked.stdout.match(/^<link>https:\/\/old-courier\S+$/gm) ?? [];
      assert.deepEqual(links, [
        '<link>https://old-courier.example.com/business/2025/nov/16/frankfurt-rally',
        '<link>https://old-courier.example.com/health/2025/nov/15/flu-season-early',
        '<link>https://old-courier.example.com/world/2025/nov/17/paris-cafe-strike',
      ]);
      assert.match(checked.stdout, /^0 created, 0 updated, 3 unchanged, 0 failed$/m);

      const key = await shell.paste(cms!);
      assert.equal(key.status, 0, key.stderr);
      assert.equal(key.stdout.trim(), '200');
    } finally {
      shell.close();
    }
  });
});
