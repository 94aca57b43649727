/** The site's small extras: favicon, robots.txt, problem pages, an edition's 404, distinct hreflang values. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { PROBLEM_TYPES } from '../../functions/core/problems.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { memoryStore } from '../support/memory-store.ts';

const BASE = config.baseUrl;

function site() {
  const store = memoryStore(config, []);
  const handler = createPagesHandler(() => ({ store, config, clock: testClock('2026-11-27T12:00:00Z') }));
  return (path: string, headers: Record<string, string> = {}) => handler(httpEvent('GET', path, { headers }));
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe('site files', () => {
  test('/favicon.ico is an ICO holding the site mark as a 32 px PNG, cached and revalidatable', async () => {
    const get = site();
    const response = await get('/favicon.ico');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'image/x-icon');
    assert.equal(response.isBase64Encoded, true);
    const ico = Buffer.from(response.body, 'base64');
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 1]);
    assert.deepEqual([ico[6], ico[7]], [32, 32]);
    const offset = ico.readUInt32LE(18);
    const png = ico.subarray(offset, offset + ico.readUInt32LE(14));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.readUInt32BE(16), 32, 'PNG width');
    assert.match(response.headers['cache-control'] ?? '', /max-age=86400/);
    const again = await get('/favicon.ico', { 'if-none-match': response.headers.etag ?? '' });
    assert.equal(again.statusCode, 304);
  });

  test('/robots.txt lets crawlers read pages and feeds but not the write API, and names every sitemap', async () => {
    const response = await site()('/robots.txt');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(
      response.body,
      [
        'User-agent: *',
        'Disallow: /api/',
        '',
        `Sitemap: ${BASE}/sitemap.xml`,
        ...config.editions.map((e) => `Sitemap: ${BASE}/${e.id}/news-sitemap.xml`),
        '',
      ].join('\n'),
    );
  });
});

describe('problem pages', () => {
  test('every problem type has a page at the URI the API puts in `type`, saying what it means and how to fix it', async () => {
    const get = site();
    for (const problem of PROBLEM_TYPES) {
      const response = await get(`/problems/${problem.type}`);
      assert.equal(response.statusCode, 200, problem.type);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
      assert.match(response.body, new RegExp(`<h1>${problem.title}</h1>`));
      assert.match(response.body, /<h2>What it means<\/h2>/);
      assert.match(response.body, /<h2>How to fix it<\/h2>/);
      assert.match(response.body, new RegExp(`HTTP status ${problem.status}`));
      assert.match(
        response.body,
        new RegExp(`<link rel="canonical" href="${BASE}/problems/${problem.type}">`),
      );
    }
    const index = await get('/problems/');
    assert.equal(index.statusCode, 200);
    for (const problem of PROBLEM_TYPES)
      assert.ok(hrefs(index.body).includes(`${BASE}/problems/${problem.type}`));
  });

  test('the 412 page tells the client to quote its ETags', async () => {
    const response = await site()('/problems/precondition-failed');
    assert.match(response.body, /not <code>If-Match: v3<\/code>/);
  });

  test('an unknown problem type is a 404 page', async () => {
    const response = await site()('/problems/gremlins');
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /No problem type &quot;gremlins&quot;/);
  });
});

describe('not found inside an edition', () => {
  test('/europe/nope/ offers the Europe edition’s front page and its sections, not the list of editions', async () => {
    const response = await site()('/europe/nope/');
    assert.equal(response.statusCode, 404);
    const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(response.body)?.[1] ?? '';
    assert.deepEqual(hrefs(main), [
      `${BASE}/europe/`,
      ...config.sections.map((s) => `${BASE}/europe/${s.id}/`),
    ]);
    assert.match(response.body, /<html lang="en-GB">/);
    assert.match(response.body, /href="[^"]*\/europe\/"[^>]*aria-current="page"/);
  });

  test('outside any edition the 404 page offers every edition', async () => {
    const response = await site()('/atlantis/');
    const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(response.body)?.[1] ?? '';
    assert.deepEqual(hrefs(main), [`${BASE}/`, ...config.editions.map((e) => `${BASE}/${e.id}/`)]);
  });
});

describe('hreflang', () => {
  test('every edition page links each edition with its own hreflang value, and x-default once', async () => {
    const body = (await site()('/asia/world/')).body;
    const values = [...body.matchAll(/<link rel="alternate" hreflang="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(values.length, config.editions.length + 1);
    assert.equal(new Set(values.map((v) => v?.toLowerCase())).size, values.length, values.join(' '));
  });

  test('a config in which two editions share a language is refused, naming the field and the fix', () => {
    const editions = config.editions.map((e) => (e.id === 'africa' ? { ...e, language: 'en-gb' } : e));
    assert.throws(
      () => validateConfig({ ...config, editions }),
      /editions\.5\.language: "en-gb" is already the language of edition "europe".*region subtag/,
    );
  });
});
