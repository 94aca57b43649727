/**
 * Section 4b of the benchmark, run in a fresh process by bench/run.ts: the
 * largest feed page the limits allow — as many of the largest articles the
 * write API accepts as fit one page's weight budget — rendered in every
 * format and wrapped in the Lambda response envelope, as the feeds function
 * does. Prints the page's sizes and the process's peak resident memory.
 */
import { validateConfig } from '../functions/core/config-schema.ts';
import { selectPage } from '../functions/core/feed-pages.ts';
import { renderFeed } from '../functions/core/feeds/render.ts';
import { entryWeight } from '../functions/core/feeds/weight.ts';
import { FEED_FORMATS } from '../functions/core/urls.ts';
import siteConfig from '../newswire.config.ts';
import { storedFrom } from '../test/support/articles.ts';
import { largestArticle } from '../test/support/largest.ts';

const config = validateConfig(siteConfig);
const now = new Date('2026-11-28T00:00:00Z');
const candidates = Array.from({ length: config.pageSize }, (_, i) =>
  storedFrom(
    largestArticle(i + 1, { publishedAt: new Date(now.getTime() - (i + 1) * 60_000).toISOString() }),
    `largest-${i}`,
    config,
    now,
  ),
);
const refs = candidates.map((a) => ({
  id: a.id,
  publishedAt: a.publishedAt,
  version: 1,
  changedAt: a.publishedAt,
  weight: entryWeight(a),
}));
const { shown } = selectPage(refs, config.pageSize);
const articles = candidates.slice(0, shown.length);
const before = process.memoryUsage().rss;
const sizes: Record<string, number> = {};
for (const format of FEED_FORMATS) {
  const page = renderFeed({ config, scope: { kind: 'edition', edition: 'international' }, format, articles });
  const response = JSON.stringify({ statusCode: 200, headers: { 'content-type': 'x' }, body: page.body });
  sizes[format] = Buffer.byteLength(page.body);
  sizes[`${format} response`] = Buffer.byteLength(response);
}
process.stdout.write(
  `${JSON.stringify({
    items: articles.length,
    weight: shown.reduce((sum, r) => sum + r.weight, 0),
    bytes: sizes,
    rssBeforeMiB: before / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
