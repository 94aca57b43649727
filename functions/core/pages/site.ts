import type { Article } from '../article.ts';
import type { Edition } from '../config.ts';
import { editionForCountry, findEdition, findSection } from '../editions.ts';
import { NotFoundError } from '../errors.ts';
import { latestArticles } from '../feed-pages.ts';
import { type FeedEntry, newestChange, toFeedEntries } from '../feeds/entry.ts';
import { type BadItemLogger, namesFor } from '../feeds/render.ts';
import { renderOpml } from '../opml.ts';
import type { ReadDeps } from '../ports.ts';
import { findProblemType } from '../problems.ts';
import { type FeedScope, scopeOfPath } from '../scopes.ts';
import { renderEditionPage } from './edition.ts';
import { renderFollowPage } from './follow.ts';
import { renderHomePage } from './home.ts';
import { renderProblemIndex, renderProblemPage } from './problem.ts';
import { renderSectionPage } from './section.ts';

/** Headlines on an edition, section, writer or topic page. */
export const PAGE_STORIES = 30;
/** Top stories on the home page and atop an edition page. */
export const HOME_STORIES = 12;

/** What a read path that is not a feed file asks for. */
export type PageRoute =
  | { kind: 'home' }
  /** A page of one feed's scope: `/europe/`, `/europe/world/`, `/europe/top/`, `/authors/x/`, `/topics/x/`. */
  | { kind: 'scope'; segments: string[] }
  | { kind: 'opml'; edition?: string }
  /** `/problems/{type}`, what an API problem type means; `/problems/` lists them. */
  | { kind: 'problem'; type?: string }
  /** A page URL without its trailing slash. */
  | { kind: 'redirect'; segments: string[] };

/**
 * A page or OPML document ready to send, or where the page really lives.
 * `lastModified` is undefined for documents made from the code and config
 * alone (OPML, problem pages): when those last changed is not known.
 */
export type PageResult =
  | { kind: 'html'; body: string; lastModified: Date | undefined; variesByCountry: boolean }
  | { kind: 'opml'; body: string; lastModified: undefined }
  | { kind: 'redirect'; scope: FeedScope };

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
  if (path === '/opml.xml') return { kind: 'opml' };
  if (path === '/problems' || path === '/problems/') return { kind: 'problem' };
  const problem = /^\/problems\/([a-z-]+)$/.exec(path);
  if (problem !== null) return { kind: 'problem', type: problem[1] ?? '' };
  const parts = path
    .split('/')
    .slice(1)
    .map((segment) => decode(segment, path));
  const slash = parts.at(-1) === '';
  const segments = slash ? parts.slice(0, -1) : parts;
  if (segments.length === 0 || segments.length > 2 || segments.some((s) => s === '')) {
    throw new NotFoundError(`No page at ${path}`);
  }
  const [edition = '', second] = segments;
  if (second === 'opml.xml' && !slash) return { kind: 'opml', edition };
  return slash ? { kind: 'scope', segments } : { kind: 'redirect', segments };
}

/** Options of one page request. */
export interface PageOptions {
  /** ISO 3166 country of the viewer (CloudFront-Viewer-Country); only the home page uses it. */
  country?: string | undefined;
  log?: BadItemLogger;
}

async function entriesOf(
  deps: ReadDeps,
  scope: FeedScope,
  limit: number,
  log: BadItemLogger,
): Promise<FeedEntry[]> {
  const articles: Article[] = await latestArticles(deps, scope, limit);
  return toFeedEntries(articles, deps.config, scope, log);
}

/**
 * Builds what a page route asks for: the home page, a scope's page (one
 * feed read each; an edition's page also reads its Top Stories), an OPML
 * list, or the canonical page a slash-less URL redirects to. NotFoundError
 * for an unknown edition or section, and for a writer or topic with no stories.
 */
export async function readPage(
  deps: ReadDeps,
  route: PageRoute,
  options: PageOptions = {},
): Promise<PageResult> {
  const { config } = deps;
  const log = options.log ?? (() => {});
  switch (route.kind) {
    case 'home': {
      const suggested: Edition | undefined = editionForCountry(config, options.country);
      const [top, entries] = await Promise.all([
        entriesOf(deps, { kind: 'top', edition: config.defaultEdition }, HOME_STORIES, log),
        entriesOf(deps, { kind: 'edition', edition: config.defaultEdition }, HOME_STORIES, log),
      ]);
      const body = renderHomePage(config, { suggested, entries, top });
      return { kind: 'html', body, lastModified: newestChange([...entries, ...top]), variesByCountry: true };
    }
    case 'scope': {
      const scope = scopeOfPath(config, route.segments);
      if (scope.kind === 'edition') {
        const edition = findEdition(config, scope.edition);
        // The edition's latest stories and its Top Stories at once, as on the home page.
        const [entries, top] = await Promise.all([
          entriesOf(deps, scope, PAGE_STORIES, log),
          entriesOf(deps, { kind: 'top', edition: edition.id }, HOME_STORIES, log),
        ]);
        const body = renderEditionPage(config, edition, entries, top);
        return {
          kind: 'html',
          body,
          lastModified: newestChange([...entries, ...top]),
          variesByCountry: false,
        };
      }
      const entries = await entriesOf(deps, scope, PAGE_STORIES, log);
      if (scope.kind === 'section') {
        const body = renderSectionPage(
          config,
          findEdition(config, scope.edition),
          findSection(config, scope.section),
          entries,
        );
        return { kind: 'html', body, lastModified: newestChange(entries), variesByCountry: false };
      }
      if (entries.length === 0 && scope.kind !== 'top') {
        throw new NotFoundError(
          `No stories ${scope.kind === 'author' ? 'by this writer' : 'about this topic'} yet`,
        );
      }
      const body = renderFollowPage(config, scope, namesFor(config, scope, entries), entries);
      return { kind: 'html', body, lastModified: newestChange(entries), variesByCountry: false };
    }
    case 'opml':
      return { kind: 'opml', body: renderOpml(config, route.edition), lastModified: undefined };
    case 'problem': {
      const lastModified = undefined;
      if (route.type === undefined)
        return { kind: 'html', body: renderProblemIndex(config), lastModified, variesByCountry: false };
      const problem = findProblemType(route.type);
      if (problem === undefined) throw new NotFoundError(`No problem type "${route.type}"`);
      return { kind: 'html', body: renderProblemPage(config, problem), lastModified, variesByCountry: false };
    }
    case 'redirect':
      return { kind: 'redirect', scope: scopeOfPath(config, route.segments) };
  }
}
