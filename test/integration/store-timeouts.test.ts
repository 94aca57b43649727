import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import { issueApiKey } from '../../functions/core/api-keys.ts';
import type { ArticleServiceDeps } from '../../functions/core/articles.ts';
import { StoreUnavailableError } from '../../functions/core/errors.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { createDynamoClient, STORE_TIMEOUTS } from '../../functions/store/client.ts';
import { withStoreDeadline } from '../../functions/store/deadline.ts';
import { DynamoArticleStore } from '../../functions/store/dynamo-article-store.ts';
import config from '../../newswire.config.ts';
import { sampleArticle } from '../support/articles.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';

/** Every store call must give up this soon, so each client gets its 503 well within Lambda's 10 s. */
const BOUND_MS = 5000;

// A DynamoDB that accepts connections and never answers, as a paused DynamoDB Local does.
let stalled: Server;
const sockets = new Set<Socket>();
let stalledEndpoint: string;

before(async () => {
  stalled = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => stalled.listen(0, '127.0.0.1', done));
  const address = stalled.address();
  assert.ok(address !== null && typeof address === 'object');
  stalledEndpoint = `http://127.0.0.1:${address.port}`;
});

after(() => {
  for (const socket of sockets) socket.destroy();
  stalled.close();
});

function handlersOn(endpoint: string) {
  const deps: ArticleServiceDeps = {
    store: new DynamoArticleStore(createDynamoClient({ endpoint }), 'newswire'),
    config,
    clock: testClock('2026-11-27T12:00:00Z'),
  };
  return {
    articles: createArticlesHandler(() => deps),
    feeds: createFeedsHandler(() => deps),
    pages: createPagesHandler(() => deps),
  };
}

/** Every kind of request a client makes, each timed. */
async function everyKindOfRequest(
  endpoint: string,
): Promise<{ name: string; ms: number; reply: HttpResult }[]> {
  const { articles, feeds, pages } = handlersOn(endpoint);
  const authorization = `Bearer ${issueApiKey('cms', new Date()).token}`;
  const requests: [string, () => Promise<HttpResult>][] = [
    [
      'PUT article',
      () =>
        articles(httpEvent('PUT', '/api/articles/a', { headers: { authorization }, body: sampleArticle() })),
    ],
    ['GET article', () => articles(httpEvent('GET', '/api/articles/a', { headers: { authorization } }))],
    [
      'DELETE article',
      () => articles(httpEvent('DELETE', '/api/articles/a', { headers: { authorization } })),
    ],
    ['RSS feed', () => feeds(httpEvent('GET', '/europe/rss.xml'))],
    ['JSON feed', () => feeds(httpEvent('GET', '/asia/business/feed.json'))],
    ['home page', () => pages(httpEvent('GET', '/'))],
    ['edition page', () => pages(httpEvent('GET', '/europe/'))],
  ];
  return Promise.all(
    requests.map(async ([name, send]) => {
      const started = performance.now();
      const reply = await send();
      return { name, ms: performance.now() - started, reply };
    }),
  );
}

describe('bounded waits on the store', () => {
  test('with the store accepting connections but never answering, every request gets a 503 with Retry-After within 5 s', async () => {
    const results = await everyKindOfRequest(stalledEndpoint);
    for (const { name, ms, reply } of results) {
      assert.equal(reply.statusCode, 503, `${name}: ${reply.body}`);
      assert.equal(reply.headers['retry-after'], '5', name);
      assert.ok(ms < BOUND_MS, `${name} waited ${Math.round(ms)} ms`);
      // It waited for the timeout (every attempt), rather than failing for some other reason.
      const { requestMs, attempts } = STORE_TIMEOUTS.local;
      assert.ok(ms >= requestMs * attempts - 50, `${name} gave up after ${Math.round(ms)} ms`);
      const html = name.endsWith('page');
      assert.equal(
        reply.headers['content-type'],
        html ? 'text/html; charset=utf-8' : 'application/problem+json; charset=utf-8',
        name,
      );
    }
  });

  test('with nothing listening, every request gets its 503 at once', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const address = closed.address();
    assert.ok(address !== null && typeof address === 'object');
    await new Promise<void>((done) => closed.close(() => done()));
    for (const { name, ms, reply } of await everyKindOfRequest(`http://127.0.0.1:${address.port}`)) {
      assert.equal(reply.statusCode, 503, `${name}: ${reply.body}`);
      assert.equal(reply.headers['retry-after'], '5', name);
      assert.ok(ms < 2000, `${name} waited ${Math.round(ms)} ms`);
    }
  });
});

describe('one deadline for all of a request’s store calls', () => {
  test('calls inside a deadline give up when it passes, not after their own timeouts', async () => {
    const store = new DynamoArticleStore(createDynamoClient({ endpoint: stalledEndpoint }), 'newswire');
    const started = performance.now();
    // A request's second call starts with the budget its first one left.
    const reply = withStoreDeadline(1200, async () => {
      await new Promise((done) => setTimeout(done, 400));
      return store.getArticle('a');
    });
    await assert.rejects(reply, (error) => error instanceof StoreUnavailableError);
    const ms = performance.now() - started;
    const { requestMs, attempts } = STORE_TIMEOUTS.local;
    assert.ok(ms < requestMs * attempts, `gave up after ${Math.round(ms)} ms`);
    assert.ok(ms >= 1100, `gave up after ${Math.round(ms)} ms`);
  });
});
