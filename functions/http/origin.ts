import { createHash, timingSafeEqual } from 'node:crypto';
import { optionalEnv } from '../env.ts';
import { header } from './request.ts';
import { problemResponse } from './response.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** The request header CloudFront adds to every request it sends the origin, holding the origin key. */
export const ORIGIN_KEY_HEADER = 'x-newswire-origin-key';

/** The environment variable listing the origin keys a function accepts (the current and the previous one). */
export const ORIGIN_KEYS_VARIABLE = 'NEWSWIRE_ORIGIN_KEYS';

const digest = (value: string) => createHash('sha256').update(value).digest();

let accepted: Buffer[] | null | undefined;

/** The digests of the accepted keys, read once; null when none are configured (the local server). */
function acceptedKeys(): Buffer[] | null {
  if (accepted === undefined) {
    const keys = (optionalEnv(ORIGIN_KEYS_VARIABLE) ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== '');
    accepted = keys.length === 0 ? null : keys.map(digest);
  }
  return accepted;
}

/**
 * Refuses a request that did not come through the site's CloudFront
 * distribution: with origin keys configured, a request must carry one of
 * them in ORIGIN_KEY_HEADER. Compared in constant time, over digests, so
 * neither the key nor its length leaks; never logged. Undefined when the
 * request may proceed.
 */
export function refuseUnlessFromCdn(event: HttpEvent): HttpResult | undefined {
  const keys = acceptedKeys();
  if (keys === null) return undefined;
  const sent = header(event, ORIGIN_KEY_HEADER);
  if (sent !== undefined) {
    const given = digest(sent);
    if (keys.some((key) => timingSafeEqual(key, given))) return undefined;
  }
  return problemResponse(
    403,
    'This address only answers requests that come through the site itself; use the site’s own address.',
  );
}
