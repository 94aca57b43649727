import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createArticlesHandler } from '../../functions/articles.ts';
import { encodeCursor } from '../../functions/core/feed-pages.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpEvent, HttpHandler, HttpResult } from '../../functions/http/types.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { sampleArticle } from '../support/articles.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { assertTableInvariant } from '../support/invariant.ts';
import { tableSnapshot } from '../support/table.ts';

/*
 * Bad input against the handlers the local server and Lambda run, called with
 * API Gateway v2 events, on DynamoDB Local. For every case: never a 5xx; a
 * refusal is a 4xx that names the problem (problem+json, or the HTML 404 page
 * for a person's page); a refusal leaves the table exactly as it was; every
 * response is under 1 MB. About 3,000 cases a run, from a fresh seed each time
 * (fast-check prints the seed and the case when one fails).
 */

/** Largest response a client may get, whatever it sent. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

type Deps = Awaited<ReturnType<typeof freshDeps>>;
let deps: Deps;
let token: string;
let revokedToken: string;
let handlers: { articles: HttpHandler; feeds: HttpHandler; pages: HttpHandler };
/** The table as the last case left it. */
let snapshot: string;

before(async () => {
  deps = await freshDeps('2026-11-27T12:00:00Z');
  token = await testApiKey(deps, 'fuzz');
  revokedToken = await testApiKey(deps, 'old', { revoked: true });
  handlers = {
    articles: createArticlesHandler(() => deps),
    feeds: createFeedsHandler(() => deps),
    pages: createPagesHandler(() => deps),
  };
  const created = await handlers.articles(
    httpEvent('PUT', '/api/articles/existing', { headers: auth(), body: sampleArticle() }),
  );
  assert.equal(created.statusCode, 201, created.body);
  snapshot = await tableSnapshot(deps.client, deps.tableName);
});

function auth(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** The promises every response keeps, whatever the request was. */
function checkResponse(what: string, event: HttpEvent, reply: HttpResult): void {
  assert.ok(reply.statusCode < 500, `${what}: ${reply.statusCode} ${reply.body.slice(0, 300)}`);
  const bytes = Buffer.byteLength(reply.body, reply.isBase64Encoded ? 'base64' : 'utf8');
  assert.ok(bytes < MAX_RESPONSE_BYTES, `${what}: a response of ${bytes} bytes`);
  assert.doesNotMatch(reply.body, /\bat .*\.ts:\d+/, `${what}: a stack trace in the response`);
  if (reply.statusCode < 400) return;
  // HEAD: the same status and headers; HTTP drops any body (pages send none, problem+json still does).
  if (event.requestContext.http.method.toUpperCase() === 'HEAD') return;
  const type = reply.headers['content-type'] ?? '';
  if (type.startsWith('text/html')) {
    assert.equal(reply.statusCode, 404, `${what}: an HTML refusal other than 404`);
    assert.match(reply.body, /<h1>Page not found<\/h1>\s*<p class="lede">[^<]+<\/p>/, what);
    return;
  }
  assert.equal(
    type,
    'application/problem+json; charset=utf-8',
    `${what}: ${reply.statusCode} without problem+json`,
  );
  const problem = JSON.parse(reply.body) as {
    status: number;
    title: string;
    detail: string;
    errors?: { field: string; message: string }[];
  };
  assert.equal(problem.status, reply.statusCode, what);
  assert.ok(
    problem.title.length > 0 && problem.detail.length > 0,
    `${what}: a problem without a title or detail`,
  );
  if (reply.statusCode === 400) {
    assert.ok(problem.errors !== undefined && problem.errors.length > 0, `${what}: a 400 that lists nothing`);
    assert.ok(problem.errors.length <= 50, `${what}: ${problem.errors.length} problems listed`);
    for (const e of problem.errors) assert.ok(typeof e.field === 'string' && e.message.length > 0, what);
  }
}

/** Sends one request to a handler and checks it, and that a refusal changed nothing in the table. */
async function send(handler: HttpHandler, event: HttpEvent, what: string): Promise<HttpResult> {
  const reply = await handler(event);
  checkResponse(what, event, reply);
  const after = await tableSnapshot(deps.client, deps.tableName);
  if (reply.statusCode >= 400)
    assert.equal(after, snapshot, `${what}: a ${reply.statusCode} changed the table`);
  snapshot = after;
  return reply;
}

/** Sends a read (feeds, pages): reads never write, so the table is compared once per property instead. */
async function read(handler: HttpHandler, event: HttpEvent, what: string): Promise<HttpResult> {
  const reply = await handler(event);
  checkResponse(what, event, reply);
  return reply;
}

async function unchangedBy(reads: () => Promise<void>): Promise<void> {
  const before = await tableSnapshot(deps.client, deps.tableName);
  await reads();
  assert.equal(await tableSnapshot(deps.client, deps.tableName), before, 'a read changed the table');
}

function put(id: string, body: string, headers: Record<string, string> = {}): HttpEvent {
  return httpEvent('PUT', `/api/articles/${id}`, {
    headers: { 'content-type': 'application/json', ...auth(), ...headers },
    body,
  });
}

/** A body's fields, by path, and the JSON kind each must have. */
const FIELDS = [
  ['headline', 'string'],
  ['summary', 'string'],
  ['body', 'string'],
  ['url', 'string'],
  ['section', 'string'],
  ['editions', 'array'],
  ['editions.0', 'string'],
  ['topics', 'array'],
  ['topics.0', 'string'],
  ['byline', 'array'],
  ['byline.0', 'object'],
  ['byline.0.name', 'string'],
  ['byline.0.title', 'string'],
  ['byline.0.url', 'string'],
  ['image', 'object'],
  ['image.url', 'string'],
  ['image.caption', 'string'],
  ['image.credit', 'string'],
  ['image.width', 'number'],
  ['image.height', 'number'],
  ['image.type', 'string'],
  ['image.length', 'number'],
  ['publishedAt', 'string'],
  ['language', 'string'],
  ['id', 'string'],
] as const;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return copy;
}

/** Any JSON value, as JSON would carry it (no NaN, no undefined). */
const jsonish = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

const wrongType = fc.constantFrom(...FIELDS).chain(([path, kind]) =>
  jsonish
    .map((value) => JSON.parse(JSON.stringify(value)) as unknown)
    .filter((value) => kindOf(value) !== kind)
    .map((value) => ({ path, value })),
);

const badEscapes = fc.constantFrom(
  '%',
  '%%',
  '%G1',
  '%zz',
  '%E0%A4%A',
  '%C0%80',
  '%ED%A0%80',
  '%FF',
  '%00',
  'a%2',
  '%u0041',
);
const articleId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
const pathSegment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
  badEscapes,
  fc.tuple(articleId, badEscapes).map(([id, bad]) => `${id}${bad}`),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '_', '-'), minLength: 120, maxLength: 300 }),
  articleId,
);

const oddMethods = fc.constantFrom(
  'POST',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'FOO',
  '',
  'get',
  'Put',
  'HEAD',
  'DELETE',
);

/** A well-formed cursor at any moment from year 0 to 9999 (the future included), for any id. */
const anyCursor = fc
  .tuple(
    fc.date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.oneof(articleId, fc.string({ maxLength: 20 })),
  )
  .map(([date, id]) => encodeCursor({ publishedAt: date.toISOString(), id }));

const afterValues = fc.oneof(
  anyCursor,
  fc.string({ maxLength: 60 }),
  fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('base64url')),
  fc.constantFrom('', '=', '%', '%zz', 'bm9wZQ', '..', 'null'),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.tuple(anyCursor, anyCursor).map(([a, b]) => `${a},${b}`),
  fc.string({ minLength: 5000, maxLength: 10000 }),
);

const feedPaths = fc.oneof(
  fc.constantFrom('/europe/rss.xml', '/asia/atom.xml', '/international/feed.json', '/europe/world/rss.xml'),
  fc
    .tuple(
      fc.oneof(fc.constantFrom('europe', 'mars', 'top', 'api', ''), fc.string({ maxLength: 10 })),
      fc.oneof(fc.constantFrom('world', 'weather', ''), fc.string({ maxLength: 10 })),
      fc.constantFrom('rss.xml', 'atom.xml', 'feed.json', 'feed.rdf', 'RSS.XML'),
    )
    .map(([e, s, f]) => `/${e}/${s}/${f}`.replace('//', '/')),
);

const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '*',
    '"v1"',
    'W/"v1"',
    '"v1", "v2"',
    '"',
    'v1',
    '""',
    '*, "v1"',
    'Thu, 01 Jan 1970 00:00:00 GMT',
    'yesterday',
  ),
  fc.string({ minLength: 2000, maxLength: 8000 }),
);

describe('bad input never causes a 5xx, a big response or a change to the table', () => {
  test('arbitrary JSON bodies: 400 naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const reply = await send(
          handlers.articles,
          put('fuzz-json', JSON.stringify(value)),
          JSON.stringify(value).slice(0, 200),
        );
        assert.equal(reply.statusCode, 400);
      }),
      { numRuns: 300 },
    );
  });

  test('a wrong type in any field: 400 naming that field', async () => {
    await fc.assert(
      fc.asyncProperty(wrongType, async ({ path, value }) => {
        const body = JSON.stringify(setAt(sampleArticle(), path, value));
        const reply = await send(
          handlers.articles,
          put('fuzz-types', body),
          `${path} = ${JSON.stringify(value)}`,
        );
        assert.equal(reply.statusCode, 400);
        const fields = (JSON.parse(reply.body).errors as { field: string }[]).map((e) => e.field);
        assert.ok(
          fields.some((f) => f === path || f.startsWith(`${path}.`)),
          `${path} = ${JSON.stringify(value)}: problems name ${fields}`,
        );
      }),
      { numRuns: 400 },
    );
  });

  test('bytes that are not UTF-8 or not JSON, and bodies that are not JSON: 400 or 415', async () => {
    const raw = fc.oneof(
      fc
        .uint8Array({ maxLength: 2000 })
        .map((b) => ({ body: Buffer.from(b).toString('base64'), base64: true })),
      fc.string({ unit: 'binary', maxLength: 500 }).map((s) => ({ body: s, base64: false })),
      fc
        .constantFrom('{', '{"headline":', '[', '\uFEFF{}', '{"a":1}{"b":2}', 'null', '"text"')
        .map((s) => ({ body: s, base64: false })),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/merge-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      '',
      'json',
    );
    await fc.assert(
      fc.asyncProperty(raw, contentType, async ({ body, base64 }, type) => {
        const event = { ...put('fuzz-bytes', body, { 'content-type': type }), isBase64Encoded: base64 };
        const reply = await send(handlers.articles, event, `${type}: ${body.slice(0, 100)}`);
        assert.ok([400, 415].includes(reply.statusCode), `${reply.statusCode}`);
      }),
      { numRuns: 300 },
    );
  });

  test('huge arrays, deep nesting and over-long text: 400 or 413, with at most 50 problems listed', async () => {
    const huge = fc.oneof(
      fc.record({
        field: fc.constantFrom('editions', 'topics', 'byline'),
        length: fc.integer({ min: 100, max: 10_000 }),
        element: fc.constantFrom<unknown>('x', 1, null, '', {}, []),
      }),
      fc.constant({ field: 'editions', length: 125_000, element: 'x' as unknown }),
    );
    await fc.assert(
      fc.asyncProperty(huge, async ({ field, length, element }) => {
        const body = JSON.stringify(sampleArticle({ [field]: Array(length).fill(element) }));
        const reply = await send(handlers.articles, put('fuzz-huge', body), `${field} × ${length}`);
        assert.ok([400, 413].includes(reply.statusCode), `${reply.statusCode}`);
      }),
      { numRuns: 5, examples: [[{ field: 'editions', length: 125_000, element: 'x' }]] },
    );
    // Each past its limit: 300 characters, 2,000, 200 KB of UTF-8 (é is 2 bytes), 2,048; no such language or section.
    const text = fc
      .constantFrom(
        ['headline', 301],
        ['summary', 2001],
        ['body', 102_401],
        ['url', 2049],
        ['language', 9],
        ['section', 1000],
      )
      .chain(([field, min]) =>
        fc.record({
          field: fc.constant(field as string),
          length: fc.integer({ min: min as number, max: 600_000 }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(text, async ({ field, length }) => {
        const body = JSON.stringify(sampleArticle({ [field]: 'é'.repeat(length) }));
        const reply = await send(handlers.articles, put('fuzz-long', body), `${field} of ${length}`);
        assert.ok([400, 413].includes(reply.statusCode), `${field} of ${length}: ${reply.statusCode}`);
      }),
      { numRuns: 12 },
    );
    for (const depth of [1000, 100_000]) {
      for (const body of [
        '['.repeat(depth) + ']'.repeat(depth),
        `{"topics":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      ]) {
        const reply = await send(handlers.articles, put('fuzz-deep', body), `nesting ${depth}`);
        assert.equal(reply.statusCode, 400);
      }
    }
  });

  test('text that grows past DynamoDB’s 400 KB item limit when escaped: refused as too large, nothing stored', async () => {
    // The body is within its 200 KB, but every & is stored as &amp;: 85,000 of them make a 425 KB item.
    const grows = fc.record({
      unit: fc.constantFrom('&', '<', '>', 'a & b ', '<&>'),
      bytes: fc.integer({ min: 110_000, max: 200 * 1024 }),
    });
    await fc.assert(
      fc.asyncProperty(grows, async ({ unit, bytes }) => {
        const text = unit.repeat(Math.floor(bytes / unit.length));
        const reply = await send(
          handlers.articles,
          put('fuzz-escapes', JSON.stringify(sampleArticle({ body: text }))),
          `${unit} × ${text.length / unit.length}`,
        );
        // Stored within every limit (2xx), or refused (413/400) and nothing stored.
        assert.ok(
          [200, 201, 400, 413].includes(reply.statusCode),
          `${reply.statusCode}: ${reply.body.slice(0, 300)}`,
        );
      }),
      { numRuns: 10, examples: [[{ unit: '&', bytes: 85_000 }], [{ unit: 'a & b ', bytes: 204_000 }]] },
    );
    // 85,000 `&` are stored as 425,000 bytes of `&amp;`: articles are stored compressed, so this one
    // fits an item; it must then be stored whole and render within Lambda's limit.
    const reply = await send(
      handlers.articles,
      put('fuzz-escapes', JSON.stringify(sampleArticle({ body: '&'.repeat(85_000) }))),
      '& × 85,000',
    );
    if (reply.statusCode === 413) {
      assert.match(reply.body, /400 KB/);
    } else {
      assert.ok([200, 201].includes(reply.statusCode), `${reply.statusCode}`);
      assert.equal(
        (await deps.store.getArticle('fuzz-escapes'))?.body,
        `<p>${'&amp;'.repeat(85_000)}</p>`.slice(3, -4),
      );
    }
  });

  test('headers: keys, preconditions, media types and anything else', async () => {
    const authorization = fc.oneof(
      fc.constant(`Bearer ${token}`),
      fc.constant(`Bearer ${revokedToken}`),
      fc.constant(`bearer   ${token}  `),
      fc.constant(`Basic ${Buffer.from('user:pass').toString('base64')}`),
      fc
        .tuple(fc.stringMatching(/^[0-9a-f]{16}$/), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/))
        .map(([id, s]) => `Bearer nw_${id}_${s}`),
      headerValue.map((v) => `Bearer ${v}`),
      headerValue,
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'PUT', 'DELETE'),
      authorization,
      ifMatch: fc.option(headerValue, { nil: undefined }),
      ifNoneMatch: fc.option(headerValue, { nil: undefined }),
      contentType: fc.option(fc.oneof(headerValue, fc.constant('application/json')), { nil: undefined }),
      extra: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), headerValue, { maxKeys: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {
          ...r.extra,
          authorization: r.authorization,
          ...(r.ifMatch !== undefined && { 'if-match': r.ifMatch }),
          ...(r.ifNoneMatch !== undefined && { 'if-none-match': r.ifNoneMatch }),
          'content-type': r.contentType ?? 'application/json',
        };
        const event = httpEvent(r.method, '/api/articles/existing', {
          headers,
          ...(r.method === 'PUT' && { body: JSON.stringify(sampleArticle({ headline: 'Headers fuzzed' })) }),
        });
        const reply = await send(handlers.articles, event, JSON.stringify(headers).slice(0, 300));
        if (reply.statusCode === 412)
          assert.match(reply.headers.etag ?? '', /^"v\d+"$/, 'a 412 carries the current ETag');
      }),
      { numRuns: 300 },
    );
  });

  test('ids and paths: bad characters, bad percent-escapes, too long', async () => {
    const request = fc.record({
      method: fc.constantFrom('GET', 'PUT', 'DELETE'),
      segment: pathSegment,
      tail: fc.constantFrom('', '/', '/x', '//'),
      // One in five may write; the rest carry a precondition no article meets, checked after the id,
      // so the table stays small and the scan after each case fast.
      write: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ method, segment, tail, write }) => {
        const path = `/api/articles/${segment}${tail}`;
        const event = httpEvent(method, path, {
          headers: auth(write ? {} : { 'if-match': '"v0"' }),
          ...(method === 'PUT' && { body: JSON.stringify(sampleArticle({ headline: 'Ids fuzzed' })) }),
        });
        await send(handlers.articles, event, `${method} ${path}`);
      }),
      { numRuns: 300 },
    );
  });

  test('odd methods on every handler: 405 with Allow, or 404', async () => {
    const paths = {
      articles: ['/api/articles/existing', '/api/articles/', '/api/other'],
      feeds: ['/europe/rss.xml', '/europe/world/feed.json', '/mars/atom.xml'],
      pages: ['/', '/europe/', '/europe/world/', '/opml.xml', '/assets/logo.png', '/nowhere/'],
    };
    const request = fc
      .constantFrom(...(Object.keys(paths) as (keyof typeof paths)[]))
      .chain((name) =>
        fc.record({ name: fc.constant(name), path: fc.constantFrom(...paths[name]), method: oddMethods }),
      );
    await unchangedBy(async () => {
      await fc.assert(
        fc.asyncProperty(request, async ({ name, path, method }) => {
          // A precondition no article meets: a DELETE that gets through is still refused, so nothing changes.
          const event = httpEvent(method, path, { headers: auth({ 'if-match': '"v0"' }), body: '{}' });
          const reply = await read(handlers[name], event, `${method} ${path}`);
          if (reply.statusCode === 405) {
            assert.ok((reply.headers.allow ?? '').length > 0, 'a 405 names what is allowed');
          }
        }),
        { numRuns: 250 },
      );
    });
  });

  test('feeds: bad, garbage and future after cursors, odd paths and headers', async () => {
    const request = fc.record({
      path: feedPaths,
      after: fc.option(afterValues, { nil: undefined }),
      ifNoneMatch: fc.option(headerValue, { nil: undefined }),
      ifModifiedSince: fc.option(headerValue, { nil: undefined }),
      method: fc.constantFrom('GET', 'HEAD'),
    });
    await unchangedBy(async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const event = httpEvent(r.method, r.path, {
            headers: {
              ...(r.ifNoneMatch !== undefined && { 'if-none-match': r.ifNoneMatch }),
              ...(r.ifModifiedSince !== undefined && { 'if-modified-since': r.ifModifiedSince }),
            },
            ...(r.after !== undefined && { query: { after: r.after } }),
          });
          await read(handlers.feeds, event, `${r.path}?after=${r.after?.slice(0, 100)}`);
        }),
        { numRuns: 600 },
      );
    });
    // A future cursor was never issued (it used to be a 503 from DynamoDB, then the newest page): a 400.
    const future = encodeCursor({ publishedAt: '2099-01-01T00:00:00.000Z', id: 'existing' });
    const reply = await read(
      handlers.feeds,
      httpEvent('GET', '/europe/rss.xml', { query: { after: future } }),
      'future cursor',
    );
    assert.equal(reply.statusCode, 400);
  });

  test('pages: odd paths, countries and conditional headers', async () => {
    const path = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => `/${s}`),
      fc
        .tuple(
          fc.constantFrom('/europe/', '/', '/asia/world/', '/opml.xml', '/europe/opml.xml', '/assets/'),
          fc.oneof(fc.string({ maxLength: 20 }), badEscapes),
        )
        .map(([a, b]) => `${a}${b}`),
      fc.constantFrom(
        '//',
        '/europe//',
        '/./',
        '/../',
        '/europe/world/extra/',
        '/%',
        `/${'a'.repeat(5000)}/`,
      ),
    );
    const request = fc.record({
      path,
      method: fc.constantFrom('GET', 'HEAD'),
      country: fc.option(headerValue, { nil: undefined }),
      ifModifiedSince: fc.option(headerValue, { nil: undefined }),
    });
    await unchangedBy(async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const event = httpEvent(r.method, r.path, {
            headers: {
              ...(r.country !== undefined && { 'cloudfront-viewer-country': r.country }),
              ...(r.ifModifiedSince !== undefined && { 'if-modified-since': r.ifModifiedSince }),
            },
          });
          await read(handlers.pages, event, `${r.method} ${r.path.slice(0, 100)}`);
        }),
        { numRuns: 400 },
      );
    });
  });

  test('after all of it, the table invariant holds', async () => {
    await assertTableInvariant(deps.client, deps.tableName, deps.config);
  });
});
