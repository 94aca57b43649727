/**
 * `npm run bench`: Newswire's figures, each beside its baseline measured in
 * the same run and interleaved with it (the machines are shared and noisy,
 * so ratios are what to compare). Prints a table and writes the same figures
 * as JSON to bench-results/ (git-ignored). Needs Java 17+ for DynamoDB Local,
 * like `npm start`. BENCH_QUICK=1 runs fewer rounds (a smoke test, run by
 * test/e2e/bench-smoke.test.ts); DYNAMODB_ENDPOINT uses that DynamoDB instead
 * of starting DynamoDB Local; BENCH_OUT writes elsewhere than bench-results/.
 *
 *   1. render per format vs the `feed` package alone, a hand-written RSS
 *      template and JSON.stringify, on realistic articles;
 *   2. DynamoDB calls and capacity units per request and per write;
 *   3. the feeds handler's time for a 200 and a 304 of the same page;
 *   4. bundle sizes and cold starts beside a Query-only floor, and the memory
 *      of rendering the largest page the limits allow;
 *   5. the local server under load beside a bare Node server.
 */
import './env.ts';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { issueApiKey } from '../functions/core/api-keys.ts';
import { validateConfig } from '../functions/core/config-schema.ts';
import { createDynamoClient, STORE_TIMEOUTS } from '../functions/store/client.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import { ensureTable } from '../functions/store/table.ts';
import { FUNCTION_SPECS } from '../infra/constructs/functions.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { startNewswire } from '../local/runtime.ts';
import siteConfig from '../newswire.config.ts';
import { realisticArticle } from './articles.ts';
import { benchColdStart } from './cold-start.ts';
import { benchDynamo } from './dynamo.ts';
import { benchLoad } from './load.ts';
import { machine, median } from './measure.ts';
import { benchPages } from './pages.ts';
import { benchRender } from './render.ts';

const quick = process.env.BENCH_QUICK === '1';
const config = validateConfig(siteConfig);
const results: Record<string, unknown> = { date: new Date().toISOString(), machine: machine() };
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const COLD_WIDTHS = [17, 6, 8, 10, 10, 12, 18, 22];
const row = (cells: string[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');

const m = results.machine as Record<string, string | number>;
say(
  `Newswire benchmark — ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}, load average ${m.loadAverage}`,
);

// 1. Render.
const articles = Array.from({ length: config.pageSize }, (_, i) => realisticArticle(i, config));
const render = benchRender(config, articles, { rounds: quick ? 3 : 7, iterations: quick ? 5 : 20 });
results.render = render;
say(
  `\n1. Render one page of ${articles.length} realistic articles (8 KB bodies, photo, 2 writers, 4 topics)`,
);
say(row(['', 'min', 'median', 'ratio'], [34, 10, 10, 26]));
for (const f of render.figures) {
  say(
    row(
      [f.name, ms(f.min), ms(f.median), f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}× ${f.baseline}`],
      [34, 10, 10, 26],
    ),
  );
}

// 2–3. DynamoDB and the handler: DynamoDB Local of its own, or the one DYNAMODB_ENDPOINT names (fresh tables).
const dynamo = process.env.DYNAMODB_ENDPOINT
  ? { endpoint: process.env.DYNAMODB_ENDPOINT, stop: async () => {} }
  : await startDynamoDbLocal();
const run = `${Date.now().toString(36)}`;
const table = { bench: `bench-${run}`, server: `bench-server-${run}` };
try {
  const client = createDynamoClient({ endpoint: dynamo.endpoint, timeouts: STORE_TIMEOUTS.setup });
  await ensureTable(client, table.bench);
  const db = await benchDynamo(client, table.bench, config, {
    rounds: quick ? 3 : 5,
    iterations: quick ? 5 : 20,
  });
  results.dynamo = db;
  say('\n2. DynamoDB calls and capacity units (ReturnConsumedCapacity, DynamoDB Local)');
  for (const c of db.capacity) {
    say(`  ${c.what}: ${c.calls.join(' + ')} — ${c.readUnits} RCU, ${c.writeUnits} WCU`);
  }
  say(`\n3. Feeds handler, ${(db.pageBytes / 1024).toFixed(0)} KiB RSS page`);
  for (const f of db.handler) {
    say(
      row(
        [f.name, ms(f.min), ms(f.median), f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}× the 200`],
        [44, 10, 10, 16],
      ),
    );
  }

  // 3b. The pages handler (bench/pages.ts).
  const pageFigures = await benchPages(dynamo.endpoint, table.bench, config, {
    rounds: quick ? 5 : 9,
    iterations: quick ? 3 : 15,
  });
  results.pages = pageFigures;
  say('\n3b. Pages handler, 200 and 304 of the same page: ms per request, min / median / max over rounds');
  for (const f of pageFigures) {
    const show = (s: { min: number; median: number; max: number }, digits = 1) =>
      `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;
    say(`  ${f.path} (${(f.bytes / 1024).toFixed(0)} KiB)`);
    say(
      `    200: wall ${show(f.ok.wall)}, CPU ${show(f.ok.cpu)}; ${f.capacity[0]?.calls.join(' + ')}, ${f.capacity[0]?.readUnits} RCU`,
    );
    say(
      `    304: wall ${show(f.notModified.wall)}, CPU ${show(f.notModified.cpu)}; ${f.capacity[1]?.calls.join(' + ')}, ${f.capacity[1]?.readUnits} RCU`,
    );
    say(`    304 ÷ 200: wall ${show(f.ratio, 2)}×, CPU ${show(f.cpuRatio, 2)}× (goal ≤ 0.25×)`);
  }

  // 4. Bundles, cold starts, memory.
  const key = issueApiKey('bench', new Date());
  await new DynamoArticleStore(client, table.bench).putApiKey(key.record);
  const cold = await benchColdStart(
    { endpoint: dynamo.endpoint, tableName: table.bench, apiKey: key.token, etag: db.etag },
    quick ? 3 : 10,
  );
  results.coldStart = cold;
  say(
    `\n4. Bundles and cold starts (import + first answer, median of ${cold[0]?.totalMs.length} fresh processes)`,
  );
  say(
    row(
      ['', 'status', 'bundle', 'powertools', 'import', 'first answer', 'total min / median', 'vs floor'],
      COLD_WIDTHS,
    ),
  );
  for (const c of cold) {
    say(
      row(
        [
          c.name,
          String(c.status),
          `${(c.bytes / 1024).toFixed(0)} KiB`,
          `${(c.powertoolsBytes / 1024).toFixed(0)} KiB`,
          ms(median(c.importMs)),
          ms(median(c.firstMs)),
          `${Math.min(...c.totalMs).toFixed(0)} / ${ms(median(c.totalMs))}`,
          c.sizeRatio === undefined
            ? ''
            : `${c.sizeRatio.toFixed(2)}× size, ${c.timeRatio!.toFixed(2)}× time`,
        ],
        COLD_WIDTHS,
      ),
    );
  }
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/memory-child.ts'], {
    maxBuffer: 2 ** 20,
  });
  const memory = JSON.parse(stdout.trim()) as {
    items: number;
    weight: number;
    bytes: Record<string, number>;
    rssBeforeMiB: number;
    peakRssMiB: number;
  };
  const feedsRss = median(cold.find((c) => c.name === 'feeds')?.rssMiB ?? [0]);
  const renderMiB = memory.peakRssMiB - memory.rssBeforeMiB;
  const feedsMemory = FUNCTION_SPECS.find((s) => s.name === 'feeds')!.memorySize;
  results.memory = {
    ...memory,
    renderMiB,
    feedsRssAfterFirstAnswerMiB: feedsRss,
    feedsMemorySizeMiB: feedsMemory,
  };
  say(
    `\n4b. Largest page the limits allow: ${memory.items} of the largest articles (weight ${(memory.weight / 2 ** 20).toFixed(2)} MiB); ` +
      `responses ${Object.entries(memory.bytes)
        .filter(([k]) => k.endsWith('response'))
        .map(([k, v]) => `${k.split(' ')[0]} ${(v / 2 ** 20).toFixed(2)} MiB`)
        .join(', ')}`,
  );
  say(
    `    rendering it in all three formats adds ${renderMiB.toFixed(0)} MiB at peak to a feeds process of ${feedsRss.toFixed(0)} MiB: ` +
      `${(feedsRss + renderMiB).toFixed(0)} MiB of the function's ${feedsMemory} MiB (goal: under ${feedsMemory / 2})`,
  );

  // 5. The local server under load.
  const local = await startNewswire({
    dynamodbEndpoint: dynamo.endpoint,
    tableName: table.server,
    inMemory: true,
  });
  try {
    const loadFigures = await benchLoad(local.url, '/international/rss.xml', {
      rounds: 3,
      seconds: quick ? 1 : 4,
    });
    results.load = loadFigures;
    say('\n5. Local server under load (autocannon, 8 connections) beside a bare Node server, same bytes');
    say(row(['', 'req/s min / median', 'p50', 'p99', 'ratio'], [20, 18, 10, 10, 20]));
    for (const f of loadFigures) {
      say(
        row(
          [
            f.name,
            `${Math.min(...f.requestsPerSecond).toFixed(0)} / ${median(f.requestsPerSecond).toFixed(0)}`,
            `${median(f.latencyP50Ms)} ms`,
            `${median(f.latencyP99Ms)} ms`,
            f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}× bare req/s`,
          ],
          [20, 18, 10, 10, 20],
        ),
      );
    }
  } finally {
    await local.stop();
  }

  // Cost model.
  const miss = db.capacity.find((c) => c.what.includes('miss'))!;
  const hit = db.capacity.find((c) => c.what.includes('revalidation'))!;
  const cost = costModel(miss.readUnits, hit.readUnits, db.handler);
  results.cost = cost;
  say(
    `\nCost per million feed requests at a ${cost.hitRatio * 100}% CloudFront hit ratio: $${cost.total.toFixed(2)}`,
  );
  say(`  ${cost.assumptions}`);
} finally {
  await dynamo.stop();
}

const out = process.env.BENCH_OUT ?? 'bench-results';
mkdirSync(out, { recursive: true });
const stamp = String(results.date).replace(/[:.]/g, '-');
writeFileSync(join(out, `bench-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, 'latest.txt'), `${lines.join('\n')}\n`);
console.log(`\nFigures written to ${join(out, 'latest.json')}`);

/**
 * Dollars per million feed requests reaching CloudFront: CloudFront's request
 * fee for all of them; for the share it cannot answer (1 − hit ratio), Lambda
 * requests and duration (the measured handler time at the function's 512 MB,
 * arm64) and DynamoDB on-demand reads (the measured capacity units), with
 * `revalidations` of the origin requests answered 304. us-east-1 list prices.
 */
function costModel(
  missRcu: number,
  revalidationRcu: number,
  handler: { median: number }[],
): { hitRatio: number; total: number; parts: Record<string, number>; assumptions: string } {
  const hitRatio = 0.9;
  const revalidations = 0.8;
  const origin = 1e6 * (1 - hitRatio);
  const price = {
    cloudFront: 0.0075 / 1e4,
    lambdaRequest: 0.2 / 1e6,
    gbSecond: 0.0000133334,
    rru: 0.125 / 1e6,
  };
  const [ok, notModified] = [handler[0]?.median ?? 0, handler[1]?.median ?? 0];
  // On-demand reads: an eventually consistent read of up to 4 KB is half a read request unit.
  const rru = origin * (revalidations * revalidationRcu + (1 - revalidations) * missRcu);
  const seconds = (origin * (revalidations * notModified + (1 - revalidations) * ok)) / 1000;
  const parts = {
    cloudFront: 1e6 * price.cloudFront,
    lambdaRequests: origin * price.lambdaRequest,
    lambdaDuration: seconds * 0.5 * price.gbSecond,
    dynamoDb: rru * price.rru,
  };
  return {
    hitRatio,
    total: Object.values(parts).reduce((a, b) => a + b, 0),
    parts,
    assumptions:
      `${Math.round((1 - hitRatio) * 100)}% of requests reach the origin, ${Math.round(revalidations * 100)}% of those revalidate (304); ` +
      `CloudFront $0.0075/10k HTTPS requests, Lambda $0.20/M requests + $0.0000133334/GB-s (arm64, 512 MB, ` +
      `handler time as measured here), DynamoDB on-demand $0.125/M read request units (RCU as measured); ` +
      `parts: ${Object.entries(parts)
        .map(([k, v]) => `${k} $${v.toFixed(3)}`)
        .join(', ')}`,
  };
}
