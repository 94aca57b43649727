/** Errors a CMS developer can act on: quoting ETags, JSON syntax positions, counts, problem pages. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createArticlesHandler } from '../../functions/articles.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';

let deps: Awaited<ReturnType<typeof freshDeps>>;
let token: string;
let articles: ReturnType<typeof createArticlesHandler>;
let pages: ReturnType<typeof createPagesHandler>;

before(async () => {
  deps = await freshDeps();
  token = await testApiKey(deps, 'test');
  articles = createArticlesHandler(() => deps);
  pages = createPagesHandler(() => deps);
});

function put(id: string, body: unknown, headers: Record<string, string> = {}) {
  return articles(
    httpEvent('PUT', `/api/articles/${id}`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    }),
  );
}

function problem(result: HttpResult) {
  return JSON.parse(result.body) as {
    type: string;
    title: string;
    detail: string;
    errors?: { field: string; message: string }[];
  };
}

describe('API errors that say what to do', () => {
  test('an unquoted If-Match is refused with a 400 that shows the quoted form, and changes nothing', async () => {
    assert.equal((await put('etag-1', sampleArticle())).statusCode, 201);
    const result = await put('etag-1', sampleArticle({ headline: 'Changed' }), { 'if-match': 'v1' });
    assert.equal(result.statusCode, 400, result.body);
    assert.deepEqual(problem(result).errors, [
      {
        field: 'If-Match',
        message: 'must list entity tags in double quotes, as the ETag header gives them: If-Match: "v1"',
      },
    ]);
    assert.equal((await deps.store.getArticle('etag-1'))?.version, 1);
    const quoted = await put('etag-1', sampleArticle({ headline: 'Changed' }), { 'if-match': '"v1"' });
    assert.equal(quoted.statusCode, 200, quoted.body);
  });

  test('a stale quoted If-Match is still a 412 naming the current ETag, which differs from the one sent', async () => {
    const result = await put('etag-1', sampleArticle(), { 'if-match': '"v1"' });
    assert.equal(result.statusCode, 412);
    assert.equal(result.headers.etag, '"v2"');
    assert.match(problem(result).detail, /current ETag is "v2"/);
  });

  // RFC 9110 §13.1.1: If-Match uses the strong comparison, under which a weak tag matches nothing. The
  // condition is then false, which §13.1.1 answers with 412; the detail says why and what to send.
  test('a weak If-Match (W/"v2") is a 412 that says If-Match compares strongly, on articles and Top Stories', async () => {
    const result = await put('etag-1', sampleArticle({ headline: 'Weak' }), { 'if-match': 'W/"v2"' });
    assert.equal(result.statusCode, 412, result.body);
    assert.equal(result.headers.etag, '"v2"');
    assert.match(
      problem(result).detail,
      /compares entity tags strongly \(RFC 9110 §13\.1\.1\).*send If-Match: "v2"/,
    );
    assert.equal((await deps.store.getArticle('etag-1'))?.headline, 'Changed');
    const withdraw = await articles(
      httpEvent('DELETE', '/api/articles/etag-1', {
        headers: { authorization: `Bearer ${token}`, 'if-match': 'W/"v2"' },
      }),
    );
    assert.equal(withdraw.statusCode, 412);
    const top = (ifMatch?: string) =>
      articles(
        httpEvent('PUT', '/api/editions/europe/top-stories', {
          headers: {
            authorization: `Bearer ${token}`,
            ...(ifMatch !== undefined && { 'if-match': ifMatch }),
          },
          body: { articles: ['etag-1'] },
        }),
      );
    assert.equal((await top()).statusCode, 201);
    const weakTop = await top('W/"v1"');
    assert.equal(weakTop.statusCode, 412);
    assert.match(problem(weakTop).detail, /strongly/);
    assert.equal((await top('"v1"')).statusCode, 200);
  });

  test('an unquoted If-None-Match is refused the same way', async () => {
    const result = await put('etag-2', sampleArticle(), { 'if-none-match': 'v1, W/"v2"' });
    assert.equal(result.statusCode, 400);
    assert.match(problem(result).errors?.[0]?.message ?? '', /If-None-Match: "v1", W\/"v2"$/);
  });

  test('a JSON syntax error names its line and column and what was expected there', async () => {
    const body = '{\n  "headline": "Markets rally",\n  "byline": By Ana Ortiz\n}';
    const result = await put('syntax', body);
    assert.equal(result.statusCode, 400);
    assert.deepEqual(problem(result).errors, [
      {
        field: '',
        message:
          'the body is not valid JSON: line 3, column 13: expected a value, found "B" (text must be in double quotes)',
      },
    ]);
    const trailing = await put('syntax', '{"headline": "x",\n}');
    assert.match(problem(trailing).errors?.[0]?.message ?? '', /line 2, column 1: .*no trailing commas/);
  });

  test('counts problems in words: "1 problem found", "2 problems found"', async () => {
    const one = await put('count', sampleArticle({ section: 'weather' }));
    assert.equal(problem(one).detail, '1 problem found');
    const two = await put('count', sampleArticle({ section: 'weather', url: 'ftp://x' }));
    assert.equal(problem(two).detail, '2 problems found');
  });

  test('every problem type is a page on this site that explains it', async () => {
    const responses = [
      await put('types', sampleArticle({ section: 'weather' })),
      await articles(httpEvent('PUT', '/api/articles/types', { body: sampleArticle() })),
      await articles(
        httpEvent('GET', '/api/articles/never', { headers: { authorization: `Bearer ${token}` } }),
      ),
      await put('types', 'x', { 'content-type': 'text/plain' }),
    ];
    const types = responses.map((r) => problem(r).type);
    assert.deepEqual(
      types,
      ['invalid-request', 'unauthorized', 'not-found', 'unsupported-media-type'].map(
        (t) => `${config.baseUrl}/problems/${t}`,
      ),
    );
    for (const type of types) {
      const page = await pages(httpEvent('GET', new URL(type).pathname));
      assert.equal(page.statusCode, 200, type);
      assert.match(page.body, /<h2>How to fix it<\/h2>/);
    }
  });
});
