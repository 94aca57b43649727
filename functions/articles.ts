import { authenticate } from './core/api-keys.ts';
import { articleEtag, parseArticleId } from './core/article.ts';
import {
  type ArticleServiceDeps,
  getArticle,
  putArticle,
  type WritePreconditions,
  withdrawArticle,
} from './core/articles.ts';
import { MethodNotAllowedError, NotFoundError } from './core/errors.ts';
import { defaultDeps } from './deps.ts';
import { httpHandler } from './http/handler.ts';
import { entityTags, header, jsonBody, method, path } from './http/request.ts';
import { jsonResponse } from './http/response.ts';
import type { HttpEvent, HttpHandler } from './http/types.ts';

const ROUTE = /^\/api\/articles\/([^/]*)\/?$/;

function preconditions(event: HttpEvent): WritePreconditions {
  const ifMatch = entityTags(header(event, 'if-match'), 'If-Match');
  const ifNoneMatch = entityTags(header(event, 'if-none-match'), 'If-None-Match');
  return {
    ...(ifMatch !== undefined && { ifMatch }),
    ...(ifNoneMatch?.includes('*') && { ifNoneMatchAny: true }),
  };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The write API: PUT, GET and DELETE /api/articles/{id}, behind bearer API keys. */
export function createArticlesHandler(deps: () => ArticleServiceDeps): HttpHandler {
  return httpHandler('articles', async (event, request) => {
    const match = ROUTE.exec(path(event));
    if (match === null) throw new NotFoundError('No such API resource; use /api/articles/{id}');
    const verb = method(event);
    if (!['GET', 'PUT', 'DELETE'].includes(verb)) throw new MethodNotAllowedError(['GET', 'PUT', 'DELETE']);
    const d = deps();
    await authenticate(d.store, header(event, 'authorization'));
    const id = parseArticleId(safeDecode(match[1] ?? ''));
    if (verb === 'GET') {
      const article = await getArticle(d, id);
      return jsonResponse(200, article, { etag: articleEtag(article) });
    }
    if (verb === 'DELETE') {
      const article = await withdrawArticle(d, id, preconditions(event));
      request.wrote({ id, version: article.version, status: article.status });
      return jsonResponse(200, article, { etag: articleEtag(article) });
    }
    const { article, created } = await putArticle(d, id, jsonBody(event), preconditions(event));
    request.wrote({ id, version: article.version, status: article.status });
    return jsonResponse(created ? 201 : 200, article, {
      etag: articleEtag(article),
      ...(created && { location: `/api/articles/${id}` }),
    });
  });
}

/** Lambda entry point. */
export const handler = createArticlesHandler(defaultDeps);
