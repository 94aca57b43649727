import { createHash } from 'node:crypto';
import { header, method } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** Cache-Control for public, frequently updated documents (feeds, pages, OPML). */
export const PUBLIC_CACHE = 'public, max-age=60, stale-while-revalidate=300, stale-if-error=86400';

/** A strong ETag derived from a representation's bytes. */
export function contentEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function weakMatch(header: string, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === bare);
}

/**
 * Builds a cacheable response for a public document, answering
 * If-None-Match (preferred) or If-Modified-Since with 304.
 */
export function cacheableResponse(
  event: HttpEvent,
  body: string,
  contentType: string,
  lastModified: Date,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  const etag = contentEtag(body);
  // HTTP dates have one-second precision.
  const modified = new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'cache-control': PUBLIC_CACHE,
    etag,
    'last-modified': modified.toUTCString(),
    vary: 'Accept-Encoding',
    ...extraHeaders,
  };
  const ifNoneMatch = header(event, 'if-none-match');
  const ifModifiedSince = header(event, 'if-modified-since');
  let notModified = false;
  if (ifNoneMatch !== undefined) {
    notModified = weakMatch(ifNoneMatch, etag);
  } else if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    notModified = !Number.isNaN(since) && modified.getTime() <= since;
  }
  if (notModified) {
    const { 'content-type': _type, ...rest } = headers;
    return { statusCode: 304, headers: rest, body: '' };
  }
  return { statusCode: 200, headers, body: method(event) === 'HEAD' ? '' : body };
}
