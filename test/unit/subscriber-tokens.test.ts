/**
 * Subscriber tokens are checked in constant time: whatever the token names (a known id with the
 * right or a wrong secret, an unknown id, a revoked token), the check does the same work — one
 * read, one hash, one comparison of two 32-byte digests — so the time it takes tells nothing.
 * Asserted on the comparison path itself (the injectable compare), not on wall-clock timings.
 */
import assert from 'node:assert/strict';
import { timingSafeEqual } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  issueSubscriberToken,
  type SubscriberRecord,
  verifySubscriberToken,
} from '../../functions/core/subscriber-tokens.ts';
import { loggablePath } from '../../functions/core/urls.ts';

const now = new Date('2026-11-27T12:00:00Z');

/** Runs one check, recording every read and every comparison it makes. */
async function check(records: SubscriberRecord[], token: string) {
  const reads: string[] = [];
  const comparisons: { lengths: [number, number]; matched: boolean }[] = [];
  const result = await verifySubscriberToken(
    async (id) => {
      reads.push(id);
      return records.find((r) => r.subscriberId === id);
    },
    token,
    (a, b) => {
      const matched = timingSafeEqual(a, b);
      comparisons.push({ lengths: [a.length, b.length], matched });
      return matched;
    },
  );
  return { result, reads, comparisons };
}

describe('subscriber token check', () => {
  const issued = issueSubscriberToken('reader', now);
  const other = issueSubscriberToken('other', now);
  const [, id, secret] = /^ns_([0-9a-f]{16})_(.+)$/.exec(issued.token)!;
  const wrongSecret = `ns_${id}_${other.token.slice(-43)}`;
  const unknownId = `ns_${'f'.repeat(16)}_${secret}`;
  const revoked = { ...issued.record, revokedAt: now.toISOString() };

  test('accepts its own token, and nothing else', async () => {
    assert.equal((await check([issued.record], issued.token)).result?.subscriberId, id);
    for (const token of [wrongSecret, unknownId, other.token]) {
      assert.equal((await check([issued.record], token)).result, undefined, token);
    }
    assert.equal((await check([revoked], issued.token)).result, undefined, 'revoked');
  });

  test('does the same work for a known id, an unknown id, a wrong secret and a revoked token', async () => {
    const paths = await Promise.all([
      check([issued.record], issued.token),
      check([issued.record], unknownId),
      check([issued.record], wrongSecret),
      check([revoked], issued.token),
    ]);
    for (const [i, { reads, comparisons }] of paths.entries()) {
      assert.equal(reads.length, 1, `case ${i}: one read`);
      // One comparison of two SHA-256 digests, whatever the id: an unknown id is compared against a
      // fixed hash, and revocation is looked at only after the comparison.
      assert.deepEqual(
        comparisons.map((c) => c.lengths),
        [[32, 32]],
        `case ${i}: one 32-byte comparison`,
      );
    }
    // The revoked token's secret matches (the comparison ran in full) and is still refused.
    assert.equal(paths[3]!.comparisons[0]!.matched, true);
    assert.equal(paths[3]!.result, undefined);
  });

  test('a malformed token is refused before any read (its shape is no secret)', async () => {
    for (const token of [
      '',
      'ns_',
      `ns_${id}`,
      `nw_${id}_${secret}`,
      `${issued.token}x`,
      issued.token.toUpperCase(),
    ]) {
      const { result, reads, comparisons } = await check([issued.record], token);
      assert.equal(result, undefined, token);
      assert.deepEqual([reads, comparisons], [[], []], token);
    }
  });
});

describe('paths in log lines', () => {
  test('name a private feed by its subscriber id, never its secret, whatever follows the token', () => {
    const { token } = issueSubscriberToken('reader', now);
    const id = token.slice(3, 19);
    // `/private/{token}` alone is no feed: the pages function answers it, and logs it too.
    for (const [path, shown] of [
      [`/private/${token}/europe/rss.xml`, `/private/ns_${id}_…/europe/rss.xml`],
      [`/private/${token}/authors/ana-ortiz/feed.json`, `/private/ns_${id}_…/authors/ana-ortiz/feed.json`],
      [`/private/${token}`, `/private/ns_${id}_…`],
      [`/private/${token}/`, `/private/ns_${id}_…/`],
      ['/private/not-a-token/europe/rss.xml', '/private/…/europe/rss.xml'],
      ['/europe/rss.xml', '/europe/rss.xml'],
    ] as const) {
      assert.equal(loggablePath(path), shown, path);
    }
  });
});
