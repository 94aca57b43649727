import type { FeedReport, SubscriberReport } from '../functions/core/subscribers.ts';
import { MAX_REPORT_DAYS } from '../functions/core/subscribers.ts';
import { type Problem, REQUEST_TIMEOUT_MS, reasons, unreachable } from './api-client.ts';
import { CliError, didYouMean, parseCommandLine, seeHelp, usageError } from './cli-error.ts';
import { apiTarget, serverRecordPath } from './server-record.ts';

/** How `newswire stats` orders the feeds. */
export const STATS_SORTS = ['subscribers', 'change', 'feed'] as const;

/** An order of the feeds. */
export type StatsSort = (typeof STATS_SORTS)[number];

/** The help of `newswire stats`. */
export function statsHelp(dataDir: string): string {
  return `Usage: newswire stats [--days N] [--feed FOLDER] [--sort subscribers|change|feed] [--url URL] [--key KEY]

Shows the daily subscriber estimate of every feed that was fetched: today's
(UTC) figure, a sparkline of the last N days, the largest day, today's figure
per format, and today's top readers. The estimate adds the counts hosted
readers (Feedly, Inoreader, NewsBlur, …) report in their User-Agent to one
per distinct other reader (NetNewsWire, Newsboat, …); crawlers, browsers and
services that report no count are left out and listed at the end. What it
can and cannot see: docs/operations.md.

  --days N        days to show, ending today (default 30, at most ${MAX_REPORT_DAYS})
  --feed FOLDER   one feed, by its folder: europe, europe/world, europe/top,
                  authors/{id}, topics/{slug}
  --sort S        subscribers (today's, the default), change (since the first
                  day shown) or feed (by name)
  --url URL       the Newswire to ask (default: the running local server, from
                  ${serverRecordPath(dataDir)}); a deployed one: its SiteUrl
  --key KEY       API key (default: $NEWSWIRE_API_KEY, then the dev key)`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A small text sparkline: one character per day, `·` for a day without subscribers. */
export function sparkline(values: readonly number[]): string {
  const top = Math.max(0, ...values);
  return values
    .map((v) =>
      v <= 0 || top === 0
        ? '·'
        : (BARS[Math.min(BARS.length - 1, Math.floor((v / top) * (BARS.length - 1) + 0.5))] ?? '█'),
    )
    .join('');
}

function today(feed: FeedReport): number {
  return feed.days.at(-1)?.subscribers ?? 0;
}

function change(feed: FeedReport): number {
  return today(feed) - (feed.days[0]?.subscribers ?? 0);
}

/** The feeds in the order asked for. */
export function sortFeeds(feeds: readonly FeedReport[], sort: StatsSort): FeedReport[] {
  const byName = (a: FeedReport, b: FeedReport) => (a.feed < b.feed ? -1 : a.feed > b.feed ? 1 : 0);
  const order: Record<StatsSort, (a: FeedReport, b: FeedReport) => number> = {
    subscribers: (a, b) => today(b) - today(a) || byName(a, b),
    change: (a, b) => change(b) - change(a) || byName(a, b),
    feed: byName,
  };
  return [...feeds].sort(order[sort]);
}

const pad = (text: string, width: number) => text.padEnd(width);
const num = (n: number, width: number) => String(n).padStart(width);

/** The report as a table for a terminal. */
export function formatReport(report: SubscriberReport, sort: StatsSort): string {
  const days = report.feeds[0]?.days.length ?? 0;
  const lines = [
    `Subscribers per feed, ${report.from} to ${report.to} (UTC days; an estimate, see docs/operations.md)`,
    '',
  ];
  if (report.feeds.length === 0) {
    lines.push('No feed was fetched in these days.');
  } else {
    const width = Math.max(4, ...report.feeds.map((f) => f.feed.length));
    const trend = `last ${days} days`;
    const sparkWidth = Math.max(trend.length, days);
    lines.push(
      `${pad('feed', width)}  ${'today'.padStart(6)}  ${pad(trend, sparkWidth)}  ${'max'.padStart(6)}  ${'rss'.padStart(6)} ${'atom'.padStart(6)} ${'json'.padStart(6)}  top readers today`,
    );
    for (const feed of sortFeeds(report.feeds, sort)) {
      const last = feed.days.at(-1);
      const readers = feed.readers
        .slice(0, 3)
        .map((r) => `${r.name} ${r.subscribers}`)
        .join(', ');
      lines.push(
        `${pad(feed.feed, width)}  ${num(today(feed), 6)}  ${pad(sparkline(feed.days.map((d) => d.subscribers)), sparkWidth)}  ${num(Math.max(...feed.days.map((d) => d.subscribers)), 6)}  ${num(last?.rss ?? 0, 6)} ${num(last?.atom ?? 0, 6)} ${num(last?.json ?? 0, 6)}  ${readers || '-'}`,
      );
    }
    if (report.feedsOmitted > 0)
      lines.push(`… and ${report.feedsOmitted} more feeds (use --feed to see one)`);
  }
  const editions = report.editions.map((e) => `${e.edition} ${e.subscribers.at(-1) ?? 0}`).join(', ');
  if (editions !== '') lines.push('', `Subscriptions today by edition: ${editions}`);
  const left = report.notCounted.filter((f) => (f.clients.at(-1) ?? 0) > 0);
  if (left.length > 0) {
    const kinds: Record<string, string> = {
      aggregator: 'services that report no count',
      crawler: 'crawlers',
      browser: 'browsers',
      unknown: 'unknown clients',
    };
    lines.push('', 'Not counted today (distinct clients by User-Agent family):');
    for (const [kind, label] of Object.entries(kinds)) {
      const families = left.filter((f) => f.kind === kind);
      if (families.length > 0) {
        lines.push(`  ${label}: ${families.map((f) => `${f.family} ${f.clients.at(-1) ?? 0}`).join(', ')}`);
      }
    }
  }
  return lines.join('\n');
}

/** `newswire stats`: asks the running server (or --url) for its subscriber report and prints it. */
export async function runStats(
  args: string[],
  options: { dataDir: string; say: (line: string) => void },
): Promise<void> {
  const { values, positionals } = parseCommandLine(
    'stats',
    args,
    {
      days: { type: 'string', value: 'N' },
      feed: { type: 'string', value: 'FEED' },
      sort: { type: 'string', value: STATS_SORTS.join('|') },
      url: { type: 'string', value: 'URL' },
      key: { type: 'string', value: 'KEY' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return options.say(statsHelp(options.dataDir));
  if (positionals.length > 0)
    throw usageError(`"newswire stats" takes no argument "${positionals[0]}".${seeHelp('stats')}`);
  const days = values.days ?? '30';
  if (!/^\d{1,3}$/.test(days) || Number(days) < 1 || Number(days) > MAX_REPORT_DAYS) {
    throw usageError(`--days must be a whole number from 1 to ${MAX_REPORT_DAYS}, not "${days}"`);
  }
  const sort = (values.sort ?? 'subscribers') as StatsSort;
  if (!STATS_SORTS.includes(sort)) {
    throw usageError(
      `--sort must be ${STATS_SORTS.join(', ')}, not "${values.sort}"${didYouMean(values.sort ?? '', STATS_SORTS)}`,
    );
  }
  const { url, key, local } = apiTarget(values, options.dataDir);
  const query = new URLSearchParams({ days, ...(values.feed !== undefined && { feed: values.feed }) });
  let response: Response;
  try {
    response = await fetch(`${url}/api/stats?${query}`, {
      headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(url, error, local);
  }
  const body = await response.text();
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = JSON.parse(body) as Problem;
    } catch {
      // not problem+json: the status says enough
    }
    throw new CliError(`${url} answered ${response.status}: ${reasons(problem) || response.statusText}`);
  }
  options.say(formatReport(JSON.parse(body) as SubscriberReport, sort));
}
