import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ArticleServiceDeps } from '../../functions/core/articles.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { NotFoundError } from '../../functions/core/errors.ts';
import { renderOpml } from '../../functions/core/opml.ts';
import type { ArticleStore } from '../../functions/core/ports.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { childOf, childrenOf, parseXml, type XmlElement } from '../support/xml-parse.ts';

const BASE = config.baseUrl;

/** OPML needs nothing from the store: any call is a bug. */
const noStore = new Proxy({} as ArticleStore, {
  get: () => () => Promise.reject(new Error('OPML must not read the store')),
});

function handler(clock = '2026-11-27T12:00:00Z') {
  const deps: ArticleServiceDeps = { store: noStore, config, clock: testClock(clock) };
  return createPagesHandler(() => deps);
}

function groups(opml: XmlElement): XmlElement[] {
  return childrenOf(childOf(opml, '', 'body'), '', 'outline');
}

describe('OPML', () => {
  test('/opml.xml lists every feed of every edition as OPML 2.0, grouped by edition', async () => {
    const response = await handler()(httpEvent('GET', '/opml.xml'));
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/x-opml; charset=utf-8');
    const opml = parseXml(response.body);
    assert.equal(opml.local, 'opml');
    assert.equal(opml.attributes.version, '2.0');
    const head = childOf(opml, '', 'head');
    assert.equal(childOf(head, '', 'title').text, 'Newswire: every feed');
    assert.equal(childOf(head, '', 'ownerName').text, 'Newswire');
    assert.equal(childOf(head, '', 'dateCreated').text, 'Thu, 01 Jan 2026 00:00:00 GMT');
    assert.deepEqual(
      groups(opml).map((g) => g.attributes.text),
      config.editions.map((e) => `Newswire — ${e.title}`),
    );
    const europe = groups(opml).find((g) => g.attributes.text === 'Newswire — Europe');
    const feeds = childrenOf(europe as XmlElement, '', 'outline').map((o) => o.attributes);
    assert.equal(feeds.length, 2 + config.sections.length);
    assert.deepEqual(feeds[0], {
      type: 'rss',
      version: 'RSS2',
      text: 'Newswire — Europe',
      title: 'Newswire — Europe',
      xmlUrl: `${BASE}/europe/rss.xml`,
      htmlUrl: `${BASE}/europe/`,
      language: 'en-GB',
    });
    assert.deepEqual(feeds[1], {
      type: 'rss',
      version: 'RSS2',
      text: 'Newswire — Europe — Top Stories',
      title: 'Newswire — Europe — Top Stories',
      xmlUrl: `${BASE}/europe/top/rss.xml`,
      htmlUrl: `${BASE}/europe/top/`,
      language: 'en-GB',
    });
    assert.deepEqual(
      feeds.slice(2).map((f) => [f.text, f.xmlUrl, f.htmlUrl, f.type]),
      config.sections.map((s) => [
        `Newswire — Europe — ${s.title}`,
        `${BASE}/europe/${s.id}/rss.xml`,
        `${BASE}/europe/${s.id}/`,
        'rss',
      ]),
    );
  });

  test('/{edition}/opml.xml lists only that edition’s feeds', async () => {
    const response = await handler()(httpEvent('GET', '/asia/opml.xml'));
    assert.equal(response.statusCode, 200);
    const opml = parseXml(response.body);
    assert.equal(childOf(childOf(opml, '', 'head'), '', 'title').text, 'Newswire — Asia: every feed');
    assert.deepEqual(
      groups(opml).map((g) => g.attributes.text),
      ['Newswire — Asia'],
    );
    const urls = childrenOf(groups(opml)[0] as XmlElement, '', 'outline').map((o) => o.attributes.xmlUrl);
    assert.ok(urls.every((u) => u?.startsWith(`${BASE}/asia/`)));
    assert.equal((await handler()(httpEvent('GET', '/atlantis/opml.xml'))).statusCode, 404);
    assert.throws(() => renderOpml(config, 'atlantis'), NotFoundError);
  });

  test('is the same document at any time, so caches and conditional GET work', async () => {
    const first = await handler('2026-11-27T12:00:00Z')(httpEvent('GET', '/opml.xml'));
    const later = await handler('2027-03-01T08:00:00Z')(httpEvent('GET', '/opml.xml'));
    assert.equal(later.body, first.body);
    assert.equal(later.headers.etag, first.headers.etag);
    assert.match(first.headers['cache-control'] ?? '', /max-age=\d+/);
    const revalidated = await handler()(
      httpEvent('GET', '/opml.xml', { headers: { 'if-none-match': first.headers.etag ?? '' } }),
    );
    assert.equal(revalidated.statusCode, 304);
  });

  test('escapes titles and descriptions in attributes and text', () => {
    const odd = validateConfig({
      ...config,
      title: 'News & "Views" <Daily>',
      editions: config.editions.map((e) => ({ ...e, description: `${e.description} <b>&</b> "more"` })),
    });
    const opml = parseXml(renderOpml(odd));
    assert.equal(childOf(childOf(opml, '', 'head'), '', 'title').text, 'News & "Views" <Daily>: every feed');
    const group = groups(opml)[0] as XmlElement;
    assert.equal(group.attributes.text, 'News & "Views" <Daily> — International');
    assert.match(group.attributes.description ?? '', /<b>&<\/b> "more"$/);
    assert.equal(
      childrenOf(group, '', 'outline')[0]?.attributes.title,
      'News & "Views" <Daily> — International',
    );
  });
});
