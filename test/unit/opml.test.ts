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
  test('/opml.xml lists one feed per edition, so importing it never brings a story twice within an edition', async () => {
    const response = await handler()(httpEvent('GET', '/opml.xml'));
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/x-opml; charset=utf-8');
    const opml = parseXml(response.body);
    assert.equal(opml.local, 'opml');
    assert.equal(opml.attributes.version, '2.0');
    const head = childOf(opml, '', 'head');
    assert.equal(childOf(head, '', 'title').text, 'Newswire: one feed per edition');
    assert.equal(childOf(head, '', 'ownerName').text, 'Newswire');
    assert.equal(childOf(head, '', 'dateCreated').text, 'Thu, 01 Jan 2026 00:00:00 GMT');
    const feeds = groups(opml).map((o) => o.attributes);
    assert.deepEqual(
      feeds.map((f) => f.xmlUrl),
      config.editions.map((e) => `${BASE}/${e.id}/rss.xml`),
    );
    assert.deepEqual(feeds[1], {
      type: 'rss',
      version: 'RSS2',
      text: 'Newswire — Europe',
      title: 'Newswire — Europe',
      xmlUrl: `${BASE}/europe/rss.xml`,
      htmlUrl: `${BASE}/europe/`,
      language: 'en-GB',
    });
    assert.equal(feeds[0]?.language, 'en');
  });

  test('/{edition}/opml.xml lists the edition’s feed, Top Stories, every section and its news apps’ feeds', async () => {
    const response = await handler()(httpEvent('GET', '/europe/opml.xml'));
    const europe = groups(parseXml(response.body))[0] as XmlElement;
    const outlines = childrenOf(europe, '', 'outline');
    const feeds = outlines.filter((o) => o.attributes.xmlUrl !== undefined).map((o) => o.attributes);
    assert.deepEqual(
      feeds.map((f) => f.xmlUrl),
      [
        `${BASE}/europe/rss.xml`,
        `${BASE}/europe/top/rss.xml`,
        ...config.sections.map((s) => `${BASE}/europe/${s.id}/rss.xml`),
      ],
    );
    assert.equal(feeds[1]?.text, 'Newswire — Europe — Top Stories');
    const apps = outlines.find((o) => o.attributes.text?.startsWith('Feeds for news apps')) as XmlElement;
    const partnerUrls = childrenOf(apps, '', 'outline').map((o) => o.attributes.xmlUrl);
    assert.ok(partnerUrls.includes(`${BASE}/europe/partners/google-news.xml`));
    assert.ok(partnerUrls.includes(`${BASE}/europe/partners/smartnews.xml`));
    // SmartNews takes one feed per edition, the others a feed per section too.
    assert.ok(!partnerUrls.includes(`${BASE}/europe/world/partners/smartnews.xml`));
    assert.ok(partnerUrls.includes(`${BASE}/europe/world/partners/msn.xml`));
    const none = parseXml(renderOpml(validateConfig({ ...config, partners: [] }), 'europe'));
    assert.ok(
      childrenOf(groups(none)[0] as XmlElement, '', 'outline').every(
        (o) => o.attributes.xmlUrl !== undefined,
      ),
      'no news apps group when the site syndicates to none',
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
    const outlines = (o: XmlElement): XmlElement[] =>
      childrenOf(o, '', 'outline').flatMap((c) => (c.attributes.xmlUrl === undefined ? outlines(c) : [c]));
    const urls = outlines(groups(opml)[0] as XmlElement).map((o) => o.attributes.xmlUrl);
    assert.ok(urls.length > 10 && urls.every((u) => u?.startsWith(`${BASE}/asia/`)));
    // An unknown edition is a 404 before any read.
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

  test('escapes titles in attributes and text', () => {
    const odd = validateConfig({
      ...config,
      title: 'News & "Views" <Daily>',
      editions: config.editions.map((e) => ({ ...e, description: `${e.description} <b>&</b> "more"` })),
    });
    const opml = parseXml(renderOpml(odd));
    assert.equal(
      childOf(childOf(opml, '', 'head'), '', 'title').text,
      'News & "Views" <Daily>: one feed per edition',
    );
    const feed = groups(opml)[0] as XmlElement;
    assert.equal(feed.attributes.text, 'News & "Views" <Daily> — International');
    const europe = groups(parseXml(renderOpml(odd, 'europe')))[0] as XmlElement;
    assert.equal(europe.attributes.text, 'News & "Views" <Daily> — Europe');
  });
});
