/**
 * What each compression level costs and saves on Newswire's own documents:
 * a page of 50 generated articles and the sample newsroom's 32 stories in
 * each feed format, an edition's HTML page and the OPML list. For every level, the CPU time and wall time of one
 * compression (min, median, max over interleaved rounds; never the best
 * round alone) and the bytes it produces. The levels in
 * functions/http/encoding.ts were chosen from this output.
 *
 * Usage: npx tsx bench/compression.ts   (BENCH_QUICK=1: fewer rounds)
 */
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Article, CONTENT_RULES } from '../functions/core/article.ts';
import { parseArticle } from '../functions/core/article-input.ts';
import { toFeedEntries } from '../functions/core/feeds/entry.ts';
import { renderFeed } from '../functions/core/feeds/render.ts';
import { renderOpml } from '../functions/core/opml.ts';
import { renderEditionPage } from '../functions/core/pages/edition.ts';
import { FEED_FORMATS } from '../functions/core/urls.ts';
import { loadSeedArticles } from '../local/seed.ts';
import config from '../newswire.config.ts';
import { realisticArticle } from './articles.ts';
import { median } from './measure.ts';

const quick = process.env.BENCH_QUICK === '1';
const ROUNDS = quick ? 5 : 9;
const ITERATIONS = quick ? 2 : 5;

const articles = Array.from({ length: 50 }, (_, i) => realisticArticle(i, config));
const scope = { kind: 'edition', edition: 'international' } as const;
const documents: Record<string, string> = {};
for (const format of FEED_FORMATS) {
  documents[`feed ${format}`] = renderFeed({ config, scope, format, articles }).body;
}
const edition = config.editions.find((e) => e.id === 'international')!;
documents['edition page'] = renderEditionPage(
  config,
  edition,
  toFeedEntries(articles.slice(0, 30), config, scope, () => {}),
  toFeedEntries(articles.slice(30, 42), config, { kind: 'top', edition: edition.id }, () => {}),
);
documents.opml = renderOpml(config, undefined);
// The sample newsroom's 32 stories (real prose, not generated text), as the International edition shows them.
const seeded = loadSeedArticles().map((input): Article => {
  const { id, ...fields } = input;
  const { content } = parseArticle(fields, id, config, new Date('2026-11-27T12:00:00Z'));
  return {
    ...content,
    id,
    publishedAt: content.publishedAt ?? input.publishedAt,
    version: 1,
    createdAt: input.publishedAt,
    updatedAt: input.publishedAt,
    rules: CONTENT_RULES,
  };
});
for (const format of FEED_FORMATS) {
  documents[`sample newsroom ${format}`] = renderFeed({ config, scope, format, articles: seeded }).body;
}

type Codec = { name: string; run: (bytes: Buffer) => Buffer };
const codecs: Codec[] = [
  ...[1, 4, 6, 9].map((level) => ({ name: `gzip ${level}`, run: (b: Buffer) => gzipSync(b, { level }) })),
  ...[1, 4, 5, 6, 9, 11].map((quality) => ({
    name: `br ${quality}`,
    // As functions/http/encoding.ts calls it (the quality alone).
    run: (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } }),
  })),
];

interface Sample {
  cpu: number[];
  wall: number[];
  bytes: number;
}

const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1);
console.log(`Compression of Newswire's documents: ${ROUNDS} interleaved rounds × ${ITERATIONS} per round`);
console.log(`Node ${process.version}, zlib ${process.versions.zlib}, brotli ${process.versions.brotli}\n`);
for (const [name, text] of Object.entries(documents)) {
  const bytes = Buffer.from(text, 'utf8');
  const samples = new Map<string, Sample>(codecs.map((c) => [c.name, { cpu: [], wall: [], bytes: 0 }]));
  for (const codec of codecs) codec.run(bytes); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round, so a slow stretch of a shared machine hits every level alike.
    const order = codecs.map((_, i) => codecs[(i + round) % codecs.length]!);
    for (const codec of order) {
      const sample = samples.get(codec.name)!;
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      let out: Buffer = Buffer.alloc(0);
      for (let i = 0; i < ITERATIONS; i++) out = codec.run(bytes);
      const wall = (performance.now() - wallStart) / ITERATIONS;
      const cpu = process.cpuUsage(cpuStart);
      sample.cpu.push((cpu.user + cpu.system) / 1000 / ITERATIONS);
      sample.wall.push(wall);
      sample.bytes = out.length;
    }
  }
  console.log(`${name}: ${bytes.length.toLocaleString('en')} bytes`);
  console.log('  codec      bytes     ratio   CPU ms min / median / max     wall ms min / median / max');
  for (const [codec, s] of samples) {
    const cpu = [Math.min(...s.cpu), median(s.cpu), Math.max(...s.cpu)].map(fmt).join(' / ');
    const wall = [Math.min(...s.wall), median(s.wall), Math.max(...s.wall)].map(fmt).join(' / ');
    console.log(
      `  ${codec.padEnd(8)} ${s.bytes.toLocaleString('en').padStart(9)}   ${(s.bytes / bytes.length).toFixed(3)}   ${cpu.padEnd(26)}   ${wall}`,
    );
  }
  console.log('');
}
