import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import type { ArticleStore } from '../../functions/core/ports.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertTableInvariant } from '../support/invariant.ts';

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;
let articles: ReturnType<typeof createArticlesHandler>;

before(async () => {
  deps = await freshDeps('2026-11-27T12:00:00Z');
  token = await testApiKey(deps, 'test');
  articles = createArticlesHandler(() => deps);
});

function put(id: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return articles(
    httpEvent('PUT', `/api/articles/${id}`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    }),
  );
}

function withdraw(id: string): Promise<HttpResult> {
  return articles(
    httpEvent('DELETE', `/api/articles/${id}`, { headers: { authorization: `Bearer ${token}` } }),
  );
}

async function currentEtag(id: string): Promise<string | undefined> {
  const article = await deps.store.getArticle(id);
  return article === undefined ? undefined : `"v${article.version}"`;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('concurrent writers on DynamoDB Local', () => {
  test('20 writers with the same If-Match: one 200, nineteen 412 that each carry the current ETag', async () => {
    const created = await put('contested', sampleArticle());
    assert.equal(created.statusCode, 201, created.body);
    for (let round = 1; round <= 5; round++) {
      const etag = `"v${round}"`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, writer) =>
          put('contested', sampleArticle({ headline: `Round ${round}, writer ${writer}` }), {
            'if-match': etag,
          }),
        ),
      );
      const winners = results.flatMap((r, writer) => (r.statusCode === 200 ? [writer] : []));
      const statuses = results.map((r) => r.statusCode).sort();
      assert.equal(winners.length, 1, `round ${round}: statuses ${statuses}`);
      const current = await currentEtag('contested');
      assert.equal(current, `"v${round + 1}"`);
      const stored = await deps.store.getArticle('contested');
      assert.equal(stored?.headline, `Round ${round}, writer ${winners[0]}`, 'the winner is what is stored');
      for (const r of results.filter((r) => r.statusCode !== 200)) {
        assert.equal(r.statusCode, 412, r.body);
        assert.equal(r.headers.etag, current, `round ${round}: a 412 without the current ETag: ${r.body}`);
        assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
      }
    }
  });

  test('20 creators with If-None-Match: *: one 201, nineteen 412 that each carry the ETag of the one created', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, writer) =>
        put('first-come', sampleArticle({ headline: `Writer ${writer}` }), { 'if-none-match': '*' }),
      ),
    );
    assert.equal(results.filter((r) => r.statusCode === 201).length, 1);
    for (const r of results.filter((r) => r.statusCode !== 201)) {
      assert.equal(r.statusCode, 412, r.body);
      assert.equal(r.headers.etag, '"v1"');
    }
  });

  test('a conditional write that loses the transaction reports the winning version, not a bare 412', async () => {
    // Deterministic: the loser reads v1, then another write lands before its own transaction.
    await put('raced', sampleArticle());
    let interfere = true;
    const store: ArticleStore = Object.create(deps.store, {
      saveArticle: {
        value: async (write: Parameters<ArticleStore['saveArticle']>[0]) => {
          if (interfere) {
            interfere = false;
            const winner = await put('raced', sampleArticle({ headline: 'The winner' }));
            assert.equal(winner.statusCode, 200, winner.body);
          }
          return deps.store.saveArticle(write);
        },
      },
    });
    const loser = await createArticlesHandler(() => ({ ...deps, store }))(
      httpEvent('PUT', '/api/articles/raced', {
        headers: { authorization: `Bearer ${token}`, 'if-match': '"v1"' },
        body: sampleArticle({ headline: 'The loser' }),
      }),
    );
    assert.equal(loser.statusCode, 412, loser.body);
    assert.equal(loser.headers.etag, '"v2"');
    assert.match(JSON.parse(loser.body).detail, /current ETag is "v2"/);
    assert.equal((await deps.store.getArticle('raced'))?.headline, 'The winner');
  });

  test('16 clients publish 500 articles with updates and withdrawals mixed in: every feed stays exact', async () => {
    const next = random(20261127);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const editionIds = deps.config.editions.map((e) => e.id);
    const sectionIds = deps.config.sections.map((s) => s.id);
    const now = deps.clock().getTime();
    const content = (id: string, n: number) => {
      const editions = editionIds.filter(() => next() < 0.35);
      return sampleArticle({
        headline: `Story ${id}, version ${n}`,
        url: `https://news.example.com/2026/11/${id}/`,
        section: pick(sectionIds),
        // Omitted editions = every edition; about one in ten is scheduled for later.
        ...(editions.length === 0 ? { editions: undefined } : { editions }),
        publishedAt: new Date(
          now + (next() < 0.1 ? 1 : -1) * Math.floor(next() * 30 * 86_400_000),
        ).toISOString(),
      });
    };
    const ids = Array.from({ length: 500 }, (_, i) => `story-${String(i).padStart(3, '0')}`);
    type Op = () => Promise<HttpResult>;
    const ops: Op[] = ids.map((id) => () => put(id, content(id, 0)));
    const change = (id: string, n: number): Op =>
      next() < 0.3 ? () => withdraw(id) : () => put(id, content(id, n));
    // Updates, withdrawals and republications, interleaved with the creations…
    for (let n = 1; n <= 250; n++) ops.splice(Math.floor(next() * ops.length), 0, change(pick(ids), n));
    // …and bursts of six changes to one article in a row, which the clients run at the same time.
    for (let burst = 0; burst < 10; burst++) {
      const id = pick(ids);
      const changes = Array.from({ length: 6 }, (_, n) => change(id, 1000 + burst * 10 + n));
      ops.splice(Math.floor(next() * ops.length), 0, ...changes);
    }
    // Every article exists in the end, whatever ran before its creation.
    const statuses = new Map<number, number>();
    let retried = 0;
    // Clients do what a 503 or 429 tells them: wait (Retry-After; shortened here) and try again.
    // On a loaded machine DynamoDB Local can be slower than the store's bounded waits.
    const send = async (op: Op): Promise<HttpResult> => {
      for (let attempt = 1; ; attempt++) {
        const result = await op();
        if (![429, 503].includes(result.statusCode) || attempt === 6) return result;
        assert.ok(result.headers['retry-after'] !== undefined, 'a 503 or 429 says when to retry');
        retried++;
        await new Promise((done) => setTimeout(done, 100 * attempt));
      }
    };
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (cursor < ops.length) {
          const op = ops[cursor++]!;
          const result = await send(op);
          statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
          // 404: a withdrawal that ran before the creation; 409: an unconditional write that lost
          // the race three times in a row (reported, never half-applied).
          assert.ok([200, 201, 404, 409].includes(result.statusCode), `${result.statusCode}: ${result.body}`);
        }
      }),
    );
    const missing = [];
    for (const id of ids) if ((await deps.store.getArticle(id)) === undefined) missing.push(id);
    for (const id of missing) assert.equal((await put(id, content(id, 999))).statusCode, 201);

    const report = await assertTableInvariant(deps.client, deps.tableName, deps.config);
    const ours = report.articles.filter((a) => a.id.startsWith('story-'));
    assert.equal(ours.length, 500);
    assert.ok(
      ours.some((a) => a.withdrawnAt !== undefined),
      'some articles are withdrawn',
    );
    assert.ok(
      ours.some((a) => a.version > 2),
      'some articles were updated more than once',
    );
    assert.ok(
      (statuses.get(201) ?? 0) >= 490,
      `statuses: ${[...statuses]}, ${retried} retried after a 503 or 429`,
    );

    // What a reader sees agrees with the table: the newest published, not withdrawn, articles first.
    const feeds = createFeedsHandler(() => deps);
    const feed = await feeds(httpEvent('GET', '/international/feed.json'));
    assert.equal(feed.statusCode, 200, feed.body);
    const shown = (JSON.parse(feed.body) as { items: { id: string }[] }).items.map((i) =>
      i.id.replace(/^.*:article:/, ''),
    );
    const expected = report.articles
      .filter((a) => a.withdrawnAt === undefined && a.publishedAt <= deps.clock().toISOString())
      .sort((a, b) =>
        a.publishedAt === b.publishedAt ? (a.id < b.id ? 1 : -1) : a.publishedAt < b.publishedAt ? 1 : -1,
      )
      .slice(0, deps.config.pageSize)
      .map((a) => a.id);
    assert.deepEqual(shown, expected);
  });
});
