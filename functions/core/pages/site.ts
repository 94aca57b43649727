import { ARTICLE_ID, type Article } from '../article.ts';
import type { Edition } from '../config.ts';
import { editionForCountry, editionsOf, findEdition, findSection, homeEdition } from '../editions.ts';
import { NotFoundError } from '../errors.ts';
import { latest } from '../feed-pages.ts';
import { modifiedTime, toFeedEntries, toFeedEntry } from '../feeds/entry.ts';
import { type BadItemLogger, namesFor } from '../feeds/render.ts';
import { renderOpml } from '../opml.ts';
import type { PageDeps, PublicCounts, ReadDeps } from '../ports.ts';
import { findProblemType } from '../problems.ts';
import { countsArePublic, countsIdentity, shownDays } from '../public-counts.ts';
import { type EntryScope, type FeedScope, scopeOfPath, shownIn } from '../scopes.ts';
import { articlePageUrl, MONTH_SITEMAP, pageUrl, SITE_FILES } from '../urls.ts';
import { renderArticlePage, renderWithdrawnPage } from './article.ts';
import { renderEditionPage } from './edition.ts';
import { pagesFingerprint } from './fingerprint.ts';
import { renderFollowPage } from './follow.ts';
import { renderHomePage } from './home.ts';
import {
  articlesOf,
  fetchLists,
  listOf,
  type PageValidators,
  type PlannedList,
  pageValidators,
  planFeedList,
  planTopList,
  topListOf,
  without,
} from './lists.ts';
import { renderProblemIndex, renderProblemPage } from './problem.ts';
import { renderSectionPage } from './section.ts';
import {
  frontsSitemapUrls,
  MONTH_PEOPLE_STORIES,
  MONTH_SITEMAP_URLS,
  type MonthList,
  monthOf,
  monthSitemapPath,
  monthSpan,
  monthsBetween,
  NEWS_SITEMAP_MS,
  NEWS_SITEMAP_URLS,
  newsLanguage,
  renderNewsSitemap,
  renderRobots,
  renderSitemap,
  renderSitemapIndex,
  SITEMAP_MAX_URLS,
  type SitemapUrl,
} from './sitemaps.ts';

/** Headlines on an edition, section, writer or topic page. */
export const PAGE_STORIES = 30;
/** Top stories on the home page and atop an edition page; the home page's latest stories. */
export const HOME_STORIES = 12;
/** The edition's Top Stories beside a story. */
export const ARTICLE_TOP_STORIES = 8;
/** "More from {section}" beside a story. */
export const ARTICLE_MORE_STORIES = 5;

/** What a read path that is not a feed file asks for. */
export type PageRoute =
  | { kind: 'home' }
  /** A page of one feed's scope: `/europe/`, `/europe/world/`, `/europe/top/`, `/authors/x/`, `/topics/x/`. */
  | { kind: 'scope'; segments: string[] }
  /** A story's page, `/europe/world/{id}/` (without the slash: redirected to it). */
  | { kind: 'article'; edition: string; section: string; id: string; slash: boolean }
  | { kind: 'opml'; edition?: string }
  /** `/problems/{type}`, what an API problem type means; `/problems/` lists them. */
  | { kind: 'problem'; type?: string }
  /** A page URL without its trailing slash. */
  | { kind: 'redirect'; segments: string[] }
  | { kind: 'robots' }
  | { kind: 'sitemap-index' }
  | { kind: 'fronts-sitemap' }
  | { kind: 'news-sitemap'; edition: string }
  | { kind: 'month-sitemap'; list: MonthList; month: string };

/** The kinds of document the pages function serves. */
export type DocumentType = 'html' | 'opml' | 'xml' | 'text';

/** A document's bytes, with the validators of what was rendered. */
export interface RenderedDocument extends PageValidators {
  body: string;
}

/** What a page route comes to: a document known by its validators before it is built, a redirect, or a withdrawn story. */
export type PagePlan =
  | ({
      kind: 'document';
      type: DocumentType;
      variesByCountry: boolean;
      render(): Promise<RenderedDocument>;
    } & PageValidators)
  | { kind: 'redirect'; location: string }
  /** A withdrawn story's page: 410, saying so, with no part of the story. */
  | { kind: 'gone'; body: string };

/** The 404 message of a story page: the same for an unknown, a scheduled and a moved-out-of-reach story. */
export const NO_STORY = 'There is no story at this address';

function decode(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new NotFoundError(`No page at ${path}`);
  }
}

/** Maps a request path (as sent, percent-encoded) to a page route; NotFoundError when the path is not one. */
export function routePage(path: string): PageRoute {
  if (path === '/') return { kind: 'home' };
  if (path === `/${SITE_FILES.opml}`) return { kind: 'opml' };
  if (path === `/${SITE_FILES.robots}`) return { kind: 'robots' };
  if (path === `/${SITE_FILES.sitemapIndex}`) return { kind: 'sitemap-index' };
  if (path === `/${SITE_FILES.frontsSitemap}`) return { kind: 'fronts-sitemap' };
  if (path === '/problems' || path === '/problems/') return { kind: 'problem' };
  const problem = /^\/problems\/([a-z-]+)$/.exec(path);
  if (problem !== null) return { kind: 'problem', type: problem[1] ?? '' };
  const parts = path
    .split('/')
    .slice(1)
    .map((segment) => decode(segment, path));
  const slash = parts.at(-1) === '';
  const segments = slash ? parts.slice(0, -1) : parts;
  if (segments.length === 0 || segments.length > 3 || segments.some((s) => s === '')) {
    throw new NotFoundError(`No page at ${path}`);
  }
  const [first = '', second = '', third] = segments;
  const month = MONTH_SITEMAP.exec(segments.at(-1) ?? '');
  if (!slash && month !== null) {
    const period = `${month[1]}-${month[2]}`;
    if (third !== undefined) {
      return {
        kind: 'month-sitemap',
        list: { kind: 'section', edition: first, section: second },
        month: period,
      };
    }
    if (first === 'authors' || first === 'topics') {
      return { kind: 'month-sitemap', list: { kind: first }, month: period };
    }
  }
  if (third !== undefined) return { kind: 'article', edition: first, section: second, id: third, slash };
  if (!slash && second === SITE_FILES.opml) return { kind: 'opml', edition: first };
  if (!slash && second === SITE_FILES.newsSitemap) return { kind: 'news-sitemap', edition: first };
  return slash ? { kind: 'scope', segments } : { kind: 'redirect', segments };
}

/** Options of one page request. */
export interface PageOptions {
  /** ISO 3166 country of the viewer (CloudFront-Viewer-Country); only the home page uses it. */
  country?: string | undefined;
  log?: BadItemLogger;
}

/**
 * The published subscriber counts a page shows, when the config shows them:
 * the newest day's, one read whatever the number of feeds on the page.
 */
function readersFor(deps: PageDeps): Promise<PublicCounts | undefined> {
  if (!countsArePublic(deps.config) || deps.counts === undefined) return Promise.resolve(undefined);
  const { from, to } = shownDays(deps.clock());
  return deps.counts.latestCounts(from, to);
}

/**
 * A document whose validators are decided by `lists` (and the subscriber counts it shows,
 * which enter its ETag and Last-Modified), rendered from their articles.
 */
function listDocument(
  deps: ReadDeps,
  type: DocumentType,
  identity: readonly string[],
  lists: readonly PlannedList[],
  build: (articles: ReadonlyMap<string, Article>) => string,
  options: {
    variesByCountry?: boolean;
    extra?: readonly Article[];
    times?: readonly string[];
    counts?: PublicCounts | undefined;
  } = {},
): PagePlan {
  const id = [pagesFingerprint(), ...identity, ...countsIdentity(options.counts)];
  const planned = pageValidators(deps, id, lists);
  const times =
    options.counts === undefined ? options.times : [...(options.times ?? []), options.counts.publishedAt];
  const withTimes = (v: PageValidators): PageValidators =>
    times === undefined ? v : { ...v, lastModified: latest([v.lastModified?.toISOString() ?? '', ...times]) };
  return {
    kind: 'document',
    type,
    variesByCountry: options.variesByCountry ?? false,
    ...withTimes(planned),
    render: async () => {
      const { articles, validators } = await fetchLists(deps, id, lists, planned, options.extra);
      return { body: build(articles), ...withTimes(validators) };
    },
  };
}

/** A document that depends on the config and the renderers alone. */
function staticDocument(
  deps: ReadDeps,
  type: DocumentType,
  identity: readonly string[],
  body: () => string,
): PagePlan {
  const validators = pageValidators(deps, [pagesFingerprint(), ...identity], []);
  // Made from the code and config alone: when it last changed is not known, so no Last-Modified.
  const lastModified = undefined;
  return {
    kind: 'document',
    type,
    variesByCountry: false,
    etag: validators.etag,
    lastModified,
    render: async () => ({ body: body(), etag: validators.etag, lastModified }),
  };
}

/** Whether a scope shows an article now. */
function shownBy(deps: ReadDeps, scope: FeedScope): (article: Article | undefined) => article is Article {
  const now = deps.clock().toISOString();
  return (article): article is Article => shownIn(article, scope, deps.config, now);
}

/** A front (the home page, or an edition's): its Top Stories, then its latest stories without them. */
async function planFront(
  deps: PageDeps,
  edition: Edition,
  latestCount: number,
  options: PageOptions,
  home: boolean,
): Promise<PagePlan> {
  const { config } = deps;
  const log = options.log ?? (() => {});
  const scope: EntryScope = { kind: 'edition', edition: edition.id };
  // The latest entries first, read long enough to leave out every Top Story among them: they
  // also give the versions of the Top Stories they hold, which then need no read of their own.
  const [window, list, counts] = await Promise.all([
    deps.store.listFeed(scope, { now: deps.clock(), limit: latestCount + HOME_STORIES }),
    deps.store.getTopStories(edition.id),
    readersFor(deps),
  ]);
  const refs = window.entries;
  const top = await topListOf(deps, list, HOME_STORIES, { known: refs });
  const latestList = without(
    listOf('latest', refs, [window.changedAt]),
    top.stories.map((s) => s.id),
    latestCount,
  );
  const suggested = home ? editionForCountry(config, options.country) : undefined;
  const identity = home ? ['home', suggested?.id ?? ''] : ['edition', edition.id];
  return listDocument(
    deps,
    'html',
    identity,
    [top, latestList],
    (articles) => {
      const topEntries = toFeedEntries(
        articlesOf(top, articles, shownBy(deps, { kind: 'top', edition: edition.id })),
        config,
        scope,
        log,
      );
      const entries = toFeedEntries(
        articlesOf(latestList, articles, shownBy(deps, scope)),
        config,
        scope,
        log,
      );
      return home
        ? renderHomePage(config, { suggested, entries, top: topEntries, counts })
        : renderEditionPage(config, edition, entries, topEntries, counts);
    },
    { variesByCountry: home, counts },
  );
}

/** A scope's page: an edition's front, a section's, an edition's Top Stories, a writer's or a topic's. */
async function planScopePage(deps: PageDeps, scope: FeedScope, options: PageOptions): Promise<PagePlan> {
  const { config } = deps;
  const log = options.log ?? (() => {});
  switch (scope.kind) {
    case 'edition':
      return planFront(deps, findEdition(config, scope.edition), PAGE_STORIES, options, false);
    case 'section': {
      const [list, counts] = await Promise.all([
        planFeedList(deps, 'latest', scope, PAGE_STORIES),
        readersFor(deps),
      ]);
      return listDocument(
        deps,
        'html',
        ['section', scope.edition, scope.section],
        [list],
        (articles) =>
          renderSectionPage(
            config,
            findEdition(config, scope.edition),
            findSection(config, scope.section),
            toFeedEntries(articlesOf(list, articles, shownBy(deps, scope)), config, scope, log),
            counts,
          ),
        { counts },
      );
    }
    case 'top':
    case 'author':
    case 'topic': {
      const [list, counts] = await Promise.all([
        scope.kind === 'top'
          ? planTopList(deps, scope.edition, PAGE_STORIES)
          : planFeedList(deps, 'latest', scope, PAGE_STORIES),
        readersFor(deps),
      ]);
      if (list.stories.length === 0 && scope.kind !== 'top') {
        throw new NotFoundError(
          `No stories ${scope.kind === 'author' ? 'by this writer' : 'about this topic'} yet`,
        );
      }
      return listDocument(
        deps,
        'html',
        ['follow', scope.kind, pageUrl('', scope)],
        [list],
        (articles) => {
          const entries = toFeedEntries(articlesOf(list, articles, shownBy(deps, scope)), config, scope, log);
          return renderFollowPage(config, scope, namesFor(config, scope, entries), entries, counts);
        },
        { counts },
      );
    }
  }
}

/**
 * A story's page. One read of the story decides it: unknown or not yet
 * published → 404 (the same page as for any unknown id), withdrawn → 410,
 * in another section or edition than the address says → 301 to where it is
 * now (an edition it left: its page in its home edition). The edition's Top
 * Stories and the section's latest stories are read beside it, so the page's
 * validators are known without fetching them.
 */
async function planArticlePage(
  deps: PageDeps,
  route: Extract<PageRoute, { kind: 'article' }>,
  options: PageOptions,
): Promise<PagePlan> {
  const { config } = deps;
  const log = options.log ?? (() => {});
  const edition = findEdition(config, route.edition);
  if (!ARTICLE_ID.test(route.id)) throw new NotFoundError(NO_STORY);
  const sectionScope: EntryScope = { kind: 'section', edition: edition.id, section: route.section };
  const sectionKnown = config.sections.some((s) => s.id === route.section);
  const [fetched, top, more, counts] = await Promise.all([
    deps.store.getArticles([route.id]),
    planTopList(deps, edition.id, ARTICLE_TOP_STORIES, { exclude: route.id }),
    sectionKnown
      ? planFeedList(deps, 'more', sectionScope, ARTICLE_MORE_STORIES + 1)
      : Promise.resolve(listOf('more', [])),
    readersFor(deps),
  ]).then(([f, t, m, c]) => [f, t, without(m, [route.id], ARTICLE_MORE_STORIES), c] as const);
  const article = fetched.get(route.id);
  const now = deps.clock().toISOString();
  // A scheduled story is not there yet: the same 404 as an id that never existed.
  if (article === undefined || typeof article.publishedAt !== 'string' || article.publishedAt > now) {
    throw new NotFoundError(NO_STORY);
  }
  if (article.withdrawnAt !== undefined) return { kind: 'gone', body: renderWithdrawnPage(config, edition) };
  const inEdition = editionsOf(article, config).includes(edition.id);
  if (!inEdition || article.section !== route.section || !route.slash) {
    const home = inEdition ? edition.id : homeEdition(article, config);
    return { kind: 'redirect', location: articlePageUrl(config.baseUrl, home, article.section, article.id) };
  }
  const scope: EntryScope = sectionScope;
  const entry = toFeedEntry(article, config, scope);
  return listDocument(
    deps,
    'html',
    ['article', edition.id, article.id, String(article.version)],
    [top, more],
    (articles) =>
      renderArticlePage(config, {
        story: article,
        entry,
        edition,
        top: toFeedEntries(
          articlesOf(top, articles, shownBy(deps, { kind: 'top', edition: edition.id })),
          config,
          scope,
          log,
        ),
        more: toFeedEntries(articlesOf(more, articles, shownBy(deps, scope)), config, scope, log),
        counts,
      }),
    { times: [modifiedTime(article)], counts },
  );
}

/** The first month with a published story in an edition, if it has one. */
async function firstMonth(deps: ReadDeps, edition: string): Promise<string | undefined> {
  const [oldest] = await deps.store.listFeedPeriod(
    { kind: 'edition', edition },
    { from: new Date(0), upTo: deps.clock(), limit: 1 },
  );
  return oldest === undefined ? undefined : monthOf(new Date(oldest.publishedAt));
}

/**
 * The sitemap index: the fronts' sitemap, and from each edition's first
 * month to now its sections' monthly sitemaps, with the writers' and topics'
 * monthly sitemaps from the site's first month (one Query per edition).
 */
async function planSitemapIndex(deps: ReadDeps, options: PageOptions): Promise<PagePlan> {
  const { config } = deps;
  const now = monthOf(deps.clock());
  const firsts = await Promise.all(config.editions.map((e) => firstMonth(deps, e.id)));
  const known = firsts.filter((m): m is string => m !== undefined).sort();
  const sitemaps = [`${config.baseUrl}/${SITE_FILES.frontsSitemap}`];
  if (known[0] !== undefined) {
    for (const month of monthsBetween(known[0], now)) {
      sitemaps.push(
        `${config.baseUrl}${monthSitemapPath({ kind: 'authors' }, month)}`,
        `${config.baseUrl}${monthSitemapPath({ kind: 'topics' }, month)}`,
      );
      config.editions.forEach((e, i) => {
        const first = firsts[i];
        if (first === undefined || month < first) return;
        for (const s of config.sections) {
          sitemaps.push(
            `${config.baseUrl}${monthSitemapPath({ kind: 'section', edition: e.id, section: s.id }, month)}`,
          );
        }
      });
    }
  }
  // The protocol's limit: past it, the oldest months give way (their pages stay reachable by links).
  if (sitemaps.length > SITEMAP_MAX_URLS) {
    options.log?.('The sitemap index leaves out its oldest months', {
      sitemaps: sitemaps.length,
      listed: SITEMAP_MAX_URLS,
    });
  }
  const listed =
    sitemaps.length <= SITEMAP_MAX_URLS
      ? sitemaps
      : [sitemaps[0]!, ...sitemaps.slice(sitemaps.length - SITEMAP_MAX_URLS + 1)];
  const body = renderSitemapIndex(listed);
  const validators = pageValidators(
    deps,
    [pagesFingerprint(), 'sitemap-index', now, ...firsts.map(String)],
    [],
  );
  const lastModified = monthSpan(now).from;
  return {
    kind: 'document',
    type: 'xml',
    variesByCountry: false,
    etag: validators.etag,
    lastModified,
    render: async () => ({ body, etag: validators.etag, lastModified }),
  };
}

/** The editions whose feeds hold every story once: an edition that carries all, else every edition. */
function everyStoryEditions(deps: ReadDeps): string[] {
  const all = deps.config.editions.find((e) => e.includesAll);
  return all === undefined ? deps.config.editions.map((e) => e.id) : [all.id];
}

/** A month's sitemap: a section's story pages (no article read), or the month's writers' or topics' pages. */
async function planMonthSitemap(
  deps: ReadDeps,
  route: Extract<PageRoute, { kind: 'month-sitemap' }>,
  options: PageOptions,
): Promise<PagePlan> {
  const { config } = deps;
  const log = options.log ?? (() => {});
  const { from, until } = monthSpan(route.month);
  const now = deps.clock();
  if (from > now) throw new NotFoundError(`No sitemap for ${route.month} yet`);
  const upTo = new Date(Math.min(until.getTime() - 1, now.getTime()));
  const { list } = route;
  if (list.kind === 'section') {
    const edition = findEdition(config, list.edition);
    const section = findSection(config, list.section);
    const scope: EntryScope = { kind: 'section', edition: edition.id, section: section.id };
    const refs = await deps.store.listFeedPeriod(scope, { from, upTo, limit: MONTH_SITEMAP_URLS + 1 });
    if (refs.length > MONTH_SITEMAP_URLS) {
      log('A monthly sitemap lists only its first stories', {
        sitemap: monthSitemapPath(list, route.month),
        listed: MONTH_SITEMAP_URLS,
      });
    }
    const stories = refs.slice(0, MONTH_SITEMAP_URLS);
    const planned = listOf('month', stories);
    const validators = pageValidators(
      deps,
      [pagesFingerprint(), 'month', monthSitemapPath(list, route.month)],
      [planned],
    );
    const urls: SitemapUrl[] =
      stories.length === 0
        ? [{ loc: pageUrl(config.baseUrl, scope) }]
        : stories.map((r) => ({
            loc: articlePageUrl(config.baseUrl, edition.id, section.id, r.id),
            lastmod: r.changedAt,
          }));
    return {
      kind: 'document',
      type: 'xml',
      variesByCountry: false,
      ...validators,
      render: async () => ({ body: renderSitemap(urls), ...validators }),
    };
  }
  // Writers and topics have no list of their own: take them from the month's stories (every story once).
  const perEdition = await Promise.all(
    everyStoryEditions(deps).map((edition) =>
      deps.store.listFeedPeriod({ kind: 'edition', edition }, { from, upTo, limit: MONTH_PEOPLE_STORIES }),
    ),
  );
  const seen = new Set<string>();
  const refs = perEdition
    .flat()
    .filter((r) => !seen.has(r.id) && seen.add(r.id) !== undefined)
    .slice(0, MONTH_PEOPLE_STORIES);
  const planned = listOf(list.kind, refs);
  return listDocument(deps, 'xml', ['month', monthSitemapPath(list, route.month)], [planned], (articles) => {
    const pages = new Set<string>();
    for (const story of planned.stories) {
      const article = articles.get(story.id);
      if (
        article === undefined ||
        article.withdrawnAt !== undefined ||
        article.publishedAt > now.toISOString()
      )
        continue;
      let entry: ReturnType<typeof toFeedEntry>;
      try {
        entry = toFeedEntry(article, config, { kind: 'edition', edition: homeEdition(article, config) });
      } catch {
        continue;
      }
      if (list.kind === 'authors') {
        for (const a of entry.authors) if (a.page !== undefined) pages.add(a.page);
      } else {
        for (const c of entry.categories.slice(1)) if (c.scheme !== undefined) pages.add(c.scheme);
      }
    }
    const urls = [...pages].sort().map((loc) => ({ loc }));
    return renderSitemap(urls.length === 0 ? [{ loc: pageUrl(config.baseUrl) }] : urls);
  });
}

/** An edition's Google News sitemap: its stories of the last two days, newest first, at most 1,000. */
async function planNewsSitemap(deps: ReadDeps, editionId: string, options: PageOptions): Promise<PagePlan> {
  const { config } = deps;
  const log = options.log ?? (() => {});
  const edition = findEdition(config, editionId);
  const now = deps.clock();
  const scope: EntryScope = { kind: 'edition', edition: edition.id };
  const refs = await deps.store.listFeedPeriod(scope, {
    from: new Date(now.getTime() - NEWS_SITEMAP_MS),
    upTo: now,
    limit: NEWS_SITEMAP_URLS,
    newestFirst: true,
  });
  const list = listOf('news', refs);
  return listDocument(deps, 'xml', ['news', edition.id], [list], (articles) => {
    const shown = articlesOf(list, articles, shownBy(deps, scope));
    const stories = toFeedEntries(shown, config, scope, log).map((entry, i) => ({
      loc: articlePageUrl(config.baseUrl, edition.id, shown[i]?.section ?? '', entry.id),
      title: entry.title,
      language: newsLanguage(entry.language),
      publicationDate: entry.published.toISOString(),
    }));
    return renderNewsSitemap(config, edition.id, stories);
  });
}

/**
 * Plans what a page route asks for: its validators from one read per list
 * (a 304 needs nothing more), and how to render it. NotFoundError for an
 * unknown edition, section, story or sitemap, and for a writer or topic with
 * no stories.
 */
export async function planPage(
  deps: PageDeps,
  route: PageRoute,
  options: PageOptions = {},
): Promise<PagePlan> {
  const { config } = deps;
  switch (route.kind) {
    case 'home':
      return planFront(deps, findEdition(config, config.defaultEdition), HOME_STORIES, options, true);
    case 'scope':
      return planScopePage(deps, scopeOfPath(config, route.segments), options);
    case 'article':
      return planArticlePage(deps, route, options);
    case 'opml':
      if (route.edition !== undefined) findEdition(config, route.edition);
      return staticDocument(deps, 'opml', ['opml', route.edition ?? ''], () =>
        renderOpml(config, route.edition),
      );
    case 'problem': {
      if (route.type === undefined)
        return staticDocument(deps, 'html', ['problems'], () => renderProblemIndex(config));
      const problem = findProblemType(route.type);
      if (problem === undefined) throw new NotFoundError(`No problem type "${route.type}"`);
      return staticDocument(deps, 'html', ['problem', problem.type], () =>
        renderProblemPage(config, problem),
      );
    }
    case 'robots':
      return staticDocument(deps, 'text', ['robots'], () => renderRobots(config));
    case 'fronts-sitemap':
      return staticDocument(deps, 'xml', ['fronts-sitemap'], () => renderSitemap(frontsSitemapUrls(config)));
    case 'sitemap-index':
      return planSitemapIndex(deps, options);
    case 'month-sitemap':
      return planMonthSitemap(deps, route, options);
    case 'news-sitemap':
      return planNewsSitemap(deps, route.edition, options);
    case 'redirect':
      return { kind: 'redirect', location: pageUrl(config.baseUrl, scopeOfPath(config, route.segments)) };
  }
}
