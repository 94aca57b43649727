/**
 * The benchmark's render section: one feed page rendered by Newswire in each
 * format, beside a minimal hand-written template producing the same bytes
 * (bench/templates.ts: the practical limit), the `feed` package alone on the
 * same articles, and JSON.stringify of the articles. Every variant is timed
 * in CPU time (process.cpuUsage: user + system, all threads — GC included)
 * and wall time, interleaved round by round in a rotating order; each
 * figure is min–median–max over the rounds, and each ratio is taken round
 * by round (this round's render ÷ this round's baseline) before its
 * min–median–max.
 */
import assert from 'node:assert/strict';
import { Feed, type Item } from 'feed';
import type { Article } from '../functions/core/article.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { type FeedChannel, feedChannel } from '../functions/core/feeds/channel.ts';
import { type FeedEntry, toFeedEntries } from '../functions/core/feeds/entry.ts';
import { namesFor, renderFeed } from '../functions/core/feeds/render.ts';
import type { FeedScope } from '../functions/core/scopes.ts';
import { articlePageUrl, FEED_FORMATS, type FeedFormat } from '../functions/core/urls.ts';
import { describeArticles } from './articles.ts';
import {
  interleaveSync,
  type Range,
  range,
  type TimedFigure,
  timedFigures,
  type Variant,
} from './measure.ts';
import { templateAtom, templateJson, templateRss } from './templates.ts';

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

const TEMPLATES: Record<FeedFormat, (channel: FeedChannel, entries: readonly FeedEntry[]) => string> = {
  rss: templateRss,
  atom: templateAtom,
  json: templateJson,
};

/** A template fed by Newswire's own mapping (entries and channel), as the renderer is: the same work before writing. */
function renderWithTemplate(
  config: SiteConfig,
  scope: FeedScope,
  format: FeedFormat,
  articles: readonly Article[],
): string {
  const entries = toFeedEntries(articles, config, scope, () => {});
  const channel = feedChannel(config, scope, format, entries, { names: namesFor(config, scope, entries) });
  return TEMPLATES[format](channel, entries);
}

/** Results of the render section. */
export interface RenderResult {
  articles: string;
  rounds: number;
  iterations: number;
  figures: TimedFigure[];
  /** Per format, Newswire ÷ template (goal ≤ 2×) and Newswire ÷ `feed` alone (goal ≤ 1.2×), CPU time by round. */
  goals: Record<FeedFormat, { template: Range; feedAlone: Range }>;
  bytes: Record<string, number>;
}

/** Runs the render section on `articles` (one feed page). */
export function benchRender(
  config: SiteConfig,
  articles: readonly Article[],
  options: { rounds: number; iterations: number },
): RenderResult {
  const scope: FeedScope = { kind: 'edition', edition: 'europe' };
  const ours = (format: FeedFormat) => renderFeed({ config, scope, format, articles }).body;
  for (const format of FEED_FORMATS) {
    assert.equal(
      renderWithTemplate(config, scope, format, articles),
      ours(format),
      `the hand-written ${format} template must produce the same bytes as the renderer`,
    );
  }
  const variants: Variant[] = [
    ...FEED_FORMATS.flatMap((format) => [
      { name: `newswire ${format}`, run: () => settled(ours(format)) },
      { name: `template ${format}`, run: () => settled(renderWithTemplate(config, scope, format, articles)) },
      { name: `feed alone ${format}`, run: () => settled(renderWithFeedAlone(config, format, articles)) },
    ]),
    { name: 'JSON.stringify', run: () => settled(JSON.stringify(articles)) },
  ];
  const rounds = interleaveSync(variants, { ...options, warmup: 20 });
  const figures = timedFigures(rounds);
  const ratio = (a: string, b: string) => {
    const base = rounds.get(b)!.cpu;
    return range(rounds.get(a)!.cpu.map((v, i) => v / base[i]!));
  };
  const goals = Object.fromEntries(
    FEED_FORMATS.map((f) => [
      f,
      {
        template: ratio(`newswire ${f}`, `template ${f}`),
        feedAlone: ratio(`newswire ${f}`, `feed alone ${f}`),
      },
    ]),
  ) as RenderResult['goals'];
  const bytes = Object.fromEntries([
    ...FEED_FORMATS.map((f) => [`newswire ${f}`, Buffer.byteLength(ours(f))]),
    ...FEED_FORMATS.map((f) => [
      `feed alone ${f}`,
      Buffer.byteLength(renderWithFeedAlone(config, f, articles)),
    ]),
    ['JSON.stringify', Buffer.byteLength(JSON.stringify(articles))],
  ]);
  return { articles: describeArticles(articles), ...options, figures, goals, bytes };
}

/** The render section as the bench prints it: each variant's CPU and wall time, then each format's ratios. */
export function renderReport(result: RenderResult): string[] {
  const ms = (r: Range) => `${r.min.toFixed(2)}–${r.median.toFixed(2)}–${r.max.toFixed(2)}`;
  const x = (r: Range) => `${r.min.toFixed(2)}–${r.median.toFixed(2)}–${r.max.toFixed(2)}×`;
  const lines = [
    `\nRender one feed page of the articles above: ms per render, min–median–max over ${result.rounds} interleaved rounds of ${result.iterations}`,
    `${''.padEnd(20)}${'CPU'.padStart(22)}${'wall'.padStart(22)}${'bytes'.padStart(10)}`,
  ];
  for (const f of result.figures) {
    const bytes = result.bytes[f.name];
    lines.push(
      `${f.name.padEnd(20)}${ms(f.cpu).padStart(22)}${ms(f.wall).padStart(22)}${(bytes === undefined ? '' : String(bytes)).padStart(10)}`,
    );
  }
  lines.push('   CPU time, round by round (goals: ≤ 2× the template, ≤ 1.2× the feed package alone)');
  for (const format of FEED_FORMATS) {
    const g = result.goals[format];
    lines.push(
      `   ${format.padEnd(5)} ÷ template ${x(g.template).padStart(18)}   ÷ feed alone ${x(g.feedAlone).padStart(18)}`,
    );
  }
  return lines;
}
