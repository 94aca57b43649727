import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { BEARER, INVALID_KEY, MISSING_KEY, TOKEN } from '../../functions/core/api-keys.ts';
import { ARTICLE_ID } from '../../functions/core/article.ts';
import type { SiteConfig } from '../../functions/core/config.ts';
import { findEdition, findSection } from '../../functions/core/editions.ts';
import {
  MethodNotAllowedError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../../functions/core/errors.ts';
import { CURSOR_TIME, decodeCursor, TOP_STORIES_CURSOR } from '../../functions/core/feed-pages.ts';
import { scopeOfPath } from '../../functions/core/scopes.ts';
import { SLUG_LENGTH } from '../../functions/core/text.ts';
import { FEED_FILES } from '../../functions/core/urls.ts';
import { API_REFERENCE_PATH } from '../../functions/http/openapi.ts';
import { errorResponse } from '../../functions/http/response.ts';
import { API_ROUTES_HELP, ROUTES } from '../../functions/http/routes.ts';

/** CloudFront Functions' largest function: 10 KB of code (CloudFront quotas, *Quotas on CloudFront Functions*). */
export const EDGE_FUNCTION_LIMIT_BYTES = 10_240;

/** The template the generated code is made from; SITE is filled in by viewerRequestCode. */
const TEMPLATE = join(import.meta.dirname, 'viewer-request.js');
const SITE_DECLARATION = 'const SITE = /* site */ {};';

/** Stands for the request's own value (an id, a method list) in an answer; never in a plain path. */
const MARK = '\u0001';

/** One of the origin's replies as the edge sends it: status, headers and body, MARK where the request's value goes. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The reply the origin's error mapping gives the error `run` throws (it must throw). */
function originAnswer(run: () => unknown): Answer {
  try {
    run();
  } catch (error) {
    const reply = errorResponse(error);
    return { status: reply.statusCode, headers: reply.headers, body: reply.body };
  }
  throw new Error('The origin accepts what the edge would refuse');
}

/**
 * The origin's replies the edge sends, each made by the origin's own code
 * (its checks where they are synchronous, its errors and messages where
 * not) with MARK in place of the request's value, so the edge says what the
 * origin says, word for word.
 */
function originAnswers(config: SiteConfig): Record<string, Answer> {
  return {
    apiNotFound: originAnswer(() => {
      throw new NotFoundError(API_ROUTES_HELP);
    }),
    methodNotAllowed: originAnswer(() => {
      throw new MethodNotAllowedError([MARK]);
    }),
    noKey: originAnswer(() => {
      throw new UnauthorizedError(MISSING_KEY);
    }),
    badKey: originAnswer(() => {
      throw new UnauthorizedError(INVALID_KEY);
    }),
    noEdition: originAnswer(() => findEdition(config, MARK)),
    noSection: originAnswer(() => findSection(config, MARK)),
    noWriter: originAnswer(() => scopeOfPath(config, ['authors', MARK])),
    noTopic: originAnswer(() => scopeOfPath(config, ['topics', MARK])),
    badCursor: originAnswer(() => decodeCursor('')),
    topCursor: originAnswer(() => {
      throw new ValidationError([{ field: 'after', message: TOP_STORIES_CURSOR }]);
    }),
  };
}

/** A route pattern's segments as the edge matches them: a literal, 1 for a variable, 0 for a greedy one. */
function segmentsOf(path: string): (string | 0 | 1)[] {
  if (path === '/') return [];
  return path
    .slice(1)
    .split('/')
    .map((part) => (/^\{[A-Za-z]+\+\}$/.test(part) ? 0 : /^\{[A-Za-z]+\}$/.test(part) ? 1 : part));
}

/** Whether a route's path ends in a scope's feed file (`/{edition}/rss.xml`, `/authors/{author}/feed.json`). */
function isScopeFeedFile(path: string): boolean {
  const file = path.split('/').at(-1) ?? '';
  return (Object.values(FEED_FILES) as string[]).includes(file);
}

/** What the viewer-request function is told at synth. */
export interface GateOptions {
  /** Copy the viewer's Host into x-newswire-host (a distribution without a custom domain). */
  readonly copyHost: boolean;
}

/**
 * The code of the viewer-request CloudFront Function for a site: the rules
 * of infra/edge/viewer-request.js with the route table, the config's
 * editions and sections, the origin's patterns and the origin's own
 * replies filled in, whitespace removed.
 */
export function viewerRequestCode(config: SiteConfig, options: GateOptions): string {
  const site = {
    copyHost: options.copyHost,
    mark: MARK,
    apiReference: API_REFERENCE_PATH,
    routes: ROUTES.map((route) => ({
      methods: route.methods,
      segments: segmentsOf(route.path),
      ...(route.operation !== undefined && { operation: route.operation }),
      ...(route.keyed === true && { keyed: true }),
      // A feed file of a scope (edition, section, Top Stories, writer, topic): the folder's and the
      // cursor's checks apply. Feeds of other shapes go on to the origin unchecked.
      ...(route.target === 'feeds' && isScopeFeedFile(route.path) && { scopeFeed: true }),
    })),
    editions: config.editions.map((e) => e.id),
    sections: config.sections.map((s) => s.id),
    slugLength: SLUG_LENGTH,
    bearer: BEARER.source,
    token: TOKEN.source,
    id: ARTICLE_ID.source,
    cursorTime: CURSOR_TIME.source,
    answers: originAnswers(config),
  };
  const template = readFileSync(TEMPLATE, 'utf8');
  if (!template.includes(SITE_DECLARATION)) throw new Error(`${TEMPLATE} lost its line ${SITE_DECLARATION}`);
  const code = template.replace(SITE_DECLARATION, `const SITE = ${JSON.stringify(site)};`);
  // Minified (CloudFront counts every byte), in syntax no newer than ES2015 (let, const, arrow
  // functions, template literals), which the runtime documents; top-level names, `handler` among
  // them, are kept.
  const minified = transformSync(code, { minify: true, target: 'es2015', legalComments: 'none' }).code;
  const bytes = Buffer.byteLength(minified);
  if (bytes > EDGE_FUNCTION_LIMIT_BYTES) {
    throw new Error(
      `The viewer-request function is ${bytes} bytes, over CloudFront's ${EDGE_FUNCTION_LIMIT_BYTES}: ` +
        'fewer editions, sections or routes, or shorter ids, bring it back under',
    );
  }
  return minified;
}
