import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { putJson, startTestServer } from '../support/local-server.ts';
import { feedparser } from '../support/readers.ts';
import { xmlError } from '../support/xml-parse.ts';

let newswire: LocalNewswire;

before(async () => {
  newswire = await startTestServer();
});
after(() => newswire?.stop());

function guidsOf(xml: string): string[] {
  return [...xml.matchAll(/<(?:guid[^>]*|id)>tag:[^<]*:article:([^<]+)<\/(?:guid|id)>/g)].map(
    (m) => m[1] ?? '',
  );
}

async function fetchText(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${newswire.url}${path}`, { headers });
  return { response, body: await response.text() };
}

describe('the local server (npm start)', () => {
  test('serves the seeded newsroom as well-formed feeds that feedparser reads without complaint', async () => {
    const paths = ['/europe/rss.xml', '/asia/atom.xml', '/europe/world/rss.xml', '/international/rss.xml'];
    for (const path of paths) {
      const { response, body } = await fetchText(path);
      assert.equal(response.status, 200, path);
      assert.equal(xmlError(body), undefined, path);
      assert.ok(guidsOf(body).length > 0, `${path} has items`);
    }
    const parsed = await feedparser(...paths.map((p) => `${newswire.url}${p}`));
    for (const feed of parsed) {
      assert.equal(feed.bozo, false, `${feed.url}: ${feed.bozo_exception}`);
      assert.ok(feed.entries.length > 0, feed.url);
    }
    const json = await fetchText('/international/feed.json');
    assert.equal(json.response.headers.get('content-type'), 'application/feed+json; charset=utf-8');
    const feed = JSON.parse(json.body) as { version: string; items: unknown[] };
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.ok(feed.items.length >= 24);
  });

  test('sends caching headers and answers revalidation with 304', async () => {
    let { response, body } = await fetchText('/europe/rss.xml');
    assert.equal(response.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    assert.match(
      response.headers.get('cache-control') ?? '',
      /^public, max-age=60, s-maxage=\d+, stale-if-error=300$/,
      'shared caches keep a feed s-maxage seconds and never serve it stale while revalidating',
    );
    // Last-Modified is when the feed's content last changed: the seeding wrote its stories at start-up,
    // so it is no earlier than the newest story's date. A change younger than 6 s is dated a second
    // early (see conditional.ts); once settled the date is exact and If-Modified-Since gets a 304.
    const settledAt = Date.parse(response.headers.get('last-modified') ?? '') + 8_000;
    if (Date.now() < settledAt) {
      await new Promise((resolve) => setTimeout(resolve, settledAt - Date.now()));
      ({ response, body } = await fetchText('/europe/rss.xml'));
    }
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    assert.ok(etag && lastModified);
    const lastBuildDate = /<lastBuildDate>([^<]+)<\/lastBuildDate>/.exec(body)?.[1] ?? '';
    assert.ok(Date.parse(lastModified) >= Date.parse(lastBuildDate), `${lastModified} vs ${lastBuildDate}`);
    const byEtag = await fetch(`${newswire.url}/europe/rss.xml`, { headers: { 'if-none-match': etag } });
    assert.equal(byEtag.status, 304);
    assert.equal(await byEtag.text(), '');
    const byDate = await fetch(`${newswire.url}/europe/rss.xml`, {
      headers: { 'if-modified-since': lastModified },
    });
    assert.equal(byDate.status, 304);
    const changed = await fetch(`${newswire.url}/europe/rss.xml`, {
      headers: { 'if-none-match': '"other"' },
    });
    assert.equal(changed.status, 200);
  });

  test('a published article tops its edition and section feeds only, and leaves them when withdrawn', async () => {
    const article = sampleArticle({
      headline: 'Markets rally as the euro steadies',
      url: 'https://news.example.com/2026/11/28/business/my-story/',
      section: 'business',
      editions: ['europe'],
      publishedAt: new Date(Date.now() - 1000).toISOString(),
    });
    const unauthorised = await fetch(`${newswire.url}/api/articles/my-story`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(article),
    });
    assert.equal(unauthorised.status, 401);
    assert.equal(unauthorised.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.ok(!guidsOf((await fetchText('/europe/rss.xml')).body).includes('my-story'));

    const put = await putJson(newswire, '/api/articles/my-story', article);
    assert.equal(put.status, 201, await put.clone().text());
    assert.equal(((await put.json()) as { status: string }).status, 'published');
    assert.equal(guidsOf((await fetchText('/europe/rss.xml')).body)[0], 'my-story');
    assert.equal(guidsOf((await fetchText('/europe/business/atom.xml')).body)[0], 'my-story');
    assert.ok(!guidsOf((await fetchText('/asia/rss.xml')).body).includes('my-story'));

    const deleted = await fetch(`${newswire.url}/api/articles/my-story`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${newswire.apiKey}` },
    });
    assert.equal(deleted.status, 200);
    assert.ok(!guidsOf((await fetchText('/europe/rss.xml')).body).includes('my-story'));
    assert.ok(!guidsOf((await fetchText('/europe/business/atom.xml')).body).includes('my-story'));
  });

  test('answers unknown editions, sections and formats with 404 problem+json', async () => {
    for (const path of ['/mars/rss.xml', '/europe/weather/rss.xml', '/europe/feed.rdf']) {
      const { response, body } = await fetchText(path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(JSON.parse(body).status, 404);
    }
    const bad = await fetchText('/europe/rss.xml?after=bm9wZQ');
    assert.equal(bad.response.status, 400);
  });

  test('refuses a JSON body that is not UTF-8 with a 400 naming it, instead of storing U+FFFD', async () => {
    // é as Latin-1 (one byte, 0xE9) is not UTF-8.
    const latin1 = Buffer.from(JSON.stringify(sampleArticle({ headline: 'Café' })), 'latin1');
    const response = await fetch(`${newswire.url}/api/articles/latin1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${newswire.apiKey}`, 'content-type': 'application/json' },
      body: latin1,
    });
    assert.equal(response.status, 400);
    const problem = (await response.json()) as { errors: { field: string; message: string }[] };
    assert.deepEqual(problem.errors, [{ field: '', message: 'the body is not valid UTF-8' }]);
    const stored = await fetch(`${newswire.url}/api/articles/latin1`, {
      headers: { authorization: `Bearer ${newswire.apiKey}` },
    });
    assert.equal(stored.status, 404);
  });
});
