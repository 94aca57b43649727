/**
 * One route table: API Gateway's routes, the local server's routing, the
 * articles function's operations and the OpenAPI paths all come from
 * functions/http/routes.ts, so they cannot drift apart.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { LIMITS, viewArticle } from '../../functions/core/article.ts';
import { isReservedArticleId } from '../../functions/core/urls.ts';
import { openApiDocument } from '../../functions/http/openapi.ts';
import { matchRoute, methodsFor, ROUTES } from '../../functions/http/routes.ts';
import { routeOf } from '../../local/server.ts';
import config from '../../newswire.config.ts';
import { storedFrom } from '../support/articles.ts';
import { httpEvent } from '../support/events.ts';
import { largestArticle } from '../support/largest.ts';
import { memoryStore } from '../support/memory-store.ts';
import { openApiChecker } from '../support/openapi.ts';

describe('the route table', () => {
  test('picks the route API Gateway would: literal segments first, greedy ones last', () => {
    const cases: [string, string, string][] = [
      ['PUT', '/api/articles/summit', 'PUT /api/articles/{id}'],
      ['GET', '/api/articles/rss.xml', 'GET /api/articles/{id}'],
      ['GET', '/api/articles/summit/revisions', 'GET /api/articles/{id}/revisions'],
      ['GET', '/api/articles/summit/revisions/3', 'GET /api/articles/{id}/revisions/{version}'],
      ['PUT', '/api/editions/europe/top-stories', 'PUT /api/editions/{edition}/top-stories'],
      ['GET', '/api/openapi.json', 'GET /api/openapi.json'],
      ['POST', '/api/articles/summit', 'ANY /api/{proxy+}'],
      ['GET', '/api/whatever/else/here', 'ANY /api/{proxy+}'],
      // A route may not end in "/": API Gateway's greedy variable catches the trailing slash.
      ['GET', '/api/', 'ANY /api/{proxy+}'],
      ['GET', '/europe/rss.xml', 'GET /{edition}/rss.xml'],
      ['HEAD', '/europe/world/atom.xml', 'HEAD /{edition}/{section}/atom.xml'],
      // Writers and topics have routes of their own (and so throttles of their own).
      ['GET', '/authors/willy-lam/feed.json', 'GET /authors/{author}/feed.json'],
      ['HEAD', '/topics/china/rss.xml', 'HEAD /topics/{topic}/rss.xml'],
      ['GET', '/authors/rss.xml', 'GET /{edition}/rss.xml'],
      ['GET', '/europe/top/rss.xml', 'GET /{edition}/{section}/rss.xml'],
      ['GET', '/', 'GET /'],
      ['GET', '/europe/', 'GET /{proxy+}'],
      ['GET', '/a/b/c/rss.xml', 'GET /{proxy+}'],
      ['GET', '/opml.xml', 'GET /{proxy+}'],
    ];
    for (const [method, path, key] of cases)
      assert.equal(matchRoute(method, path)?.routeKey, key, `${method} ${path}`);
    assert.equal(
      matchRoute('PUT', '/europe/rss.xml'),
      undefined,
      'API Gateway answers unrouted methods itself',
    );
  });

  test('decodes path parameters', () => {
    assert.deepEqual(matchRoute('GET', '/authors/%E7%8E%8B%E6%AF%85/rss.xml')?.params, {
      author: '王毅',
    });
    assert.deepEqual(matchRoute('GET', '/api/articles/a.b/revisions/12')?.params, {
      id: 'a.b',
      version: '12',
    });
  });

  test('the local server routes by the same table', () => {
    assert.deepEqual(routeOf('DELETE', '/api/articles/x'), {
      name: 'articles',
      routeKey: 'DELETE /api/articles/{id}',
    });
    assert.deepEqual(routeOf('GET', '/topics/climate/rss.xml'), {
      name: 'feeds',
      routeKey: 'GET /topics/{topic}/rss.xml',
    });
    assert.deepEqual(routeOf('GET', '/europe/'), { name: 'pages', routeKey: 'GET /{proxy+}' });
  });

  test('knows which methods a path takes, for 405 replies', () => {
    assert.deepEqual(methodsFor('/api/articles/x').sort(), ['DELETE', 'GET', 'PUT']);
    assert.deepEqual(methodsFor('/api/editions/europe/top-stories').sort(), ['GET', 'PUT']);
    assert.deepEqual(methodsFor('/api/nothing'), []);
  });
});

describe('article ids that would collide with a route', () => {
  test('every literal segment of the route table outside /api/ is refused as an article id', () => {
    const literals = ROUTES.filter((r) => !r.path.startsWith('/api/'))
      .flatMap((r) => r.path.split('/'))
      .filter((segment) => segment !== '' && !segment.startsWith('{'));
    assert.ok(literals.length >= 3, 'the feed files');
    for (const word of [...literals, 'api']) assert.ok(isReservedArticleId(word), word);
  });

  test('so do the site’s own files and folders; ordinary ids, dotted ones too, do not', () => {
    for (const id of [
      'opml.xml',
      'sitemap.xml',
      'sitemap-fronts.xml',
      'sitemap-2026-11.xml',
      'news-sitemap.xml',
      'robots.txt',
      'favicon.ico',
      'top',
      'authors',
      'topics',
      'assets',
      'problems',
    ]) {
      assert.ok(isReservedArticleId(id), id);
    }
    for (const id of ['summit', 'rss', 'story.v2', 'sitemap-2026-13.xml', 'RSS.xml', 'feed.json.old']) {
      assert.ok(!isReservedArticleId(id), id);
    }
  });
});

describe('the OpenAPI document', () => {
  const document = openApiDocument(config) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };

  test('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(document.openapi, '3.1.0');
  });

  test('documents each path on the route that serves it, with that route’s methods', () => {
    // Every documented path, with its placeholders as values, is routed as API Gateway would route it.
    for (const [path, operations] of Object.entries(document.paths)) {
      const documented = Object.keys(operations).filter((k) => k !== 'parameters');
      // Routed by a method it documents: a path that takes DELETE alone (`/api/subscribers/{id}`) is
      // routed for DELETE, and a GET there would fall through to the catch-all.
      const match = matchRoute(documented[0]!.toUpperCase(), path);
      assert.ok(match !== undefined, `${path} is routed`);
      const methods = match.route.methods.includes('ANY') ? ['GET', 'HEAD'] : match.route.methods;
      assert.deepEqual(documented.sort(), methods.map((m) => m.toLowerCase()).sort(), path);
    }
    // Every route but the unknown-API catch-all serves at least one documented path.
    for (const route of ROUTES.filter((r) => r.operation !== 'unknownApi')) {
      assert.ok(
        Object.keys(document.paths).some((path) => matchRoute(route.methods[0]!, path)?.route === route),
        `${route.path} is documented`,
      );
    }
  });

  test('documents every kind of feed in every format, every kind of page and the OPML lists as paths of their own', () => {
    const paths = Object.keys(document.paths);
    for (const folder of [
      '/{edition}/',
      '/{edition}/{section}/',
      '/{edition}/top/',
      '/authors/{author}/',
      '/topics/{topic}/',
    ]) {
      assert.ok(paths.includes(folder), `page ${folder}`);
      for (const file of ['rss.xml', 'atom.xml', 'feed.json'])
        assert.ok(paths.includes(`${folder}${file}`), `${folder}${file}`);
    }
    for (const path of ['/', '/opml.xml', '/{edition}/opml.xml', '/api/'])
      assert.ok(paths.includes(path), path);
  });

  test('public operations declare that they need no key; the write API needs a bearer key', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (method === 'parameters') continue;
        const { security } = operation as { security?: unknown[] };
        const expected =
          path.startsWith('/api/') && !['/api/', '/api/openapi.json'].includes(path) ? [{ bearer: [] }] : [];
        assert.deepEqual(security, expected, `${method} ${path}`);
      }
    }
  });

  test('is served at /api/openapi.json without a key, and never reads the store', async () => {
    const { createArticlesHandler } = await import('../../functions/articles.ts');
    const store = memoryStore(config, []);
    const reply = await createArticlesHandler(() => ({ store, config, clock: () => new Date() }))(
      httpEvent('GET', '/api/openapi.json'),
    );
    assert.equal(reply.statusCode, 200);
    assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(reply.body), document);
    assert.deepEqual(store.reads, []);
  });
});

describe('checking replies against the document', () => {
  const check = openApiChecker(config);
  const reply = (statusCode: number, body: unknown, type = 'application/json; charset=utf-8') => ({
    statusCode,
    headers: { 'content-type': type },
    body: JSON.stringify(body),
  });
  const problem = {
    type: 'https://x/problems/not-found',
    title: 'Not found',
    status: 404,
    detail: 'No article',
  };

  test('accepts a declared status, type and body', () => {
    assert.equal(
      check(
        httpEvent('GET', '/api/articles/x'),
        reply(404, problem, 'application/problem+json; charset=utf-8'),
      ),
      undefined,
    );
    assert.equal(
      check(
        httpEvent('GET', '/api/editions/europe/top-stories'),
        reply(200, { edition: 'europe', articles: ['a'], version: 1, updatedAt: '2026-11-27T00:00:00.000Z' }),
      ),
      undefined,
    );
  });

  test('the largest article as stored matches the article view, its summary lengthened by escaping', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const input = largestArticle(3, { publishedAt: '2026-11-27T09:00:00Z' });
    const article = storedFrom(input, 'largest', config, now);
    // The 2,000 characters sent become more once & and " are written as references.
    assert.equal([...String(input.summary)].length, LIMITS.summary);
    assert.ok([...article.summary].length > LIMITS.summary, `${[...article.summary].length} characters`);
    const view = viewArticle(article, now);
    assert.equal(check(httpEvent('GET', '/api/articles/largest'), reply(200, view)), undefined);
    assert.equal(
      check(httpEvent('PUT', '/api/articles/largest'), reply(201, { ...view, warnings: [] })),
      undefined,
    );
    // What the client sends is still held to the rule.
    const document = openApiDocument(config) as {
      components: { schemas: Record<string, { properties: Record<string, { maxLength?: number }> }> };
    };
    assert.equal(document.components.schemas.ArticleInput?.properties.summary?.maxLength, LIMITS.summary);
  });

  test('names an undeclared status, a wrong content type and a body that breaks its schema', () => {
    assert.match(check(httpEvent('GET', '/api/articles/x'), reply(418, {})) ?? '', /status not declared/);
    assert.match(
      check(httpEvent('GET', '/api/articles/x'), reply(404, problem)) ?? '',
      /content type application\/json not declared/,
    );
    assert.match(
      check(
        httpEvent('GET', '/api/editions/europe/top-stories'),
        reply(200, { edition: 'mars', articles: 'a' }),
      ) ?? '',
      /must be equal to one of the allowed values|must be array|must have required property/,
    );
  });
});
