import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Article } from '../../functions/core/article.ts';
import type { ArticleServiceDeps } from '../../functions/core/articles.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { NotFoundError } from '../../functions/core/errors.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import { renderOpml } from '../../functions/core/opml.ts';
import type { ArticleStore } from '../../functions/core/ports.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { memoryStore } from '../support/memory-store.ts';
import { childOf, childrenOf, parseXml, type XmlElement } from '../support/xml-parse.ts';

const BASE = config.baseUrl;

/** The site's OPML needs nothing from the store: any call is a bug. */
const noStore = new Proxy({} as ArticleStore, {
  get: () => () => Promise.reject(new Error('/opml.xml must not read the store')),
});

const NOW = new Date('2026-11-27T12:00:00Z');

/** Three stories in Europe (and so in International), with their writers and topics. */
const stories = [
  storedFrom(
    sampleArticle({
      editions: ['europe'],
      byline: [{ id: 'ana-ortiz', name: 'Ana Ortiz', title: 'Analyst' }],
      topics: ['Shipping', 'Trade'],
    }),
    'first',
    config,
    NOW,
  ),
  storedFrom(
    sampleArticle({
      editions: ['europe'],
      byline: [{ name: 'Lee Min' }, { id: 'ana-ortiz', name: 'Ana Ortiz' }],
      topics: ['Trade'],
      publishedAt: '2026-11-27T08:00:00Z',
    }),
    'second',
    config,
    NOW,
  ),
  // Not yet published: its writer and topic are not listed until it is.
  storedFrom(
    sampleArticle({
      editions: ['europe'],
      byline: [{ name: 'Embargoed Writer' }],
      topics: ['Secret Summit'],
      publishedAt: '2026-11-28T08:00:00Z',
    }),
    'later',
    config,
    NOW,
  ),
];

function handler(clock = '2026-11-27T12:00:00Z', store: ArticleStore = noStore) {
  const deps: ArticleServiceDeps = { store, config, clock: testClock(clock) };
  return createPagesHandler(() => deps);
}

/** A handler whose store holds the stories, and the names of the store's methods it called, in order. */
function withStories(clock?: string) {
  const inner = memoryStore(config, stories);
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get: (target, name, receiver) => {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(target, args);
      };
    },
  });
  return { get: handler(clock, store), store: inner, calls };
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
    // OPML 2.0: an outline's language is its feed's channel language. The International
    // edition is tagged `en`; its feed says the site's locale.
    const channelLanguage = (scope: Parameters<typeof renderFeed>[0]['scope']) =>
      childOf(
        childOf(parseXml(renderFeed({ config, scope, format: 'rss', articles: [] }).body), '', 'channel'),
        '',
        'language',
      ).text;
    assert.equal(feeds[0]?.language, channelLanguage({ kind: 'edition', edition: 'international' }));
    assert.equal(feeds[0]?.language, 'en-GB');
  });

  test('/{edition}/opml.xml lists the edition’s feed, Top Stories, every section and its news apps’ feeds', async () => {
    const response = await withStories().get(httpEvent('GET', '/europe/opml.xml'));
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

  test('/{edition}/opml.xml lists the writers and topics of the edition’s latest stories, each once', async () => {
    const { get, store, calls } = withStories();
    const response = await get(httpEvent('GET', '/europe/opml.xml'));
    assert.equal(response.statusCode, 200);
    const outlines = childrenOf(groups(parseXml(response.body))[0] as XmlElement, '', 'outline');
    const feedsOf = (text: string) =>
      childrenOf(outlines.find((o) => o.attributes.text === text) as XmlElement, '', 'outline').map(
        (o) => o.attributes,
      );
    assert.deepEqual(
      feedsOf('Writers').map((o) => [o.text, o.title, o.xmlUrl, o.htmlUrl, o.language]),
      [
        [
          'Newswire — Ana Ortiz, Analyst',
          'Newswire — Ana Ortiz, Analyst',
          `${BASE}/authors/ana-ortiz/rss.xml`,
          `${BASE}/authors/ana-ortiz/`,
          'en-GB',
        ],
        [
          'Newswire — Lee Min',
          'Newswire — Lee Min',
          `${BASE}/authors/lee-min/rss.xml`,
          `${BASE}/authors/lee-min/`,
          'en-GB',
        ],
      ],
    );
    assert.deepEqual(
      feedsOf('Topics').map((o) => [o.text, o.xmlUrl]),
      [
        ['Newswire — Shipping', `${BASE}/topics/shipping/rss.xml`],
        ['Newswire — Trade', `${BASE}/topics/trade/rss.xml`],
      ],
    );
    // Each outline's title is its feed's channel title.
    const writerFeed = renderFeed({
      config,
      scope: { kind: 'author', author: 'ana-ortiz' },
      format: 'rss',
      articles: stories.slice(0, 1),
    });
    assert.equal(
      childOf(childOf(parseXml(writerFeed.body), '', 'channel'), '', 'title').text,
      'Newswire — Ana Ortiz, Analyst',
    );
    // One Query of the edition's latest 30 entries, then one read of their stories; the list
    // changes when its stories do: Last-Modified is the newest story's time.
    assert.deepEqual(calls, ['listFeed', 'getArticles']);
    assert.deepEqual(
      store.reads.map((r) => [r.scope, r.limit]),
      [[{ kind: 'edition', edition: 'europe' }, 30]],
    );
    assert.equal(response.headers['last-modified'], new Date('2026-11-27T09:30:00Z').toUTCString());
    // A revalidation reads the feed's entries again and nothing else.
    const revalidated = await get(
      httpEvent('GET', '/europe/opml.xml', { headers: { 'if-none-match': response.headers.etag ?? '' } }),
    );
    assert.equal(revalidated.statusCode, 304);
    assert.deepEqual(calls, ['listFeed', 'getArticles', 'listFeed']);
    // Once the embargoed story is out, its writer and topic join, and the ETag changes.
    const later = await withStories('2026-11-28T09:00:00Z').get(httpEvent('GET', '/europe/opml.xml'));
    assert.notEqual(later.headers.etag, response.headers.etag);
    assert.match(later.body, /authors\/embargoed-writer\/rss\.xml/);
    assert.match(later.body, /topics\/secret-summit\/rss\.xml/);
    assert.doesNotMatch(response.body, /embargoed-writer|secret-summit/);
  });

  test('an edition’s OPML stays well-formed with stories from an old table or written by hand', async () => {
    const good = (id: string) => storedFrom(sampleArticle({ editions: ['europe'] }), id, config, NOW);
    /** An item written before the current content rules, whatever its fields hold. */
    const raw = (id: string, fields: Record<string, unknown>): Article => {
      const { rules: _rules, ...old } = good(id);
      return { ...old, ...fields } as Article;
    };
    const items = [
      raw('control-chars', {
        byline: [{ name: 'Ana\u0000 <b>Ortiz</b> & "Co"\uFFFE', title: 'Analyst\u0001' }],
        topics: ['Trade\u0002 & <i>Tariffs</i>'],
      }),
      raw('bad-byline', {
        byline: [null, { title: 'Analyst' }, 'Lee Min', { id: 'Not A Slug', name: 'Odd Id' }],
      }),
      raw('bad-topics', { topics: 'China' }),
    ];
    // The feed's entries as the table holds them; the stories they name as read from it.
    const listed = memoryStore(
      config,
      items.map((item) => good(item.id)),
    );
    const store: ArticleStore = {
      ...listed,
      getArticles: async (ids) => new Map(items.filter((i) => ids.includes(i.id)).map((i) => [i.id, i])),
    };
    const response = await handler(undefined, store)(httpEvent('GET', '/europe/opml.xml'));
    assert.equal(response.statusCode, 200);
    const outlines = childrenOf(groups(parseXml(response.body))[0] as XmlElement, '', 'outline');
    const feedsOf = (text: string) =>
      childrenOf(outlines.find((o) => o.attributes.text === text) as XmlElement, '', 'outline').map((o) => [
        o.attributes.text,
        o.attributes.xmlUrl,
      ]);
    // Markup taken out, characters XML forbids removed; a writer whose id names no feed is left out.
    // The other two keep the sample's writer, and one its topics too.
    assert.deepEqual(feedsOf('Writers'), [
      ['Newswire — Ana Ortiz & "Co", Analyst', `${BASE}/authors/ana-ortiz-co/rss.xml`],
      ['Newswire — Ana Ortiz, Senior China Analyst', `${BASE}/authors/ana-ortiz/rss.xml`],
    ]);
    assert.deepEqual(feedsOf('Topics'), [
      ['Newswire — Trade & Tariffs', `${BASE}/topics/trade-tariffs/rss.xml`],
      ['Newswire — Shipping', `${BASE}/topics/shipping/rss.xml`],
      ['Newswire — Diplomacy', `${BASE}/topics/diplomacy/rss.xml`],
    ]);
  });

  test('an edition’s OPML without stories lists its feeds, dated like its empty feed and front', async () => {
    const response = await handler(undefined, memoryStore(config, []))(httpEvent('GET', '/asia/opml.xml'));
    assert.equal(response.statusCode, 200);
    // Last-Modified is when the edition's latest stories changed, as for its feed and its front:
    // never, for an edition that has had none.
    assert.equal(response.headers['last-modified'], 'Thu, 01 Jan 1970 00:00:00 GMT');
    const texts = childrenOf(groups(parseXml(response.body))[0] as XmlElement, '', 'outline').map(
      (o) => o.attributes.text,
    );
    assert.ok(!texts.includes('Writers') && !texts.includes('Topics'));
  });

  test('/{edition}/opml.xml lists only that edition’s feeds', async () => {
    const response = await withStories().get(httpEvent('GET', '/asia/opml.xml'));
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
