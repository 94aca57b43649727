import { createHash } from 'node:crypto';
import { ARTICLE_ID, type Article, changedAtOf, laterTime, TOP_STORIES_LIMIT } from './article.ts';
import type { SiteConfig } from './config.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { type BadItemLogger, renderFeed } from './feeds/render.ts';
import { entryWeight, PAGE_BUDGET_BYTES } from './feeds/weight.ts';
import { PARTNER_RULES } from './partners.ts';
import type { ArticleState, FeedPosition, FeedRef, FeedWindow, ReadDeps, TopStories } from './ports.ts';
import { checkScope, type FeedScope, scopeName, shownIn } from './scopes.ts';
import { visibleChangeOf, visibleTopStories } from './top-stories.ts';
import { type FeedOutput, isPartner } from './urls.ts';

/** Room left in a partner's byte limit for what no item's weight counts: the channel's own elements. */
const CHANNEL_ROOM = 16 * 1024;

/** Encodes a feed position as the opaque `after` cursor of RFC 5005 paging. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.publishedAt}|${position.id}`, 'utf8').toString('base64url');
}

/** The time in a cursor: an entry's `publishedAt`, to the millisecond, in UTC. */
export const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Why a cursor on Top Stories is refused (400): they have no older page. */
export const TOP_STORIES_CURSOR = 'Top Stories are one page; there is no older page';

/** Decodes an `after` cursor; a malformed one is a 400. */
export function decodeCursor(cursor: string): FeedPosition {
  const [publishedAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (
    rest.length > 0 ||
    !CURSOR_TIME.test(publishedAt) ||
    Number.isNaN(Date.parse(publishedAt)) ||
    !ARTICLE_ID.test(id)
  ) {
    throw new ValidationError([{ field: 'after', message: 'is not a cursor this feed issued' }]);
  }
  return { publishedAt, id };
}

/**
 * The items of one page: newest first, at most `count`, and no more than
 * `budget` bytes of item weight (but always at least one item, so paging
 * moves on). `more` says whether an older page exists.
 */
export function selectPage(
  refs: readonly FeedRef[],
  count: number,
  budget = PAGE_BUDGET_BYTES,
): { shown: FeedRef[]; more: boolean } {
  const shown: FeedRef[] = [];
  let weight = 0;
  for (const ref of refs) {
    if (shown.length === count || (shown.length > 0 && weight + ref.weight > budget)) break;
    shown.push(ref);
    weight += ref.weight;
  }
  return { shown, more: refs.length > shown.length };
}

/** A feed page rendered for a 200. */
export interface RenderedPage {
  body: string;
  etag: string;
  lastModified: Date;
}

/**
 * A feed page known by its validators before it is rendered: a conditional
 * request that still matches `etag` is answered without fetching or
 * rendering a single article.
 */
export interface FeedPlan {
  etag: string;
  /**
   * What the ETag hashes, for debug logs: the renderer's and the config's fingerprints, the
   * format, scope and cursor, then each entry's time, id and version (or the list's version).
   */
  etagInputs: readonly string[];
  lastModified: Date;
  /** When the plan was made: what conditional.ts measures the age of Last-Modified against. */
  asOf: Date;
  render(): Promise<RenderedPage>;
}

const fingerprints = new WeakMap<SiteConfig, string>();

/** A hash of everything in the config, so that any change to it changes every ETag. */
export function configFingerprint(config: SiteConfig): string {
  let fingerprint = fingerprints.get(config);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(JSON.stringify(config)).digest('base64url');
    fingerprints.set(config, fingerprint);
  }
  return fingerprint;
}

const rendererFingerprints = new Map<FeedOutput, string>();

/**
 * The site the sample is rendered for: fixed, so that the fingerprint depends
 * on the renderer's code alone, not on the config or on the address a request
 * came by (each is in the ETag already, through configFingerprint).
 */
export const SAMPLE_SITE: SiteConfig = {
  title: 'Sample',
  description: 'A sample site',
  baseUrl: 'https://example.com',
  copyright: '© Sample',
  language: 'en',
  tagAuthority: 'example.com,2026',
  logoUrl: 'https://example.com/logo.png',
  iconUrl: 'https://example.com/icon.png',
  pageSize: 50,
  partners: [],
  hubUrl: 'https://hub.example.com/',
  defaultEdition: 'world',
  sections: [{ id: 'news', title: 'News' }],
  editions: [
    {
      id: 'world',
      title: 'World',
      description: 'Everything',
      language: 'en',
      timeZone: 'UTC',
      countries: [],
      includesAll: true,
    },
  ],
};

/** A sample that exercises every element the renderers write (the page renderers' fingerprint renders it too). */
export const SAMPLE: Article = {
  id: 'fingerprint',
  version: 2,
  rules: 2,
  headline: 'Lund & Marsh <agree> "terms"',
  summary: 'A <em>summary</em> &amp; more',
  body: '<p>Body ]]&gt; text</p>',
  url: 'https://example.com/a',
  section: 'news',
  topics: ['Topic one'],
  byline: [
    { name: 'Ana Ortiz', title: 'Analyst', url: 'https://example.com/ana' },
    { id: 'lee', name: 'Lee Min' },
  ],
  image: {
    url: 'https://example.com/a.jpg',
    caption: 'Caption',
    credit: 'Credit',
    width: 10,
    height: 5,
    type: 'image/jpeg',
    length: 100,
    thumbnail: { url: 'https://example.com/t.jpg', width: 2, height: 1 },
  },
  media: [
    {
      url: 'https://example.com/v.mp4',
      type: 'video/mp4',
      duration: 61,
      poster: 'https://example.com/p.jpg',
    },
  ],
  publishedAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  language: 'en',
};

/**
 * A hash of what the renderer makes of a fixed sample: a change to the
 * renderers (or to the `feed` package) changes it, and with it every ETag,
 * with no version number to remember to bump.
 */
function rendererFingerprint(format: FeedOutput): string {
  let fingerprint = rendererFingerprints.get(format);
  if (fingerprint === undefined) {
    const { body } = renderFeed({
      config: SAMPLE_SITE,
      scope: { kind: 'edition', edition: SAMPLE_SITE.defaultEdition },
      format,
      articles: [SAMPLE],
      nextCursor: 'next',
    });
    fingerprint = createHash('sha256').update(body).digest('base64url');
    rendererFingerprints.set(format, fingerprint);
  }
  return fingerprint;
}

/** A strong ETag over the parts that decide a page's bytes. */
export function entityTag(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return `"${hash.digest('base64url').slice(0, 27)}"`;
}

/** The newest of some ISO times (the Unix epoch when there are none), for Last-Modified. */
export function latest(times: readonly string[]): Date {
  let newest = 0;
  for (const time of times) {
    const ms = Date.parse(time);
    if (!Number.isNaN(ms)) newest = Math.max(newest, ms);
  }
  return new Date(newest);
}

/** An ISO time as a Date (the epoch for none). */
function dateOf(time: string): Date {
  return latest([time]);
}

/**
 * What one scope (a feed, or a list on a page) shows at one time, known from
 * one Query (Top Stories: the editors' list and its articles' states) before
 * any article is fetched. `validators` and `lastModified` describe exactly
 * what `fetch` will return, so a caller can answer a conditional request
 * from them alone: hash the validators with what else decides its bytes (a
 * renderer's fingerprint, the config) for an ETag, take `lastModified` as is.
 */
export interface ScopePlan {
  scope: FeedScope;
  /** Strings that change whenever what the scope shows changes (ids, versions, order, more). */
  validators: string[];
  /**
   * When what the scope shows last changed: a story published (or falling due), backdated,
   * corrected, moved in or out, withdrawn; for Top Stories also the editors' list. Exact, not
   * rounded: see conditional.ts for how HTTP dates carry it.
   */
  lastModified: Date;
  /** The time the plan was made (its `now`). */
  asOf: Date;
  /** The cursor of the next (older) page, when there is one. */
  nextCursor?: string;
  /** The articles shown, as they are now, and validators for exactly that (the plan's when nothing moved). */
  fetch(): Promise<FetchedScope>;
}

/** A scope's articles as fetched for rendering, with validators describing exactly them. */
export interface FetchedScope {
  articles: Article[];
  validators: string[];
  lastModified: Date;
}

/** What to plan: how many items at most, from where, within what size. */
export interface ScopeOptions {
  limit: number;
  /** An `after` cursor this scope's pages issued (a made-up one is a 400). */
  cursor?: string | undefined;
  /** Item weight a page may hold (default PAGE_BUDGET_BYTES); always at least one item. */
  budget?: number;
  /** Whether to find out if an older page exists, reading one entry more (default true; a page's list needs not). */
  paged?: boolean;
}

/**
 * When readers' view of an edition's Top Stories last changed, at `now`: the list's own public
 * change, and for each story listed, when readers' view of it last changed — a published one
 * also when it fell due. A story still scheduled adds nothing (its edits are not public yet).
 */
export function topStoriesChangedAt(
  list: TopStories | undefined,
  states: ReadonlyMap<string, ArticleState>,
  now: string,
): string {
  let changed = list === undefined ? '' : visibleChangeOf(list);
  for (const id of list?.articles ?? []) {
    const state = states.get(id);
    if (state === undefined) continue;
    // Items written before publicChangeAt existed: their last write, while public or withdrawn.
    const publicChange = state.publicChangeAt ?? (state.publishedAt <= now ? state.updatedAt : '');
    changed = laterTime(changed, publicChange);
    if (!state.withdrawn && state.publishedAt <= now) changed = laterTime(changed, state.publishedAt);
  }
  return changed > now ? now : changed;
}

/** Articles as fetched, kept where they are still shown (the read and the fetch are not one snapshot). */
function stillShown(
  ids: readonly string[],
  fetched: ReadonlyMap<string, Article>,
  scope: FeedScope,
  config: SiteConfig,
  now: string,
): Article[] {
  return ids.flatMap((id) => {
    const article = fetched.get(id);
    return shownIn(article, scope, config, now) ? [article] : [];
  });
}

/** The latest of the planned time and the changes of articles fetched at other versions than planned. */
function fetchedChange(planned: Date, moved: readonly (Article | undefined)[]): Date {
  let changed = planned.toISOString();
  for (const article of moved) if (article !== undefined) changed = laterTime(changed, changedAtOf(article));
  return dateOf(changed);
}

function notFound(scope: FeedScope): NotFoundError {
  return new NotFoundError(
    `No stories ${scope.kind === 'author' ? 'by' : 'about'} "${scopeName(scope).split('/')[1]}"`,
  );
}

/**
 * Plans what a scope shows (see ScopePlan): for a feed, one Query of thin
 * entries (and tombstones of vacated ones); for Top Stories, the editors'
 * list and its articles' states. NotFoundError for an unknown edition or
 * section, and for a writer or topic with no published story — whatever the
 * cursor; ValidationError for a cursor this scope never issued.
 */
export async function planScope(deps: ReadDeps, scope: FeedScope, options: ScopeOptions): Promise<ScopePlan> {
  const { config, store } = deps;
  checkScope(config, scope);
  const asOf = deps.clock();
  const now = asOf.toISOString();
  const budget = options.budget ?? PAGE_BUDGET_BYTES;
  if (scope.kind === 'top') {
    if (options.cursor !== undefined) {
      throw new ValidationError([{ field: 'after', message: TOP_STORIES_CURSOR }]);
    }
    const list = await store.getTopStories(scope.edition);
    const ids = (list?.articles ?? []).slice(0, TOP_STORIES_LIMIT);
    const states = ids.length === 0 ? new Map<string, ArticleState>() : await store.getArticleStates(ids);
    const visible = visibleTopStories(list, states, asOf).slice(0, options.limit);
    // Stories that fit the page budget, in order (at least one): what each weighs is decided by its
    // version, so validators naming the versions still name exactly what is shown.
    return planOf(deps, scope, asOf, {
      shown: visible.map((id) => ({ id, version: states.get(id)?.version ?? 0 })),
      head: [],
      lastModified: dateOf(topStoriesChangedAt(list, states, now)),
      cut: (articles) => withinBudget(articles, budget),
    });
  }
  const readLimit = options.paged === false ? options.limit : options.limit + 1;
  let after: FeedPosition | undefined;
  let window: FeedWindow | undefined;
  try {
    after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    window =
      after === undefined ? undefined : await store.listFeed(scope, { now: asOf, limit: readLimit, after });
    if (window !== undefined && window.afterKnown !== true) {
      throw new ValidationError([{ field: 'after', message: 'is not a cursor this feed issued' }]);
    }
  } catch (error) {
    // A writer or topic with nothing published is unknown, whatever the cursor says.
    if (error instanceof ValidationError) await requireStories(deps, scope, asOf);
    throw error;
  }
  const read = window ?? (await store.listFeed(scope, { now: asOf, limit: readLimit }));
  const { shown, more: moreRead } = selectPage(read.entries, options.limit, budget);
  const more = moreRead || read.truncated;
  if (shown.length === 0 && (scope.kind === 'author' || scope.kind === 'topic')) {
    // Page one empty: nothing published. A later page empty: check that page one is not.
    if (options.cursor === undefined) throw notFound(scope);
    await requireStories(deps, scope, asOf);
  }
  return planOf(deps, scope, asOf, {
    shown,
    head: [String(more)],
    // Never later than now (a write stamped by a clock slightly ahead of this one).
    lastModified: dateOf(laterTime(read.changedAt, now) === now ? read.changedAt : now),
    cut: (articles) => articles,
    ...(more && shown.length > 0 && { nextCursor: encodeCursor(shown.at(-1)!) }),
  });
}

/** What a scope shows, as planned: the entries in order (with their position, for a feed), and the rest of its plan. */
interface Planned {
  shown: readonly { id: string; version: number; publishedAt?: string }[];
  /** Validators before the entries' (whether an older page exists). */
  head: string[];
  lastModified: Date;
  /** What of the fetched articles a page shows (Top Stories: those within the budget). */
  cut: (articles: Article[]) => Article[];
  nextCursor?: string;
}

/**
 * The plan of a scope whose entries are known: validators name each entry's
 * version (membership and weight are functions of the version), and fetching
 * shows each article as it is now, only where it still belongs. When a
 * concurrent write moved one between the read and the fetch, the validators
 * describe what was fetched instead, so they never match stale bytes.
 */
function planOf(deps: ReadDeps, scope: FeedScope, asOf: Date, planned: Planned): ScopePlan {
  const { shown, head, lastModified, cut, nextCursor } = planned;
  const now = asOf.toISOString();
  const validatorsOf = (version: (id: string, planned: number) => number | undefined) => [
    ...head,
    ...shown.map((s) => `${s.publishedAt ?? ''}#${s.id}:${version(s.id, s.version) ?? 'gone'}`),
  ];
  const validators = validatorsOf((_, version) => version);
  return {
    scope,
    validators,
    lastModified,
    asOf,
    ...(nextCursor !== undefined && { nextCursor }),
    fetch: async () => {
      const fetched =
        shown.length === 0
          ? new Map<string, Article>()
          : await deps.store.getArticles(shown.map((s) => s.id));
      const articles = cut(
        shown.flatMap((s) => {
          const article = fetched.get(s.id);
          const at = s.publishedAt ?? article?.publishedAt;
          return shownIn(article, scope, deps.config, now) && article.publishedAt === at ? [article] : [];
        }),
      );
      const moved = shown.filter((s) => fetched.get(s.id)?.version !== s.version);
      return moved.length === 0
        ? { articles, validators, lastModified }
        : {
            articles,
            validators: validatorsOf((id) => fetched.get(id)?.version),
            lastModified: fetchedChange(
              lastModified,
              moved.map((s) => fetched.get(s.id)),
            ),
          };
    },
  };
}

/** The first articles whose weights fit a budget (always at least one). */
function withinBudget(articles: readonly Article[], budget: number): Article[] {
  const kept: Article[] = [];
  let weight = 0;
  for (const article of articles) {
    const next = entryWeight(article);
    if (kept.length > 0 && weight + next > budget) break;
    kept.push(article);
    weight += next;
  }
  return kept;
}

/** NotFoundError unless a writer's or topic's feed has a published story (other scopes always exist). */
async function requireStories(deps: ReadDeps, scope: FeedScope, now: Date): Promise<void> {
  if (scope.kind !== 'author' && scope.kind !== 'topic') return;
  const first = await deps.store.listFeed(scope, { now, limit: 1 });
  if (first.entries.length === 0) throw notFound(scope);
}

/** A subscriber's private copy of a feed: where its URLs live (urls.ts privateFeedBase), and whose it is. */
export interface PrivateCopy {
  feedBase: string;
  subscriberId: string;
}

/**
 * Plans one page of a feed: its ETag (the scope's validators with the
 * renderer, the config, the format and the cursor — and for a private copy,
 * its subscriber, whose token its links carry) and Last-Modified, known
 * before a single article is fetched; rendering fetches and renders them.
 * A partner's feed is one page, within that partner's item count and byte
 * limit as well as the budget of every feed.
 */
export async function planFeedPage(
  deps: ReadDeps,
  scope: FeedScope,
  format: FeedOutput,
  cursor: string | undefined,
  log: BadItemLogger = () => {},
  copy?: PrivateCopy,
): Promise<FeedPlan> {
  const { config } = deps;
  const partner = isPartner(format) ? PARTNER_RULES[format] : undefined;
  if (partner !== undefined && cursor !== undefined) {
    throw new ValidationError([
      { field: 'after', message: 'a partner feed is one page; there is no older page' },
    ]);
  }
  const limit =
    scope.kind === 'top'
      ? TOP_STORIES_LIMIT
      : Math.min(config.pageSize, partner?.maxItems ?? config.pageSize);
  const budget = Math.min(PAGE_BUDGET_BYTES, (partner?.maxBytes ?? Number.POSITIVE_INFINITY) - CHANNEL_ROOM);
  const plan = await planScope(deps, scope, { limit, cursor, budget, paged: partner === undefined });
  const prefix = [
    rendererFingerprint(format),
    configFingerprint(config),
    format,
    scope.kind,
    scopeName(scope),
    cursor ?? '',
    ...(copy === undefined ? [] : [`private:${copy.subscriberId}`]),
  ];
  const etagInputs = [...prefix, ...plan.validators];
  return {
    etag: entityTag(etagInputs),
    etagInputs,
    lastModified: plan.lastModified,
    asOf: plan.asOf,
    render: async () => {
      const fetched = await plan.fetch();
      const page = renderFeed({
        config,
        scope,
        format,
        articles: fetched.articles,
        cursor,
        // A partner feed never links an older page.
        nextCursor: partner === undefined ? plan.nextCursor : undefined,
        feedBase: copy?.feedBase,
        log,
      });
      // Validators describe what was rendered, so a page rendered from a newer (or older) read than its
      // plan never gets an ETag that a later revalidation would match by mistake.
      return {
        body: page.body,
        etag: entityTag([...prefix, ...fetched.validators]),
        lastModified: fetched.lastModified,
      };
    },
  };
}

/**
 * The newest articles of a scope for an HTML page: at most `limit`, shown
 * as they are now (Top Stories in the editors' order). A page that answers
 * conditional requests without rendering plans with planScope instead and
 * fetches only for a 200; this one reads and fetches at once, and keeps the
 * pages' bundle free of planning code it does not use yet.
 */
export async function latestArticles(deps: ReadDeps, scope: FeedScope, limit: number): Promise<Article[]> {
  const { config, store } = deps;
  checkScope(config, scope);
  const now = deps.clock();
  const ids =
    scope.kind === 'top'
      ? ((await store.getTopStories(scope.edition))?.articles ?? []).slice(0, limit)
      : (await store.listFeed(scope, { now, limit })).entries.map((r) => r.id);
  if (ids.length === 0) return [];
  return stillShown(ids, await store.getArticles(ids), scope, config, now.toISOString());
}
