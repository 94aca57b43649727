import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { putJson } from '../support/local-server.ts';

async function waitFor(what: string, lines: string[], pattern: RegExp, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!lines.some((line) => pattern.test(line))) {
    if (Date.now() > deadline)
      assert.fail(`${what} did not happen within ${ms / 1000} s:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the local runtime after DynamoDB Local dies', () => {
  test('in memory: it starts DynamoDB Local again, creates the table again, says so, and the dev key still works', async () => {
    const lines: string[] = [];
    const newswire = await startNewswire({
      port: 0,
      inMemory: true,
      seed: false,
      tableName: 'recovery',
      log: (line) => lines.push(line),
    });
    try {
      const put = (id: string) => putJson(newswire, `/api/articles/${id}`, sampleArticle());
      assert.equal((await put('before')).status, 201);
      const pid = newswire.dynamodb?.pid;
      assert.ok(pid !== undefined);
      process.kill(pid, 'SIGKILL');
      await waitFor('the table to be created again', lines, /lost the table/);
      assert.ok(
        lines.some((l) => /stopped unexpectedly \(killed by SIGKILL\).*in memory/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some(
          (l) =>
            l ===
            'DynamoDB Local lost the table "recovery" (it ran in memory): created it again, empty; the dev API key still works.',
        ),
        lines.join('\n'),
      );
      assert.notEqual(newswire.dynamodb?.pid, pid);
      assert.equal((await put('after')).status, 201, 'the same dev key works on the new table');
      const gone = await fetch(`${newswire.url}/api/articles/before`, {
        headers: { authorization: `Bearer ${newswire.apiKey}` },
      });
      assert.equal(gone.status, 404, 'in memory means in memory');
    } finally {
      await newswire.stop();
    }
  });

  test('when Java keeps failing, it backs off (0, 0.1, 0.2 s here) and gives up with a clear message', async () => {
    const lines: string[] = [];
    const dynamo = await startDynamoDbLocal(undefined, {
      log: (line) => lines.push(line),
      maxFailures: 3,
      backoffMs: 100,
    });
    const path = process.env.PATH;
    const empty = mkdtempSync(join(tmpdir(), 'newswire-no-java-'));
    try {
      // No java on PATH from now on: every restart fails at once.
      process.env.PATH = empty;
      process.kill(dynamo.pid ?? 0, 'SIGKILL');
      await waitFor('giving up', lines, /giving up/);
      assert.deepEqual(
        lines.map((l) => l.replace(/port \d+/, 'port N').replace(/did not start: .*/, 'did not start: …')),
        [
          'DynamoDB Local stopped unexpectedly (killed by SIGKILL); starting it again on port N (in memory: its data is gone)…',
          'DynamoDB Local did not start: …',
          'Trying again in 0.1 s (failure 2 of 3)…',
          'DynamoDB Local did not start: …',
          'Trying again in 0.2 s (failure 3 of 3)…',
          'DynamoDB Local did not start: …',
          'DynamoDB Local failed 3 times in a row; giving up. Requests will get 503 until Newswire is restarted.',
        ],
      );
      assert.match(lines[1] ?? '', /java|ENOENT/i, 'the reason is shown');
      assert.equal(dynamo.pid, undefined);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(lines.length, 7, 'and then it stays quiet: no restart loop');
    } finally {
      process.env.PATH = path;
      rmSync(empty, { recursive: true, force: true });
      await dynamo.stop();
    }
  });
});
