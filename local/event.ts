import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { HttpEvent } from '../functions/http/types.ts';

/** Largest body API Gateway passes on (its own payload limit is 10 MB). */
export const MAX_BODY = 10 * 1024 * 1024;

/**
 * Reads a request body up to `limit` bytes. A longer body is cut at
 * `limit + 1` bytes (enough for the function to see it is too large) and the
 * rest is left unread; `complete` says whether the whole body was read.
 */
export async function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) return { body: Buffer.concat(chunks).subarray(0, limit + 1), complete: false };
  }
  return { body: Buffer.concat(chunks), complete: true };
}

/**
 * The path and query of a request target as sent (RFC 9112 §3.2: origin-form,
 * `/path?query`), undefined when it is not one. The path is never read as a
 * URL reference, so `//x/y` is the path `//x/y`, not the host `x`; the
 * absolute-form a proxy would send (`http://host/path`) gives its path.
 */
export function requestTarget(target: string): { path: string; query: string } | undefined {
  let origin = target;
  if (!target.startsWith('/')) {
    if (!/^https?:\/\//i.test(target) || !URL.canParse(target)) return undefined;
    const url = new URL(target);
    origin = `${url.pathname}${url.search}`;
  }
  const at = origin.indexOf('?');
  return at === -1 ? { path: origin, query: '' } : { path: origin.slice(0, at), query: origin.slice(at + 1) };
}

/**
 * Builds the API Gateway HTTP API (payload 2.0) event that AWS would send for
 * this request, so the local server runs the Lambda handlers unchanged.
 */
export function toHttpEvent(request: IncomingMessage, body: Buffer, routeKey: string): HttpEvent {
  const { path, query: rawQuery } = requestTarget(request.url ?? '/') ?? { path: '/', query: '' };
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...(Array.isArray(value) ? value : value.split(/;\s*/)));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQuery))
    query[name] = name in query ? `${query[name]},${value}` : value;
  // Text goes as text, as API Gateway sends it; bytes that are not UTF-8 go base64-encoded, unchanged,
  // so the handler's strict decoder refuses them instead of seeing U+FFFD where they were.
  const textual =
    /^(text\/|application\/([a-z.+-]*\+)?(json|xml))/i.test(headers['content-type'] ?? '') && isUtf8(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: rawQuery,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 && {
      body: textual ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: !textual,
    }),
    isBase64Encoded: body.length > 0 && !textual,
  };
}
