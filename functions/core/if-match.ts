import { PreconditionFailedError } from './errors.ts';

/**
 * Lets a write to a resource whose current ETag is `etag` go ahead when If-Match
 * allows it: `*`, or one of its tags equal to `etag` by the strong comparison
 * RFC 9110 requires for If-Match (§13.1.1, §8.8.3.2) — a weak tag never matches.
 * Throws a 412 that says why otherwise; `changed` opens its message ("The article has changed").
 */
export function checkIfMatch(ifMatch: readonly string[], etag: string, changed: string): void {
  if (ifMatch.includes('*') || ifMatch.includes(etag)) return;
  const weak = ifMatch.filter((tag) => tag.startsWith('W/'));
  if (weak.length > 0 && weak.some((tag) => tag.slice(2) === etag)) {
    throw new PreconditionFailedError(
      `If-Match compares entity tags strongly (RFC 9110 §13.1.1), so the weak tag ${weak.join(', ')} never matches: send If-Match: ${etag}`,
      etag,
    );
  }
  throw new PreconditionFailedError(`${changed}: the current ETag is ${etag}`, etag);
}
