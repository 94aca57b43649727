import { createHash } from 'node:crypto';
import { type ContentCoding, codedEtag, codingFor, encodeBody } from './encoding.ts';
import { header, method } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/**
 * How long a shared or browser cache may serve a stale copy while the
 * origin fails (RFC 5861 `stale-if-error`; CloudFront honours it for 5xx
 * answers and unreachable origins). Five minutes rides out a function or
 * table hiccup, yet bounds how long a story withdrawn just before an outage
 * — a legal withdrawal, say — can still be served: at most this plus the
 * caches' own lifetime after the withdrawal.
 */
export const STALE_IF_ERROR_SECONDS = 300;

/**
 * Cache-Control for public, frequently updated documents (pages, OPML). Written out whole (a
 * template would keep it in bundles that do not use it); a unit test ties it to the constants.
 */
export const PUBLIC_CACHE = 'public, max-age=60, stale-while-revalidate=300, stale-if-error=300';

/**
 * How long shared caches may keep a feed: SHARED_MAX_AGE_SECONDS, with no
 * stale-while-revalidate, so a WebSub hub pinged after that long gets the new
 * document from CloudFront (functions/notify.ts waits for it). Browsers and
 * readers keep it 60 s; stale-if-error still covers an origin outage.
 */
export const SHARED_MAX_AGE_SECONDS = 10;

/** Cache-Control of every feed response (200 and 304): SHARED_MAX_AGE_SECONDS and STALE_IF_ERROR_SECONDS. */
export const FEED_CACHE = 'public, max-age=60, s-maxage=10, stale-if-error=300';

/**
 * Cache-Control of a subscriber's private feed: only the subscriber's own reader may keep a
 * copy, and it revalidates every time (a 304 while nothing changed; the refusal at once once
 * the token is revoked). CloudFront never stores it either: the `/private/*` behaviour has
 * caching disabled (infra/constructs/cdn.ts), and with a minimum TTL of 0 CloudFront honours
 * `private` and `no-cache` anyway
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-cachepolicy-cachepolicyconfig.html).
 */
export const PRIVATE_FEED_CACHE = 'private, no-cache';

/**
 * How long after a change its time may still be overtaken by an earlier-stamped one: a write
 * stamps its time before it commits (within the request's store budget, 4.5 s) and a feed's
 * read is eventually consistent (replicas follow within about a second). Until the newest
 * change is this old, plus the rest of its second, Last-Modified is sent a second early.
 */
export const LAST_MODIFIED_SETTLE_MS = 6000;

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

/**
 * The Last-Modified to send for a document that last changed at `changed`
 * (exact), as seen at `asOf`. HTTP dates count whole seconds, and a later
 * change can land in the same second, or (see LAST_MODIFIED_SETTLE_MS) carry
 * an earlier time than one already seen. So while the change is recent the
 * date sent is one second before its second: a client revalidating with it
 * alone then gets the document again once more, and from then on the exact
 * second, which nothing that is not yet visible can still fall into.
 */
export function lastModifiedHeader(changed: Date, asOf: Date): string {
  const second = toSecond(changed).getTime();
  const settled = asOf.getTime() >= second + 1000 + LAST_MODIFIED_SETTLE_MS;
  return new Date(settled ? second : second - 1000).toUTCString();
}

/**
 * True when a conditional GET still matches: If-None-Match (preferred, weak
 * comparison) or If-Modified-Since, against the exact time of the last change
 * (whose second is at most the client's date: see lastModifiedHeader).
 */
export function notModified(event: HttpEvent, etag: string, lastModified: Date | undefined): boolean {
  const ifNoneMatch = header(event, 'if-none-match');
  if (ifNoneMatch !== undefined) return weakMatch(ifNoneMatch, etag);
  const ifModifiedSince = header(event, 'if-modified-since');
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && toSecond(lastModified).getTime() <= since;
}

/** The validators and type of one representation, in the coding the request gets. */
interface Representation {
  contentType: string;
  /** The identity (uncompressed) representation's strong ETag. */
  etag: string;
  /** When its content last changed; undefined for a document whose change time is not known. */
  lastModified: Date | undefined;
  /** The time the answer is made. */
  asOf: Date;
  coding: ContentCoding;
}

function cacheHeaders(r: Representation, extraHeaders: Record<string, string>): Record<string, string> {
  return {
    'content-type': r.contentType,
    'cache-control': PUBLIC_CACHE,
    etag: codedEtag(r.etag, r.coding),
    ...(r.lastModified !== undefined && { 'last-modified': lastModifiedHeader(r.lastModified, r.asOf) }),
    vary: 'Accept-Encoding',
    ...(r.coding !== 'identity' && { 'content-encoding': r.coding }),
    ...extraHeaders,
  };
}

/** A 304 carries the validators and caching headers of the 200 it stands for, not its representation's type or coding. */
function notModifiedResponse(headers: Record<string, string>): HttpResult {
  const { 'content-type': _type, 'content-encoding': _coding, ...rest } = headers;
  return { statusCode: 304, headers: rest, body: '' };
}

/** A 200 carrying a text body in the negotiated coding (compressed bytes base64-encoded, as Lambda returns binary). */
function okResponse(
  event: HttpEvent,
  headers: Record<string, string>,
  text: string,
  coding: ContentCoding,
): HttpResult {
  if (method(event) === 'HEAD') return { statusCode: 200, headers, body: '' };
  return { statusCode: 200, headers, ...encodeBody(text, coding) };
}

/**
 * Builds a cacheable response for a public document whose ETag is a hash of
 * its bytes, answering If-None-Match (preferred) or If-Modified-Since with
 * 304, compressed as the request's Accept-Encoding allows. Without a
 * `lastModified` (a document whose content follows from the code and config
 * alone, whose change time the functions cannot know) it carries no
 * Last-Modified, and If-Modified-Since alone never gets a 304.
 */
export function cacheableResponse(
  event: HttpEvent,
  body: string,
  contentType: string,
  lastModified: Date | undefined,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  const coding = codingFor(event);
  const representation = { contentType, etag: contentEtag(body), lastModified, asOf: new Date(), coding };
  const headers = cacheHeaders(representation, extraHeaders);
  if (notModified(event, headers.etag!, lastModified)) return notModifiedResponse(headers);
  return okResponse(event, headers, body, coding);
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

/** Like cacheableResponse, for a binary document (sent as it is): a 200 is base64-encoded, as Lambda returns binary bodies. */
export function binaryResponse(
  event: HttpEvent,
  binary: EncodedBinary,
  contentType: string,
  lastModified: Date,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  const headers = cacheHeaders(
    { contentType, etag: binary.etag, lastModified, asOf: new Date(), coding: 'identity' },
    extraHeaders,
  );
  if (notModified(event, binary.etag, lastModified)) return notModifiedResponse(headers);
  if (method(event) === 'HEAD') return { statusCode: 200, headers, body: '' };
  return { statusCode: 200, headers, body: binary.base64, isBase64Encoded: true };
}

/** A document known by its validators before it is built (a feed page plan). */
export interface PlannedDocument {
  /** The identity representation's strong ETag. */
  etag: string;
  /** When its content last changed; undefined for a document made from the code and config alone. */
  lastModified: Date | undefined;
  /** When the plan was made (default: now). */
  asOf?: Date;
  render(): Promise<{ body: string; etag: string; lastModified: Date | undefined }>;
}

/**
 * Answers a conditional GET from a plan's validators alone (304, and HEAD,
 * without building the document); builds it only for a 200, compressed as
 * the request's Accept-Encoding allows. Each coding has its own ETag, known
 * from the plan's, so a 304 needs no render and no compression either.
 */
export async function plannedResponse(
  event: HttpEvent,
  plan: PlannedDocument,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResult> {
  const coding = codingFor(event);
  const asOf = plan.asOf ?? new Date();
  const planned = cacheHeaders({ contentType, ...plan, asOf, coding }, extraHeaders);
  if (notModified(event, planned.etag!, plan.lastModified)) return notModifiedResponse(planned);
  if (method(event) === 'HEAD') return { statusCode: 200, headers: planned, body: '' };
  const page = await plan.render();
  const headers = cacheHeaders(
    { contentType, etag: page.etag, lastModified: page.lastModified, asOf, coding },
    extraHeaders,
  );
  return okResponse(event, headers, page.body, coding);
}
