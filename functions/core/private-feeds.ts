import { createHmac, randomBytes } from 'node:crypto';
import { TooManyRequestsError } from './errors.ts';
import type { PrivateFeedStore, SaltStore } from './ports.ts';
import { closesAt, dayOf } from './subscribers.ts';

/**
 * What the feeds function keeps in memory about private feeds: which
 * clients keep sending wrong tokens (refused for a while, before any read),
 * and which fetches it noted lately (so a reader polling every minute costs
 * one write a minute at most, per instance).
 */

/** Wrong tokens one client may send in a window before it is refused. */
export const WRONG_TOKENS_ALLOWED = 20;

/** The window wrong tokens are counted over, and how long a client is then refused (seconds). */
export const WRONG_TOKEN_WINDOW_SECONDS = 600;

/** At most one note of a token's fetch per client per this many milliseconds, per instance. */
export const FETCH_NOTE_INTERVAL_MS = 60_000;

/** Clients and fetches remembered per instance; past it the memory starts again (bounded, never a leak). */
const REMEMBERED = 10_000;

/**
 * Counts wrong tokens per client (address and User-Agent, hashed with a
 * random key this instance never stores) and refuses a client past
 * WRONG_TOKENS_ALLOWED in a window with a 429 until the window ends,
 * before its token is even read.
 */
export class WrongTokenLimiter {
  private readonly key = randomBytes(32);
  private readonly clients = new Map<string, { since: number; count: number }>();

  private clientOf(identity: string): string {
    return createHmac('sha256', this.key).update(identity).digest('base64url');
  }

  /** Throws TooManyRequestsError while the client is refused. */
  check(identity: string, now: Date): void {
    const seen = this.clients.get(this.clientOf(identity));
    if (seen === undefined || seen.count < WRONG_TOKENS_ALLOWED) return;
    const ends = seen.since + WRONG_TOKEN_WINDOW_SECONDS * 1000;
    if (now.getTime() >= ends) return;
    throw new TooManyRequestsError(Math.ceil((ends - now.getTime()) / 1000));
  }

  /** Counts one wrong token from the client. */
  failed(identity: string, now: Date): void {
    const client = this.clientOf(identity);
    const seen = this.clients.get(client);
    if (seen === undefined || now.getTime() - seen.since >= WRONG_TOKEN_WINDOW_SECONDS * 1000) {
      if (this.clients.size >= REMEMBERED) this.clients.clear();
      this.clients.set(client, { since: now.getTime(), count: 1 });
    } else {
      seen.count++;
    }
  }
}

/**
 * Notes private feeds' fetches on their tokens' listing: the time, and the
 * client as a hash under the day's salt (the subscriber estimate's own, so
 * no address is stored and a closed day's hashes can never be tied to one).
 */
export class FetchNotes {
  private readonly noted = new Map<string, number>();
  private salt: { day: string; value: Promise<Uint8Array> } | undefined;

  constructor(
    private readonly store: () => PrivateFeedStore,
    private readonly salts: () => SaltStore,
  ) {}

  /** Notes a fetch, unless this client's fetch of this token was noted less than FETCH_NOTE_INTERVAL_MS ago. */
  async note(subscriberId: string, identity: string, now: Date): Promise<void> {
    const day = dayOf(now);
    if (this.salt?.day !== day) {
      const value = this.salts().saltFor(day, closesAt(day));
      // A failed read is tried again by the next fetch, not kept.
      value.catch(() => {
        if (this.salt?.value === value) this.salt = undefined;
      });
      this.salt = { day, value };
    }
    const client = createHmac('sha256', await this.salt.value)
      .update(identity)
      .digest()
      .subarray(0, 8)
      .toString('base64url');
    const key = `${subscriberId}|${client}`;
    const last = this.noted.get(key);
    if (last !== undefined && now.getTime() - last < FETCH_NOTE_INTERVAL_MS) return;
    if (this.noted.size >= REMEMBERED) this.noted.clear();
    this.noted.set(key, now.getTime());
    await this.store().recordFetch(subscriberId, { at: now.toISOString(), day, client });
  }
}
