/** The local stream poller keeps pinging the hub after DynamoDB Local dies and comes back with its data. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { startTestHub } from '../support/hub.ts';
import { putJson } from '../support/local-server.ts';

test('after DynamoDB Local is killed and restarted, writes are pinged again, each feed once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'newswire-websub-restart-'));
  const hub = await startTestHub();
  const lines: string[] = [];
  const newswire = await startNewswire({
    port: 0,
    dataDir,
    seed: false,
    tableName: 'restart',
    hubUrl: hub.url,
    streamPollMs: 100,
    notifyRetryDelayMs: 200,
    log: (line) => lines.push(line),
  });
  try {
    const put = (id: string) =>
      putJson(
        newswire,
        `/api/articles/${id}`,
        sampleArticle({ publishedAt: new Date(Date.now() - 60_000).toISOString() }),
      );
    const europe = `${newswire.url}/europe/rss.xml`;
    assert.equal((await put('before')).status, 201);
    // All 27 (9 feeds × 3 formats) before the restart, so none of them can arrive after it.
    await hub.until(() => new Set(hub.accepted()).size === 27);
    await new Promise((r) => setTimeout(r, 500));
    hub.reset('accept');

    const pid = newswire.dynamodb?.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 90_000;
    while (!lines.some((line) => /running again/.test(line))) {
      assert.ok(Date.now() < deadline, lines.join('\n'));
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal((await put('after')).status, 201);
    await hub.until(() => new Set(hub.accepted()).size === 27);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(
      hub.accepted().filter((url) => url === europe).length,
      1,
      'the write after the restart was pinged once, and the one before was not pinged again',
    );
    assert.equal(hub.accepted().length, 27, 'each feed of the new write once');
  } finally {
    await newswire.stop();
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
