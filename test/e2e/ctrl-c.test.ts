/**
 * Ctrl+C in the terminal of `npm start`: the terminal sends SIGINT to the whole
 * foreground process group. Newswire must stop in order — its last writes
 * (subscriber counts) before its own DynamoDB Local — and not take the
 * interrupted DynamoDB Local for a crash and start it again while stopping.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../local/dynamodb-local.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 3000 });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

test('Ctrl+C stops npm start in order: no restart of its DynamoDB Local, no error, nothing left listening', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'newswire-ctrl-c-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(await freePort()),
    NEWSWIRE_DATA_DIR: dataDir,
  };
  delete env.DYNAMODB_ENDPOINT;
  delete env.TABLE_NAME;
  // A process group of its own, as a terminal gives the command it runs.
  const child = spawn(process.execPath, ['local/bin.js', 'serve'], { cwd: ROOT, env, detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 120_000;
    while (!/Press Ctrl\+C to stop/.test(output)) {
      assert.ok(child.exitCode === null, `npm start ended before it was ready:\n${output}`);
      assert.ok(Date.now() < deadline, `not ready in 120 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const dynamoPort = Number(/DynamoDB: http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    assert.ok(dynamoPort > 0, output);
    process.kill(-child.pid!, 'SIGINT');
    assert.equal(await exited, 0, output);
    assert.match(output, /^Stopping Newswire \(SIGINT\)…$/m);
    assert.match(output, /^Newswire stopped; its data is kept in .+ for the next "npm start"\.$/m);
    assert.doesNotMatch(output, /stopped unexpectedly|starting it again|error/i);
    assert.ok(await refused(dynamoPort), 'its DynamoDB Local is stopped');
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
