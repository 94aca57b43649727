/**
 * Section 1 of the benchmark: one feed page rendered by Newswire in each
 * format, beside the `feed` package alone on the same articles, a
 * hand-written RSS template, and JSON.stringify of the articles.
 */
import assert from 'node:assert/strict';
import { Feed, type Item } from 'feed';
import type { Article } from '../functions/core/article.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { feedChannel } from '../functions/core/feeds/channel.ts';
import { toFeedEntries } from '../functions/core/feeds/entry.ts';
import { namesFor, renderFeed } from '../functions/core/feeds/render.ts';
import type { FeedScope } from '../functions/core/scopes.ts';
import { articlePageUrl, FEED_FORMATS, type FeedFormat } from '../functions/core/urls.ts';
import { type Figure, figures, interleaveSync, median } from './measure.ts';
import { templateRss } from './rss-template.ts';

/**
 * A rendered document is only of use as one string: V8 builds long strings as
 * trees of pieces and joins them on first read, so every variant's result is
 * read once (which joins it) inside the timed operation.
 */
function settled(body: string): string {
  body.charCodeAt(body.length >> 1);
  return body;
}

/**
 * The `feed` package alone: the stored articles mapped to its Items the
 * simplest way — headline, link, guid, dates, summary, body as content,
 * writers, section and topics as categories, the photo's URL — and
 * serialised by it, with no byline or figure in the full text, no Media RSS,
 * no escaping of our own and no post-processing.
 */
export function renderWithFeedAlone(
  config: SiteConfig,
  format: FeedFormat,
  articles: readonly Article[],
): string {
  const feed = new Feed({
    id: `tag:${config.tagAuthority}:feed:europe`,
    title: config.title,
    description: config.description,
    link: `${config.baseUrl}/europe/`,
    language: 'en-GB',
    copyright: config.copyright,
    updated: new Date(articles[0]?.updatedAt ?? 0),
    generator: 'Newswire',
    feed: `${config.baseUrl}/europe/rss.xml`,
    feedLinks: { json: `${config.baseUrl}/europe/feed.json` },
  });
  for (const article of articles) {
    const item: Item = {
      title: article.headline,
      id: `tag:${config.tagAuthority}:article:${article.id}`,
      guid: `tag:${config.tagAuthority}:article:${article.id}`,
      link: article.url ?? articlePageUrl(config.baseUrl, 'europe', article.section, article.id),
      date: new Date(article.updatedAt),
      published: new Date(article.publishedAt),
      description: article.summary,
      content: article.body,
      author: article.byline.map((w) => ({ name: w.name, ...(w.url !== undefined && { link: w.url }) })),
      category: [{ name: article.section }, ...article.topics.map((name) => ({ name }))],
    };
    if (article.image !== undefined) item.image = article.image.url;
    feed.addItem(item);
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1();
}

/** The RSS template fed by Newswire's own mapping (entries and channel), as the renderer is. */
function renderWithTemplate(config: SiteConfig, scope: FeedScope, articles: readonly Article[]): string {
  const entries = toFeedEntries(articles, config, scope, () => {});
  const channel = feedChannel(config, scope, 'rss', entries, { names: namesFor(config, scope, entries) });
  return templateRss(channel, entries);
}

/** Results of the render section. */
export interface RenderResult {
  figures: Figure[];
  /** Each format's Newswire render ÷ the `feed` package alone, by round (the ≤ 1.5× goal). */
  goal: Record<FeedFormat, { ratio: number; min: number; max: number }>;
  bytes: Record<string, number>;
}

/** Runs section 1 on `articles` (one feed page). */
export function benchRender(
  config: SiteConfig,
  articles: readonly Article[],
  options: { rounds: number; iterations: number },
): RenderResult {
  const scope: FeedScope = { kind: 'edition', edition: 'europe' };
  const ours = (format: FeedFormat) => renderFeed({ config, scope, format, articles }).body;
  assert.equal(
    renderWithTemplate(config, scope, articles),
    ours('rss'),
    'the hand-written template must produce the same RSS as the renderer',
  );
  const variants = [
    ...FEED_FORMATS.flatMap((format) => [
      { name: `newswire ${format}`, run: () => settled(ours(format)) },
      { name: `feed alone ${format}`, run: () => settled(renderWithFeedAlone(config, format, articles)) },
    ]),
    { name: 'template rss', run: () => settled(renderWithTemplate(config, scope, articles)) },
    { name: 'JSON.stringify', run: () => settled(JSON.stringify(articles)) },
  ];
  const rounds = interleaveSync(variants, { ...options, warmup: 20 });
  const perRound = (a: string, b: string) => rounds.get(a)!.map((v, i) => v / rounds.get(b)![i]!);
  const result: Figure[] = [];
  for (const format of FEED_FORMATS) {
    const alone = `feed alone ${format}`;
    result.push(...figures(new Map([[`newswire ${format}`, rounds.get(`newswire ${format}`)!]]), 'ms'));
    result.at(-1)!.ratio = median(perRound(`newswire ${format}`, alone));
    result.at(-1)!.baseline = alone;
    result.push(...figures(new Map([[alone, rounds.get(alone)!]]), 'ms'));
  }
  for (const name of ['template rss', 'JSON.stringify']) {
    result.push(...figures(new Map([[name, rounds.get(name)!]]), 'ms'));
    result.at(-1)!.ratio = median(perRound(name, 'feed alone rss'));
    result.at(-1)!.baseline = 'feed alone rss';
  }
  const goal = Object.fromEntries(
    FEED_FORMATS.map((format) => {
      const ratios = perRound(`newswire ${format}`, `feed alone ${format}`);
      return [format, { ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) }];
    }),
  ) as RenderResult['goal'];
  const bytes = Object.fromEntries([
    ...FEED_FORMATS.map((f) => [`newswire ${f}`, Buffer.byteLength(ours(f))]),
    ...FEED_FORMATS.map((f) => [
      `feed alone ${f}`,
      Buffer.byteLength(renderWithFeedAlone(config, f, articles)),
    ]),
    ['JSON.stringify', Buffer.byteLength(JSON.stringify(articles))],
  ]);
  return { figures: result, goal, bytes };
}
