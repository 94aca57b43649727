import { authenticate } from './core/api-keys.ts';
import { articleEtag } from './core/article.ts';
import { parseArticleId } from './core/article-input.ts';
import {
  type ArticleServiceDeps,
  getArticle,
  getRevision,
  listRevisions,
  putArticle,
  type WritePreconditions,
  withdrawArticle,
} from './core/articles.ts';
import { MethodNotAllowedError, NotFoundError, ValidationError } from './core/errors.ts';
import type { StatsStore, SubscriberStore } from './core/ports.ts';
import { createSubscriber, listSubscribers, revokeSubscriber } from './core/subscriber-tokens.ts';
import { parseReportQuery, subscriberReport } from './core/subscribers.ts';
import { getTopStories, putTopStories, topStoriesEtag } from './core/top-stories.ts';
import { defaultDeps, statsStore, subscriberStore } from './deps.ts';
import { renderApiReference } from './http/api-reference.ts';
import { cacheableResponse } from './http/conditional.ts';
import { httpHandler, type RequestContext } from './http/handler.ts';
import { API_REFERENCE_PATH, openApiDocument } from './http/openapi.ts';
import {
  checkJsonHead,
  entityTags,
  header,
  jsonBody,
  MAX_REQUEST_BYTES,
  method,
  path,
  pathSegments,
  query,
} from './http/request.ts';
import { jsonResponse } from './http/response.ts';
import { matchRoute, methodsFor, API_ROUTES_HELP as ROUTES_HELP } from './http/routes.ts';
import { forRequest } from './http/site.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './http/types.ts';
import { REQUEST_STORE_BUDGET_MS, withStoreDeadline } from './store/deadline.ts';

function preconditions(event: HttpEvent): WritePreconditions {
  const ifMatch = entityTags(header(event, 'if-match'), 'If-Match');
  const ifNoneMatch = entityTags(header(event, 'if-none-match'), 'If-None-Match');
  return {
    ...(ifMatch !== undefined && { ifMatch }),
    ...(ifNoneMatch?.includes('*') && { ifNoneMatchAny: true }),
  };
}

/** A version number from a path or query (`3`), or a 400 naming the field. */
function parseVersion(raw: string | undefined, field: string): number {
  const version = Number(raw);
  if (raw === undefined || !/^[1-9]\d{0,9}$/.test(raw) || !Number.isSafeInteger(version)) {
    throw new ValidationError([{ field, message: 'must be a version number (1, 2, …)' }]);
  }
  return version;
}

async function articleRoute(
  event: HttpEvent,
  request: RequestContext,
  d: ArticleServiceDeps,
  id: string,
): Promise<HttpResult> {
  const verb = method(event);
  if (verb === 'GET') {
    const article = await getArticle(d, id);
    return jsonResponse(200, article, { etag: articleEtag(article) });
  }
  if (verb === 'DELETE') {
    const article = await withdrawArticle(d, id, preconditions(event));
    request.wrote({ id, version: article.version, status: article.status });
    return jsonResponse(200, article, { etag: articleEtag(article) });
  }
  const { article, created, warnings, republished } = await putArticle(
    d,
    id,
    jsonBody(event),
    preconditions(event),
  );
  request.wrote({ id, version: article.version, status: article.status });
  const body = {
    ...article,
    ...(warnings.length > 0 && { warnings }),
    ...(republished && { republished: true }),
  };
  return jsonResponse(created ? 201 : 200, body, {
    etag: articleEtag(article),
    ...(created && { location: `/api/articles/${id}` }),
  });
}

async function revisionsRoute(
  event: HttpEvent,
  d: ArticleServiceDeps,
  id: string,
  version: string | undefined,
): Promise<HttpResult> {
  if (version !== undefined) {
    const revision = await getRevision(d, id, parseVersion(version, 'version'));
    return jsonResponse(200, revision, { etag: articleEtag(revision) });
  }
  const before = query(event, 'before');
  const page = await listRevisions(d, id, before === undefined ? undefined : parseVersion(before, 'before'));
  const next =
    page.next === undefined
      ? undefined
      : `/api/articles/${encodeURIComponent(id)}/revisions?before=${page.next}`;
  return jsonResponse(
    200,
    { ...page, ...(next !== undefined && { nextUrl: next }) },
    {
      ...(next !== undefined && { link: `<${next}>; rel="next"` }),
    },
  );
}

async function topStoriesRoute(
  event: HttpEvent,
  d: ArticleServiceDeps,
  edition: string,
): Promise<HttpResult> {
  const verb = method(event);
  if (verb === 'GET') {
    const list = await getTopStories(d, edition);
    return jsonResponse(200, list, { etag: topStoriesEtag(list) });
  }
  const { list, created, warnings } = await putTopStories(d, edition, jsonBody(event), preconditions(event));
  return jsonResponse(
    created ? 201 : 200,
    { ...list, ...(warnings.length > 0 && { warnings }) },
    {
      etag: topStoriesEtag(list),
    },
  );
}

/** `/api/`: the API reference page (public; API Gateway routes it here through `/api/{proxy+}`). */
function apiReference(event: HttpEvent, deps: () => ArticleServiceDeps): HttpResult {
  if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
  const { config } = forRequest(event, deps());
  // Made from the code and config alone: when it last changed is not known, so no Last-Modified.
  return cacheableResponse(event, renderApiReference(config), 'text/html; charset=utf-8', undefined);
}

async function statsRoute(event: HttpEvent, d: ArticleServiceDeps, stats: StatsStore): Promise<HttpResult> {
  const request = parseReportQuery(d.config, { days: query(event, 'days'), feed: query(event, 'feed') });
  const report = await subscriberReport({ stats, config: d.config, clock: d.clock }, request);
  return jsonResponse(200, report, { 'cache-control': 'private, no-store' });
}

/** `/api/subscribers` (POST makes a token, GET lists them) and `/api/subscribers/{id}` (DELETE revokes one). */
async function subscribersRoute(
  event: HttpEvent,
  d: ArticleServiceDeps,
  subscribers: SubscriberStore,
  id: string | undefined,
): Promise<HttpResult> {
  const deps = { subscribers, clock: d.clock };
  const noStore = { 'cache-control': 'private, no-store' };
  if (id !== undefined) {
    await revokeSubscriber(deps, id);
    return jsonResponse(200, { subscriberId: id, status: 'revoked' }, noStore);
  }
  if (method(event) === 'GET')
    return jsonResponse(200, { subscribers: await listSubscribers(deps) }, noStore);
  const created = await createSubscriber(deps, jsonBody(event));
  return jsonResponse(201, created, {
    ...noStore,
    location: `/api/subscribers/${created.subscriberId}`,
  });
}

/**
 * What the articles function checks before reading a body: the route (404,
 * 405), the key (401, 403) for every operation but the OpenAPI document and the API reference, and
 * for a write its media type (415) and declared size (413). A write reads at
 * most MAX_REQUEST_BYTES; nothing else reads a body.
 */
async function admitRequest(event: HttpEvent, d: ArticleServiceDeps): Promise<number> {
  if (path(event) === API_REFERENCE_PATH) {
    if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
    return 0;
  }
  const requested = path(event).replace(/(.)\/$/, '$1');
  if (pathSegments(requested) === undefined) {
    throw new ValidationError([{ field: 'path', message: 'has a malformed percent-escape' }]);
  }
  const operation = matchRoute(method(event), requested)?.route.operation;
  if (operation === 'openapi') return 0;
  if (operation === undefined || operation === 'unknownApi') {
    const allowed = methodsFor(requested);
    if (allowed.length > 0) throw new MethodNotAllowedError(allowed);
    throw new NotFoundError(ROUTES_HELP);
  }
  await authenticate(d.store, header(event, 'authorization'));
  if (method(event) !== 'PUT' && method(event) !== 'POST') return 0;
  checkJsonHead(event);
  return MAX_REQUEST_BYTES;
}

/**
 * The write API, behind bearer API keys: articles (PUT, GET, DELETE), their
 * revisions (GET), each edition's Top Stories (GET, PUT), the subscriber
 * estimates (GET) and subscribers' private-feed tokens (POST, GET, DELETE); and its OpenAPI description (public). Operations come from
 * the one route table (http/routes.ts).
 */
export function createArticlesHandler(
  deps: () => ArticleServiceDeps,
  stats: () => StatsStore = statsStore,
  subscribers: () => SubscriberStore = subscriberStore,
): HttpHandler {
  return httpHandler(
    'articles',
    (event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, async () => {
        if (path(event) === API_REFERENCE_PATH) return apiReference(event, deps);
        // Route, key, media type and size were checked by admitRequest, before the body.
        const requested = path(event).replace(/(.)\/$/, '$1');
        const match = matchRoute(method(event), requested)!;
        const d = forRequest(event, deps());
        switch (match.route.operation) {
          case 'article':
            return articleRoute(event, request, d, parseArticleId(match.params.id));
          case 'revisions':
          case 'revision':
            return revisionsRoute(event, d, parseArticleId(match.params.id), match.params.version);
          case 'topStories':
            return topStoriesRoute(event, d, match.params.edition ?? '');
          case 'stats':
            return statsRoute(event, d, stats());
          case 'subscribers':
            return subscribersRoute(event, d, subscribers(), undefined);
          case 'subscriber':
            return subscribersRoute(event, d, subscribers(), match.params.id ?? '');
          default:
            return jsonResponse(200, openApiDocument(d.config), { 'cache-control': 'public, max-age=300' });
        }
      }),
    (event) => withStoreDeadline(REQUEST_STORE_BUDGET_MS, () => admitRequest(event, deps())),
  );
}

/** Lambda entry point. */
export const handler = createArticlesHandler(defaultDeps);
