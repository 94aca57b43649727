import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type FieldProblem, NotFoundError, ValidationError } from './errors.ts';
import type { SubscriberStore } from './ports.ts';
import { cleanLine } from './text.ts';

/**
 * Subscribers' tokens: each names a private copy of every feed, in which
 * premium stories carry their full text. A token (`ns_<id>_<secret>`) is
 * shown once when it is made; the table keeps its id and a SHA-256 hash of
 * its secret, as it keeps API keys.
 */

const TOKEN = /^ns_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** Longest subscriber name (who or what the token is for: a customer number, an e-mail address). */
export const SUBSCRIBER_NAME_MAX = 200;

/**
 * Distinct clients in one day above which a token is flagged as probably shared. A subscriber
 * reads from a few devices and networks (phone on mobile data, laptop at home and at work,
 * a hosted reader): more than this many in a day is a feed address passed around.
 */
export const SHARED_CLIENTS = 10;

/** Distinct clients counted per token and day; beyond it the listing shows "at least" this many. */
export const MAX_COUNTED_CLIENTS = 50;

/** A stored subscriber token: never the token itself, only its secret's hash. */
export interface SubscriberRecord {
  subscriberId: string;
  name: string;
  /** SHA-256 of the token's secret part, hex. */
  secretHash: string;
  createdAt: string;
  revokedAt?: string;
}

/** A subscriber as the newsroom's listing shows them (no hash), with their private feeds' use. */
export interface SubscriberListing extends Omit<SubscriberRecord, 'secretHash'> {
  /** When a private feed of the token was last fetched (to within the bookkeeping's throttle). */
  lastFetchAt?: string;
  /** Distinct clients (salted hashes of address and User-Agent) that fetched today (UTC), at most MAX_COUNTED_CLIENTS. */
  clientsToday: number;
}

/** A subscriber as the API shows them: the listing, and whether the token looks shared. */
export interface SubscriberView extends SubscriberListing {
  status: 'active' | 'revoked';
  probablyShared: boolean;
}

/** A freshly made token: the token is shown once and never stored. */
export interface IssuedSubscriberToken {
  token: string;
  record: SubscriberRecord;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The hash an unknown id's secret is compared against, so that it costs what a known one does.
 * Pure: the functions that only import the store's wiring (feeds, pages) leave it out.
 */
const UNKNOWN_HASH = /* @__PURE__ */ hashSecret('no-such-subscriber');

/** Makes a new subscriber token (`ns_<id>_<secret>`); store `record`, hand `token` to the subscriber once. */
export function issueSubscriberToken(name: string, now: Date): IssuedSubscriberToken {
  const subscriberId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `ns_${subscriberId}_${secret}`,
    record: { subscriberId, name, secretHash: hashSecret(secret), createdAt: now.toISOString() },
  };
}

/** The subscriber id inside a token, or undefined when it is not one. */
export function subscriberIdOfToken(token: string): string | undefined {
  return TOKEN.exec(token)?.[1];
}

/** Compares two equal-length digests without revealing where they differ. */
export type DigestComparison = (a: Buffer, b: Buffer) => boolean;

/**
 * The subscriber a token belongs to, when it is theirs and not revoked;
 * undefined for anything else — a malformed token, an unknown id, a wrong
 * secret, a revoked token — so that every refusal is answered alike. A
 * well-formed token costs the same whatever its id: one read, one hash,
 * one constant-time comparison of 32 bytes (against a fixed hash for an
 * unknown id), and revocation is checked only after the comparison.
 */
export async function verifySubscriberToken(
  getSubscriber: (subscriberId: string) => Promise<SubscriberRecord | undefined>,
  token: string,
  compare: DigestComparison = timingSafeEqual,
): Promise<SubscriberRecord | undefined> {
  const parts = TOKEN.exec(token);
  if (parts === null) return undefined;
  const [, subscriberId = '', secret = ''] = parts;
  const record = await getSubscriber(subscriberId);
  const expected = Buffer.from(record?.secretHash ?? UNKNOWN_HASH, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const matches = compare(expected, actual);
  if (record === undefined || !matches || record.revokedAt !== undefined) return undefined;
  return record;
}

/** The one answer to a private feed URL whose token is unknown, wrong or revoked. */
export function unknownPrivateFeed(): NotFoundError {
  return new NotFoundError('No such private feed: the address is unknown, or its token has been revoked');
}

/** A subscriber's listing as the API shows it. */
export function viewSubscriber(listing: SubscriberListing): SubscriberView {
  return {
    ...listing,
    status: listing.revokedAt === undefined ? 'active' : 'revoked',
    probablyShared: listing.clientsToday > SHARED_CLIENTS,
  };
}

/** What the newsroom's subscriber operations need: the store and the clock. */
export interface SubscriberServiceDeps {
  subscribers: SubscriberStore;
  clock: () => Date;
}

/** A token just made, as `POST /api/subscribers` answers: the only time the token is shown. */
export interface CreatedSubscriber extends SubscriberView {
  token: string;
}

/** Validates `POST /api/subscribers`'s body: `{ "name": "…" }`, plain text of 1–SUBSCRIBER_NAME_MAX characters. */
export function parseSubscriberInput(input: unknown): { name: string } {
  const problems: FieldProblem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ field: '', message: 'must be a JSON object with a "name"' }]);
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'name') problems.push({ field: key, message: 'is not a known field' });
  }
  const name = typeof record.name === 'string' ? cleanLine(record.name) : undefined;
  if (name === undefined) problems.push({ field: 'name', message: 'is required: who the token is for' });
  else if (name === '' || [...name].length > SUBSCRIBER_NAME_MAX || /[<>]/.test(name)) {
    problems.push({
      field: 'name',
      message: `must be plain text of 1–${SUBSCRIBER_NAME_MAX} characters (no < or >)`,
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { name: name! };
}

/** Makes a subscriber token (`POST /api/subscribers`): stored as a hash, the token returned once. */
export async function createSubscriber(
  deps: SubscriberServiceDeps,
  input: unknown,
): Promise<CreatedSubscriber> {
  const { name } = parseSubscriberInput(input);
  const issued = issueSubscriberToken(name, deps.clock());
  await deps.subscribers.putSubscriber(issued.record);
  const { secretHash: _hash, ...listed } = issued.record;
  return { token: issued.token, ...viewSubscriber({ ...listed, clientsToday: 0 }) };
}

/** Every subscriber token, oldest first, with its use today (`GET /api/subscribers`). */
export async function listSubscribers(deps: SubscriberServiceDeps): Promise<SubscriberView[]> {
  const today = deps.clock().toISOString().slice(0, 10);
  return (await deps.subscribers.listSubscribers(today)).map(viewSubscriber);
}

/** Revokes a token (`DELETE /api/subscribers/{id}`): its private feeds answer as an unknown token's from the next request. */
export async function revokeSubscriber(deps: SubscriberServiceDeps, subscriberId: string): Promise<void> {
  if (!/^[0-9a-f]{16}$/.test(subscriberId)) throw new NotFoundError(`No subscriber "${subscriberId}"`);
  await deps.subscribers.revokeSubscriber(subscriberId, deps.clock());
}
