/**
 * The viewer-request CloudFront Function, run as CloudFront runs it (a
 * CloudFront Functions event in, a request or a response out), against the
 * origin's own handlers for the same requests: whatever the edge answers,
 * the origin answers the same, status, headers and body — and the edge
 * never refuses what the origin would serve.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createArticlesHandler } from '../../functions/articles.ts';
import { issueApiKey } from '../../functions/core/api-keys.ts';
import { encodeCursor } from '../../functions/core/feed-pages.ts';
import type { ApiKeyRecord, StatsStore } from '../../functions/core/ports.ts';
import { issueSubscriberToken } from '../../functions/core/subscriber-tokens.ts';
import { createFeedsHandler } from '../../functions/feeds.ts';
import type { HttpResult } from '../../functions/http/types.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { createPrivateFeedsHandler } from '../../functions/private.ts';
import { viewerRequestCode } from '../../infra/edge/gate.ts';
import { routeOf } from '../../local/server.ts';
import site from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { httpEvent } from '../support/events.ts';
import { memoryStore } from '../support/memory-store.ts';

/** A viewer request as CloudFront Functions sees it (lower-case header names). */
interface EdgeRequest {
  method: string;
  uri: string;
  querystring: Record<string, { value: string; multiValue?: { value: string }[] }>;
  headers: Record<string, { value: string; multiValue?: { value: string }[] }>;
}

/** What the function returns: the request (passed on) or a response CloudFront sends itself. */
type EdgeResult =
  | EdgeRequest
  | {
      statusCode: number;
      headers: Record<string, { value: string }>;
      body: { encoding: string; data: string };
    };

const gate = new Function(`${viewerRequestCode(site, { copyHost: true })}\nreturn handler;`)() as (event: {
  request: EdgeRequest;
}) => EdgeResult;

// The origin: the four handlers on a store with a few stories, Top Stories, one API key and one subscriber.
const now = new Date('2026-12-01T00:00:00.000Z');
const stories = [
  storedFrom(sampleArticle(), 'summit', site, now),
  storedFrom(sampleArticle({ publishedAt: '2026-11-20T08:00:00Z', section: 'business' }), 'trade', site, now),
];
const cms = issueApiKey('cms', now);
const revoked = issueApiKey('old', now);
const keys = new Map<string, ApiKeyRecord>([
  [cms.record.keyId, cms.record],
  [revoked.record.keyId, { ...revoked.record, revokedAt: now.toISOString() }],
]);
const store = {
  ...memoryStore(site, stories, { europe: ['summit'] }),
  getApiKey: async (keyId: string) => keys.get(keyId),
};
const deps = () => ({ store, config: site, clock: () => now });
const stats: StatsStore = {
  record: async () => {},
  report: async () => ({ days: [] }),
} as unknown as StatsStore;
const subscriber = issueSubscriberToken('Customer 1001', now);
const privateFeeds = {
  store: () => ({
    getSubscriber: async (id: string) =>
      id === subscriber.record.subscriberId ? subscriber.record : undefined,
    recordFetch: async () => {},
  }),
  salts: () => ({ saltFor: async () => new Uint8Array(32), deleteSalt: async () => {} }),
};
const handlers = {
  articles: createArticlesHandler(deps, () => stats),
  feeds: createFeedsHandler(deps),
  private: createPrivateFeedsHandler(deps, privateFeeds),
  pages: createPagesHandler(deps),
};

/** The origin's reply to the request CloudFront would send it for a viewer request. */
async function originReply(request: EdgeRequest): Promise<HttpResult> {
  const query = Object.fromEntries(Object.entries(request.querystring).map(([k, v]) => [k, v.value]));
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, v.value]));
  const route = routeOf(request.method, request.uri);
  const event = httpEvent(request.method, request.uri, {
    headers,
    ...(Object.keys(query).length > 0 && { query }),
  });
  return handlers[route.name]({ ...event, routeKey: route.routeKey });
}

function viewerRequest(
  method: string,
  uri: string,
  options: { after?: string; authorization?: string } = {},
): EdgeRequest {
  return {
    method,
    uri,
    querystring: options.after === undefined ? {} : { after: { value: options.after } },
    headers: {
      host: { value: 'news.example.com' },
      ...(options.authorization !== undefined && { authorization: { value: options.authorization } }),
    },
  };
}

/** Runs the edge; when it answers, checks the origin answers the same. The edge's status, or 0 when it passed the request on. */
async function edgeAgainstOrigin(request: EdgeRequest): Promise<number> {
  const result = gate({ request: structuredClone(request) });
  if (!('statusCode' in result)) return 0;
  const reply = await originReply(request);
  const label = `${request.method} ${request.uri} ${JSON.stringify(request.querystring)} ${JSON.stringify(request.headers.authorization ?? null)}`;
  assert.equal(result.statusCode, reply.statusCode, label);
  assert.equal(result.body.encoding, 'text');
  assert.equal(result.body.data, reply.body, label);
  assert.deepEqual(
    Object.fromEntries(Object.entries(result.headers).map(([k, v]) => [k, v.value])),
    reply.headers,
    label,
  );
  return result.statusCode;
}

const cursor = encodeCursor({ publishedAt: '2026-11-20T08:00:00.000Z', id: 'trade' });
const madeUpCursor = encodeCursor({ publishedAt: '2026-11-01T00:00:00.000Z', id: 'nothing-here' });
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('the viewer-request function answers as the origin would', () => {
  const cases: [EdgeRequest, number][] = [
    // Refused at the edge, each with the origin's own answer.
    [viewerRequest('GET', '/api/nothing'), 404],
    [viewerRequest('POST', '/api/articles/summit', { authorization: `Bearer ${cms.token}` }), 405],
    [viewerRequest('PATCH', '/api/editions/europe/top-stories'), 405],
    [viewerRequest('DELETE', '/api/openapi.json'), 405],
    [viewerRequest('PUT', '/api/articles/summit'), 401],
    [viewerRequest('PUT', '/api/articles/summit', { authorization: 'Basic dXNlcjpwYXNz' }), 401],
    [viewerRequest('DELETE', '/api/articles/summit', { authorization: 'Bearer made-up' }), 401],
    [viewerRequest('GET', '/api/stats', { authorization: 'Bearer nw_0123_short' }), 401],
    [viewerRequest('GET', '/api/articles/summit/revisions/2'), 401],
    [viewerRequest('GET', '/nowhere/rss.xml'), 404],
    [viewerRequest('GET', '/europe/nothing/atom.xml'), 404],
    [viewerRequest('HEAD', '/top/feed.json'), 404],
    [viewerRequest('GET', '/authors/Ana-Ortiz/rss.xml'), 404],
    [viewerRequest('GET', '/topics/a--b/rss.xml'), 404],
    [viewerRequest('GET', '/authors/rss.xml'), 404],
    [viewerRequest('GET', '/partners/rss.xml'), 404],
    [viewerRequest('GET', `/topics/${'x'.repeat(81)}/feed.json`), 404],
    [viewerRequest('GET', '/europe/rss.xml', { after: 'not-a-cursor' }), 400],
    [viewerRequest('GET', '/europe/world/rss.xml', { after: b64('2026-11-20|trade') }), 400],
    [viewerRequest('GET', '/europe/rss.xml', { after: b64('2026-11-20T08:00:00.000Z|bad id') }), 400],
    [viewerRequest('GET', '/europe/rss.xml', { after: b64('2026-11-20T08:00:00.000Z|a|b') }), 400],
    [
      viewerRequest('GET', '/europe/rss.xml', { after: Buffer.from([0xff, 0x7c]).toString('base64url') }),
      400,
    ],
    [viewerRequest('GET', '/europe/top/rss.xml', { after: cursor }), 400],
    // Passed on: the origin decides, reading the table (or the request's body).
    [viewerRequest('GET', '/europe/rss.xml'), 0],
    [viewerRequest('GET', '/europe/rss.xml', { after: cursor }), 0],
    [viewerRequest('GET', '/europe/rss.xml', { after: madeUpCursor }), 0],
    [viewerRequest('GET', '/europe/rss.xml', { after: 'abc%2B' }), 0],
    [viewerRequest('GET', '/authors/made-up-writer/rss.xml', { after: 'junk' }), 0],
    [viewerRequest('GET', '/authors/%E7%8E%8B/rss.xml'), 0],
    [viewerRequest('GET', '/europe/world/'), 0],
    [viewerRequest('GET', '/no/such/page/'), 0],
    [viewerRequest('GET', '/api/'), 0],
    [viewerRequest('GET', '/api/openapi.json'), 0],
    [viewerRequest('PUT', '/api/articles/summit', { authorization: `Bearer ${cms.token}` }), 0],
    [
      viewerRequest('PUT', '/api/articles/summit', {
        authorization: `Bearer nw_${'0'.repeat(16)}_${'a'.repeat(43)}`,
      }),
      0,
    ],
    [viewerRequest('DELETE', '/api/articles/summit', { authorization: `Bearer ${revoked.token}` }), 0],
    [viewerRequest('PUT', '/api/articles/bad%20id', { authorization: 'nonsense' }), 0],
    // Partner feeds: the folder and cursor checks are the feed files' only; the origin decides these.
    [viewerRequest('GET', '/europe/partners/smartnews.xml'), 0],
    [viewerRequest('HEAD', '/europe/world/partners/msn.xml'), 0],
    [viewerRequest('GET', '/europe/partners/smartnews.xml', { after: 'not-a-cursor' }), 0],
    [viewerRequest('GET', '/nowhere/partners/smartnews.xml'), 0],
    [viewerRequest('GET', '/europe/nothing/partners/msn.xml'), 0],
    [viewerRequest('GET', '/europe/partners/made-up.xml'), 0],
    [viewerRequest('GET', '/europe/partners/rss.xml'), 0],
    // Subscribers' private feeds: the token is the private function's to check, and so is the path after it.
    [viewerRequest('GET', `/private/${subscriber.token}/europe/rss.xml`), 0],
    [viewerRequest('HEAD', `/private/${subscriber.token}/europe/world/atom.xml`), 0],
    [viewerRequest('GET', `/private/${subscriber.token}/nowhere/rss.xml`, { after: 'not-a-cursor' }), 0],
    [viewerRequest('GET', `/private/${subscriber.token}/europe/partners/smartnews.xml`), 0],
    [viewerRequest('GET', '/private/ns_0123456789abcdef_made-up/europe/rss.xml'), 0],
    [viewerRequest('GET', '/private/nothing'), 0],
    // The subscriber routes: keyed, so refused without a key as the origin refuses them.
    [viewerRequest('GET', '/api/subscribers'), 401],
    [viewerRequest('POST', '/api/subscribers', { authorization: 'Bearer made-up' }), 401],
    [viewerRequest('DELETE', '/api/subscribers/0123456789abcdef'), 401],
    [viewerRequest('PUT', '/api/subscribers'), 405],
    [
      viewerRequest('GET', '/api/subscribers/0123456789abcdef', { authorization: `Bearer ${cms.token}` }),
      405,
    ],
    [viewerRequest('GET', '/api/subscribers', { authorization: `Bearer ${cms.token}` }), 0],
    [viewerRequest('POST', '/api/subscribers', { authorization: `Bearer ${cms.token}` }), 0],
    [
      viewerRequest('DELETE', '/api/subscribers/0123456789abcdef', { authorization: `Bearer ${cms.token}` }),
      0,
    ],
  ];

  for (const [request, expected] of cases) {
    const name = `${request.method} ${request.uri}${request.querystring.after ? `?after=${request.querystring.after.value}` : ''}`;
    it(`${name} → ${expected === 0 ? 'the origin' : expected}`, async () => {
      assert.equal(await edgeAgainstOrigin(request), expected);
    });
  }

  it('sends Allow with a 405 and WWW-Authenticate with a 401, as the origin does', () => {
    const notAllowed = gate({ request: viewerRequest('POST', '/api/editions/europe/top-stories') });
    assert.ok('statusCode' in notAllowed);
    assert.deepEqual(notAllowed.headers.allow, { value: 'GET, PUT' });
    const noKey = gate({ request: viewerRequest('GET', '/api/stats') });
    assert.ok('statusCode' in noKey);
    assert.deepEqual(noKey.headers['www-authenticate'], { value: 'Bearer realm="newswire"' });
  });

  it('passes any method on a partner feed on: CloudFront allows only GET and HEAD there, and refuses the rest itself', () => {
    // The read behaviours' AllowedMethods (test/infra/cdn.test.ts) answer other methods 403 before the function.
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      for (const uri of ['/europe/partners/smartnews.xml', '/europe/world/partners/msn.xml']) {
        const result = gate({ request: viewerRequest(method, uri) });
        assert.ok(!('statusCode' in result), `${method} ${uri}`);
        assert.equal(result.uri, uri);
      }
    }
  });

  it('passes a private feed on, whatever its method: the origin answers a wrong method 405 and CloudFront refuses it first', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const uri = `/private/${subscriber.token}/europe/rss.xml`;
      const result = gate({ request: viewerRequest(method, uri) });
      assert.ok(!('statusCode' in result), `${method} ${uri}`);
      assert.equal(result.uri, uri);
      // The /private/* behaviour allows GET and HEAD only (test/infra/cdn.test.ts); behind it, the origin's 405.
      const reply = await originReply(viewerRequest(method, uri));
      assert.equal(reply.statusCode, 405, `${method} ${uri}`);
      assert.equal(reply.headers?.allow, 'GET, HEAD');
    }
  });

  it('leaves repeated headers and query parameters, which API Gateway joins, to the origin', () => {
    const request = viewerRequest('GET', '/europe/rss.xml', { after: 'x' });
    request.querystring.after = { value: 'x', multiValue: [{ value: 'x' }, { value: 'y' }] };
    assert.ok(!('statusCode' in gate({ request })));
    const keyed = viewerRequest('GET', '/api/stats', { authorization: 'x' });
    keyed.headers.authorization = { value: 'x', multiValue: [{ value: 'x' }, { value: 'y' }] };
    assert.ok(!('statusCode' in gate({ request: keyed })));
  });
});

describe('the viewer-request function, fuzzed against the origin', () => {
  const segment = fc.oneof(
    fc.constantFrom(
      ...site.editions.map((e) => e.id),
      ...site.sections.map((s) => s.id),
      'top',
      'authors',
      'topics',
      'api',
      'articles',
      'editions',
      'top-stories',
      'revisions',
      'stats',
      'openapi.json',
      'rss.xml',
      'atom.xml',
      'feed.json',
      'opml.xml',
      'partners',
      'smartnews.xml',
      'private',
      'subscribers',
      'summit',
      'ana-ortiz',
      'Ana',
      'a.b',
      '..',
      '%41',
      '%E7%8E%8B',
      '',
    ),
    fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,12}$/),
  );
  const file = fc.constantFrom('rss.xml', 'atom.xml', 'feed.json', 'opml.xml', 'partners/msn.xml');
  const uri = fc.oneof(
    // Feed files, in one or two folders.
    fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 2 }), file)
      .map(([folders, name]) => `/${folders.join('/')}/${name}`),
    // The API, with its own words more often than not.
    fc
      .array(
        fc.oneof(
          segment,
          fc.constantFrom('articles', 'summit', 'revisions', '3', 'editions', 'europe', 'subscribers'),
        ),
        {
          minLength: 0,
          maxLength: 4,
        },
      )
      .map((parts) => `/api/${parts.join('/')}`),
    // Anything else.
    fc
      .tuple(fc.array(segment, { minLength: 0, maxLength: 5 }), fc.boolean())
      .map(([parts, slash]) => `/${parts.join('/')}${slash && parts.length > 0 ? '/' : ''}`),
  );
  const after = fc.option(
    fc.oneof(
      fc.constant(cursor),
      fc.constant(madeUpCursor),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
      fc
        .tuple(
          fc.constantFrom('2026-11-20T08:00:00.000Z', '2026-13-45T99:00:00.000Z', '2026-11-20', ''),
          fc.string(),
        )
        .map(([time, id]) => b64(`${time}|${id}`)),
      fc.string({ maxLength: 20 }),
    ),
    { nil: undefined },
  );
  const authorization = fc.option(
    fc.oneof(
      fc.constant(`Bearer ${cms.token}`),
      fc.constant(`bearer   ${revoked.token}  `),
      fc.stringMatching(/^nw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/).map((t) => `Bearer ${t}`),
      fc.string({ maxLength: 30 }).map((t) => `Bearer ${t}`),
      fc.string({ maxLength: 30 }),
    ),
    { nil: undefined },
  );
  const request = fc
    .tuple(
      uri,
      after,
      authorization,
      fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'POST', 'PATCH', 'OPTIONS'),
    )
    .map(([path, cursorValue, key, method]) =>
      viewerRequest(path.startsWith('/api/') ? method : method === 'HEAD' ? 'HEAD' : 'GET', path, {
        ...(cursorValue !== undefined && { after: cursorValue }),
        ...(key !== undefined && { authorization: key }),
      }),
    );

  it('never answers otherwise than the origin (600 requests a run)', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        if ((await edgeAgainstOrigin(r)) !== 0) refused++;
      }),
      { numRuns: 600 },
    );
    // The fuzzer reaches the refusals, not only the requests the edge passes on.
    assert.ok(refused > 150, `${refused} refused`);
  });
});
