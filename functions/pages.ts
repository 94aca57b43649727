import { assetResponse } from './assets.ts';
import {
  MethodNotAllowedError,
  NotFoundError,
  StoreUnavailableError,
  TooManyRequestsError,
} from './core/errors.ts';
import { OPML_CONTENT_TYPE } from './core/opml.ts';
import { renderNotFoundPage } from './core/pages/not-found.ts';
import { readPage, routePage } from './core/pages/site.ts';
import { renderUnavailablePage } from './core/pages/unavailable.ts';
import type { ReadDeps } from './core/ports.ts';
import { pageUrl } from './core/urls.ts';
import { readDeps } from './deps.ts';
import { cacheableResponse, PUBLIC_CACHE } from './http/conditional.ts';
import { httpHandler } from './http/handler.ts';
import { log } from './http/log.ts';
import { header, method, path } from './http/request.ts';
import { errorResponse } from './http/response.ts';
import { forRequest } from './http/site.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './http/types.ts';
import { siteFileResponse } from './site-files.ts';
import { REQUEST_STORE_BUDGET_MS, withStoreDeadline } from './store/deadline.ts';

const HTML = 'text/html; charset=utf-8';

/** Pages end in a slash or a bare name; a name with an extension is a file, wanted by a program. */
function isPagePath(requested: string): boolean {
  return !(requested.split('/').at(-1) ?? '').includes('.');
}

function notFoundPage(event: HttpEvent, deps: ReadDeps, error: NotFoundError): HttpResult {
  const body = renderNotFoundPage(deps.config, error.message, path(event));
  return {
    statusCode: 404,
    headers: { 'content-type': HTML, 'cache-control': 'public, max-age=60' },
    body: method(event) === 'HEAD' ? '' : body,
  };
}

/** A store outage or throttling as a page: the same status, Retry-After and log line as the problem+json reply. */
function unavailablePage(
  event: HttpEvent,
  deps: ReadDeps,
  error: StoreUnavailableError | TooManyRequestsError,
): HttpResult {
  const reply = errorResponse(error);
  const body = renderUnavailablePage(deps.config, error.retryAfterSeconds);
  return {
    statusCode: reply.statusCode,
    headers: { ...reply.headers, 'content-type': HTML },
    body: method(event) === 'HEAD' ? '' : body,
  };
}

/**
 * HTML pages (`/`, `/{edition}/`, `/{edition}/{section}/`, `/problems/{type}`),
 * OPML (`/opml.xml`, `/{edition}/opml.xml`), the site images, `/favicon.ico`
 * and `/robots.txt`. Only `/` looks at
 * the viewer's country, to suggest an edition; nothing ever redirects by location.
 */
export function createPagesHandler(deps: () => ReadDeps): HttpHandler {
  return httpHandler(
    'pages',
    (event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, async () => {
        const requested = path(event);
        const asset = assetResponse(event, requested) ?? siteFileResponse(event, requested);
        if (asset !== undefined) return asset;
        const d = forRequest(event, deps());
        try {
          const page = await request.render(() =>
            readPage(d, routePage(requested), {
              country: header(event, 'cloudfront-viewer-country'),
              log: (message, context) => log('warn', message, context),
            }),
          );
          if (page.kind !== 'redirect') request.page();
          switch (page.kind) {
            case 'redirect':
              return {
                statusCode: 301,
                headers: { location: pageUrl(d.config.baseUrl, page.scope), 'cache-control': PUBLIC_CACHE },
                body: '',
              };
            case 'opml':
              return cacheableResponse(event, page.body, OPML_CONTENT_TYPE, page.lastModified);
            case 'html':
              return cacheableResponse(
                event,
                page.body,
                HTML,
                page.lastModified,
                page.variesByCountry ? { vary: 'Accept-Encoding, CloudFront-Viewer-Country' } : {},
              );
          }
        } catch (error) {
          // A person gets a page to move on from; a reader asking for a file gets problem+json, as feeds do.
          if (error instanceof NotFoundError && isPagePath(requested)) return notFoundPage(event, d, error);
          const outage = error instanceof StoreUnavailableError || error instanceof TooManyRequestsError;
          if (outage && isPagePath(requested)) return unavailablePage(event, d, error);
          throw error;
        }
      }),
    // Pages take no body: a method other than GET and HEAD is refused from the head.
    async (event) => {
      if (!['GET', 'HEAD'].includes(method(event))) throw new MethodNotAllowedError(['GET', 'HEAD']);
      return 0;
    },
  );
}

/** Lambda entry point. */
export const handler = createPagesHandler(readDeps);
