/**
 * What counting CloudFront log lines costs the subscribers function: the
 * CPU time to gunzip, parse, classify and hash a million log lines of feed
 * requests (the lines of test/fixtures/stats/cloudfront-two-days.log with
 * 50,000 different addresses), and the bytes of the log files. The tallies
 * are merged into an in-memory store here: DynamoDB's share depends on the
 * feeds and runs, not the lines (docs/deploy.md prices it).
 * Usage: npm run bench:subscribers   (BENCH_QUICK=1: 200,000 lines)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readCloudFrontLog } from '../functions/core/cloudfront-log.ts';
import type { SaltStore, StatsStore, StoredTally } from '../functions/core/ports.ts';
import { countRequests, RequestBatch } from '../functions/core/subscribers.ts';
import config from '../newswire.config.ts';

const LINES = process.env.BENCH_QUICK ? 200_000 : 1_000_000;
const ROUNDS = 5;

const fixture = readFileSync(
  join(import.meta.dirname, '..', 'test', 'fixtures', 'stats', 'cloudfront-two-days.log'),
  'utf8',
);
const [version = '', fields = '', ...records] = fixture.trim().split('\n');
const body = Array.from({ length: LINES }, (_, i) => {
  const line = records[i % records.length] ?? '';
  const octets = `10.${(i >> 16) & 255}.${(i >> 8) & 195}.${(i % 50) & 255}`;
  return line.replace(/^(\S+\t\S+\t\S+\t\S+\t)[^\t]+/, `$1${octets}`).replace(/^2026-11-2[78]/, '2026-11-28');
}).join('\n');
const gz = gzipSync(`${version}\n${fields}\n${body}\n`);

function memoryStores(): { stats: StatsStore; salts: SaltStore } {
  const tallies = new Map<string, StoredTally>();
  return {
    salts: { saltFor: async () => new Uint8Array(32).fill(7), deleteSalt: async () => {} },
    stats: {
      getTally: async (day, key) => tallies.get(`${day}${JSON.stringify(key)}`),
      saveTally: async (tally) => {
        tallies.set(`${tally.day}${JSON.stringify(tally.key)}`, tally);
      },
      listSummaries: async () => [],
      deleteClientSets: async () => 0,
    },
  };
}

const { gunzipSync } = await import('node:zlib');
const wall: number[] = [];
const cpu: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const batch = new RequestBatch(config);
  for (const record of readCloudFrontLog(gunzipSync(gz).toString('utf8'))) batch.add(record);
  await countRequests({ ...memoryStores(), config, clock: () => new Date('2026-11-28T12:00:00Z') }, batch);
  const used = process.cpuUsage(cpuStart);
  wall.push(performance.now() - started);
  cpu.push((used.user + used.system) / 1000);
}
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const per = (v: number) => ((v / LINES) * 1_000_000) / 1000;
  return `${per(sorted[0]!).toFixed(2)} – ${per(sorted[Math.floor(sorted.length / 2)]!).toFixed(2)} – ${per(sorted.at(-1)!).toFixed(2)} s`;
};
console.log(
  `${LINES} log lines, ${(gz.length / 1024 / 1024).toFixed(1)} MiB gzipped (${(((gz.length / LINES) * 1e6) / 1024 / 1024).toFixed(1)} MiB per million lines)`,
);
console.log(
  `per million lines, min – median – max of ${ROUNDS} rounds: CPU ${stats(cpu)}, wall ${stats(wall)}`,
);
