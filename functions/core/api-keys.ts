import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, UnauthorizedError } from './errors.ts';
import type { ApiKeyRecord, ArticleStore } from './ports.ts';

/** A whole API key as issued: `nw_<key id>_<secret>`. */
export const TOKEN = /^nw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** An `Authorization` header that carries a bearer token. */
export const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a request without a bearer token is told (401). */
export const MISSING_KEY = 'Send an API key as "Authorization: Bearer <key>"';

/** What a request with a token that is no valid key is told (401): unknown, malformed or wrong, alike. */
export const INVALID_KEY = 'The API key is not valid';

/** The key id inside a whole API key (`nw_<id>_<secret>`), or undefined when it is not one. */
export function keyIdOfToken(token: string): string | undefined {
  return TOKEN.exec(token)?.[1];
}

/** A freshly issued key: the token is shown once and never stored. */
export interface IssuedApiKey {
  token: string;
  record: ApiKeyRecord;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a new API key (`nw_<id>_<secret>`); store `record`, hand `token` to the client. */
export function issueApiKey(name: string, now: Date): IssuedApiKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `nw_${keyId}_${secret}`,
    record: { keyId, name, secretHash: hashSecret(secret), createdAt: now.toISOString() },
  };
}

/**
 * Checks an `Authorization: Bearer` header against the stored keys.
 * Throws UnauthorizedError (missing/unknown) or ForbiddenError (revoked).
 */
export async function authenticate(
  store: ArticleStore,
  authorization: string | undefined,
): Promise<ApiKeyRecord> {
  const match = BEARER.exec(authorization ?? '');
  if (match === null) throw new UnauthorizedError(MISSING_KEY);
  const token = TOKEN.exec(match[1] ?? '');
  if (token === null) throw new UnauthorizedError(INVALID_KEY);
  const [, keyId = '', secret = ''] = token;
  const record = await store.getApiKey(keyId);
  const expected = Buffer.from(record?.secretHash ?? hashSecret('unknown-key'), 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  if (record === undefined || !timingSafeEqual(expected, actual)) {
    throw new UnauthorizedError(INVALID_KEY);
  }
  if (record.revokedAt !== undefined) throw new ForbiddenError('The API key has been revoked');
  return record;
}
