import type { ArticleServiceDeps } from '../articles.ts';
import type { Edition } from '../config.ts';
import { checkScope, editionForCountry, type FeedScope, findEdition, findSection } from '../editions.ts';
import { NotFoundError } from '../errors.ts';
import { type FeedEntry, newestChange, toFeedEntries } from '../feeds/entry.ts';
import type { BadItemLogger } from '../feeds/render.ts';
import { renderOpml, siteStartDate } from '../opml.ts';
import { findProblemType } from '../problems.ts';
import { renderEditionPage } from './edition.ts';
import { renderHomePage } from './home.ts';
import { renderProblemIndex, renderProblemPage } from './problem.ts';
import { renderSectionPage } from './section.ts';

/** Headlines on an edition or section page. */
export const PAGE_STORIES = 30;
/** Top stories on the home page. */
export const HOME_STORIES = 12;

/** What a read path that is not a feed file asks for. */
export type PageRoute =
  | { kind: 'home' }
  | { kind: 'edition'; edition: string }
  | { kind: 'section'; edition: string; section: string }
  | { kind: 'opml'; edition?: string }
  /** `/problems/{type}`, what an API problem type means; `/problems/` lists them. */
  | { kind: 'problem'; type?: string }
  /** A page URL without its trailing slash. */
  | { kind: 'redirect'; scope: FeedScope };

/** A page or OPML document ready to send, or where the page really lives. */
export type PageResult =
  | { kind: 'html'; body: string; lastModified: Date; variesByCountry: boolean }
  | { kind: 'opml'; body: string; lastModified: Date }
  | { kind: 'redirect'; scope: FeedScope };

/** Maps a request path to a page route; NotFoundError when the path is not one. */
export function routePage(path: string): PageRoute {
  if (path === '/') return { kind: 'home' };
  if (path === '/opml.xml') return { kind: 'opml' };
  if (path === '/problems' || path === '/problems/') return { kind: 'problem' };
  const problem = /^\/problems\/([a-z-]+)$/.exec(path);
  if (problem !== null) return { kind: 'problem', type: problem[1] ?? '' };
  const parts = path.split('/').slice(1);
  const slash = parts.at(-1) === '';
  const segments = slash ? parts.slice(0, -1) : parts;
  if (segments.length === 0 || segments.length > 2 || segments.some((s) => s === '')) {
    throw new NotFoundError(`No page at ${path}`);
  }
  const [edition = '', second] = segments;
  if (second === 'opml.xml' && !slash) return { kind: 'opml', edition };
  const scope: FeedScope = { edition, ...(second !== undefined && { section: second }) };
  if (!slash) return { kind: 'redirect', scope };
  return scope.section === undefined
    ? { kind: 'edition', edition }
    : { kind: 'section', edition, section: scope.section };
}

async function latestEntries(
  deps: ArticleServiceDeps,
  scope: FeedScope,
  limit: number,
  log: BadItemLogger,
): Promise<FeedEntry[]> {
  const page = await deps.store.readFeed(scope, { now: deps.clock(), limit });
  return toFeedEntries(page.articles, deps.config, scope.edition, log);
}

/** Options of one page request. */
export interface PageOptions {
  /** ISO 3166 country of the viewer (CloudFront-Viewer-Country); only the home page uses it. */
  country?: string | undefined;
  log?: BadItemLogger;
}

/**
 * Builds what a page route asks for: the home page, an edition or section
 * page (one store query each), an OPML list, or the canonical page a
 * slash-less URL redirects to. NotFoundError for an unknown edition or section.
 */
export async function readPage(
  deps: ArticleServiceDeps,
  route: PageRoute,
  options: PageOptions = {},
): Promise<PageResult> {
  const { config } = deps;
  const log = options.log ?? (() => {});
  switch (route.kind) {
    case 'home': {
      const suggested: Edition | undefined = editionForCountry(config, options.country);
      const entries = await latestEntries(deps, { edition: config.defaultEdition }, HOME_STORIES, log);
      const body = renderHomePage(config, { suggested, entries });
      return { kind: 'html', body, lastModified: newestChange(entries), variesByCountry: true };
    }
    case 'edition': {
      const edition = findEdition(config, route.edition);
      const entries = await latestEntries(deps, { edition: edition.id }, PAGE_STORIES, log);
      const body = renderEditionPage(config, edition, entries);
      return { kind: 'html', body, lastModified: newestChange(entries), variesByCountry: false };
    }
    case 'section': {
      const edition = findEdition(config, route.edition);
      const section = findSection(config, route.section);
      const entries = await latestEntries(
        deps,
        { edition: edition.id, section: section.id },
        PAGE_STORIES,
        log,
      );
      const body = renderSectionPage(config, edition, section, entries);
      return { kind: 'html', body, lastModified: newestChange(entries), variesByCountry: false };
    }
    case 'opml':
      return { kind: 'opml', body: renderOpml(config, route.edition), lastModified: siteStartDate(config) };
    case 'problem': {
      const lastModified = siteStartDate(config);
      if (route.type === undefined)
        return { kind: 'html', body: renderProblemIndex(config), lastModified, variesByCountry: false };
      const problem = findProblemType(route.type);
      if (problem === undefined) throw new NotFoundError(`No problem type "${route.type}"`);
      return { kind: 'html', body: renderProblemPage(config, problem), lastModified, variesByCountry: false };
    }
    case 'redirect':
      checkScope(config, route.scope);
      return { kind: 'redirect', scope: route.scope };
  }
}
