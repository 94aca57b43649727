/**
 * `npm run bench` is a benchmark, not a test: nothing here times anything.
 * This runs it once in its quick mode (BENCH_QUICK=1) against the test run's
 * DynamoDB Local, so that a change which breaks the benchmark (a new function
 * it cannot start, a handler it can no longer call) fails `npm test` instead
 * of the next person who wants figures. It checks that every section ran and
 * that each measured request got the answer it was meant to measure.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FUNCTION_SPECS } from '../../infra/constructs/functions.ts';
import { dynamoEndpoint } from '../support/dynamo.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Results {
  render: { figures: { name: string; cpu: { median: number }; wall: { median: number } }[] };
  stored: { encodings: { name: string; pageReadUnits: number }[]; timing: { cpu: { median: number } }[] };
  dynamo: {
    capacity: { what: string; readUnits: number; writeUnits: number }[];
    local: { singleItem: unknown[]; differences: unknown[] };
    handler: { cpu: { median: number }; wall: { median: number } }[];
    responses: { format: string; gzipBytes: number }[];
  };
  coldStart: { name: string; status: number; totalMs: number[]; totalCpuMs: number[] }[];
  load: { name: string }[];
  cost: { costs: { profile: { name: string }; total: number }[] };
  pages: { path: string; capacity: { what: string; calls: unknown[] }[] }[];
}

test('npm run bench (quick) runs every section and measures the answers it means to', async () => {
  const out = mkdtempSync(join(tmpdir(), 'newswire-bench-smoke-'));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
    cwd: ROOT,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_OUT: out, DYNAMODB_ENDPOINT: dynamoEndpoint() },
    maxBuffer: 16 * 2 ** 20,
  });
  assert.match(stdout, /Figures written to /);
  const results = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as Results;

  const rendered = results.render.figures.map((f) => f.name);
  for (const format of ['rss', 'atom', 'json']) {
    assert.ok(rendered.includes(`newswire ${format}`), `render: newswire ${format}`);
    assert.ok(rendered.includes(`template ${format}`), `render: template ${format}`);
    assert.ok(rendered.includes(`feed alone ${format}`), `render: feed alone ${format}`);
  }
  for (const figure of results.render.figures) {
    assert.ok(figure.cpu.median > 0 && figure.wall.median > 0, figure.name);
  }

  assert.ok(results.stored.encodings.some((e) => e.name.includes('as stored now')));
  for (const figure of results.stored.timing) assert.ok(figure.cpu.median > 0);

  assert.ok(results.dynamo.capacity.find((c) => c.what.includes('miss'))!.readUnits > 0);
  assert.ok(results.dynamo.capacity.find((c) => c.what.includes('revalidation'))!.readUnits > 0);
  assert.ok(
    results.dynamo.capacity.filter((c) => c.what.startsWith('write:')).every((c) => c.writeUnits > 0),
  );
  assert.ok(results.dynamo.local.singleItem.length > 0 && results.dynamo.local.differences.length > 0);
  assert.equal(results.dynamo.handler.length, 2, 'a 200 and a 304');
  assert.deepEqual(
    results.dynamo.responses.map((r) => r.format),
    ['RSS', 'Atom', 'JSON Feed'],
  );

  const started = new Map(results.coldStart.map((c) => [c.name, c]));
  assert.equal(started.get('floor (one Query)')?.status, 200);
  for (const spec of FUNCTION_SPECS.filter((s) => s.name !== 'notify')) {
    assert.equal(started.get(spec.name)?.status, 200, `${spec.name} answered its first request`);
  }
  assert.equal(started.get('feeds, a 304')?.status, 304);
  assert.equal(started.get('feeds, no source maps')?.status, 200);
  assert.equal(started.get('floor, no source maps')?.status, 200);
  for (const c of results.coldStart)
    assert.ok(
      c.totalCpuMs.every((t) => t > 0),
      c.name,
    );
  assert.ok(results.load.length >= 4, 'load: a 200 and a 304, each beside a bare server');
  assert.equal(results.cost.costs.length, 3, 'three traffic profiles');
  for (const c of results.cost.costs) assert.ok(c.total > 0, c.profile.name);
  assert.deepEqual(
    results.pages.map((p) => p.path),
    ['/international/', '/international/world/story-7/', '/international/opml.xml'],
    'pages: a front, a story’s page and an edition’s OPML',
  );
  for (const page of results.pages) {
    // The 304 fetched no article beyond the story itself: no second BatchGetItem of its lists.
    const [ok, revalidation] = page.capacity;
    assert.ok(
      (ok?.calls.length ?? 0) > (revalidation?.calls.length ?? 0),
      `${page.path}: ${revalidation?.calls}`,
    );
  }
});
