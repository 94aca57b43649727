import { createHmac } from 'node:crypto';
import { ClientSketch } from './client-sketch.ts';
import type { RequestRecord } from './cloudfront-log.ts';
import type { SiteConfig } from './config.ts';
import { ConflictError, ValidationError } from './errors.ts';
import type { PublicCountStore, SaltStore, StatsStore, StoredTally, TallyKey } from './ports.ts';
import {
  addDays,
  countsArePublic,
  dayOf,
  PUBLIC_COUNT_MAX_AGE_DAYS,
  publicCountsOf,
} from './public-counts.ts';
import { type FeedScope, scopeEdition, scopeName, scopeOfPath } from './scopes.ts';
import { FEED_FORMATS, type FeedFormat, formatOfFile, pageUrl } from './urls.ts';
import { classifyUserAgent, type UncountedKind } from './user-agents.ts';

/**
 * The daily subscriber estimate of each feed, from the requests for it:
 * hosted readers' own counts (the largest each reported that day per feed
 * id, summed over its feed ids), plus one per distinct other reader (a
 * salted hash of address and User-Agent; the salt is random per day and
 * deleted when the day closes). Crawlers, browsers and services that report
 * no count are left out and listed by User-Agent family. Every stored
 * quantity is a maximum or a set union, so a log counted twice, or in
 * pieces by several invocations, gives the same numbers.
 */

/** Hours after a day ends (UTC) during which late log lines still add readers; then its salt and hashes go. */
export const CLOSE_AFTER_HOURS = 2;

/** Days a day's summaries are kept (DynamoDB TTL deletes them after). */
export const SUMMARY_RETENTION_DAYS = 400;

/** Most days a report covers. */
export const MAX_REPORT_DAYS = 90;

/** Most feeds a report lists (the most followed first); the rest are counted in `feedsOmitted`. */
export const MAX_REPORT_FEEDS = 200;

/** Readers named per feed in a report (the largest first). */
export const REPORT_READERS = 10;

/** Hosted readers kept per feed format and day, and feed ids per reader (the largest counts win). */
const MAX_HOSTED_READERS = 30;
const MAX_FEED_IDS = 50;

/** Families kept per uncounted kind and day (the most clients win); the rest share one set. */
const MAX_FAMILIES = 40;
const OTHER_FAMILIES = '(other families)';

/** Conflicting writers: how often a tally is read, merged and written again before giving up. */
const SAVE_ATTEMPTS = 8;

const DAY_MS = 86_400_000;

/** UTC days (defined beside the public counts, which the pages bundle carries without the estimate). */
export { addDays, dayOf };

/** When a day closes: its salt and client hashes are deleted, and it counts no more readers. */
export function closesAt(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS + CLOSE_AFTER_HOURS * 3_600_000);
}

/** A feed request as the estimate counts it: which feed, which format. */
export interface FeedRequest {
  scope: FeedScope;
  format: FeedFormat;
}

/**
 * The feed a request fetched and counts for, if any: a GET or HEAD of a feed
 * file that succeeded (2xx, or a 304 revalidation), first page only (a
 * request for `?after=` pages an archive; it is not a subscription).
 */
export function feedRequestOf(config: SiteConfig, record: RequestRecord): FeedRequest | undefined {
  if (record.method !== 'GET' && record.method !== 'HEAD') return undefined;
  if (!((record.status >= 200 && record.status < 300) || record.status === 304)) return undefined;
  if (record.query !== undefined && /(^|&)after=/.test(record.query)) return undefined;
  const segments = record.path.split('/').slice(1);
  const format = formatOfFile(segments.at(-1) ?? '');
  if (format === undefined || segments.length < 2 || segments.length > 3) return undefined;
  try {
    return { scope: scopeOfPath(config, segments.slice(0, -1)), format };
  } catch {
    return undefined;
  }
}

/** The numbers kept for one feed and day. */
export interface FeedSummary {
  /** Per format: each hosted reader's largest count per feed id, and distinct clients per other reader. */
  formats: {
    [F in FeedFormat]?: { hosted: Record<string, Record<string, number>>; clients: Record<string, number> };
  };
  /** Distinct clients per reader over every format (one client reading two formats is one subscriber). */
  clients: Record<string, number>;
}

/** The numbers kept for the clients left out of the estimate on one day: distinct clients per family. */
export interface UncountedSummary {
  families: { [K in UncountedKind]?: Record<string, number> };
}

/** What one day of requests adds to one tally, before it is merged into the stored one. */
class TallyBatch {
  /** Hosted readers per format: reader → feed id → largest count. */
  readonly hosted = new Map<string, Map<string, Map<string, number>>>();
  /** Client identities (address and User-Agent) per slot, hashed once the day's salt is known. */
  readonly identities = new Map<string, Set<string>>();

  report(format: string, reader: string, feedId: string, count: number): void {
    const readers = getOrAdd(this.hosted, format, () => new Map<string, Map<string, number>>());
    const ids = getOrAdd(readers, reader, () => new Map<string, number>());
    ids.set(feedId, Math.max(ids.get(feedId) ?? 0, count));
  }

  client(slot: string, address: string, userAgent: string): void {
    getOrAdd(this.identities, slot, () => new Set()).add(`${address}\n${userAgent}`);
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** A slot of a tally's client sets: `format\treader` for a feed, `kind\tfamily` for the uncounted. */
function slotOf(first: string, second: string): string {
  return `${first}\t${second}`;
}

function partsOf(slot: string): [string, string] {
  const at = slot.indexOf('\t');
  return [slot.slice(0, at), slot.slice(at + 1)];
}

function tallyId(key: TallyKey): string {
  return key.kind === 'feed' ? `feed:${key.feed}` : 'uncounted';
}

/** The requests of a batch of log lines, grouped by day and tally. */
export class RequestBatch {
  readonly days = new Map<string, Map<string, { key: TallyKey; batch: TallyBatch }>>();
  /** Requests read, and those that were for a feed. */
  requests = 0;
  feedRequests = 0;

  constructor(private readonly config: SiteConfig) {}

  /** Adds one request: nothing happens unless it fetched a feed. */
  add(record: RequestRecord): void {
    this.requests++;
    const feed = feedRequestOf(this.config, record);
    if (feed === undefined) return;
    this.feedRequests++;
    const day = dayOf(record.at);
    const client = classifyUserAgent(record.userAgent);
    if (client.kind === 'hosted' || client.kind === 'reader') {
      const batch = this.tally(day, { kind: 'feed', feed: scopeName(feed.scope) });
      if (client.kind === 'hosted') batch.report(feed.format, client.name, client.feedId, client.subscribers);
      else batch.client(slotOf(feed.format, client.name), record.address, record.userAgent);
    } else {
      this.tally(day, { kind: 'uncounted' }).client(
        slotOf(client.kind, client.name),
        record.address,
        record.userAgent,
      );
    }
  }

  private tally(day: string, key: TallyKey): TallyBatch {
    const tallies = getOrAdd(this.days, day, () => new Map());
    return getOrAdd(tallies, tallyId(key), () => ({ key, batch: new TallyBatch() })).batch;
  }
}

/** What the store and clock the estimate needs. */
export interface SubscriberDeps {
  stats: StatsStore;
  salts: SaltStore;
  config: SiteConfig;
  clock: () => Date;
}

/** What counting a batch did. */
export interface CountOutcome {
  requests: number;
  feedRequests: number;
  /** Tallies (day × feed, and day × uncounted) written. */
  tallies: number;
  /** Client identities that came for a day already closed: their readers could not be counted. */
  lateClients: number;
}

function hashOf(salt: Uint8Array, identity: string): Uint8Array {
  return createHmac('sha256', salt).update(identity).digest().subarray(0, 8);
}

/**
 * Counts a batch of requests into the stored tallies: for each day and feed,
 * the hosted readers' counts (largest per feed id) and the distinct clients
 * of every other reader, hashed with the day's salt; a day that has closed
 * keeps its hosted counts up to date but counts no more clients (its salt is
 * gone). Concurrent writers are merged: a tally that changed since it was
 * read is read and merged again.
 */
export async function countRequests(deps: SubscriberDeps, batch: RequestBatch): Promise<CountOutcome> {
  const now = deps.clock();
  let tallies = 0;
  let lateClients = 0;
  for (const [day, dayTallies] of batch.days) {
    const open = now < closesAt(day);
    const salt = open ? await deps.salts.saltFor(day, closesAt(day)) : undefined;
    for (const { key, batch: tally } of dayTallies.values()) {
      const hashes = new Map<string, Uint8Array[]>();
      for (const [slot, identities] of tally.identities) {
        if (salt === undefined) lateClients += identities.size;
        else
          hashes.set(
            slot,
            [...identities].map((identity) => hashOf(salt, identity)),
          );
        // The addresses go no further than this loop.
        identities.clear();
      }
      if (salt === undefined && tally.hosted.size === 0) continue;
      await mergeTally(deps, day, key, tally, hashes);
      tallies++;
    }
  }
  return { requests: batch.requests, feedRequests: batch.feedRequests, tallies, lateClients };
}

async function mergeTally(
  deps: SubscriberDeps,
  day: string,
  key: TallyKey,
  batch: TallyBatch,
  hashes: Map<string, Uint8Array[]>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.stats.getTally(day, key);
    const sets = new Map<string, ClientSketch>();
    for (const [slot, bytes] of Object.entries(stored?.sets ?? {}))
      sets.set(slot, ClientSketch.decode(bytes));
    for (const [slot, list] of hashes) {
      const sketch = getOrAdd(sets, slot, () => ClientSketch.empty());
      for (const hash of list) sketch.add(hash);
    }
    const summary =
      key.kind === 'feed'
        ? feedSummary(stored?.summary as FeedSummary | undefined, batch, sets)
        : uncountedSummary(sets);
    const tally: StoredTally = {
      day,
      key,
      summary: summary as unknown as Record<string, unknown>,
      sets: Object.fromEntries([...sets].map(([slot, sketch]) => [slot, sketch.encode()])),
      version: (stored?.version ?? 0) + 1,
    };
    try {
      await deps.stats.saveTally(tally, {
        summary: new Date(Date.parse(`${day}T00:00:00Z`) + SUMMARY_RETENTION_DAYS * DAY_MS),
        // A backstop only: closing the day deletes them (DynamoDB's TTL may take days).
        sets: closesAt(day),
      });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

/** Keeps the `limit` largest entries of a record. */
function largest<T>(record: Record<string, T>, limit: number, size: (value: T) => number): Record<string, T> {
  const entries = Object.entries(record);
  if (entries.length <= limit) return record;
  return Object.fromEntries(
    entries.sort((a, b) => size(b[1]) - size(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, limit),
  );
}

function sumOf(values: Iterable<number>): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum;
}

/** A feed's summary: the stored hosted counts merged with the batch's, and the clients counted from the sets. */
function feedSummary(
  stored: FeedSummary | undefined,
  batch: TallyBatch,
  sets: Map<string, ClientSketch>,
): FeedSummary {
  const formats: FeedSummary['formats'] = {};
  const byReader = new Map<string, ClientSketch>();
  for (const format of FEED_FORMATS) {
    const hosted: Record<string, Record<string, number>> = structuredClone(
      stored?.formats[format]?.hosted ?? {},
    );
    for (const [reader, ids] of batch.hosted.get(format) ?? []) {
      const kept = hosted[reader] ?? {};
      for (const [id, count] of ids) kept[id] = Math.max(kept[id] ?? 0, count);
      hosted[reader] = largest(kept, MAX_FEED_IDS, (n) => n);
    }
    const clients: Record<string, number> = {};
    for (const [slot, sketch] of sets) {
      const [slotFormat, reader] = partsOf(slot);
      if (slotFormat !== format) continue;
      clients[reader] = sketch.count();
      getOrAdd(byReader, reader, () => ClientSketch.empty()).merge(sketch);
    }
    // A closed day has no sets any more: its client counts stay as they were when it closed.
    const keptClients = sets.size === 0 ? (stored?.formats[format]?.clients ?? {}) : clients;
    if (Object.keys(hosted).length > 0 || Object.keys(keptClients).length > 0) {
      formats[format] = {
        hosted: largest(hosted, MAX_HOSTED_READERS, (ids) => sumOf(Object.values(ids))),
        clients: keptClients,
      };
    }
  }
  const clients =
    sets.size === 0
      ? (stored?.clients ?? {})
      : Object.fromEntries([...byReader].map(([reader, sketch]) => [reader, sketch.count()]));
  return { formats, clients };
}

/** The uncounted clients' summary, capping the families each kind keeps (the rest share one set). */
function uncountedSummary(sets: Map<string, ClientSketch>): UncountedSummary {
  const byKind = new Map<string, [string, ClientSketch][]>();
  for (const [slot, sketch] of sets) {
    const [kind, family] = partsOf(slot);
    getOrAdd(byKind, kind, () => []).push([family, sketch]);
  }
  const families: UncountedSummary['families'] = {};
  for (const [kind, list] of byKind) {
    list.sort((a, b) => b[1].count() - a[1].count() || (a[0] < b[0] ? -1 : 1));
    const rest = list.slice(MAX_FAMILIES - 1);
    if (rest.length > 1 || (rest.length === 1 && rest[0]?.[0] !== OTHER_FAMILIES)) {
      const other = ClientSketch.empty();
      for (const [family, sketch] of rest) {
        other.merge(sketch);
        sets.delete(slotOf(kind, family));
      }
      sets.set(slotOf(kind, OTHER_FAMILIES), other);
      list.splice(MAX_FAMILIES - 1, rest.length, [OTHER_FAMILIES, other]);
    }
    families[kind as UncountedKind] = Object.fromEntries(
      list.map(([family, sketch]) => [family, sketch.count()]),
    );
  }
  return { families };
}

/**
 * Closes every day that is over (CLOSE_AFTER_HOURS after its end) among the
 * last `lookbackDays`: deletes its client sets, then its salt. From then on
 * the day's summaries are final and nothing stored can tie a hash to an
 * address. Returns the days it closed (days already closed are no work).
 */
export async function closeFinishedDays(
  deps: Pick<SubscriberDeps, 'stats' | 'salts' | 'clock'>,
  lookbackDays = 3,
): Promise<string[]> {
  const now = deps.clock();
  const closed: string[] = [];
  for (let back = 1; back <= lookbackDays; back++) {
    const day = addDays(dayOf(now), -back);
    if (now < closesAt(day)) continue;
    // Sets first: a salt left behind by a failure is deleted by the next run, never a set without its salt.
    await deps.stats.deleteClientSets(day);
    await deps.salts.deleteSalt(day);
    closed.push(day);
  }
  return closed;
}

/** A reader's share of a feed's subscribers on one day. */
export interface ReaderShare {
  name: string;
  /** `hosted`: the reader's own count; `reader`: distinct clients. */
  kind: 'hosted' | 'reader';
  subscribers: number;
}

/** One day's estimate for one feed. */
export interface DayEstimate {
  date: string;
  /** Every format together. */
  subscribers: number;
  rss: number;
  atom: number;
  json: number;
}

/** One feed in a report. */
export interface FeedReport {
  /** The feed's scope name: `europe`, `europe/world`, `europe/top`, `authors/ana-ortiz`, `topics/markets`. */
  feed: string;
  /** Its folder: the feeds are `rss.xml`, `atom.xml` and `feed.json` there. */
  url: string;
  /** The edition it belongs to; writers' and topics' feeds belong to none. */
  edition?: string;
  /** One estimate per day of the report, oldest first (0 on days without requests). */
  days: DayEstimate[];
  /** Who followed it on the report's last day, the largest first. */
  readers: ReaderShare[];
}

/** Clients left out of the estimate on one day, by kind and family. */
export interface UncountedFamily {
  kind: UncountedKind;
  family: string;
  /** Distinct clients per day of the report, oldest first. */
  clients: number[];
}

/** The daily subscriber estimates of a range of days: what `GET /api/stats` answers. */
export interface SubscriberReport {
  from: string;
  to: string;
  /** Subscriptions per edition per day (its feeds, its sections' and its Top Stories'), and `authors`, `topics`. */
  editions: Array<{ edition: string; subscribers: number[] }>;
  feeds: FeedReport[];
  /** Feeds with requests in the range beyond the MAX_REPORT_FEEDS listed. */
  feedsOmitted: number;
  notCounted: UncountedFamily[];
}

/** The estimate of one format (or of every format together) from a summary. */
function estimateOf(summary: FeedSummary, format?: FeedFormat): number {
  const formats = format === undefined ? FEED_FORMATS : [format];
  let hosted = 0;
  for (const f of formats) {
    for (const ids of Object.values(summary.formats[f]?.hosted ?? {})) hosted += sumOf(Object.values(ids));
  }
  const clients = format === undefined ? summary.clients : (summary.formats[format]?.clients ?? {});
  return hosted + sumOf(Object.values(clients));
}

/** A feed's readers on one day, the largest first. */
export function readersOf(summary: FeedSummary): ReaderShare[] {
  const hosted = new Map<string, number>();
  for (const format of FEED_FORMATS) {
    for (const [reader, ids] of Object.entries(summary.formats[format]?.hosted ?? {})) {
      hosted.set(reader, (hosted.get(reader) ?? 0) + sumOf(Object.values(ids)));
    }
  }
  const shares: ReaderShare[] = [
    ...[...hosted].map(([name, subscribers]) => ({ name, kind: 'hosted' as const, subscribers })),
    ...Object.entries(summary.clients).map(([name, subscribers]) => ({
      name,
      kind: 'reader' as const,
      subscribers,
    })),
  ];
  return shares.sort((a, b) => b.subscribers - a.subscribers || (a.name < b.name ? -1 : 1));
}

/** The group a feed's subscriptions are totalled in: its edition, else `authors` or `topics`. */
function groupOf(scope: FeedScope): string {
  return scopeEdition(scope) ?? (scope.kind === 'author' ? 'authors' : 'topics');
}

/** The days of a report: `days` days ending today (UTC). */
export function reportRange(now: Date, days: number): { from: string; to: string; dates: string[] } {
  const to = dayOf(now);
  const dates = Array.from({ length: days }, (_, i) => addDays(to, i - days + 1));
  return { from: dates[0] ?? to, to, dates };
}

/** What a report is asked for (`GET /api/stats?days=…&feed=…`), checked: a 400 names each problem. */
export function parseReportQuery(
  config: SiteConfig,
  query: { days?: string | undefined; feed?: string | undefined },
): { days: number; feed?: string } {
  const problems = [];
  const days = query.days === undefined ? 30 : Number(query.days);
  if (query.days !== undefined && (!/^\d{1,3}$/.test(query.days) || days < 1 || days > MAX_REPORT_DAYS)) {
    problems.push({ field: 'days', message: `must be a whole number of days from 1 to ${MAX_REPORT_DAYS}` });
  }
  let feed: string | undefined;
  if (query.feed !== undefined) {
    try {
      feed = scopeName(scopeOfPath(config, query.feed.replace(/^\/|\/$/g, '').split('/')));
    } catch {
      problems.push({
        field: 'feed',
        message:
          'must name a feed as its folder: an edition (europe), a section (europe/world), Top Stories (europe/top), authors/{id} or topics/{slug}',
      });
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { days, ...(feed !== undefined && { feed }) };
}

/** Reads the days' summaries, a few days at a time. */
async function summariesOf(stats: StatsStore, dates: string[]) {
  const result: Awaited<ReturnType<StatsStore['listSummaries']>>[] = [];
  for (let at = 0; at < dates.length; at += 10) {
    result.push(...(await Promise.all(dates.slice(at, at + 10).map((d) => stats.listSummaries(d)))));
  }
  return result;
}

/**
 * The report of the last `days` days (today included, UTC): every feed with
 * requests in the range (or the one asked for), most followed first on the
 * last day, each day's estimate in all and per format, the last day's
 * readers, the subscriptions per edition, and what was left out by family.
 */
export async function subscriberReport(
  deps: Pick<SubscriberDeps, 'stats' | 'config' | 'clock'>,
  request: { days: number; feed?: string },
): Promise<SubscriberReport> {
  const { from, to, dates } = reportRange(deps.clock(), request.days);
  const perDay = await summariesOf(deps.stats, dates);
  const feeds = new Map<string, { scope: FeedScope; summaries: (FeedSummary | undefined)[] }>();
  const uncounted = new Map<string, UncountedFamily>();
  perDay.forEach((summaries, i) => {
    for (const stored of summaries) {
      if (stored.key.kind === 'uncounted') {
        const { families } = stored.summary as unknown as UncountedSummary;
        for (const [kind, byFamily] of Object.entries(families)) {
          for (const [family, clients] of Object.entries(byFamily ?? {})) {
            const entry = getOrAdd(uncounted, slotOf(kind, family), () => ({
              kind: kind as UncountedKind,
              family,
              clients: dates.map(() => 0),
            }));
            entry.clients[i] = clients;
          }
        }
        continue;
      }
      const name = stored.key.feed;
      if (request.feed !== undefined && name !== request.feed) continue;
      let scope: FeedScope;
      try {
        scope = scopeOfPath(deps.config, name.split('/'));
      } catch {
        continue; // a feed the config no longer has
      }
      const feed = getOrAdd(feeds, name, () => ({ scope, summaries: dates.map(() => undefined) }));
      feed.summaries[i] = stored.summary as unknown as FeedSummary;
    }
  });
  const reports: FeedReport[] = [...feeds].map(([name, { scope, summaries }]) => {
    const edition = scopeEdition(scope);
    const last = summaries.at(-1);
    return {
      feed: name,
      url: pageUrl(deps.config.baseUrl, scope),
      ...(edition !== undefined && { edition }),
      days: summaries.map((s, i) => ({
        date: dates[i] ?? to,
        subscribers: s === undefined ? 0 : estimateOf(s),
        rss: s === undefined ? 0 : estimateOf(s, 'rss'),
        atom: s === undefined ? 0 : estimateOf(s, 'atom'),
        json: s === undefined ? 0 : estimateOf(s, 'json'),
      })),
      readers: last === undefined ? [] : readersOf(last).slice(0, REPORT_READERS),
    };
  });
  const groups = new Map<string, number[]>();
  for (const [, { scope }] of feeds)
    groups.set(
      groupOf(scope),
      dates.map(() => 0),
    );
  for (const report of reports) {
    const totals = groups.get(groupOf(feeds.get(report.feed)!.scope))!;
    report.days.forEach((d, i) => {
      totals[i] = (totals[i] ?? 0) + d.subscribers;
    });
  }
  const latest = (r: FeedReport) => r.days.at(-1)?.subscribers ?? 0;
  const peak = (r: FeedReport) => Math.max(0, ...r.days.map((d) => d.subscribers));
  reports.sort((a, b) => latest(b) - latest(a) || peak(b) - peak(a) || (a.feed < b.feed ? -1 : 1));
  return {
    from,
    to,
    editions: [...groups]
      .map(([edition, subscribers]) => ({ edition, subscribers }))
      .sort((a, b) => (a.edition < b.edition ? -1 : 1)),
    feeds: reports.slice(0, MAX_REPORT_FEEDS),
    feedsOmitted: Math.max(0, reports.length - MAX_REPORT_FEEDS),
    notCounted: [...uncounted.values()].sort(
      (a, b) => sumOf(b.clients) - sumOf(a.clients) || (a.family < b.family ? -1 : 1),
    ),
  };
}

/** Subscriptions per edition (and `authors`, `topics`) on one day: what the dashboard graphs. */
export async function editionTotals(
  deps: Pick<SubscriberDeps, 'stats' | 'config'>,
  day: string,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const stored of await deps.stats.listSummaries(day)) {
    if (stored.key.kind !== 'feed') continue;
    try {
      const scope = scopeOfPath(deps.config, stored.key.feed.split('/'));
      const group = groupOf(scope);
      totals.set(group, (totals.get(group) ?? 0) + estimateOf(stored.summary as unknown as FeedSummary));
    } catch {
      // a feed the config no longer has
    }
  }
  return totals;
}

/**
 * Publishes the public counts of the last day that has closed, once, when
 * the config shows counts on the public site: each feed's estimate for the
 * day, only those at or above the floor, in the one item the pages read.
 * A closed day's figures are final, so the pages' counts change once a day.
 * Returns the day it published, if it published one.
 */
export async function publishPublicCounts(
  deps: Pick<SubscriberDeps, 'stats' | 'config' | 'clock'> & { counts: PublicCountStore },
): Promise<string | undefined> {
  if (!countsArePublic(deps.config)) return undefined;
  const now = deps.clock();
  const yesterday = addDays(dayOf(now), -1);
  const day = now < closesAt(yesterday) ? addDays(yesterday, -1) : yesterday;
  if ((await deps.counts.latestCounts(day, day)) !== undefined) return undefined;
  const estimates: [string, number][] = [];
  for (const stored of await deps.stats.listSummaries(day)) {
    if (stored.key.kind !== 'feed') continue;
    try {
      scopeOfPath(deps.config, stored.key.feed.split('/'));
    } catch {
      continue; // a feed the config no longer has
    }
    estimates.push([stored.key.feed, estimateOf(stored.summary as unknown as FeedSummary)]);
  }
  // Kept while the pages may show them, and a day more.
  const expiresAt = new Date(Date.parse(`${day}T00:00:00Z`) + (PUBLIC_COUNT_MAX_AGE_DAYS + 2) * DAY_MS);
  return (await deps.counts.publishCounts(publicCountsOf(day, estimates, now), expiresAt)) ? day : undefined;
}
