import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import { issueApiKey } from '../../functions/core/api-keys.ts';
import type { ArticleServiceDeps } from '../../functions/core/articles.ts';
import { StoreUnavailableError, TooManyRequestsError } from '../../functions/core/errors.ts';
import type { ArticleStore } from '../../functions/core/ports.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';

/** A store whose every call fails as the DynamoDB adapter reports an outage (or throttling). */
function failingStore(error: () => Error): ArticleStore {
  return new Proxy({} as ArticleStore, { get: () => () => Promise.reject(error()) });
}

function deps(error: () => Error): () => ArticleServiceDeps {
  const d = { store: failingStore(error), config, clock: testClock('2026-11-27T12:00:00Z') };
  return () => d;
}

const outage = () => new StoreUnavailableError(5);

describe('a store outage', () => {
  test('HTML pages answer with an HTML 503 page and Retry-After, not problem+json', async () => {
    const pages = createPagesHandler(deps(outage));
    for (const path of ['/', '/europe/', '/europe/business/']) {
      const reply = await pages(httpEvent('GET', path));
      assert.equal(reply.statusCode, 503, path);
      assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(reply.headers['retry-after'], '5');
      assert.equal(reply.headers['cache-control'], 'no-store');
      assert.match(reply.body, /^<!doctype html>/i);
      assert.match(reply.body, /<h1>Stories are briefly unavailable<\/h1>/);
      assert.match(reply.body, /try again in 5 seconds/);
      const head = await pages(httpEvent('HEAD', path));
      assert.equal(head.statusCode, 503);
      assert.equal(head.body, '');
    }
  });

  // Was a 429 page: CloudFront passes a 4xx on to readers but serves its expired copy over a 5xx,
  // so a read function answers the table's throttling as the outage it is for readers.
  test('throttling gives people a 503 page with Retry-After, which CloudFront serves its copy over', async () => {
    const pages = createPagesHandler(deps(() => new TooManyRequestsError(1)));
    const reply = await pages(httpEvent('GET', '/asia/'));
    assert.equal(reply.statusCode, 503);
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(reply.headers['retry-after'], '1');
    assert.match(reply.body, /try again in a second/);
  });

  test('feeds and files answer the table’s throttling 503 (problem+json, Retry-After); the keyed API keeps its 429', async () => {
    const throttled = deps(() => new TooManyRequestsError(1));
    const feeds = createFeedsHandler(throttled);
    const pages = createPagesHandler(throttled);
    for (const reply of [
      await feeds(httpEvent('GET', '/europe/rss.xml')),
      await feeds(httpEvent('GET', '/authors/ana-ortiz/atom.xml')),
      await feeds(httpEvent('GET', '/europe/partners/smartnews.xml')),
      await pages(httpEvent('GET', '/europe/news-sitemap.xml')),
    ]) {
      assert.equal(reply.statusCode, 503);
      assert.equal(reply.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(reply.headers['retry-after'], '1');
    }
    const articles = createArticlesHandler(throttled);
    const write = await articles(
      httpEvent('GET', '/api/articles/x', {
        headers: { authorization: `Bearer ${issueApiKey('cms', new Date()).token}` },
      }),
    );
    assert.equal(write.statusCode, 429);
    assert.equal(write.headers['retry-after'], '1');
  });

  test('OPML and site images need no store and are still served', async () => {
    const pages = createPagesHandler(deps(outage));
    assert.equal((await pages(httpEvent('GET', '/opml.xml'))).statusCode, 200);
    assert.equal((await pages(httpEvent('GET', '/assets/logo.png'))).statusCode, 200);
  });

  test('feeds and the write API, read by programs, answer problem+json 503 with Retry-After', async () => {
    const feeds = createFeedsHandler(deps(outage));
    const articles = createArticlesHandler(deps(outage));
    const replies = [
      await feeds(httpEvent('GET', '/europe/rss.xml')),
      await articles(
        httpEvent('GET', '/api/articles/x', {
          headers: { authorization: `Bearer ${issueApiKey('cms', new Date()).token}` },
        }),
      ),
    ];
    for (const reply of replies) {
      assert.equal(reply.statusCode, 503);
      assert.equal(reply.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(reply.headers['retry-after'], '5');
    }
  });
});
