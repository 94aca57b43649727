import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { matchRoute } from '../functions/http/routes.ts';
import type { Admission, HttpEvent, HttpHandler, HttpResult } from '../functions/http/types.ts';
import { MAX_BODY, readBody, requestTarget, toHttpEvent } from './event.ts';
import { serveSamplePicture } from './seed-pictures/serve.ts';

/** The Lambda handlers the local server routes to, as API Gateway would. */
export interface LocalHandlers {
  articles: HttpHandler;
  feeds: HttpHandler;
  private: HttpHandler;
  pages: HttpHandler;
}

/** Longest a client may take to send a request's headers before it gets a 408 and the connection closes. */
export const HEADERS_TIMEOUT_MS = 10_000;
/**
 * Longest a client may take to send a whole request, body included, before it
 * gets a 408 and the connection closes: a slow body (slowloris) holds a
 * connection this long at most (plus the second between Node's checks).
 */
export const REQUEST_TIMEOUT_MS = 20_000;

/**
 * The routing the HTTP API does in the cloud, from the same route table
 * (functions/http/routes.ts): the function that serves a request, and the
 * route key API Gateway would put in its event.
 */
export function routeOf(method: string, path: string): { name: keyof LocalHandlers; routeKey: string } {
  const match = matchRoute(method, path);
  // API Gateway answers a path no route matches with its own 404; every path matches `/{proxy+}` here.
  return match === undefined
    ? { name: 'pages', routeKey: '$default' }
    : { name: match.route.target, routeKey: match.routeKey };
}

function problem(response: ServerResponse, status: number, title: string): void {
  response.writeHead(status, {
    'content-type': 'application/problem+json; charset=utf-8',
    connection: 'close',
  });
  response.end(JSON.stringify({ type: 'about:blank', title, status }));
}

/** Sees every event and the handler's reply (tests check replies against the OpenAPI document). */
export type ResponseObserver = (event: HttpEvent, result: HttpResult) => void;

/** True when the request says a body follows. */
function announcesBody(request: IncomingMessage): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0
  );
}

/**
 * Sends a handler's reply. When the request's body was left unread (refused
 * from its head, or cut at the function's limit) the connection is closed
 * after the reply instead of reading the rest: the client stops sending.
 */
function send(request: IncomingMessage, response: ServerResponse, result: HttpResult, unread: boolean): void {
  const payload = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64')
    : Buffer.from(result.body, 'utf8');
  const headers: Record<string, string | number> = { ...result.headers };
  if (result.statusCode !== 304 && request.method !== 'HEAD') headers['content-length'] = payload.length;
  if (unread) {
    headers.connection = 'close';
    // Half-close and stop reading: the reply reaches the client, the body it is still sending does not
    // reach us (Node would otherwise read and discard it to keep the connection).
    response.once('finish', () => {
      request.socket.end();
      setTimeout(() => request.socket.destroy(), 1000).unref();
    });
  }
  response.writeHead(result.statusCode, headers);
  response.end(request.method === 'HEAD' || result.statusCode === 304 ? undefined : payload);
}

async function serve(
  handlers: LocalHandlers,
  request: IncomingMessage,
  response: ServerResponse,
  observe: ResponseObserver | undefined,
  expectsContinue: boolean,
): Promise<void> {
  const target = requestTarget(request.url ?? '/');
  if (target === undefined) return problem(response, 400, 'The request target is not a path');
  // The sample newsroom's pictures are files, served as a static host would serve them.
  if (await serveSamplePicture(request, response, target.path)) return;
  const route = routeOf(request.method ?? 'GET', target.path);
  const handler = handlers[route.name];
  const announced = announcesBody(request);
  // The function decides from the head whether it takes a body, and refuses what it would refuse anyway
  // (unknown route, wrong method, bad key, wrong type, declared size) before a byte of it is read.
  const head = toHttpEvent(request, Buffer.alloc(0), route.routeKey);
  const admission: Admission = (await handler.admit?.(head)) ?? { bodyLimit: MAX_BODY, answer: handler };
  if ('reply' in admission) {
    observe?.(head, admission.reply);
    return send(request, response, admission.reply, announced);
  }
  let body: Buffer = Buffer.alloc(0);
  let unread = announced;
  if (announced && admission.bodyLimit > 0) {
    if (expectsContinue) response.writeContinue();
    const read = await readBody(request, Math.min(admission.bodyLimit, MAX_BODY));
    body = read.body;
    unread = !read.complete;
  }
  const event = toHttpEvent(request, body, route.routeKey);
  const result = await admission.answer(event);
  observe?.(event, result);
  send(request, response, result, unread);
}

/** Starts an HTTP server that turns requests into API Gateway v2 events for the handlers. */
export function startHttpServer(
  handlers: LocalHandlers,
  port: number,
  host: string,
  observe?: ResponseObserver,
): Promise<Server> {
  const answer = (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => {
    serve(handlers, request, response, observe, expectsContinue).catch(() => {
      // A request cut off by a timeout (Node has answered it 408 and closed) or by its client: nothing to send.
      if (request.socket.destroyed) return;
      if (!response.headersSent) problem(response, 500, 'Internal error');
      else response.destroy();
    });
  };
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // How often Node checks those two timeouts (default 30 s).
      connectionsCheckingInterval: 1000,
    },
    (request, response) => answer(request, response, false),
  );
  // `Expect: 100-continue` (curl sends it for large bodies): the client waits for our go-ahead, which
  // comes only once the function has admitted the request.
  server.on('checkContinue', (request, response) => answer(request, response, true));
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
