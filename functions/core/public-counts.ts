import type { SiteConfig } from './config.ts';
import type { PublicCounts } from './ports.ts';
import { type FeedScope, scopeName } from './scopes.ts';

/**
 * Subscriber counts on the public pages, when the config's
 * `subscriberCounts.public` is on. What the pages show is the estimate of
 * the last day that has closed (its figure is final; today's grows from
 * zero through the day), published once by the subscriber estimate as one
 * item holding only the feeds at or above PUBLIC_COUNT_FLOOR, rounded when
 * shown. A page reads that one item, whatever the number of feeds it lists.
 */

/**
 * The smallest estimate a page shows. Below it a figure could point at
 * people — a writer's feed with 3 readers is their editor and two friends,
 * and a day-to-day change of one is someone who just subscribed — and up to
 * 128 distinct clients the estimate is an exact count, not a blurred one.
 * At 20 or more, rounded to tens, one reader more or less rarely moves
 * the figure shown and never names anyone.
 */
export const PUBLIC_COUNT_FLOOR = 20;

/** Days the newest published figures stay on the pages while no newer day is published; then none show. */
export const PUBLIC_COUNT_MAX_AGE_DAYS = 3;

const DAY_MS = 86_400_000;

/** The UTC day of a time, `YYYY-MM-DD`. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** Whether the config asks for subscriber counts on the public pages. */
export function countsArePublic(config: SiteConfig): boolean {
  return config.subscriberCounts?.public === true;
}

/**
 * A day's public counts from its estimates per feed: the feeds at or above
 * the floor, the most followed first (the store keeps as many as fit one
 * item's read budget, largest first).
 */
export function publicCountsOf(day: string, estimates: Iterable<[string, number]>, at: Date): PublicCounts {
  const feeds = [...estimates]
    .filter(([, n]) => n >= PUBLIC_COUNT_FLOOR)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { day, publishedAt: at.toISOString(), feeds: Object.fromEntries(feeds) };
}

/** The days whose published counts a page may show at `now`: the newest of them wins. */
export function shownDays(now: Date): { from: string; to: string } {
  const to = dayOf(now);
  return { from: addDays(to, -PUBLIC_COUNT_MAX_AGE_DAYS), to };
}

/**
 * An estimate as a page shows it: to two significant figures, and never
 * finer than tens (47 → 50, 467 → 470, 1,234 → 1,200). Above 128 clients
 * per reader the estimate's relative error is about 3 %, so a third digit
 * would claim more than it knows.
 */
export function roundCount(n: number): number {
  const digits = Math.floor(Math.log10(Math.max(n, 1))) + 1;
  const step = Math.max(10, 10 ** (digits - 2));
  return Math.round(n / step) * step;
}

/** The estimate a page shows for a feed, if the counts hold one (undefined: show nothing). */
export function shownCount(counts: PublicCounts | undefined, scope: FeedScope): number | undefined {
  const n = counts?.feeds[scopeName(scope)];
  return n === undefined || n < PUBLIC_COUNT_FLOOR ? undefined : roundCount(n);
}

/** What of the counts decides a page's bytes (the day and each figure as shown), for its ETag. */
export function countsIdentity(counts: PublicCounts | undefined): string[] {
  if (counts === undefined) return [];
  const shown = Object.entries(counts.feeds)
    .filter(([, n]) => n >= PUBLIC_COUNT_FLOOR)
    .map(([feed, n]) => `${feed}=${roundCount(n)}`)
    .sort();
  return [`[readers ${counts.day}]`, ...shown];
}
