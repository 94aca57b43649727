import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpHandler } from '../functions/http/types.ts';
import { readBody, toHttpEvent } from './event.ts';

/** The Lambda handlers the local server routes to, as API Gateway would. */
export interface LocalHandlers {
  articles: HttpHandler;
  feeds: HttpHandler;
  pages: HttpHandler;
}

/**
 * The same routing the HTTP API does in the cloud (infra/): the write API,
 * then feed files, then every other GET to the pages function.
 */
export function routeOf(path: string): { name: keyof LocalHandlers; routeKey: string } {
  if (path.startsWith('/api/')) return { name: 'articles', routeKey: 'ANY /api/articles/{id}' };
  if (/^\/[^/]+\/(?:[^/]+\/)?(rss\.xml|atom\.xml|feed\.json)$/.test(path)) {
    return { name: 'feeds', routeKey: 'GET /{edition}/{proxy+}' };
  }
  return { name: 'pages', routeKey: '$default' };
}

function problem(response: ServerResponse, status: number, title: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8' });
  response.end(JSON.stringify({ type: 'about:blank', title, status }));
}

async function serve(
  handlers: LocalHandlers,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request);
  if (body === 'too-large') return problem(response, 413, 'Payload too large');
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const route = routeOf(path);
  const result = await handlers[route.name](toHttpEvent(request, body, route.routeKey));
  const payload = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64')
    : Buffer.from(result.body, 'utf8');
  const headers: Record<string, string | number> = { ...result.headers };
  if (result.statusCode !== 304 && request.method !== 'HEAD') headers['content-length'] = payload.length;
  response.writeHead(result.statusCode, headers);
  response.end(request.method === 'HEAD' || result.statusCode === 304 ? undefined : payload);
}

/** Starts an HTTP server that turns requests into API Gateway v2 events for the handlers. */
export function startHttpServer(handlers: LocalHandlers, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    serve(handlers, request, response).catch(() => {
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
