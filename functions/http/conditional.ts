import { createHash } from 'node:crypto';
import { header, method } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** Cache-Control for public, frequently updated documents (feeds, pages, OPML). */
export const PUBLIC_CACHE = 'public, max-age=60, stale-while-revalidate=300, stale-if-error=86400';

/**
 * How long shared caches may keep a feed: SHARED_MAX_AGE_SECONDS, with no
 * stale-while-revalidate, so a WebSub hub pinged after that long gets the new
 * document from CloudFront (functions/notify.ts waits for it). Browsers and
 * readers keep it 60 s; stale-if-error still covers an origin outage.
 */
export const SHARED_MAX_AGE_SECONDS = 10;

/** Cache-Control of every feed response (200 and 304). */
export const FEED_CACHE = `public, max-age=60, s-maxage=${SHARED_MAX_AGE_SECONDS}, stale-if-error=86400`;

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

/** HTTP dates have one-second precision. */
function toSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** True when a conditional GET still matches: If-None-Match (preferred) or If-Modified-Since. */
export function notModified(event: HttpEvent, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = header(event, 'if-none-match');
  if (ifNoneMatch !== undefined) return weakMatch(ifNoneMatch, etag);
  const ifModifiedSince = header(event, 'if-modified-since');
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && toSecond(lastModified).getTime() <= since;
}

function cacheHeaders(
  contentType: string,
  etag: string,
  lastModified: Date,
  extraHeaders: Record<string, string>,
): Record<string, string> {
  return {
    'content-type': contentType,
    'cache-control': PUBLIC_CACHE,
    etag,
    'last-modified': toSecond(lastModified).toUTCString(),
    vary: 'Accept-Encoding',
    ...extraHeaders,
  };
}

function notModifiedResponse(headers: Record<string, string>): HttpResult {
  const { 'content-type': _type, ...rest } = headers;
  return { statusCode: 304, headers: rest, body: '' };
}

/**
 * Builds a cacheable response for a public document whose ETag is a hash of
 * its bytes, answering If-None-Match (preferred) or If-Modified-Since with 304.
 */
export function cacheableResponse(
  event: HttpEvent,
  body: string,
  contentType: string,
  lastModified: Date,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  const etag = contentEtag(body);
  const headers = cacheHeaders(contentType, etag, lastModified, extraHeaders);
  if (notModified(event, etag, lastModified)) return notModifiedResponse(headers);
  return { statusCode: 200, headers, body: method(event) === 'HEAD' ? '' : body };
}

/** A binary document as Lambda returns one (base64), with the ETag computed once when it was encoded. */
export interface EncodedBinary {
  base64: string;
  etag: string;
}

/** Encodes bytes for binaryResponse: base64, and the strong ETag of that text. */
export function encodeBinary(bytes: Buffer): EncodedBinary {
  const base64 = bytes.toString('base64');
  return { base64, etag: contentEtag(base64) };
}

/** Like cacheableResponse, for a binary document: a 200 is base64-encoded, as Lambda returns binary bodies. */
export function binaryResponse(
  event: HttpEvent,
  binary: EncodedBinary,
  contentType: string,
  lastModified: Date,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  const headers = cacheHeaders(contentType, binary.etag, lastModified, extraHeaders);
  if (notModified(event, binary.etag, lastModified)) return notModifiedResponse(headers);
  if (method(event) === 'HEAD') return { statusCode: 200, headers, body: '' };
  return { statusCode: 200, headers, body: binary.base64, isBase64Encoded: true };
}

/** A document known by its validators before it is built (a feed page plan). */
export interface PlannedDocument {
  etag: string;
  lastModified: Date;
  render(): Promise<{ body: string; etag: string; lastModified: Date }>;
}

/**
 * Answers a conditional GET from a plan's validators alone (304, and HEAD,
 * without building the document); builds it only for a 200.
 */
export async function plannedResponse(
  event: HttpEvent,
  plan: PlannedDocument,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResult> {
  const planned = cacheHeaders(contentType, plan.etag, plan.lastModified, extraHeaders);
  if (notModified(event, plan.etag, plan.lastModified)) return notModifiedResponse(planned);
  if (method(event) === 'HEAD') return { statusCode: 200, headers: planned, body: '' };
  const page = await plan.render();
  return {
    statusCode: 200,
    headers: cacheHeaders(contentType, page.etag, page.lastModified, extraHeaders),
    body: page.body,
  };
}
