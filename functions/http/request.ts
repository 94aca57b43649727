import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../core/errors.ts';
import { findJsonSyntaxError } from '../core/json-syntax.ts';
import type { HttpEvent } from './types.ts';

/** Largest write request accepted: a 200 KB body plus the other fields and JSON escaping. */
export const MAX_REQUEST_BYTES = 512 * 1024;

/** A request header by case-insensitive name. */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/**
 * Who sent a request, as a string to hash (never stored or logged as it is): the address
 * chain (CloudFront appends the viewer's address to X-Forwarded-For, so a forged entry adds
 * to it and never replaces it; locally, the socket's address) and the User-Agent.
 */
export function clientIdentity(event: HttpEvent): string {
  const http = event.requestContext.http;
  return `${header(event, 'x-forwarded-for') ?? http.sourceIp}\n${http.userAgent}`;
}

/** The HTTP method, upper case. */
export function method(event: HttpEvent): string {
  return event.requestContext.http.method.toUpperCase();
}

/** The request path, without query string. */
export function path(event: HttpEvent): string {
  return event.rawPath || event.requestContext.http.path;
}

/**
 * The decoded segments of a path (`/europe/world/rss.xml` → europe, world,
 * rss.xml); undefined when a segment has a malformed percent-escape.
 */
export function pathSegments(requested: string): string[] | undefined {
  try {
    return requested
      .split('/')
      .slice(1)
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/** A query string parameter. */
export function query(event: HttpEvent, name: string): string | undefined {
  return event.queryStringParameters?.[name];
}

/**
 * What a write's head must say before its body is read: a JSON media type
 * (415 otherwise), and no declared Content-Length over MAX_REQUEST_BYTES (413).
 */
export function checkJsonHead(event: HttpEvent): void {
  const type = header(event, 'content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new UnsupportedMediaTypeError('Send the article as JSON with "Content-Type: application/json"');
  }
  const declared = Number(header(event, 'content-length') ?? 0);
  if (declared > MAX_REQUEST_BYTES) throw new PayloadTooLargeError(MAX_REQUEST_BYTES);
}

/** Parses the JSON body of a write request, enforcing media type and size. */
export function jsonBody(event: HttpEvent): unknown {
  checkJsonHead(event);
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_REQUEST_BYTES) throw new PayloadTooLargeError(MAX_REQUEST_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError([{ field: '', message: 'the body is not valid UTF-8' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const problem = findJsonSyntaxError(text);
    const where =
      problem === undefined
        ? (error as Error).message.split('\n')[0]
        : `line ${problem.line}, column ${problem.column}: ${problem.message}`;
    throw new ValidationError([{ field: '', message: `the body is not valid JSON: ${where}` }]);
  }
}

/** `*`, or a comma-separated list of entity tags: `"v3"`, `W/"v3"` (RFC 9110 §8.8.3). */
const ENTITY_TAG_LIST =
  /^\s*(?:\*|(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"(?:\s*,\s*(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")*)\s*$/;

/**
 * Entity tags listed in an If-Match / If-None-Match header, as sent (`*` and
 * a weak tag's `W/` kept: If-Match compares strongly, so a weak tag never
 * matches). An unquoted tag (`If-Match: v3`) is refused with a 400 that shows the quoted form.
 */
export function entityTags(value: string | undefined, headerName: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!ENTITY_TAG_LIST.test(value)) {
    const quoted = value
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map((t) => (/^(W\/)?"/.test(t) ? t : `"${t.replace(/"/g, '')}"`))
      .join(', ');
    throw new ValidationError([
      {
        field: headerName,
        message: `must list entity tags in double quotes, as the ETag header gives them: ${headerName}: ${quoted || '"v1"'}`,
      },
    ]);
  }
  return value.match(/\*|(W\/)?"[^"]*"/g) ?? [];
}
