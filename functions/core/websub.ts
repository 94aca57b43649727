import type { SiteConfig } from './config.ts';
import { HubError } from './errors.ts';
import type { NotifyStore, TopStories } from './ports.ts';
import { checkScope, type EntryScope, type FeedScope, membershipsOf, scopeName } from './scopes.ts';
import { FEED_FORMATS, type FeedFormat, feedUrl } from './urls.ts';

/**
 * WebSub (W3C, formerly PubSubHubbub) publishing: which feeds a change to the
 * table changed, and the `hub.mode=publish` pings that tell the hub so.
 * Everything here is pure or works through ports; the stream, the clock and
 * HTTP are the notify function's (functions/notify.ts).
 */

/** What a change to one table item says about the feeds (store/keys.ts reads it off the item's key). */
export type TableChange =
  /** A feed entry was put, rewritten or deleted: that feed changed, once the entry is published. */
  | { kind: 'entry'; scope: EntryScope; publishedAt: string }
  /** An edition's Top Stories list changed. */
  | { kind: 'top-stories'; edition: string }
  /** An article's current version changed: every Top Stories list naming it changed. */
  | { kind: 'article'; id: string };

/** One change as the stream reports it. */
export interface ChangeRecord {
  /** The record's identity in its batch (its stream sequence number), for partial batch failures. */
  id: string;
  change: TableChange;
  /** When the item changed: the stream record's approximate creation time (whole seconds, rounded down). */
  at: Date;
}

/** A feed whose first page changed, and the records (or due articles) that changed it. */
export interface ChangedFeed {
  scope: FeedScope;
  sources: string[];
}

/** Stream record times are rounded down to the second: a change at `at` happened before `at` + 1 s. */
const RECORD_TIME_PRECISION_MS = 1000;

/** True when a scope still names a configured edition and section (a config change may have dropped it). */
function configured(config: SiteConfig, scope: FeedScope): boolean {
  try {
    checkScope(config, scope);
    return true;
  } catch {
    return false;
  }
}

/** Collects feeds by scope, each once, remembering every source that changed it. */
class FeedSet {
  private readonly feeds = new Map<string, ChangedFeed>();
  constructor(private readonly config: SiteConfig) {}

  add(scope: FeedScope, source: string): void {
    if (!configured(this.config, scope)) return;
    const name = scopeName(scope);
    const feed = this.feeds.get(name);
    if (feed === undefined) this.feeds.set(name, { scope, sources: [source] });
    else if (!feed.sources.includes(source)) feed.sources.push(source);
  }

  list(): ChangedFeed[] {
    return [...this.feeds.values()];
  }
}

/** The article ids whose change may have changed a Top Stories list (so the lists must be read). */
export function changedArticles(records: readonly ChangeRecord[]): string[] {
  const ids = records.flatMap((r) => (r.change.kind === 'article' ? [r.change.id] : []));
  return [...new Set(ids)];
}

/**
 * The feeds a batch of table changes changed, each once. A feed entry
 * changes its feed only when it is published by the time of the change: a
 * scheduled entry changes nothing yet (feedsFallingDue pings for it when
 * its time comes). An article change changes the Top Stories lists, given in
 * `topLists`, that name it; a list change changes its own feed.
 */
export function changedFeeds(
  records: readonly ChangeRecord[],
  config: SiteConfig,
  topLists: readonly TopStories[] = [],
): ChangedFeed[] {
  const feeds = new FeedSet(config);
  for (const record of records) {
    const { change } = record;
    switch (change.kind) {
      case 'entry':
        if (Date.parse(change.publishedAt) < record.at.getTime() + RECORD_TIME_PRECISION_MS) {
          feeds.add(change.scope, record.id);
        }
        break;
      case 'top-stories':
        feeds.add({ kind: 'top', edition: change.edition }, record.id);
        break;
      case 'article':
        for (const list of topLists) {
          if (list.articles.includes(change.id)) feeds.add({ kind: 'top', edition: list.edition }, record.id);
        }
        break;
    }
  }
  return feeds.list();
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
 * feed each such story belongs to, and the Top Stories lists naming it. Every
 * article is in at least one edition's whole-edition feed, so one Query per
 * edition (just one when an edition carries every article) finds them all;
 * the articles themselves say which writer and topic feeds they are in.
 */
export async function feedsFallingDue(
  store: NotifyStore,
  config: SiteConfig,
  window: DueWindow,
): Promise<ChangedFeed[]> {
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
    (a) => a.withdrawnAt === undefined && a.publishedAt > after && a.publishedAt <= upTo,
  );
  if (due.length === 0) return [];
  const topLists = await readTopLists(store, config);
  const feeds = new FeedSet(config);
  for (const article of due) {
    const source = `due:${article.id}`;
    for (const scope of membershipsOf(article, config)) feeds.add(scope, source);
    for (const list of topLists) {
      if (list.articles.includes(article.id)) feeds.add({ kind: 'top', edition: list.edition }, source);
    }
  }
  return feeds.list();
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
export function topicUrls(baseUrl: string, feeds: readonly ChangedFeed[]): string[] {
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
  clock: () => Date;
  wait: (ms: number) => Promise<void>;
  /**
   * How long after a change to wait before pinging: by then every shared
   * cache's copy of a changed feed has expired, so the hub fetches the new one.
   */
  delayMs: number;
}

/** What a round of pings did. */
export interface PingOutcome {
  /** Topic URLs the hub accepted. */
  pinged: string[];
  /** Topic URLs whose ping failed, with why. */
  failed: { topic: string; error: HubError }[];
  /** Sources (records, due articles) of the feeds whose ping failed. */
  failedSources: Set<string>;
  /** Requests sent. */
  requests: number;
  /** Milliseconds waited for caches to expire. */
  waitedMs: number;
}

/**
 * Pings the configured hub for every changed feed, once the copies shared
 * caches hold have expired (`changedAt` + delayMs), PINGS_IN_FLIGHT requests
 * at a time. Every request is sent even when some fail, unless `deadline`
 * (ms since the epoch) has passed before it starts; failures are reported,
 * not thrown, so the caller can retry exactly what failed. Without a hub it
 * does nothing.
 */
export async function pingHub(
  deps: NotifyDeps,
  feeds: readonly ChangedFeed[],
  changedAt: Date,
  deadline?: number,
): Promise<PingOutcome> {
  const outcome: PingOutcome = { pinged: [], failed: [], failedSources: new Set(), requests: 0, waitedMs: 0 };
  const hubUrl = deps.config.hubUrl;
  if (hubUrl === undefined || feeds.length === 0) return outcome;
  const sourcesOf = new Map<string, string[]>();
  for (const feed of feeds) {
    for (const topic of topicUrls(deps.config.baseUrl, [feed])) sourcesOf.set(topic, feed.sources);
  }
  const waitMs = changedAt.getTime() + deps.delayMs - deps.clock().getTime();
  if (waitMs > 0) {
    await deps.wait(waitMs);
    outcome.waitedMs = waitMs;
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
