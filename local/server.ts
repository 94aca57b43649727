import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { matchRoute } from '../functions/http/routes.ts';
import type { HttpEvent, HttpHandler, HttpResult } from '../functions/http/types.ts';
import { readBody, toHttpEvent } from './event.ts';
import { serveSamplePicture } from './seed-pictures/serve.ts';

/** The Lambda handlers the local server routes to, as API Gateway would. */
export interface LocalHandlers {
  articles: HttpHandler;
  feeds: HttpHandler;
  pages: HttpHandler;
}

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
  response.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8' });
  response.end(JSON.stringify({ type: 'about:blank', title, status }));
}

/** Sees every event and the handler's reply (tests check replies against the OpenAPI document). */
export type ResponseObserver = (event: HttpEvent, result: HttpResult) => void;

async function serve(
  handlers: LocalHandlers,
  request: IncomingMessage,
  response: ServerResponse,
  observe: ResponseObserver | undefined,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  // The sample newsroom's pictures are files, served as a static host would serve them.
  if (await serveSamplePicture(request, response, path)) return;
  const body = await readBody(request);
  if (body === 'too-large') return problem(response, 413, 'Payload too large');
  const route = routeOf(request.method ?? 'GET', path);
  const event = toHttpEvent(request, body, route.routeKey);
  const result = await handlers[route.name](event);
  observe?.(event, result);
  const payload = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64')
    : Buffer.from(result.body, 'utf8');
  const headers: Record<string, string | number> = { ...result.headers };
  if (result.statusCode !== 304 && request.method !== 'HEAD') headers['content-length'] = payload.length;
  response.writeHead(result.statusCode, headers);
  response.end(request.method === 'HEAD' || result.statusCode === 304 ? undefined : payload);
}

/** Starts an HTTP server that turns requests into API Gateway v2 events for the handlers. */
export function startHttpServer(
  handlers: LocalHandlers,
  port: number,
  host: string,
  observe?: ResponseObserver,
): Promise<Server> {
  const server = createServer((request, response) => {
    serve(handlers, request, response, observe).catch(() => {
      if (!response.headersSent) problem(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
