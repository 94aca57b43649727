import { createHash } from 'node:crypto';
import type { SiteConfig } from './config.ts';
import { HubError } from './errors.ts';
import type { ArticleState, NotifyStore, TopStories } from './ports.ts';
import {
  checkScope,
  type EntryScope,
  type FeedScope,
  membershipsOf,
  scopeName,
  scopeOfPath,
} from './scopes.ts';
import { visibleChangeOf } from './top-stories.ts';
import { FEED_FORMATS, type FeedFormat, feedUrl } from './urls.ts';

/**
 * WebSub (W3C, formerly PubSubHubbub) publishing: which feeds a change to the
 * table changed, the queue messages that announce each feed once, and the
 * `hub.mode=publish` pings that tell the hub so. Everything here is pure or
 * works through ports; the stream, the queue, the clock and HTTP are the
 * notify function's (functions/notify.ts).
 */

/** What a change to one table item says about the feeds (store/keys.ts reads it off the item's key). */
export type TableChange =
  /** A feed entry was put, rewritten or deleted: that feed changed if the entry is (or was) published. */
  | { kind: 'entry'; scope: EntryScope; publishedAt: string; id: string }
  /** An edition's Top Stories list was written: its feed changed if what the list shows changed. */
  | { kind: 'top-stories'; edition: string }
  /** An article's current version changed: so did every Top Stories list showing it. */
  | { kind: 'article'; id: string };

/** One change as the stream reports it. */
export interface ChangeRecord {
  /** The record's identity in its batch (its stream sequence number). */
  id: string;
  change: TableChange;
  /** When the item changed: the stream record's approximate creation time (whole seconds, rounded down). */
  at: Date;
}

/**
 * One feed to announce, and what changed it: article versions (`summit@v3`)
 * and Top Stories list versions (`top:europe@v7`), sorted. The notifier
 * queues one message per feed; the same feed and changes always make the
 * same message, so a change seen twice (a stream batch retried) is sent once.
 */
export interface FeedPing {
  scope: FeedScope;
  changes: string[];
}

/** Stream record times are rounded down to the second: a change at `at` happened before `at` + 1 s. */
const RECORD_TIME_PRECISION_MS = 1000;

/**
 * Longest time from a write's clock reading (`updatedAt`) to its stream
 * record: the articles function's timeout. A Top Stories record is announced
 * when what the list shows changed no earlier than this before the record.
 */
export const WRITE_TIME_MARGIN_MS = 10_000;

/** Article states read in one request (BatchGetItem's limit). */
const STATES_PER_READ = 100;

/** True when a scope still names a configured edition and section (a config change may have dropped it). */
function configured(config: SiteConfig, scope: FeedScope): boolean {
  try {
    checkScope(config, scope);
    return true;
  } catch {
    return false;
  }
}

/** A version of an article as FeedPing lists it. */
function articleChange(id: string, version: number | undefined): string {
  return `${id}@v${version ?? 0}`;
}

/**
 * True when an article's current version became visible through its write
 * (published, backdated, corrected or withdrawn while published); false when
 * it was scheduled when written, and shows only when its time comes. The
 * stream announces the first kind, the every-minute sweep the second: each
 * change once.
 */
export function visibleWhenWritten(article: Pick<ArticleState, 'publishedAt' | 'updatedAt'>): boolean {
  return article.publishedAt <= article.updatedAt;
}

/** Collects feeds by scope, each once, with every change that changed it. */
class PingSet {
  private readonly pings = new Map<string, { scope: FeedScope; changes: Set<string> }>();
  constructor(private readonly config: SiteConfig) {}

  add(scope: FeedScope, change: string): void {
    if (!configured(this.config, scope)) return;
    const name = scopeName(scope);
    const ping = this.pings.get(name);
    if (ping === undefined) this.pings.set(name, { scope, changes: new Set([change]) });
    else ping.changes.add(change);
  }

  /** Announces a change of article `id` on every Top Stories list naming it. */
  addLists(lists: readonly TopStories[], id: string, change: string): void {
    for (const list of lists) {
      if (list.articles.includes(id)) this.add({ kind: 'top', edition: list.edition }, change);
    }
  }

  list(): FeedPing[] {
    return [...this.pings.values()].map(({ scope, changes }) => ({ scope, changes: [...changes].sort() }));
  }
}

/** What a batch of stream records is read against: the articles and lists as they are now. */
export interface StreamFacts {
  /** The current state of every article a record names. */
  states: ReadonlyMap<string, ArticleState>;
  /** Every configured edition's Top Stories list that exists. */
  lists: readonly TopStories[];
  /** Articles now scheduled whose previous version was published: moved into the future, they left every feed. */
  unpublished: ReadonlySet<string>;
}

/** The article ids the records name (feed entries, and articles' current versions). */
export function recordedArticles(records: readonly ChangeRecord[]): string[] {
  const ids = records.flatMap(({ change }) => (change.kind === 'top-stories' ? [] : [change.id]));
  return [...new Set(ids)];
}

/**
 * The feeds a batch of table changes visibly changed, each once. An entry at
 * its article's current position changed its feed when the article was
 * written while due (else the sweep announces it when its time comes); an
 * entry left behind (moved, withdrawn) changed its feed when it had been
 * published before that write. An article that visibly changed, or moved
 * back into the future, changed every Top Stories list naming it. A list
 * write changed its feed only when what the list shows changed: adding a
 * still-scheduled id announces nothing until that story is due.
 */
export function streamPings(
  records: readonly ChangeRecord[],
  facts: StreamFacts,
  config: SiteConfig,
): FeedPing[] {
  const pings = new PingSet(config);
  const changed = new Set<string>();
  for (const { change, at } of records) {
    switch (change.kind) {
      case 'entry': {
        const state = facts.states.get(change.id);
        const current = state !== undefined && !state.withdrawn && state.publishedAt === change.publishedAt;
        // The write that left the entry behind happened at the article's updatedAt (none should be missing).
        const writtenAt = state?.updatedAt ?? new Date(at.getTime() + RECORD_TIME_PRECISION_MS).toISOString();
        const visible = current ? visibleWhenWritten(state) : change.publishedAt <= writtenAt;
        if (visible) {
          pings.add(change.scope, articleChange(change.id, state?.version));
          changed.add(change.id);
        }
        break;
      }
      case 'article': {
        const state = facts.states.get(change.id);
        if (state !== undefined && (visibleWhenWritten(state) || facts.unpublished.has(change.id))) {
          changed.add(change.id);
        }
        break;
      }
      case 'top-stories': {
        const list = facts.lists.find((l) => l.edition === change.edition);
        if (list !== undefined && Date.parse(visibleChangeOf(list)) >= at.getTime() - WRITE_TIME_MARGIN_MS) {
          pings.add({ kind: 'top', edition: change.edition }, `top:${change.edition}@v${list.version}`);
        }
        break;
      }
    }
  }
  for (const id of changed) pings.addLists(facts.lists, id, articleChange(id, facts.states.get(id)?.version));
  return pings.list();
}

/** Reads what streamPings needs: the named articles' states, the Top Stories lists, moves into the future. */
export async function readStreamFacts(
  store: NotifyStore,
  config: SiteConfig,
  records: readonly ChangeRecord[],
): Promise<StreamFacts> {
  const ids = recordedArticles(records);
  const chunks = Array.from({ length: Math.ceil(ids.length / STATES_PER_READ) }, (_, i) =>
    ids.slice(i * STATES_PER_READ, (i + 1) * STATES_PER_READ),
  );
  const [read, lists] = await Promise.all([
    Promise.all(chunks.map((chunk) => store.getArticleStates(chunk))),
    records.length === 0 ? Promise.resolve([]) : readTopLists(store, config),
  ]);
  const states = new Map(read.flatMap((map) => [...map]));
  const written = new Set(records.flatMap(({ change }) => (change.kind === 'article' ? [change.id] : [])));
  // A version written while scheduled replaced a published one? Then the story left every feed.
  const rescheduled = [...states.values()].filter(
    (s) => written.has(s.id) && !s.withdrawn && !visibleWhenWritten(s) && s.version > 1,
  );
  const before = await Promise.all(rescheduled.map((s) => store.getRevision(s.id, s.version - 1)));
  const unpublished = new Set(
    rescheduled.flatMap((s, i) => {
      const previous = before[i];
      return previous !== undefined &&
        previous.withdrawnAt === undefined &&
        visibleWhenWritten({ ...previous, updatedAt: s.updatedAt })
        ? [s.id]
        : [];
    }),
  );
  return { states, lists, unpublished };
}

/** Every configured edition's Top Stories list that exists. */
export async function readTopLists(store: NotifyStore, config: SiteConfig): Promise<TopStories[]> {
  const lists = await Promise.all(config.editions.map((e) => store.getTopStories(e.id)));
  return lists.filter((list): list is TopStories => list !== undefined);
}

/** The stretch of publication times one sweep covers: after `after`, up to and including `upTo`. */
export interface DueWindow {
  after: Date;
  upTo: Date;
}

/**
 * The window a periodic sweep at `time` covers: the interval that ended at
 * the last interval boundary (so sweeps at 12:01:00.4 and 12:01:59 both
 * cover 12:00:00–12:01:00, and consecutive sweeps cover every instant once).
 */
export function sweepWindow(time: Date, intervalMs: number): DueWindow {
  const upTo = Math.floor(time.getTime() / intervalMs) * intervalMs;
  return { after: new Date(upTo - intervalMs), upTo: new Date(upTo) };
}

/**
 * The feeds that scheduled stories falling due in `window` changed: every
 * feed each such story belongs to, and the Top Stories lists naming it.
 * Stories written when already due are the stream's (visibleWhenWritten),
 * so an immediately published story is announced once, not also here. Every
 * article is in at least one edition's whole-edition feed, so one Query per
 * edition (just one when an edition carries every article) finds them all;
 * the articles themselves say which writer and topic feeds they are in.
 */
export async function duePings(
  store: NotifyStore,
  config: SiteConfig,
  window: DueWindow,
): Promise<FeedPing[]> {
  // An edition that carries every article (International) holds them all: one Query is enough.
  const everything = config.editions.find((e) => e.includesAll);
  const editions = everything === undefined ? config.editions : [everything];
  const found = await Promise.all(
    editions.map((e) => store.listFeedBetween({ kind: 'edition', edition: e.id }, window)),
  );
  const ids = [...new Set(found.flat().map((position) => position.id))];
  if (ids.length === 0) return [];
  const articles = await store.getArticles(ids);
  const after = window.after.toISOString();
  const upTo = window.upTo.toISOString();
  const due = [...articles.values()].filter(
    (a) =>
      a.withdrawnAt === undefined && a.publishedAt > after && a.publishedAt <= upTo && !visibleWhenWritten(a),
  );
  if (due.length === 0) return [];
  const lists = await readTopLists(store, config);
  const pings = new PingSet(config);
  for (const article of due) {
    const change = articleChange(article.id, article.version);
    for (const scope of membershipsOf(article, config)) pings.add(scope, change);
    pings.addLists(lists, article.id, change);
  }
  return pings.list();
}

/** A FeedPing as the notifier's queue carries it (an SQS FIFO message). */
export interface QueuedPing {
  /** JSON: the feed's folder (`europe/world`, `authors/ana-ortiz`) and its changes. */
  body: string;
  /** One feed's messages are handled in order, one batch at a time. */
  groupId: string;
  /** Equal for the same feed and changes: the queue takes such a message once (within 5 minutes). */
  deduplicationId: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The queue message announcing one feed. */
export function queuedPing(ping: FeedPing): QueuedPing {
  const feed = scopeName(ping.scope);
  return {
    body: JSON.stringify({ feed, changes: ping.changes }),
    groupId: digest(feed).slice(0, 32),
    deduplicationId: digest(`${feed}\n${ping.changes.join('\n')}`),
  };
}

/** The feed a queued message announces; undefined when it names no configured feed (the config changed). */
export function feedOfMessage(config: SiteConfig, body: string): FeedScope | undefined {
  try {
    const { feed } = JSON.parse(body) as { feed?: unknown };
    if (typeof feed !== 'string') return undefined;
    const scope = scopeOfPath(config, feed.split('/'));
    return configured(config, scope) ? scope : undefined;
  } catch {
    return undefined;
  }
}

/** Where the notifier queues pings to send once caches have expired: SQS, or the local runtime's stand-in. */
export interface PingQueue {
  /** Queues the messages; throws when any could not be queued (queueing them again is harmless). */
  send(messages: readonly QueuedPing[]): Promise<void>;
}

/** A feed to ping and the messages that asked for it, whose failure is reported per message. */
export interface ChangedFeed {
  scope: FeedScope;
  sources: string[];
}

/**
 * The `Link` header of a feed response with a hub configured (WebSub §4):
 * the hub, and the feed's own URL as its document names it (`rel="self"`).
 * Undefined without a hub.
 */
export function websubLinks(
  config: Pick<SiteConfig, 'baseUrl' | 'hubUrl'>,
  scope: FeedScope,
  format: FeedFormat,
  cursor?: string,
): string | undefined {
  if (config.hubUrl === undefined) return undefined;
  return `<${config.hubUrl}>; rel="hub", <${feedUrl(config.baseUrl, scope, format, cursor)}>; rel="self"`;
}

/** The topic URLs of changed feeds: the first page of each, in every format. */
export function topicUrls(baseUrl: string, feeds: readonly Pick<ChangedFeed, 'scope'>[]): string[] {
  return feeds.flatMap((feed) => FEED_FORMATS.map((format) => feedUrl(baseUrl, feed.scope, format)));
}

/** One form-encoded `hub.mode=publish` POST to a hub. */
export interface PublishRequest {
  hub: string;
  /** `application/x-www-form-urlencoded` body. */
  body: string;
  /** The topic URLs it announces. */
  topics: string[];
}

/**
 * How a hub takes several topics in one ping. Google's hub documents that
 * `hub.url` "may be repeated" (as PubSubHubbub 0.3 §7.1 specified);
 * Superfeedr documents `hub.url[]` for several URLs. WebSub itself (W3C,
 * §7) leaves the publish request to each hub, so any other hub gets one URL
 * per request, which every hub accepts.
 */
export type PublishStyle = { key: 'hub.url' | 'hub.url[]'; perRequest: number };

/** Topics per request for hubs that take several: no hub documents a limit, so keep bodies small. */
export const TOPICS_PER_REQUEST = 20;

/** How to batch pings for the hub at `hubUrl`. */
export function publishStyle(hubUrl: string): PublishStyle {
  const host = new URL(hubUrl).hostname.toLowerCase();
  if (host === 'pubsubhubbub.appspot.com') return { key: 'hub.url', perRequest: TOPICS_PER_REQUEST };
  if (host === 'superfeedr.com' || host.endsWith('.superfeedr.com')) {
    return { key: 'hub.url[]', perRequest: TOPICS_PER_REQUEST };
  }
  return { key: 'hub.url', perRequest: 1 };
}

/** The publish requests announcing `topics` to the hub at `hubUrl`, batched as that hub accepts. */
export function publishRequests(hubUrl: string, topics: readonly string[]): PublishRequest[] {
  const style = publishStyle(hubUrl);
  const requests: PublishRequest[] = [];
  for (let at = 0; at < topics.length; at += style.perRequest) {
    const chunk = topics.slice(at, at + style.perRequest);
    const form = new URLSearchParams({ 'hub.mode': 'publish' });
    for (const topic of chunk) form.append(style.key, topic);
    requests.push({ hub: hubUrl, body: form.toString(), topics: chunk });
  }
  return requests;
}

/** Publish requests in flight at once. */
export const PINGS_IN_FLIGHT = 10;

/** Sends one publish request; throws HubError when the hub refuses it or does not answer in time. */
export interface HubClient {
  publish(request: PublishRequest): Promise<void>;
}

/** What the notify function needs. */
export interface NotifyDeps {
  config: SiteConfig;
  store: NotifyStore;
  hub: HubClient;
  /** Holds each ping until every shared cache's copy of its feed has expired, then hands it back. */
  queue: PingQueue;
  clock: () => Date;
}

/** What a round of pings did. */
export interface PingOutcome {
  /** Topic URLs the hub accepted. */
  pinged: string[];
  /** Topic URLs whose ping failed, with why. */
  failed: { topic: string; error: HubError }[];
  /** Sources (queue messages) of the feeds whose ping failed. */
  failedSources: Set<string>;
  /** Requests sent. */
  requests: number;
}

/**
 * Pings the configured hub for every feed, each topic once, PINGS_IN_FLIGHT
 * requests at a time, and never waits for anything but the hub (each request
 * bounded by the hub client's timeout). Every request is sent even when some
 * fail, unless `deadline` (ms since the epoch) has passed before it starts;
 * failures are reported, not thrown, so the caller can retry exactly what
 * failed. Without a hub it does nothing.
 */
export async function pingHub(
  deps: Pick<NotifyDeps, 'config' | 'hub' | 'clock'>,
  feeds: readonly ChangedFeed[],
  deadline?: number,
): Promise<PingOutcome> {
  const outcome: PingOutcome = { pinged: [], failed: [], failedSources: new Set(), requests: 0 };
  const hubUrl = deps.config.hubUrl;
  if (hubUrl === undefined || feeds.length === 0) return outcome;
  const sourcesOf = new Map<string, string[]>();
  for (const feed of feeds) {
    for (const topic of topicUrls(deps.config.baseUrl, [feed])) {
      sourcesOf.set(topic, [...new Set([...(sourcesOf.get(topic) ?? []), ...feed.sources])]);
    }
  }
  const requests = publishRequests(hubUrl, [...sourcesOf.keys()]);
  outcome.requests = requests.length;
  const fail = (topics: readonly string[], error: HubError) => {
    for (const topic of topics) {
      outcome.failed.push({ topic, error });
      for (const source of sourcesOf.get(topic) ?? []) outcome.failedSources.add(source);
    }
  };
  // A few requests in flight at a time, so a burst of changes never floods the hub; what cannot
  // start before the deadline is not sent, and fails (to be retried) instead of timing out the run.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const { topics } = requests[i]!;
      if (deadline !== undefined && deps.clock().getTime() >= deadline) {
        fail(topics, new HubError('Not sent: the invocation ran out of time for it'));
        continue;
      }
      try {
        await deps.hub.publish(requests[i]!);
        outcome.pinged.push(...topics);
      } catch (error) {
        fail(
          topics,
          error instanceof HubError
            ? error
            : new HubError(`The hub could not be reached: ${String(error)}`, undefined, { cause: error }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PINGS_IN_FLIGHT, requests.length) }, worker));
  return outcome;
}
