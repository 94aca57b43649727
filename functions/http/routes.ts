/**
 * The one route table of the HTTP API. The CDK stack adds these routes to
 * API Gateway (infra/constructs/api.ts), the local server routes requests by
 * them (local/server.ts), the articles function dispatches its operations by
 * them, and the OpenAPI document describes them (functions/http/openapi.ts):
 * a route cannot be in one and missing from another.
 */
import { FEED_FILES, FEED_FORMATS, PRIVATE_FOLDER } from '../core/urls.ts';

/** The Lambda functions behind the API. */
export type RouteTarget = 'articles' | 'feeds' | 'private' | 'pages';

/** HTTP methods a route answers (`ANY`: every method). */
export type RouteMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'ANY';

/** The operations the articles function dispatches on. */
export type ApiOperation =
  | 'article'
  | 'revisions'
  | 'revision'
  | 'topStories'
  | 'stats'
  | 'subscribers'
  | 'subscriber'
  | 'openapi'
  | 'unknownApi';

/** One route: methods, an API Gateway path pattern (`{name}`, greedy `{name+}` last), its function. */
export interface Route {
  readonly methods: readonly RouteMethod[];
  readonly path: string;
  readonly target: RouteTarget;
  /** The operation, for routes the articles function serves. */
  readonly operation?: ApiOperation;
  /** The operation needs an API key (`Authorization: Bearer nw_…`); it is checked before anything else of the request. */
  readonly keyed?: true;
}

const READ: readonly RouteMethod[] = ['GET', 'HEAD'];

/** The detail of the 404 for a path under /api/ that names no resource. */
export const API_ROUTES_HELP =
  'No such API resource; use /api/articles/{id}, /api/articles/{id}/revisions[/{version}], /api/editions/{edition}/top-stories, /api/stats, /api/subscribers[/{id}] or /api/openapi.json (the API reference is /api/)';

/** Every route of the HTTP API. */
// API Gateway picks the most specific match, literal segments before variables and greedy
// `{proxy+}` last, so `/api/…` goes to articles, feed files to feeds, `/private/{token}/…` to
// private, and every other GET
// (pages with or without a trailing slash, OPML, site files, unknown paths) to pages.
export const ROUTES: readonly Route[] = [
  {
    methods: ['PUT', 'GET', 'DELETE'],
    path: '/api/articles/{id}',
    target: 'articles',
    operation: 'article',
    keyed: true,
  },
  {
    methods: ['GET'],
    path: '/api/articles/{id}/revisions',
    target: 'articles',
    operation: 'revisions',
    keyed: true,
  },
  {
    methods: ['GET'],
    path: '/api/articles/{id}/revisions/{version}',
    target: 'articles',
    operation: 'revision',
    keyed: true,
  },
  {
    methods: ['GET', 'PUT'],
    path: '/api/editions/{edition}/top-stories',
    target: 'articles',
    operation: 'topStories',
    keyed: true,
  },
  { methods: ['GET'], path: '/api/stats', target: 'articles', operation: 'stats', keyed: true },
  {
    methods: ['POST', 'GET'],
    path: '/api/subscribers',
    target: 'articles',
    operation: 'subscribers',
    keyed: true,
  },
  {
    methods: ['DELETE'],
    path: '/api/subscribers/{id}',
    target: 'articles',
    operation: 'subscriber',
    keyed: true,
  },
  { methods: ['GET'], path: '/api/openapi.json', target: 'articles', operation: 'openapi' },
  { methods: ['ANY'], path: '/api/{proxy+}', target: 'articles', operation: 'unknownApi' },
  ...FEED_FORMATS.map((format) => FEED_FILES[format]).flatMap((file): Route[] => [
    { methods: READ, path: `/{edition}/${file}`, target: 'feeds' },
    // Also an edition's Top Stories (`/europe/top/…`).
    { methods: READ, path: `/{edition}/{section}/${file}`, target: 'feeds' },
    // Writers' and topics' feeds have routes of their own, so each has its own throttle: any slug
    // is a request to the origin, and a flood of made-up ones must not spend the editions' tokens.
    { methods: READ, path: `/authors/{author}/${file}`, target: 'feeds' },
    { methods: READ, path: `/topics/{topic}/${file}`, target: 'feeds' },
  ]),
  // Partner feeds (functions/core/partners.ts): an edition's, and a section's for partners that take sections.
  { methods: READ, path: '/{edition}/partners/{partner}', target: 'feeds' },
  { methods: READ, path: '/{edition}/{section}/partners/{partner}', target: 'feeds' },
  // A subscriber's private copy of every feed: `/private/{token}/` then any feed path above.
  { methods: READ, path: `/${PRIVATE_FOLDER}/{token}/{feed+}`, target: 'private' },
  { methods: READ, path: '/', target: 'pages' },
  { methods: READ, path: '/{proxy+}', target: 'pages' },
];

/** A route a request matched, with its path parameters (decoded) and its API Gateway route key. */
export interface RouteMatch {
  route: Route;
  routeKey: string;
  params: Record<string, string>;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'greedy'; name: string };

function segmentsOf(pattern: string): Segment[] {
  if (pattern === '/') return [];
  return pattern
    .slice(1)
    .split('/')
    .map((part): Segment => {
      const variable = /^\{([A-Za-z]+)(\+?)\}$/.exec(part);
      if (variable === null) return { kind: 'literal', text: part };
      return variable[2] === '+'
        ? { kind: 'greedy', name: variable[1]! }
        : { kind: 'variable', name: variable[1]! };
    });
}

const PATTERNS = new Map(ROUTES.map((route) => [route, segmentsOf(route.path)]));

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Matches the path's segments against a pattern; the rank says how specific the match is, per segment. */
function matchSegments(
  pattern: Segment[],
  parts: string[],
): { rank: number[]; params: Record<string, string> } | undefined {
  const params: Record<string, string> = {};
  const rank: number[] = [];
  for (const [i, segment] of pattern.entries()) {
    if (segment.kind === 'greedy') {
      // At least one more segment, which may be empty: `/api/` is matched by `/api/{proxy+}`, as
      // API Gateway matches it (a route path may not end with "/", so a greedy variable catches it).
      const rest = parts.slice(i);
      if (rest.length === 0) return undefined;
      params[segment.name] = rest.map(decode).join('/');
      rank.push(0);
      return { rank, params };
    }
    const part = parts[i];
    if (part === undefined || (part === '' && !(segment.kind === 'literal' && segment.text === ''))) {
      return undefined;
    }
    if (segment.kind === 'literal') {
      if (part !== segment.text) return undefined;
      rank.push(2);
    } else {
      params[segment.name] = decode(part);
      rank.push(1);
    }
  }
  return parts.length === pattern.length ? { rank, params } : undefined;
}

/** Left to right, a literal segment outranks a variable, which outranks a greedy one. */
function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function pathParts(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/**
 * The most specific of some path templates (`/{edition}/top/rss.xml`) that a
 * path matches, by the rule API Gateway routes with, and its parameters.
 */
export function matchTemplate(
  templates: readonly string[],
  path: string,
): { template: string; params: Record<string, string> } | undefined {
  const parts = pathParts(path);
  let best: { template: string; rank: number[]; params: Record<string, string> } | undefined;
  for (const template of templates) {
    const found = matchSegments(segmentsOf(template), parts);
    if (found !== undefined && (best === undefined || compareRanks(found.rank, best.rank) > 0)) {
      best = { template, ...found };
    }
  }
  return best === undefined ? undefined : { template: best.template, params: best.params };
}

/**
 * The route API Gateway would pick for a request, as it picks them: among
 * the routes whose pattern and methods match, the most specific (literal
 * segments first, from the left; greedy variables last). Undefined when none matches.
 */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const parts = pathParts(path);
  const verb = method.toUpperCase();
  let best: { route: Route; rank: number[]; params: Record<string, string> } | undefined;
  for (const route of ROUTES) {
    if (!route.methods.includes('ANY') && !route.methods.includes(verb as RouteMethod)) continue;
    const found = matchSegments(PATTERNS.get(route)!, parts);
    if (found !== undefined && (best === undefined || compareRanks(found.rank, best.rank) > 0)) {
      best = { route, ...found };
    }
  }
  if (best === undefined) return undefined;
  const routeMethod = best.route.methods.includes('ANY') ? 'ANY' : verb;
  return { route: best.route, routeKey: `${routeMethod} ${best.route.path}`, params: best.params };
}

/** The methods a path is routed for (for 405 replies and `Allow`). */
export function methodsFor(path: string): string[] {
  const methods = new Set<string>();
  for (const method of ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']) {
    const match = matchRoute(method, path);
    if (match !== undefined && !match.route.methods.includes('ANY')) methods.add(method);
  }
  return [...methods];
}
