import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDynamoClient } from '../../functions/store/client.ts';
import { type LocalNewswire, startNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { assertTableInvariant } from '../support/invariant.ts';

/** Every client must have its answer within this, whatever DynamoDB Local is doing (a bound, not a speed goal). */
const BOUND_MS = 5000;
const ARTICLES = 100;

let newswire: LocalNewswire;
let dataDir: string;
const log: string[] = [];

// Its own DynamoDB Local (not the run's shared one), with its data in a temporary directory so that
// what was written survives a kill.
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'newswire-faults-'));
  newswire = await startNewswire({
    port: 0,
    dataDir,
    seed: false,
    tableName: 'faults',
    log: (line) => log.push(`${new Date().toISOString()} ${line}`),
  });
});

after(async () => {
  await newswire?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  ms: number;
  body: string;
}

async function send(method: string, path: string, body?: unknown): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${newswire.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${newswire.apiKey}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    contentType: response.headers.get('content-type'),
    ms: performance.now() - started,
    body: text,
  };
}

/** Publication times are fixed once, so a retried write keeps its article's place in the feeds. */
const NOW = Date.now();
const ids = Array.from({ length: ARTICLES }, (_, i) => `wire-${String(i).padStart(3, '0')}`);
const editions = ['europe', 'asia', 'americas', 'africa', 'middle-east'];
const sections = ['world', 'business', 'technology', 'science', 'sport'];

function article(i: number) {
  return sampleArticle({
    headline: `Wire story ${i}`,
    url: `https://news.example.com/2026/11/wire-${i}/`,
    section: sections[i % sections.length],
    editions: [editions[i % editions.length], editions[(i + 2) % editions.length]],
    publishedAt: new Date(NOW - (i + 1) * 60_000).toISOString(),
  });
}

/** Publishes `todo` with `clients` concurrent clients, one attempt each; `onAnswer` sees every answer. */
async function ingest(
  todo: string[],
  clients: number,
  onAnswer: (id: string, answer: Answer) => void = () => {},
): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  const queue = [...todo];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const answer = await send('PUT', `/api/articles/${id}`, article(ids.indexOf(id)));
        answers.set(id, answer);
        onAnswer(id, answer);
      }
    }),
  );
  return answers;
}

/** A 503 a client can act on: Retry-After, and a body for whoever reads it; every answer within the bound. */
function assertBounded(what: string, answer: Answer): void {
  assert.ok(answer.ms < BOUND_MS, `${what}: answered after ${Math.round(answer.ms)} ms`);
  if (answer.status === 503) {
    assert.match(answer.retryAfter ?? '', /^\d+$/, `${what}: 503 without Retry-After`);
  }
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline)
      assert.fail(`${what} did not happen within ${ms / 1000} s:\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function invariant() {
  const client = createDynamoClient({ endpoint: newswire.endpoint });
  return assertTableInvariant(client, newswire.tableName, newswire.deps.config);
}

/** Articles the server acknowledged (201) before and during the kill. */
const acknowledged = new Set<string>();

describe('faults: DynamoDB Local killed, then paused, during an ingest', () => {
  test('killed (SIGKILL) mid-ingest: every client gets its answer within 5 s, 503s with Retry-After', async () => {
    const first = newswire.dynamodb?.pid;
    assert.ok(first !== undefined, 'the runtime started its own DynamoDB Local');
    const answers = await ingest(ids, 8, (id, answer) => {
      if (answer.status !== 201) return;
      acknowledged.add(id);
      if (acknowledged.size === 30) process.kill(first, 'SIGKILL');
    });
    for (const [id, answer] of answers) {
      assertBounded(id, answer);
      assert.ok([201, 503].includes(answer.status), `${id}: ${answer.status} ${answer.body}`);
    }
    const refused = [...answers.values()].filter((a) => a.status === 503);
    assert.ok(refused.length > 0, 'the kill came before the ingest ended');
    assert.ok(refused.every((a) => a.contentType === 'application/problem+json; charset=utf-8'));
  });

  test('the local server recovers by itself: DynamoDB Local is started again with the same data', async (t) => {
    await waitFor('the restart', () => log.some((l) => /running again on port/.test(l)));
    assert.ok(
      log.some((l) => /stopped unexpectedly \(killed by SIGKILL\)/.test(l)),
      log.join('\n'),
    );
    await waitFor(
      'the API answering again',
      async () => (await send('GET', '/europe/rss.xml')).status === 200,
    );
    // Same data directory: the table and the dev key written at start-up are still there.
    assert.ok(!log.some((l) => /lost the table/.test(l)), log.join('\n'));
    let survived = 0;
    for (const id of acknowledged) {
      const answer = await send('GET', `/api/articles/${id}`);
      assert.ok([200, 404].includes(answer.status), `${id}: ${answer.status} ${answer.body}`);
      if (answer.status === 200) survived++;
    }
    // DynamoDB Local itself may lose the last writes it acknowledged before a SIGKILL (README, Guarantees).
    t.diagnostic(`${survived} of ${acknowledged.size} acknowledged writes survived the kill`);
    assert.ok(survived > 0);
    // No article half-written: each is there whole (article, revisions, every feed entry) or not at all.
    await invariant();
  });

  test('paused (SIGSTOP): every client — writers, feed readers, people — gets a 503 with Retry-After within 5 s', async () => {
    const pid = newswire.dynamodb?.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGSTOP');
    try {
      const [writes, ...reads] = await Promise.all([
        ingest(ids.slice(40, 52), 12),
        send('GET', '/europe/rss.xml'),
        send('GET', '/asia/business/feed.json'),
        send('GET', '/api/articles/wire-000'),
        // Refused before it writes anything: the key lookup that comes first times out.
        send('DELETE', '/api/articles/wire-000'),
        send('GET', '/europe/'),
        send('GET', '/'),
      ]);
      const answers = [
        ...[...writes].map(([id, a]) => [`PUT ${id}`, a] as const),
        ...reads.map((a, i) => [`read ${i}`, a] as const),
      ];
      for (const [what, answer] of answers) {
        assertBounded(what, answer);
        assert.equal(answer.status, 503, `${what}: ${answer.body.slice(0, 200)}`);
      }
      // People get a page; programs get problem+json.
      assert.equal(reads[4]?.contentType, 'text/html; charset=utf-8');
      assert.equal(reads[5]?.contentType, 'text/html; charset=utf-8');
      assert.equal(reads[0]?.contentType, 'application/problem+json; charset=utf-8');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  test('the ingest, run again, completes, and every feed is exact', async () => {
    await waitFor(
      'answers after the pause',
      async () => (await send('GET', '/europe/rss.xml')).status === 200,
    );
    // Run again as a CMS would: every article (PUT is a replace), then again whatever got a 503.
    let todo = ids;
    for (let round = 1; todo.length > 0; round++) {
      assert.ok(round <= 5, `still failing after 5 rounds: ${todo}`);
      const answers = await ingest(todo, 8);
      for (const [id, answer] of answers) {
        assertBounded(id, answer);
        assert.ok([200, 201, 503].includes(answer.status), `${id}: ${answer.status} ${answer.body}`);
      }
      todo = todo.filter((id) => answers.get(id)?.status === 503);
    }
    const report = await invariant();
    assert.equal(report.articles.length, ARTICLES);
    assert.ok(report.articles.every((a) => a.withdrawnAt === undefined));
    const feed = await send('GET', '/international/feed.json');
    assert.equal(feed.status, 200);
    const shown = (JSON.parse(feed.body) as { items: { id: string }[] }).items.map((i) =>
      i.id.replace(/^.*:article:/, ''),
    );
    assert.deepEqual(shown, ids.slice(0, newswire.deps.config.pageSize));
  });
});
