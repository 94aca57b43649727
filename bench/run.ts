/**
 * `npm run bench`: Newswire's figures, each beside its baseline measured in
 * the same run and interleaved with it (the machines are shared and noisy,
 * so ratios are what to compare), CPU time beside wall time, min–median–max
 * over rounds. Prints a table per section and writes the same figures as
 * JSON to bench-results/ (git-ignored). Needs Java 17+ for DynamoDB Local,
 * like `npm start`.
 *
 *   npm run bench                       every section
 *   npm run bench -- capacity cost      only those (and what they need)
 *
 * Sections: render, stored, capacity, pages, cold, memory, load, cost (see
 * docs/performance.md). BENCH_QUICK=1 runs fewer rounds (a smoke test, run
 * by test/e2e/bench-smoke.test.ts); DYNAMODB_ENDPOINT uses that DynamoDB
 * instead of starting DynamoDB Local; BENCH_OUT writes elsewhere than
 * bench-results/.
 */
import './env.ts';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { issueApiKey } from '../functions/core/api-keys.ts';
import { validateConfig } from '../functions/core/config-schema.ts';
import { issueSubscriberToken } from '../functions/core/subscriber-tokens.ts';
import { createDynamoClient, STORE_TIMEOUTS } from '../functions/store/client.ts';
import { DynamoArticleStore } from '../functions/store/dynamo-article-store.ts';
import { DynamoSubscriberStore } from '../functions/store/dynamo-subscriber-store.ts';
import { ensureTable } from '../functions/store/table.ts';
import { FUNCTION_SPECS } from '../infra/constructs/functions.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { startNewswire } from '../local/runtime.ts';
import siteConfig from '../newswire.config.ts';
import { describeArticles, realisticArticle } from './articles.ts';
import { benchColdStart, type ColdStart } from './cold-start.ts';
import { costPerMillion, PRICES, PROFILES } from './cost.ts';
import { benchDynamo, type DynamoResult, MEASURED } from './dynamo.ts';
import { benchLoad } from './load.ts';
import { loadAverage, machine, median, type Range, range } from './measure.ts';
import { benchPages } from './pages.ts';
import { benchRender, renderReport } from './render.ts';
import { benchStored } from './stored.ts';

const SECTIONS = ['render', 'stored', 'capacity', 'pages', 'cold', 'memory', 'load', 'cost'] as const;
type Section = (typeof SECTIONS)[number];

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(SECTIONS as readonly string[]).includes(a));
if (unknown.length > 0) {
  console.error(`Unknown section ${unknown.join(', ')}: the sections are ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const wants = (section: Section) => asked.length === 0 || asked.includes(section);
/** Sections that read what the capacity section writes (its table, its figures). */
const needsCapacity = (['capacity', 'pages', 'cold', 'cost'] as const).some(wants);

const quick = process.env.BENCH_QUICK === '1';
const config = validateConfig(siteConfig);
const results: Record<string, unknown> = { date: new Date().toISOString(), machine: machine() };
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};
const fixed = (value: number) => value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0);
const ms = (value: number) => `${fixed(value)} ms`;
const spread = (r: Range, unit = 'ms') => `${fixed(r.min)}–${fixed(r.median)}–${fixed(r.max)} ${unit}`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
const row = (cells: string[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
const reproduce = (section: Section) => say(`  reproduce: npm run bench -- ${section}`);

const m = results.machine as Record<string, string | number>;
say(
  `Newswire benchmark, ${String(results.date).slice(0, 10)}${quick ? ' (quick: too few rounds to quote)' : ''}`,
);
say(`  machine: ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}`);
say(`  load average at start (1 / 5 / 15 min): ${m.loadAverage}`);
say('  times: CPU (user + system, every thread) and wall, min–median–max over interleaved rounds');

const articles = Array.from({ length: config.pageSize }, (_, i) => realisticArticle(i, config));
results.articles = describeArticles(articles);
say(`  articles: ${results.articles}`);

// Render.
if (wants('render')) {
  const render = benchRender(config, articles, { rounds: quick ? 3 : 9, iterations: quick ? 5 : 20 });
  results.render = render;
  for (const line of renderReport(render)) say(line);
  reproduce('render');
}

// How articles are stored.
if (wants('stored')) {
  const stored = await benchStored(config, articles, { rounds: quick ? 3 : 7, iterations: quick ? 1 : 2 });
  results.stored = stored;
  say(`\nStored articles: the page's ${articles.length} article items under each encoding`);
  say(row(['', 'item bytes min–median–max', '≤ 4 KB', 'BatchGetItem RRU'], [30, 28, 8, 17]));
  for (const e of stored.encodings) {
    say(
      row(
        [
          e.name,
          `${e.itemBytes.min}–${e.itemBytes.median}–${e.itemBytes.max}`,
          `${e.withinOneUnit}`,
          String(e.pageReadUnits),
        ],
        [30, 28, 8, 17],
      ),
    );
  }
  say(row(['', 'CPU', 'wall'], [62, 24, 24]));
  for (const f of stored.timing) say(row([f.name, spread(f.cpu), spread(f.wall)], [62, 24, 24]));
  say(`  the largest article (${kib(stored.largest.jsonBytes)} of JSON), compressed once:`);
  for (const v of stored.largest.variants) say(`    ${v.name}: ${kib(v.bytes)}, CPU ${spread(v.cpuMs)}`);
  reproduce('stored');
}

// DynamoDB: capacity, the handler, cold starts, load.
const dynamo =
  needsCapacity || wants('load')
    ? process.env.DYNAMODB_ENDPOINT
      ? { endpoint: process.env.DYNAMODB_ENDPOINT, stop: async () => {} }
      : await startDynamoDbLocal()
    : undefined;
const run = `${Date.now().toString(36)}`;
const table = { bench: `bench-${run}`, server: `bench-server-${run}` };
let db: DynamoResult | undefined;
try {
  const client =
    dynamo === undefined
      ? undefined
      : createDynamoClient({ endpoint: dynamo.endpoint, timeouts: STORE_TIMEOUTS.setup });
  if (client !== undefined && needsCapacity) {
    await ensureTable(client, table.bench);
    db = await benchDynamo(client, table.bench, config, {
      rounds: quick ? 3 : 7,
      iterations: quick ? 3 : 20,
    });
    results.dynamo = db;
  }
  if (db !== undefined && wants('capacity')) printCapacity(db);

  if (dynamo !== undefined && db !== undefined && wants('pages')) {
    // The pages handler on the table the capacity section seeded (bench/pages.ts).
    const pageFigures = await benchPages(dynamo.endpoint, table.bench, config, {
      rounds: quick ? 5 : 9,
      iterations: quick ? 3 : 15,
    });
    results.pages = pageFigures;
    say('\nPages handler, 200 and 304 of the same page (ms per request)');
    for (const f of pageFigures) {
      const [ok, notModified] = f.capacity;
      const calls = (c: typeof ok) => c?.calls.map((call) => call.operation).join(' + ');
      say(`  ${f.path} (${kib(f.bytes)})`);
      say(`    200: CPU ${spread(f.ok.cpu)}, wall ${spread(f.ok.wall)}; ${calls(ok)}, ${ok?.readUnits} RRU`);
      say(
        `    304: CPU ${spread(f.notModified.cpu)}, wall ${spread(f.notModified.wall)}; ${calls(notModified)}, ${notModified?.readUnits} RRU`,
      );
      say(`    304 ÷ 200: CPU ${spread(f.cpuRatio, '×')}, wall ${spread(f.ratio, '×')} (goal ≤ 0.25×)`);
    }
    reproduce('pages');
  }

  if (dynamo !== undefined && client !== undefined && db !== undefined && wants('cold')) {
    const key = issueApiKey('bench', new Date());
    await new DynamoArticleStore(client, table.bench).putApiKey(key.record);
    const subscriber = issueSubscriberToken('bench', new Date());
    await new DynamoSubscriberStore(client, table.bench).putSubscriber(subscriber.record);
    const cold = await benchColdStart(
      {
        endpoint: dynamo.endpoint,
        tableName: table.bench,
        apiKey: key.token,
        subscriberToken: subscriber.token,
        etag: db.etag,
      },
      quick ? 3 : 10,
    );
    results.coldStart = cold;
    printColdStarts(cold);
  }

  if (wants('memory')) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/memory-child.ts'],
      { maxBuffer: 2 ** 20 },
    );
    const memory = JSON.parse(stdout.trim()) as {
      items: number;
      weight: number;
      bytes: Record<string, number>;
      rssBeforeMiB: number;
      peakRssMiB: number;
    };
    const cold = results.coldStart as ColdStart[] | undefined;
    const feedsRss = median(cold?.find((c) => c.name === 'feeds')?.rssMiB ?? [memory.rssBeforeMiB]);
    const renderMiB = memory.peakRssMiB - memory.rssBeforeMiB;
    const feedsMemory = FUNCTION_SPECS.find((s) => s.name === 'feeds')!.memorySize;
    results.memory = {
      ...memory,
      renderMiB,
      feedsRssAfterFirstAnswerMiB: feedsRss,
      feedsMemorySizeMiB: feedsMemory,
    };
    say(
      `\nLargest page the limits allow: ${memory.items} of the largest articles (weight ${(memory.weight / 2 ** 20).toFixed(2)} MiB); ` +
        `responses ${Object.entries(memory.bytes)
          .filter(([k]) => k.endsWith('response'))
          .map(([k, v]) => `${k.split(' ')[0]} ${(v / 2 ** 20).toFixed(2)} MiB`)
          .join(', ')}`,
    );
    say(
      `  rendering it in all three formats adds ${renderMiB.toFixed(0)} MiB at peak to a feeds process of ${feedsRss.toFixed(0)} MiB` +
        `${cold === undefined ? ' (this process: run with `cold` for the feeds function’s own)' : ''}: ` +
        `${(feedsRss + renderMiB).toFixed(0)} MiB of the function's ${feedsMemory} MiB (goal: under ${feedsMemory / 2})`,
    );
    reproduce('memory');
  }

  if (dynamo !== undefined && wants('load')) {
    const local = await startNewswire({
      dynamodbEndpoint: dynamo.endpoint,
      tableName: table.server,
      inMemory: true,
    });
    try {
      const loadFigures = await benchLoad(local.url, '/international/rss.xml', {
        rounds: quick ? 2 : 5,
        seconds: quick ? 1 : 4,
      });
      results.load = loadFigures;
      say('\nLocal server under load (autocannon, 8 connections) beside a bare Node server, same bytes');
      say(row(['', 'req/s min–median–max', 'p50', 'p99', 'ratio'], [20, 24, 10, 10, 20]));
      for (const f of loadFigures) {
        const rps = range(f.requestsPerSecond);
        say(
          row(
            [
              f.name,
              `${rps.min.toFixed(0)}–${rps.median.toFixed(0)}–${rps.max.toFixed(0)}`,
              `${median(f.latencyP50Ms)} ms`,
              `${median(f.latencyP99Ms)} ms`,
              f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}× bare req/s`,
            ],
            [20, 24, 10, 10, 20],
          ),
        );
      }
      reproduce('load');
    } finally {
      await local.stop();
    }
  }
} finally {
  await dynamo?.stop();
}

if (db !== undefined && wants('cost')) printCost(db);

results.loadAverageAtEnd = loadAverage();
say(`\nload average at end (1 / 5 / 15 min): ${results.loadAverageAtEnd}`);
const out = process.env.BENCH_OUT ?? 'bench-results';
mkdirSync(out, { recursive: true });
const stamp = String(results.date).replace(/[:.]/g, '-');
writeFileSync(join(out, `bench-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, 'latest.txt'), `${lines.join('\n')}\n`);
console.log(`\nFigures written to ${join(out, 'latest.json')}`);

function printCapacity(result: DynamoResult): void {
  say('\nDynamoDB capacity: on-demand request units computed from the items sent and received, by the');
  say("documented rules (bench/capacity.ts), beside DynamoDB Local's report");
  const widths = [74, 8, 8, 10, 10];
  say(row(['', 'RRU', 'WRU', 'Local RRU', 'Local WRU'], widths));
  for (const c of result.capacity) {
    say(
      row(
        [
          c.what,
          String(c.readUnits),
          String(c.writeUnits),
          String(c.local.readUnits),
          String(c.local.writeUnits),
        ],
        widths,
      ),
    );
    const calls = c.calls.map((call) => `${call.operation} (${call.items} items, ${kib(call.bytes)})`);
    say(`    ${calls.join(' + ')}${c.exact ? '' : ' — a lower bound: some items were read projected'}`);
  }
  const agree = result.local.singleItem.filter((r) => r.computed === r.local);
  say(
    `  DynamoDB Local agrees with the computed units on ${agree.length} of ${result.local.singleItem.length} ` +
      'single-item, BatchGetItem and Query calls at the 1 KB and 4 KB boundaries',
  );
  for (const r of result.local.singleItem.filter((r) => r.computed !== r.local)) {
    say(`    DISAGREES: ${r.call}: computed ${r.computed}, Local ${r.local}`);
  }
  say('  and not on these, where the computed figure follows the documentation:');
  for (const r of result.local.differences) say(`    ${r.call}: computed ${r.computed}, Local ${r.local}`);

  say(
    `\nFeeds handler, a ${kib(result.pageBytes)} RSS page of 50 (in process, DynamoDB Local on this machine)`,
  );
  const hw = [44, 24, 24, 22];
  say(row(['', 'CPU', 'wall', 'CPU ÷ the 200'], hw));
  for (const f of result.handler) {
    say(
      row([f.name, spread(f.cpu), spread(f.wall), f.ratio === undefined ? '' : spread(f.ratio.cpu, '×')], hw),
    );
  }
  say('  the page in each format (bodies; compressed as the functions compress responses):');
  for (const r of result.responses) {
    say(
      `    ${r.format}: ${kib(r.bodyBytes)}, gzip 6 ${kib(r.gzipBytes)} (${(r.bodyBytes / r.gzipBytes).toFixed(2)}×), ` +
        `Brotli 5 ${kib(r.brotliBytes)} (${(r.bodyBytes / r.brotliBytes).toFixed(2)}×)`,
    );
  }
  reproduce('capacity');
}

function printColdStarts(cold: ColdStart[]): void {
  say(
    `\nCold starts: a fresh Node process of Lambda's major imports the bundle and answers one request (${cold[0]?.totalMs.length} starts each)`,
  );
  const widths = [22, 7, 9, 10, 15, 15, 24, 24, 16];
  say(
    row(
      [
        '',
        'status',
        'bundle',
        'powertools',
        'import CPU',
        'first CPU',
        'total CPU',
        'total wall',
        'vs floor (CPU)',
      ],
      widths,
    ),
  );
  for (const c of cold) {
    say(
      row(
        [
          c.name,
          String(c.status),
          kib(c.bytes),
          kib(c.powertoolsBytes),
          ms(median(c.importCpuMs)),
          ms(median(c.firstCpuMs)),
          spread(range(c.totalCpuMs)),
          spread(range(c.totalMs)),
          c.cpuRatio === undefined ? '' : `${c.cpuRatio.toFixed(2)}× (wall ${c.timeRatio!.toFixed(2)}×)`,
        ],
        widths,
      ),
    );
  }
  const withMaps = cold.find((c) => c.name === 'feeds');
  const without = cold.find((c) => c.name === 'feeds, no source maps');
  if (withMaps !== undefined && without !== undefined) {
    const cost = median(withMaps.importCpuMs) / median(without.importCpuMs) - 1;
    say(
      `  --enable-source-maps (as deployed): the feeds import takes ${ms(median(withMaps.importCpuMs))} of CPU with, ` +
        `${ms(median(without.importCpuMs))} without (${cost >= 0 ? '+' : ''}${(cost * 100).toFixed(0)} %)`,
    );
  }
  reproduce('cold');
}

function printCost(result: DynamoResult): void {
  const miss = result.capacity.find((c) => c.what === MEASURED.miss)!;
  const revalidation = result.capacity.find((c) => c.what === MEASURED.revalidation)!;
  const [ok, notModified] = result.handler;
  const cloudFrontHeaders = 250;
  const inputs = {
    fullResponseBytes: Object.fromEntries(
      result.responses.map((r) => [r.format, r.gzipBytes + r.headerBytes + cloudFrontHeaders]),
    ),
    notModifiedBytes: result.notModifiedHeaderBytes + cloudFrontHeaders,
    missReadUnits: miss.readUnits,
    revalidationReadUnits: revalidation.readUnits,
    renderCpuMs: ok!.cpu.median,
    notModifiedCpuMs: notModified!.cpu.median,
    originResponseBytes: Math.max(...result.responses.map((r) => r.gzipBytes)),
  };
  const costs = PROFILES.map((profile) => costPerMillion(profile, inputs));
  results.cost = { inputs, costs, prices: PRICES };
  say(
    '\nCost per million feed requests reaching CloudFront (us-east-1 and US edge list prices, 6 December 2026)',
  );
  const widths = [34, ...costs.map(() => 26)];
  say(row(['', ...costs.map((c) => c.profile.name)], widths));
  say(
    row(
      [
        '  hit ratio / origin 304s / whole pages',
        ...costs.map(
          (c) =>
            `${Math.round(c.profile.hitRatio * 100)} % / ${Math.round(c.profile.originNotModified * 100)} % / ${Math.round(c.profile.fullPages * 100)} %`,
        ),
      ],
      widths,
    ),
  );
  for (const [i, line] of costs[0]!.lines.entries()) {
    say(row([line.name, ...costs.map((c) => `$${c.lines[i]!.dollars.toFixed(3)}`)], widths));
  }
  say(row(['total', ...costs.map((c) => `$${c.total.toFixed(2)}`)], widths));
  say(
    `  inputs: whole answers ${Object.entries(inputs.fullResponseBytes)
      .map(([f, b]) => `${f} ${kib(b)}`)
      .join(', ')} (gzip 6, headers included), a 304 ${inputs.notModifiedBytes} bytes; ` +
      `a miss ${inputs.missReadUnits} RRU, a revalidation ${inputs.revalidationReadUnits}; handler CPU ${ms(inputs.renderCpuMs)} (200), ${ms(inputs.notModifiedCpuMs)} (304)`,
  );
  reproduce('cost');
}
