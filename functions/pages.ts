import { publicDeps } from './core/access.ts';
import { MethodNotAllowedError, NotFoundError, StoreUnavailableError } from './core/errors.ts';
import { OPML_CONTENT_TYPE } from './core/opml.ts';
import { renderNotFoundPage } from './core/pages/not-found.ts';
import { type DocumentType, planPage, routePage } from './core/pages/site.ts';
import { renderUnavailablePage } from './core/pages/unavailable.ts';
import type { PageDeps, ReadDeps } from './core/ports.ts';
import { pageDeps } from './deps.ts';
import { PUBLIC_CACHE, plannedResponse } from './http/conditional.ts';
import { httpHandler } from './http/handler.ts';
import { log } from './http/log.ts';
import { header, method, path } from './http/request.ts';
import { errorResponse, throttlingAsOutage } from './http/response.ts';
import { forRequest } from './http/site.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './http/types.ts';
import { staticFileResponse } from './static-files.ts';
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
function unavailablePage(event: HttpEvent, deps: ReadDeps, error: StoreUnavailableError): HttpResult {
  const reply = errorResponse(error);
  const body = renderUnavailablePage(deps.config, error.retryAfterSeconds);
  return {
    statusCode: reply.statusCode,
    headers: { ...reply.headers, 'content-type': HTML },
    body: method(event) === 'HEAD' ? '' : body,
  };
}

/** Content type of each kind of document the pages function serves. */
const CONTENT_TYPES: Record<DocumentType, string> = {
  html: HTML,
  opml: OPML_CONTENT_TYPE,
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

/** A withdrawn story's page: 410 Gone, kept as briefly as a 404. */
function gonePage(event: HttpEvent, body: string): HttpResult {
  return {
    statusCode: 410,
    headers: { 'content-type': HTML, 'cache-control': 'public, max-age=60' },
    body: method(event) === 'HEAD' ? '' : body,
  };
}

/**
 * HTML pages (`/`, `/{edition}/`, `/{edition}/{section}/`, a story's
 * `/{edition}/{section}/{id}/`, `/problems/{type}`), OPML (`/opml.xml`,
 * `/{edition}/opml.xml`), sitemaps and robots.txt, and the site's static
 * files (stylesheet, script, logo, icon, `/favicon.ico`). Every document is planned first: a conditional request
 * that still matches is answered from its lists' reads, with nothing
 * fetched or rendered. Only `/` looks at the viewer's country, to suggest
 * an edition; nothing ever redirects by location.
 */
export function createPagesHandler(deps: () => PageDeps): HttpHandler {
  return httpHandler(
    'pages',
    (event, request) =>
      withStoreDeadline(REQUEST_STORE_BUDGET_MS, async () => {
        const requested = path(event);
        const asset = staticFileResponse(event, requested);
        if (asset !== undefined) return asset;
        // Every page, list, sitemap and OPML reads what the public may see: premium stories as teasers.
        const d = publicDeps(forRequest(event, deps()));
        try {
          const plan = await planPage(d, routePage(requested), {
            country: header(event, 'cloudfront-viewer-country'),
            log: (message, context) => log('warn', message, context),
          });
          switch (plan.kind) {
            case 'redirect':
              return {
                statusCode: 301,
                headers: { location: plan.location, 'cache-control': PUBLIC_CACHE },
                body: '',
              };
            case 'gone':
              request.page();
              return gonePage(event, plan.body);
            case 'document':
              request.page();
              // Only a 200 renders: the render time covers fetching the articles and rendering them.
              return plannedResponse(
                event,
                { ...plan, render: () => request.render(plan.render) },
                CONTENT_TYPES[plan.type],
                plan.variesByCountry ? { vary: 'Accept-Encoding, CloudFront-Viewer-Country' } : {},
              );
          }
        } catch (error) {
          // A person gets a page to move on from; a reader asking for a file gets problem+json, as feeds do.
          if (error instanceof NotFoundError && isPagePath(requested)) return notFoundPage(event, d, error);
          // Throttling is an outage here, answered 503, so that CloudFront serves its expired copy over it.
          const failure = throttlingAsOutage(error);
          if (failure instanceof StoreUnavailableError && isPagePath(requested)) {
            return unavailablePage(event, d, failure);
          }
          throw failure;
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
export const handler = createPagesHandler(pageDeps);
