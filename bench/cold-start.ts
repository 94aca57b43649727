/**
 * Section 4 of the benchmark: each function's bundle (built as `cdk deploy`
 * builds it) and its cold start — a fresh Node process importing the bundle
 * and answering its first request against DynamoDB Local — beside a handler
 * that only does one DynamoDB Query, bundled the same way.
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
  importMs: number[];
  firstMs: number[];
  totalMs: number[];
  /** Resident memory after the first answer (MiB), by start. */
  rssMiB: number[];
  /** Median total ÷ the floor's median total; bytes ÷ the floor's bytes. */
  timeRatio?: number;
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
function firstRequests(apiKey: string): Record<FunctionName, HttpEvent | undefined> {
  return {
    feeds: httpEvent('GET', '/international/rss.xml'),
    pages: httpEvent('GET', '/international/'),
    articles: httpEvent('GET', '/api/articles/story-1', { headers: { authorization: `Bearer ${apiKey}` } }),
    notify: undefined,
  };
}

/** Builds every function and the floor, then starts each `starts` times, interleaved. */
export async function benchColdStart(
  env: { endpoint: string; tableName: string; apiKey: string; etag: string },
  starts: number,
): Promise<ColdStart[]> {
  const outdir = await mkdtemp(join(tmpdir(), 'newswire-bench-'));
  try {
    const entries: { name: string; entry: string; event: HttpEvent }[] = [
      { name: 'floor (one Query)', entry: 'test/support/query-floor.ts', event: httpEvent('GET', '/') },
      ...FUNCTION_SPECS.flatMap((spec) => {
        const event = firstRequests(env.apiKey)[spec.name];
        return event === undefined ? [] : [{ name: spec.name, entry: spec.entry, event }];
      }),
      {
        name: 'feeds, a 304',
        entry: 'functions/feeds.ts',
        event: httpEvent('GET', '/international/rss.xml', { headers: { 'if-none-match': env.etag } }),
      },
    ];
    const built: (ColdStart & { outfile: string; event: HttpEvent })[] = [];
    for (const { name, entry, event } of entries) {
      const outfile = join(outdir, name.replace(/\W+/g, '-'), 'index.mjs');
      const { metafile, bytes } = await buildBundle(entry, outfile);
      built.push({
        name,
        outfile,
        event,
        bytes,
        powertoolsBytes: powertoolsBytes(metafile),
        status: 0,
        importMs: [],
        firstMs: [],
        totalMs: [],
        rssMiB: [],
      });
    }
    for (let round = 0; round < starts; round++) {
      for (let k = 0; k < built.length; k++) {
        const target = built[(k + round) % built.length]!;
        const { stdout } = await run(process.execPath, [HARNESS], {
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
            // As deployed (infra/constructs/functions.ts).
            NODE_OPTIONS: '--enable-source-maps',
          },
        });
        const times = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
          importMs: number;
          firstMs: number;
          status: number;
          rssMiB: number;
        };
        target.status = times.status;
        target.importMs.push(times.importMs);
        target.firstMs.push(times.firstMs);
        target.totalMs.push(times.importMs + times.firstMs);
        target.rssMiB.push(times.rssMiB);
      }
    }
    const floor = built[0]!;
    return built.map(({ outfile: _o, event: _e, ...result }) => ({
      ...result,
      ...(result !== floor && {
        sizeRatio: result.bytes / floor.bytes,
        timeRatio: median(result.totalMs) / median(floor.totalMs),
      }),
    }));
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
