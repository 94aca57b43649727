import { createHash } from 'node:crypto';
import { ARTICLE_ID, type Article } from './article.ts';
import type { SiteConfig } from './config.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { modifiedTime } from './feeds/entry.ts';
import { type BadItemLogger, renderFeed } from './feeds/render.ts';
import { PAGE_BUDGET_BYTES } from './feeds/weight.ts';
import type { FeedPosition, FeedRef, ReadDeps } from './ports.ts';
import { checkScope, type FeedScope, scopeName, shownIn } from './scopes.ts';
import type { FeedFormat } from './urls.ts';

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

const rendererFingerprints = new Map<FeedFormat, string>();

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
function rendererFingerprint(format: FeedFormat): string {
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

/**
 * Plans one page of a feed: one Query of thin entries (or, for Top Stories,
 * the editors' list and its articles' versions) decides the ETag and
 * Last-Modified; rendering fetches the articles with one BatchGetItem.
 * NotFoundError for an unknown scope, and for a writer or topic with no stories.
 */
export async function planFeedPage(
  deps: ReadDeps,
  scope: FeedScope,
  format: FeedFormat,
  cursor: string | undefined,
  log: BadItemLogger = () => {},
): Promise<FeedPlan> {
  const { config } = deps;
  checkScope(config, scope);
  const now = deps.clock();
  const prefix = [
    rendererFingerprint(format),
    configFingerprint(config),
    format,
    scope.kind,
    scopeName(scope),
    cursor ?? '',
  ];
  if (scope.kind === 'top') {
    if (cursor !== undefined) {
      throw new ValidationError([{ field: 'after', message: TOP_STORIES_CURSOR }]);
    }
    return planTopStories(deps, scope, format, prefix, now, log);
  }
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const refs = await deps.store.listFeed(scope, {
    now,
    limit: config.pageSize + 1,
    ...(after !== undefined && { after }),
  });
  const { shown, more } = selectPage(refs, config.pageSize);
  if (shown.length === 0 && cursor === undefined && (scope.kind === 'author' || scope.kind === 'topic')) {
    throw new NotFoundError(
      `No stories ${scope.kind === 'author' ? 'by' : 'about'} "${scopeName(scope).split('/')[1]}"`,
    );
  }
  const nextCursor = more ? encodeCursor(shown.at(-1)!) : undefined;
  const tag = (versions: readonly string[]) => entityTag([...prefix, String(more), ...versions]);
  const versions = shown.map((r) => `${r.publishedAt}#${r.id}:${r.version}`);
  const etag = tag(versions);
  return {
    etag,
    etagInputs: [...prefix, String(more), ...versions],
    lastModified: latest(shown.map((r) => r.modified)),
    render: async () => {
      const fetched = await deps.store.getArticles(shown.map((r) => r.id));
      const nowIso = now.toISOString();
      // The Query and the BatchGetItem are not one snapshot: show an article only as it is now,
      // and only where it still belongs (a concurrent write may have moved or withdrawn it).
      const visible = shown.map((ref) => {
        const article = fetched.get(ref.id);
        const ok = shownIn(article, scope, config, nowIso) && article.publishedAt === ref.publishedAt;
        return { ref, fetched: article, article: ok ? article : undefined };
      });
      // What is shown is decided by the versions alone (membership is a function of the version),
      // so the planned ETag holds whenever every article was read at the version its entry names.
      const exact = visible.every((v) => v.fetched?.version === v.ref.version);
      const page = renderFeed({
        config,
        scope,
        format,
        articles: visible.flatMap((v) => (v.article === undefined ? [] : [v.article])),
        cursor,
        nextCursor,
        log,
      });
      return {
        body: page.body,
        // Validators describe what was rendered, so a page rendered from a newer (or older) read
        // than its Query never gets an ETag that a later revalidation would match by mistake.
        etag: exact
          ? etag
          : tag(visible.map((v) => `${v.ref.publishedAt}#${v.ref.id}:${v.fetched?.version ?? 'gone'}`)),
        lastModified: page.updated,
      };
    },
  };
}

async function planTopStories(
  deps: ReadDeps,
  scope: Extract<FeedScope, { kind: 'top' }>,
  format: FeedFormat,
  prefix: readonly string[],
  now: Date,
  log: BadItemLogger,
): Promise<FeedPlan> {
  const { config, store } = deps;
  const list = await store.getTopStories(scope.edition);
  const ids = list?.articles ?? [];
  const states = ids.length === 0 ? new Map() : await store.getArticleStates(ids);
  const nowIso = now.toISOString();
  // What the list shows now (visibleTopStories in core/top-stories.ts, kept inline here for the pages bundle's size).
  const live = ids.filter((id) => {
    const state = states.get(id);
    return state !== undefined && !state.withdrawn && state.publishedAt <= nowIso;
  });
  const etagInputs = [
    ...prefix,
    `list:${list?.version ?? 0}`,
    ...live.map((id) => `${id}:${states.get(id)?.version}`),
  ];
  const etag = entityTag(etagInputs);
  const lastModified = latest([
    list?.updatedAt ?? '',
    ...live.map((id) => {
      const state = states.get(id)!;
      return modifiedTime(state);
    }),
  ]);
  return {
    etag,
    etagInputs,
    lastModified,
    render: async () => {
      const fetched = live.length === 0 ? new Map<string, Article>() : await store.getArticles(live);
      const articles = live.flatMap((id) => {
        const article = fetched.get(id);
        return shownIn(article, scope, config, nowIso) ? [article] : [];
      });
      const exact = live.every((id) => fetched.get(id)?.version === states.get(id)?.version);
      const page = renderFeed({ config, scope, format, articles, log });
      return {
        body: page.body,
        etag: exact
          ? etag
          : entityTag([
              ...prefix,
              `list:${list?.version ?? 0}`,
              ...live.map((id) => `${id}:${fetched.get(id)?.version ?? 'gone'}`),
            ]),
        lastModified: page.updated,
      };
    },
  };
}

/**
 * The newest articles of a scope for an HTML page: at most `limit`, shown
 * as they are now (Top Stories in the editors' order).
 */
export async function latestArticles(deps: ReadDeps, scope: FeedScope, limit: number): Promise<Article[]> {
  const { config, store } = deps;
  checkScope(config, scope);
  const now = deps.clock();
  let ids: string[];
  if (scope.kind === 'top') {
    ids = ((await store.getTopStories(scope.edition))?.articles ?? []).slice(0, limit);
  } else {
    ids = (await store.listFeed(scope, { now, limit })).map((r) => r.id);
  }
  if (ids.length === 0) return [];
  const fetched = await store.getArticles(ids);
  const nowIso = now.toISOString();
  return ids.flatMap((id) => {
    const article = fetched.get(id);
    return shownIn(article, scope, config, nowIso) ? [article] : [];
  });
}
