import { optionalEnv } from '../env.ts';
import { contentEtag as digest } from './conditional.ts';
import { header } from './request.ts';
import { problemResponse } from './response.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** The request header CloudFront adds to every request it sends the origin, holding the origin key. */
export const ORIGIN_KEY_HEADER = 'x-origin-key';

/** The environment variable listing the origin keys a function accepts (the current and the previous one). */
export const ORIGIN_KEYS_VARIABLE = 'NEWSWIRE_ORIGIN_KEYS';

/** Digests of the accepted keys, read once at load; unset (the local server): every request passes. */
const accepted = optionalEnv(ORIGIN_KEYS_VARIABLE)?.split(',').filter(Boolean).map(digest);

/**
 * Refuses a request that did not come through the site's CloudFront
 * distribution: with origin keys configured, a request must carry one of
 * them in ORIGIN_KEY_HEADER. What is compared are SHA-256 digests (162 bits),
 * so the time a comparison takes tells nothing of a key (learning a digest's
 * first bytes gives no way to a key that has them); never logged. Undefined
 * when the request may proceed.
 */
export function refuseUnlessFromCdn(event: HttpEvent): HttpResult | undefined {
  return !accepted || accepted.includes(digest(header(event, ORIGIN_KEY_HEADER) ?? ''))
    ? undefined
    : problemResponse(403, 'Use the site.');
}
