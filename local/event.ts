import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { HttpEvent } from '../functions/http/types.ts';

/** Largest body the local server reads (API Gateway's own limit is 10 MB). */
const MAX_BODY = 10 * 1024 * 1024;

/** Reads a request body, up to API Gateway's limit. */
export async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Builds the API Gateway HTTP API (payload 2.0) event that AWS would send for
 * this request, so the local server runs the Lambda handlers unchanged.
 */
export function toHttpEvent(request: IncomingMessage, body: Buffer, routeKey: string): HttpEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...(Array.isArray(value) ? value : value.split(/;\s*/)));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  // Text goes as text, as API Gateway sends it; bytes that are not UTF-8 go base64-encoded, unchanged,
  // so the handler's strict decoder refuses them instead of seeing U+FFFD where they were.
  const textual =
    /^(text\/|application\/([a-z.+-]*\+)?(json|xml))/i.test(headers['content-type'] ?? '') && isUtf8(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
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
        path: url.pathname,
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
