/**
 * The cold-start section of the benchmark: each function's bundle (built as
 * `cdk deploy` builds it) and its cold start — a fresh process of the Node.js
 * major Lambda runs the functions on (test/support/lambda-node.ts) importing
 * the bundle and answering its first request against DynamoDB Local — beside
 * a handler that only does one DynamoDB Query, bundled the same way. Each is
 * started with `--enable-source-maps`, as deployed; the feeds function and
 * the floor also without, to measure what source maps cost.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import type { HttpEvent } from '../functions/http/types.ts';
import { buildBundle } from '../infra/bundle/build.ts';
import { FUNCTION_SPECS, type FunctionName } from '../infra/constructs/functions.ts';
import { httpEvent } from '../test/support/events.ts';
import { lambdaNode } from '../test/support/lambda-node.ts';
import { median } from './measure.ts';

const run = promisify(execFile);
const HARNESS = fileURLToPath(new URL('./cold-start-harness.mjs', import.meta.url));

/** One bundle and its cold starts. */
export interface ColdStart {
  name: string;
  bytes: number;
  /** Bytes of Powertools (logger, metrics, commons) in the bundle. */
  powertoolsBytes: number;
  status: number;
  /** Started with `--enable-source-maps`, as deployed. */
  sourceMaps: boolean;
  /** Wall time by start: the import, the first answer, both. */
  importMs: number[];
  firstMs: number[];
  totalMs: number[];
  /** CPU time by start (user + system, every thread): the import, the first answer, both. */
  importCpuMs: number[];
  firstCpuMs: number[];
  totalCpuMs: number[];
  /** Resident memory after the first answer (MiB), by start. */
  rssMiB: number[];
  /** Median total ÷ the floor's (with source maps alike): wall and CPU; bytes ÷ the floor's bytes. */
  timeRatio?: number;
  cpuRatio?: number;
  sizeRatio?: number;
}

function powertoolsBytes(metafile: Metafile): number {
  let bytes = 0;
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input.includes('@aws-lambda-powertools/')) bytes += bytesInOutput;
    }
  }
  return bytes;
}

/**
 * The first request each function answers. A Record over every function, so
 * a new function cannot join the stack without a decision here; notify has
 * none: it answers no reader (a stream batch or the sweep), and its cold start
 * delays a ping that waits ~33 s for the caches anyway.
 */
function firstRequests(apiKey: string, subscriberToken: string): Record<FunctionName, HttpEvent | undefined> {
  return {
    feeds: httpEvent('GET', '/international/rss.xml'),
    // A subscriber's copy: the token's read and check, the render, the note of the fetch.
    private: httpEvent('GET', `/private/${subscriberToken}/international/rss.xml`),
    pages: httpEvent('GET', '/international/'),
    articles: httpEvent('GET', '/api/articles/story-1', { headers: { authorization: `Bearer ${apiKey}` } }),
    notify: undefined,
  };
}

/** Builds every function and the floor, then starts each `starts` times, interleaved. */
export async function benchColdStart(
  env: { endpoint: string; tableName: string; apiKey: string; subscriberToken: string; etag: string },
  starts: number,
): Promise<ColdStart[]> {
  const node = lambdaNode();
  const outdir = await mkdtemp(join(tmpdir(), 'newswire-bench-'));
  try {
    const floor = {
      name: 'floor (one Query)',
      entry: 'test/support/query-floor.ts',
      event: httpEvent('GET', '/'),
    };
    const feeds = FUNCTION_SPECS.find((s) => s.name === 'feeds')!;
    const entries: { name: string; entry: string; event: HttpEvent; sourceMaps: boolean }[] = [
      { ...floor, sourceMaps: true },
      ...FUNCTION_SPECS.flatMap((spec) => {
        const event = firstRequests(env.apiKey, env.subscriberToken)[spec.name];
        return event === undefined ? [] : [{ name: spec.name, entry: spec.entry, event, sourceMaps: true }];
      }),
      {
        name: 'feeds, a 304',
        entry: feeds.entry,
        event: httpEvent('GET', '/international/rss.xml', { headers: { 'if-none-match': env.etag } }),
        sourceMaps: true,
      },
      { ...floor, name: 'floor, no source maps', sourceMaps: false },
      {
        name: 'feeds, no source maps',
        entry: feeds.entry,
        event: firstRequests(env.apiKey, env.subscriberToken).feeds!,
        sourceMaps: false,
      },
    ];
    const built: (ColdStart & { outfile: string; event: HttpEvent })[] = [];
    const bundles = new Map<string, { outfile: string; metafile: Metafile; bytes: number }>();
    for (const { name, entry, event, sourceMaps } of entries) {
      if (!bundles.has(entry)) {
        const outfile = join(outdir, entry.replace(/\W+/g, '-'), 'index.mjs');
        bundles.set(entry, { outfile, ...(await buildBundle(entry, outfile)) });
      }
      const { outfile, metafile, bytes } = bundles.get(entry)!;
      built.push({
        name,
        outfile,
        event,
        bytes,
        sourceMaps,
        powertoolsBytes: powertoolsBytes(metafile),
        status: 0,
        importMs: [],
        firstMs: [],
        totalMs: [],
        importCpuMs: [],
        firstCpuMs: [],
        totalCpuMs: [],
        rssMiB: [],
      });
    }
    for (let round = 0; round < starts; round++) {
      for (let k = 0; k < built.length; k++) {
        const target = built[(k + round) % built.length]!;
        const { stdout } = await run(node, [HARNESS], {
          cwd: join(target.outfile, '..'),
          env: {
            PATH: process.env.PATH ?? '',
            BENCH_BUNDLE: target.outfile,
            BENCH_EVENT: JSON.stringify(target.event),
            TABLE_NAME: env.tableName,
            DYNAMODB_ENDPOINT: env.endpoint,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            LOG_LEVEL: 'warn',
            POWERTOOLS_METRICS_DISABLED: 'true',
            // As deployed (infra/constructs/functions.ts), or without for the comparison.
            ...(target.sourceMaps && { NODE_OPTIONS: '--enable-source-maps' }),
          },
        });
        const times = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
          importMs: number;
          firstMs: number;
          importCpuMs: number;
          firstCpuMs: number;
          status: number;
          rssMiB: number;
        };
        target.status = times.status;
        target.importMs.push(times.importMs);
        target.firstMs.push(times.firstMs);
        target.totalMs.push(times.importMs + times.firstMs);
        target.importCpuMs.push(times.importCpuMs);
        target.firstCpuMs.push(times.firstCpuMs);
        target.totalCpuMs.push(times.importCpuMs + times.firstCpuMs);
        target.rssMiB.push(times.rssMiB);
      }
    }
    const floorOf = (sourceMaps: boolean) =>
      built.find((b) => b.name.startsWith('floor') && b.sourceMaps === sourceMaps)!;
    return built.map(({ outfile: _o, event: _e, ...result }) => {
      const base = floorOf(result.sourceMaps);
      return {
        ...result,
        ...(result.name !== base.name && {
          sizeRatio: result.bytes / base.bytes,
          timeRatio: median(result.totalMs) / median(base.totalMs),
          cpuRatio: median(result.totalCpuMs) / median(base.totalCpuMs),
        }),
      };
    });
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
