import type { Context } from 'aws-lambda';
import { loggablePath } from '../core/urls.ts';
import { debugEnabled, log, logger, logLevel } from './log.ts';
import { requestMetrics } from './metrics.ts';
import { refuseUnlessFromCdn } from './origin.ts';
import { header, method, path } from './request.ts';
import { errorResponse, problemTypeOf, throttlingAsOutage } from './response.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './types.ts';

/** An article write, as the request's log line and the ArticlesWritten metric report it. */
export interface WriteNote {
  id: string;
  version: number;
  status: string;
}

/** What a route may tell the wrapper about its request, for the log line and metrics. */
export interface RequestContext {
  /** The response is a feed of this format and edition. */
  feed(format: string, edition: string): void;
  /** The response is an HTML page or an OPML list. */
  page(): void;
  /** The request wrote this article version. */
  wrote(write: WriteNote): void;
  /** Runs `build` and records how long it took as the request's render time. */
  render<T>(build: () => Promise<T>): Promise<T>;
}

/** A route: turns an event into a response, telling the wrapper what it served or wrote. */
export type Route = (event: HttpEvent, request: RequestContext) => Promise<HttpResult>;

/**

 * The checks a function makes on a request's head before its body: throws
 * the typed error it would answer with, or returns how many bytes of body it
 * reads (0: none).
 */
export type Admit = (head: HttpEvent) => Promise<number>;

/**
 * At debug, what a cacheable read was answered with: a 304 from the request's
 * validators (nothing rendered), or a body for a 200 (with its ETag and the validators sent).
 */
function logCacheDecision(event: HttpEvent, result: HttpResult): void {
  const etag = result.headers.etag;
  if (etag === undefined || !/^(GET|HEAD)$/.test(method(event)) || !debugEnabled()) return;
  log(
    'debug',
    result.statusCode === 304
      ? 'Cache: 304, validators matched, nothing rendered'
      : `Cache: ${result.statusCode}, rendered`,
    {
      etag,
      lastModified: result.headers['last-modified'],
      ifNoneMatch: header(event, 'if-none-match'),
      ifModifiedSince: header(event, 'if-modified-since'),
    },
  );
}

/**
 * Wraps a function's route: a request that did not come through CloudFront
 * is refused first (http/origin.ts), then come its admission checks (see
 * Admit); every error becomes a problem+json reply, and
 * every request is logged as one line (request id, route, method, path,
 * status, latency; for writes the article id, version and status) and
 * counted in the function's metrics. Never a header, key or body in a log line.
 */
export function httpHandler(service: string, route: Route, admit: Admit = async () => 0): HttpHandler {
  // Read at load: an unknown LOG_LEVEL stops the function at start (naming the levels), not at its first request.
  logLevel();
  const record = requestMetrics(service);
  /** Answers a request, logged and counted; `check` is its admission, made now or already passed. */
  const answer = async (
    event: HttpEvent,
    context: Context | undefined,
    check: () => Promise<unknown>,
  ): Promise<HttpResult> => {
    // Before anything else, and with no log line or metric: a caller that went around CloudFront
    // costs one comparison, and never reaches the store.
    const refused = refuseUnlessFromCdn(event);
    if (refused) return refused;
    const started = performance.now();
    if (context !== undefined) logger().addContext(context);
    let feed: { format: string; edition: string } | undefined;
    let page = false;
    let write: WriteNote | undefined;
    let renderMs: number | undefined;
    const request: RequestContext = {
      feed: (format, edition) => {
        feed = { format, edition };
      },
      page: () => {
        page = true;
      },
      wrote: (note) => {
        write = note;
      },
      render: async (build) => {
        const start = performance.now();
        try {
          return await build();
        } finally {
          renderMs = Math.round(performance.now() - start);
        }
      },
    };
    let result: HttpResult;
    try {
      await check();
      result = await route(event, request);
    } catch (error) {
      result = errorResponse(error);
    }
    const status = result.statusCode;
    logCacheDecision(event, result);
    const problem = status >= 400 ? problemTypeOf(status) : undefined;
    const latencyMs = Math.round(performance.now() - started);
    const verb = method(event);
    // A private feed's token is a secret: the line names its subscriber id only.
    const requested = loggablePath(path(event));
    logger()[status >= 500 ? 'error' : 'info'](`${verb} ${requested} ${status}`, {
      function: service,
      requestId: event.requestContext.requestId,
      route: event.routeKey,
      method: verb,
      path: requested,
      status,
      latencyMs,
      ...(write !== undefined && {
        articleId: write.id,
        version: write.version,
        articleStatus: write.status,
      }),
      ...(problem !== undefined && { problem }),
      ...(renderMs !== undefined && { renderMs }),
      userAgent: event.requestContext.http.userAgent,
    });
    record({
      status,
      ...(problem !== undefined && { problem }),
      ...(feed !== undefined && { feed }),
      page,
      ...(write !== undefined && problem === undefined && { written: write.status }),
      ...(renderMs !== undefined && { renderMs }),
    });
    return result;
  };
  const handler: HttpHandler = (event, context?: Context) => answer(event, context, () => admit(event));
  // Checked once: a refusal is answered with the error the check threw, an admitted request without checking again.
  // (Only the local server admits, with no origin keys; answer refuses a request without one first.)
  handler.admit = (head) =>
    admit(head).then(
      (bodyLimit) => ({ bodyLimit, answer: (event: HttpEvent) => answer(event, undefined, async () => {}) }),
      async (error: unknown) => ({ reply: await answer(head, undefined, () => Promise.reject(error)) }),
    );
  return handler;
}

/** A cacheable read's route: the store's throttling is answered 503, as an outage (see throttlingAsOutage). */
export function cacheableRead(route: Route): Route {
  return (event, request) =>
    route(event, request).catch((error: unknown) => {
      throw throttlingAsOutage(error);
    });
}
