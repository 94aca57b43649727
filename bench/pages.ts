/**
 * The benchmark's pages section: the pages handler's 200 and 304 of the same
 * page — an edition's front (its Top Stories and 30 latest stories), a
 * story's page (the story, its edition's Top Stories, its section's latest)
 * and an edition's OPML (its feeds, and the writers and topics of its 30
 * latest stories) — on the table the capacity section seeded, with wall and CPU time per request,
 * min–median–max over interleaved rounds, and the DynamoDB calls and
 * read units of each, computed from the items (bench/capacity.ts).
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { SiteConfig } from '../functions/core/config.ts';
import type { HttpResult } from '../functions/http/types.ts';
import { createPagesHandler } from '../functions/pages.ts';
import { createDynamoClient } from '../functions/store/client.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import { httpEvent } from '../test/support/events.ts';
import { type CapacityCount, countCapacity } from './capacity.ts';
import { median } from './measure.ts';

/** Min, median and max of per-round values. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** One page's 200 and 304, measured side by side. */
export interface PageFigure {
  path: string;
  bytes: number;
  /** Milliseconds per request, wall clock and CPU (user + system), for a 200 and for a 304. */
  ok: { wall: Spread; cpu: Spread };
  notModified: { wall: Spread; cpu: Spread };
  /** The 304's wall time ÷ the 200's, median over rounds of the ratio taken round by round (goal ≤ 0.25). */
  ratio: Spread;
  /** The same for CPU time. */
  cpuRatio: Spread;
  capacity: CapacityCount[];
}

function spread(values: readonly number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** Times `run` `iterations` times: milliseconds per call, wall and CPU. */
async function timed(
  run: () => Promise<unknown>,
  iterations: number,
): Promise<{ wall: number; cpu: number }> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  const wall = (performance.now() - start) / iterations;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 / iterations };
}

/** Measures the pages handler on a table holding section 2's realistic stories (`story-0` …). */
export async function benchPages(
  endpoint: string,
  tableName: string,
  config: SiteConfig,
  options: { rounds: number; iterations: number },
): Promise<PageFigure[]> {
  const client = createDynamoClient({ endpoint });
  const recorder = countCapacity(client);
  const store = new DynamoArticleStore(client, tableName);
  // Editors' Top Stories for the front and beside the story, as a newsroom sets them.
  const edition = config.defaultEdition;
  const current = await store.getTopStories(edition);
  await store.saveTopStories(
    {
      edition,
      articles: ['story-3', 'story-7', 'story-11', 'story-15', 'story-19', 'story-23'],
      version: (current?.version ?? 0) + 1,
      updatedAt: new Date().toISOString(),
    },
    current?.version,
  );
  const deps = { config, store, clock: () => new Date() };
  const handler = createPagesHandler(() => deps);
  const figures: PageFigure[] = [];
  for (const path of [`/${edition}/`, `/${edition}/world/story-7/`, `/${edition}/opml.xml`]) {
    const first = (await handler(httpEvent('GET', path))) as HttpResult;
    assert.equal(first.statusCode, 200, path);
    const etag = String(first.headers?.etag ?? '');
    const ok = () => handler(httpEvent('GET', path));
    const revalidation = httpEvent('GET', path, { headers: { 'if-none-match': etag } });
    const notModified = () => handler(revalidation);
    assert.equal(((await notModified()) as HttpResult).statusCode, 304, `${path} revalidates`);
    recorder.take('');
    await ok();
    const capacity = [recorder.take(`${path} 200`)];
    await notModified();
    capacity.push(recorder.take(`${path} 304`));
    for (let i = 0; i < 5; i++) await Promise.all([ok(), notModified()]);
    const rounds = {
      ok: [] as { wall: number; cpu: number }[],
      notModified: [] as { wall: number; cpu: number }[],
    };
    for (let round = 0; round < options.rounds; round++) {
      // Interleaved, the order alternating, so a busy machine slows both alike.
      if (round % 2 === 0) {
        rounds.ok.push(await timed(ok, options.iterations));
        rounds.notModified.push(await timed(notModified, options.iterations));
      } else {
        rounds.notModified.push(await timed(notModified, options.iterations));
        rounds.ok.push(await timed(ok, options.iterations));
      }
    }
    figures.push({
      path,
      bytes: Buffer.byteLength(String(first.body)),
      ok: { wall: spread(rounds.ok.map((r) => r.wall)), cpu: spread(rounds.ok.map((r) => r.cpu)) },
      notModified: {
        wall: spread(rounds.notModified.map((r) => r.wall)),
        cpu: spread(rounds.notModified.map((r) => r.cpu)),
      },
      ratio: spread(rounds.notModified.map((r, i) => r.wall / (rounds.ok[i]?.wall ?? Number.NaN))),
      cpuRatio: spread(rounds.notModified.map((r, i) => r.cpu / (rounds.ok[i]?.cpu ?? Number.NaN))),
      capacity,
    });
  }
  return figures;
}
