/**
 * Feed rendering benchmark: how long one page of 50 articles takes to render
 * and verify in each format, against JSON.stringify of the same data as a
 * machine-independent baseline (report ratios; the machines are shared).
 * Usage: npm run bench
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Article, CONTENT_RULES } from '../functions/core/article.ts';
import { parseArticle } from '../functions/core/article-input.ts';
import { renderFeed } from '../functions/core/feeds/render.ts';
import { FEED_FORMATS } from '../functions/core/urls.ts';
import { loadSeedArticles } from '../local/seed.ts';
import config from '../newswire.config.ts';

const now = new Date('2026-11-28T00:00:00Z');
const seed = loadSeedArticles();
const articles: Article[] = Array.from({ length: config.pageSize }, (_, i) => {
  const { id, ...input } = seed[i % seed.length]!;
  const publishedAt = '2026-11-27T09:00:00.000Z';
  const { content } = parseArticle({ ...input, publishedAt }, `${id}-${i}`, config, now);
  return {
    ...content,
    publishedAt,
    id: `${id}-${i}`,
    version: 1,
    createdAt: publishedAt,
    updatedAt: publishedAt,
    rules: CONTENT_RULES,
  };
});

function measure(label: string, iterations: number, run: () => unknown): number {
  for (let i = 0; i < Math.min(50, iterations); i++) run();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run();
  const perOp = (performance.now() - start) / iterations;
  console.log(`${label.padEnd(28)} ${perOp.toFixed(3).padStart(9)} ms/op`);
  return perOp;
}

console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`);
console.log(
  `One feed page: ${articles.length} articles, ${JSON.stringify(articles).length} bytes of article JSON\n`,
);
const baseline = measure('baseline JSON.stringify', 500, () => JSON.stringify(articles));
const results: Record<string, number> = {};
for (const format of FEED_FORMATS) {
  results[format] = measure(`render ${format}`, 200, () =>
    renderFeed({ config, scope: { kind: 'edition', edition: 'europe' }, format, articles }),
  );
}
const heapBefore = process.memoryUsage().heapUsed;
const bodies = FEED_FORMATS.map(
  (format) => renderFeed({ config, scope: { kind: 'edition', edition: 'europe' }, format, articles }).body,
);
console.log(
  `\nOutput sizes: ${FEED_FORMATS.map((f, i) => `${f} ${(bodies[i]!.length / 1024).toFixed(0)} KiB`).join(', ')}`,
);
console.log(
  `Heap after rendering all three: +${((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024).toFixed(1)} MiB`,
);
console.log('\nRatio to baseline (lower is better):');
for (const format of FEED_FORMATS)
  console.log(`  ${format.padEnd(5)} ${(results[format]! / baseline).toFixed(1)}×`);
