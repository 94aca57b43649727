import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import type { Article } from '../../functions/core/article.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { tags, textOf } from '../support/html.ts';
import { memoryStore } from '../support/memory-store.ts';

const NOW = '2026-11-27T12:00:00.000Z';
const BASE = config.baseUrl;

/** A stored article as the write API would have saved it. */
function stored(id: string, overrides: Record<string, unknown> = {}, version = 1): Article {
  return storedFrom(sampleArticle(overrides), id, config, new Date(NOW), { version });
}

function site(articles: Article[] = [], top: Record<string, string[]> = {}) {
  const store = memoryStore(config, articles, top);
  const handler = createPagesHandler(() => ({ store, config, clock: testClock(NOW) }));
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    handler(httpEvent(method, path, { headers }));
  return { store, get };
}

const NEWSROOM = [
  stored('summit', { editions: ['asia', 'europe'], publishedAt: '2026-11-27T09:30:00Z' }),
  stored('rates', {
    headline: 'Central bank holds rates',
    section: 'business',
    editions: ['europe'],
    publishedAt: '2026-11-27T08:00:00Z',
    image: undefined,
  }),
  stored('typhoon', {
    headline: 'Typhoon recovery',
    editions: ['asia'],
    publishedAt: '2026-11-27T07:00:00Z',
  }),
  stored('scheduled', { headline: 'Not yet', editions: ['europe'], publishedAt: '2026-11-27T15:00:00Z' }),
];

describe('edition page /{edition}/', () => {
  test('lists the latest headlines from one feed query, with times in the edition time zone', async () => {
    const { store, get } = site(NEWSROOM);
    const response = await get('/europe/');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    // 30 headlines, read with room for the 12 Top Stories above them, which Latest leaves out.
    assert.deepEqual(store.reads, [{ scope: { kind: 'edition', edition: 'europe' }, limit: 42, now: NOW }]);
    assert.equal(tags(response.body, 'html')[0]?.lang, 'en-GB');
    const text = textOf(response.body);
    assert.ok(
      text.indexOf('Summit ends with a pledge') < text.indexOf('Central bank holds rates'),
      'newest first',
    );
    assert.ok(!text.includes('Typhoon recovery'), 'another edition’s story is not listed');
    assert.ok(!text.includes('Not yet'), 'scheduled stories are not listed');
    assert.match(response.body, /<time datetime="2026-11-27T09:30:00.000Z">27 Nov 2026, 09:30 GMT<\/time>/);
    assert.match(text, /By Ana Ortiz, Senior China Analyst/);
    assert.ok(
      tags(response.body, 'a').some((a) => a.href === `${BASE}/authors/ana-ortiz/` && a.rel === 'author'),
      'the writer links to their page on the site, where they can be followed',
    );
  });

  test('shows times in each edition’s own zone and locale', async () => {
    const { get } = site(NEWSROOM);
    const asia = textOf((await get('/asia/')).body);
    assert.match(asia, /27 Nov 2026, 5:30\spm HKT/);
  });

  test('shows thumbnails with the caption as alt text and a reserved size', async () => {
    const { get } = site(NEWSROOM);
    const images = tags((await get('/europe/')).body, 'img').filter((i) => i.src?.includes('/images/'));
    assert.deepEqual(images, [
      {
        src: 'https://news.example.com/images/summit.jpg',
        alt: 'Leaders at the summit in Singapore.',
        width: '1200',
        height: '800',
        loading: 'lazy',
        decoding: 'async',
      },
    ]);
  });

  test('advertises its RSS, Atom and JSON feeds with specific titles, and links every edition’s version', async () => {
    const { body } = await site(NEWSROOM).get('/europe/');
    const links = tags(body, 'link');
    const feeds = links.filter((l) => l.rel === 'alternate' && l.type !== undefined);
    assert.deepEqual(feeds, [
      {
        rel: 'alternate',
        type: 'application/rss+xml',
        title: 'Newswire — Europe (RSS)',
        href: `${BASE}/europe/rss.xml`,
      },
      {
        rel: 'alternate',
        type: 'application/atom+xml',
        title: 'Newswire — Europe (Atom)',
        href: `${BASE}/europe/atom.xml`,
      },
      {
        rel: 'alternate',
        type: 'application/feed+json',
        title: 'Newswire — Europe (JSON Feed)',
        href: `${BASE}/europe/feed.json`,
      },
    ]);
    assert.deepEqual(links.find((l) => l.rel === 'canonical')?.href, `${BASE}/europe/`);
    const languages = links.filter((l) => l.hreflang !== undefined).map((l) => [l.hreflang, l.href]);
    assert.deepEqual(languages, [
      ...config.editions.map((e) => [e.language, `${BASE}/${e.id}/`]),
      ['x-default', `${BASE}/international/`],
    ]);
  });

  test('offers visible subscribe links, a copyable feed address, section feeds and the edition’s OPML', async () => {
    const { body } = await site(NEWSROOM).get('/europe/');
    const hrefs = tags(body, 'a').map((a) => a.href);
    for (const file of ['rss.xml', 'atom.xml', 'feed.json'])
      assert.ok(hrefs.includes(`${BASE}/europe/${file}`));
    for (const s of config.sections) {
      assert.ok(hrefs.includes(`${BASE}/europe/${s.id}/`), `${s.id} page`);
      assert.ok(hrefs.includes(`${BASE}/europe/${s.id}/rss.xml`), `${s.id} feed`);
    }
    assert.ok(hrefs.includes(`${BASE}/europe/opml.xml`));
    const field = tags(body, 'input').find((i) => i.id === 'feed-url');
    assert.equal(field?.value, `${BASE}/europe/rss.xml`);
    assert.ok('readonly' in (field ?? {}));
    assert.match(body, /<label for="feed-url">/);
    assert.match(body, /<button type="button" data-copy="feed-url" hidden>Copy<\/button>/);
  });

  test('is built for keyboards and screen readers: skip link, landmarks, one h1, current edition marked', async () => {
    const { body } = await site(NEWSROOM).get('/europe/');
    assert.match(body, /^<!doctype html>/);
    assert.match(body, /<a class="skip" href="#main">Skip to content<\/a>/);
    for (const landmark of [
      '<header',
      '<main id="main"',
      '<footer',
      '<nav class="switcher" aria-label="Editions"',
    ]) {
      assert.ok(body.includes(landmark), landmark);
    }
    assert.equal(tags(body, 'h1').length, 1);
    const current = tags(body, 'a').filter((a) => a['aria-current'] === 'page');
    assert.deepEqual(
      current.map((a) => a.href),
      [`${BASE}/europe/`],
    );
  });

  test('an empty edition says so and is dated at the epoch, never "now"', async () => {
    const response = await site([]).get('/africa/');
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /No stories yet/);
    assert.equal(response.headers['last-modified'], new Date(0).toUTCString());
  });

  test('an article that cannot be shown is left out; the page still renders', async () => {
    const broken = {
      ...stored('broken', { editions: ['europe'] }),
      url: 'not a url',
      headline: 'Broken one',
    };
    const { statusCode, body } = await site([broken, ...NEWSROOM]).get('/europe/');
    assert.equal(statusCode, 200);
    assert.ok(!body.includes('Broken one'));
    assert.ok(body.includes('Central bank holds rates'));
  });
});

describe('section page /{edition}/{section}/', () => {
  test('lists the section’s stories and advertises the section’s feeds', async () => {
    const { store, get } = site(NEWSROOM);
    const { statusCode, body } = await get('/europe/business/');
    assert.equal(statusCode, 200);
    assert.deepEqual(store.reads, [
      { scope: { kind: 'section', edition: 'europe', section: 'business' }, limit: 30, now: NOW },
    ]);
    assert.ok(body.includes('Central bank holds rates'));
    assert.ok(!body.includes('Summit ends'));
    const feeds = tags(body, 'link').filter((l) => l.rel === 'alternate' && l.type !== undefined);
    assert.deepEqual(
      feeds.map((l) => [l.title, l.href]),
      [
        ['Newswire — Europe — Business (RSS)', `${BASE}/europe/business/rss.xml`],
        ['Newswire — Europe — Business (Atom)', `${BASE}/europe/business/atom.xml`],
        ['Newswire — Europe — Business (JSON Feed)', `${BASE}/europe/business/feed.json`],
      ],
    );
    assert.equal(
      tags(body, 'input').find((i) => i.id === 'feed-url')?.value,
      `${BASE}/europe/business/rss.xml`,
    );
  });

  test('ties the same section across editions together, and its edition switcher keeps the section', async () => {
    const { body } = await site(NEWSROOM).get('/asia/business/');
    const languages = tags(body, 'link').filter((l) => l.hreflang !== undefined);
    assert.deepEqual(
      languages.map((l) => l.href),
      [...config.editions.map((e) => `${BASE}/${e.id}/business/`), `${BASE}/international/business/`],
    );
    const switcher = body.slice(body.indexOf('aria-label="Editions"'), body.indexOf('</nav>'));
    assert.deepEqual(
      tags(switcher, 'a').map((a) => [a.href, a['aria-current']]),
      config.editions.map((e) => [`${BASE}/${e.id}/business/`, e.id === 'asia' ? 'page' : undefined]),
    );
  });
});

describe('home page /', () => {
  test('lists every edition with its feeds and the default edition’s top stories, suggesting nothing unasked', async () => {
    const { store, get } = site(NEWSROOM);
    const response = await get('/');
    assert.equal(response.statusCode, 200);
    // 12 latest, read with room for the 12 Top Stories above them, which Latest leaves out.
    assert.deepEqual(store.reads, [
      { scope: { kind: 'edition', edition: 'international' }, limit: 24, now: NOW },
    ]);
    assert.match(response.headers.vary ?? '', /CloudFront-Viewer-Country/);
    const text = textOf(response.body);
    assert.ok(!text.includes('Suggested for you'));
    const order = config.editions.map((e) => text.indexOf(`${e.title} ${e.description}`));
    assert.ok(
      order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0))),
      'config order',
    );
    const hrefs = tags(response.body, 'a').map((a) => a.href);
    for (const e of config.editions) {
      assert.ok(hrefs.includes(`${BASE}/${e.id}/`));
      assert.ok(hrefs.includes(`${BASE}/${e.id}/rss.xml`));
      assert.ok(hrefs.includes(`${BASE}/${e.id}/world/rss.xml`));
    }
    assert.ok(hrefs.includes(`${BASE}/opml.xml`));
    assert.ok(text.includes('Typhoon recovery') && text.includes('Summit ends'));
  });

  test('names the edition that serves the viewer’s country first, without redirecting', async () => {
    const { get } = site(NEWSROOM);
    const germany = await get('/', { 'cloudfront-viewer-country': 'DE' });
    assert.equal(germany.statusCode, 200);
    assert.equal(germany.headers.location, undefined);
    const text = textOf(germany.body);
    assert.match(text, /Suggested for you: Europe/);
    assert.ok(text.indexOf('Suggested for you: Europe') < text.indexOf('Editions'));
    const cards = [
      ...germany.body.matchAll(/<li class="edition-card[^"]*"[^>]*>[\s\S]*?<h3><a href="([^"]+)"/g),
    ];
    assert.equal(cards[0]?.[1], `${BASE}/europe/`);
    assert.equal(
      tags(germany.body, 'input').find((i) => i.id === 'feed-url')?.value,
      `${BASE}/europe/rss.xml`,
    );
    const brazil = textOf((await get('/', { 'CloudFront-Viewer-Country': 'BR' })).body);
    assert.match(brazil, /Suggested for you: Americas/);
    const unknown = textOf((await get('/', { 'cloudfront-viewer-country': 'AQ' })).body);
    assert.ok(!unknown.includes('Suggested for you'));
  });

  test('edition pages never change or redirect by location', async () => {
    const { get } = site(NEWSROOM);
    const plain = await get('/asia/');
    const fromGermany = await get('/asia/', { 'cloudfront-viewer-country': 'DE' });
    assert.equal(fromGermany.statusCode, 200);
    assert.equal(fromGermany.body, plain.body);
    assert.doesNotMatch(fromGermany.headers.vary ?? '', /Country/i);
  });
});

describe('escaping', () => {
  /** Stored as if written by an older version or by hand: nothing sanitised on the way in. */
  const hostile: Article = {
    ...stored('hostile', { editions: ['europe'], publishedAt: '2026-11-27T11:00:00Z' }),
    headline: '<script>alert("headline")</script> & "quotes"',
    summary: '<img src=x onerror=alert(1)><a href="javascript:alert(2)">summary</a>',
    byline: [
      { name: '<svg onload=alert(3)>', title: '"><script>alert(4)</script>', url: 'javascript:alert(5)' },
    ],
    image: {
      url: 'https://news.example.com/x.jpg" onerror="alert(6)',
      caption: '" onmouseover="alert(7)',
      width: 10,
      height: 10,
    },
    topics: [],
  };

  for (const path of ['/', '/europe/', '/europe/world/']) {
    test(`every value is escaped on ${path}`, async () => {
      const { statusCode, body } = await site([hostile]).get(path);
      assert.equal(statusCode, 200);
      assert.equal(body.match(/<script/g)?.length, 1, 'only the page’s own script');
      const attributes = ['a', 'img', 'svg', 'p', 'li', 'time'].flatMap((name) => tags(body, name));
      assert.ok(attributes.length > 10);
      for (const element of attributes) {
        assert.ok(!Object.keys(element).some((name) => name.startsWith('on')), JSON.stringify(element));
        assert.doesNotMatch(`${element.href ?? ''}${element.src ?? ''}`, /^\s*javascript:/i);
      }
      const photo = tags(body, 'img').find((i) => i.src?.startsWith('https://news.example.com/x.jpg'));
      assert.equal(photo?.alt, '&quot; onmouseover=&quot;alert(7)', 'the caption is inert alt text');
      // Plain-text fields are held to the plain-text rule when shown, however they were stored: their
      // tags are stripped (they used to be shown escaped, as literal text), and what is left is escaped.
      assert.match(body, /alert\(&quot;headline&quot;\) &amp; &quot;quotes&quot;/);
      assert.doesNotMatch(body, /&lt;(script|svg)/);
      assert.doesNotMatch(textOf(body), /<(script|svg)/);
    });
  }
});

describe('HTTP', () => {
  test('a page URL without its trailing slash is a permanent redirect to the canonical page', async () => {
    const { get } = site();
    for (const [from, to] of [
      ['/europe', '/europe/'],
      ['/europe/world', '/europe/world/'],
    ]) {
      const response = await get(from as string);
      assert.equal(response.statusCode, 301, from);
      assert.equal(response.headers.location, `${BASE}${to}`);
    }
  });

  test('unknown editions, sections and paths are a 404 HTML page for people, problem+json for files', async () => {
    const { get } = site();
    for (const path of ['/atlantis/', '/atlantis', '/europe/gossip/', '/europe/world/extra/', '//']) {
      const response = await get(path);
      assert.equal(response.statusCode, 404, path);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8', path);
      assert.match(response.body, /<h1>Page not found<\/h1>/, path);
    }
    for (const path of [
      '/atlantis/opml.xml',
      '/europe/feed.rdf',
      '/sitemap.xml.gz',
      '/europe/news-sitemap.json',
    ]) {
      const response = await get(path);
      assert.equal(response.statusCode, 404, path);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', path);
    }
  });

  test('methods other than GET and HEAD are 405 problems', async () => {
    const response = await site().get('/europe/', {}, 'POST');
    assert.equal(response.statusCode, 405);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(response.headers.allow, 'GET, HEAD');
  });

  test('pages carry validators and answer conditional requests with 304; HEAD sends no body', async () => {
    const corrected = stored('corrected', { editions: ['europe'], publishedAt: '2026-11-27T10:00:00Z' }, 2);
    corrected.updatedAt = '2026-11-27T11:15:30.000Z';
    const { get } = site([corrected, ...NEWSROOM]);
    const first = await get('/europe/');
    assert.match(
      first.headers['cache-control'] ?? '',
      /max-age=\d+, stale-while-revalidate=\d+, stale-if-error=300$/,
    );
    assert.equal(first.headers['last-modified'], 'Fri, 27 Nov 2026 11:15:30 GMT');
    assert.match(textOf(first.body), /updated 27 Nov 2026, 11:15 GMT/);
    const etag = first.headers.etag ?? '';
    assert.equal((await get('/europe/', { 'if-none-match': etag })).statusCode, 304);
    assert.equal(
      (await get('/europe/', { 'if-modified-since': first.headers['last-modified'] ?? '' })).statusCode,
      304,
    );
    assert.equal((await get('/europe/', { 'if-none-match': '"other"' })).statusCode, 200);
    const head = await get('/europe/', {}, 'HEAD');
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers.etag, etag);
  });

  test('serves the feed logo as a real PNG at least 88 pixels wide, and the icon', async () => {
    const { get } = site();
    for (const [path, size] of [
      ['/assets/logo.png', 144],
      ['/assets/icon.png', 64],
    ] as const) {
      const response = await get(path);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'image/png');
      assert.equal(response.isBase64Encoded, true);
      const png = Buffer.from(response.body, 'base64');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.readUInt32BE(16), size, 'width');
      assert.equal(png.readUInt32BE(20), size, 'height');
      const idatLength = png.readUInt32BE(33);
      const pixels = inflateSync(png.subarray(41, 41 + idatLength));
      assert.equal(pixels.length, size * (1 + size * 3), 'one filter byte and RGB for every pixel');
      assert.equal((await get(path, { 'if-none-match': response.headers.etag ?? '' })).statusCode, 304);
    }
  });
});

describe('pages to follow a writer, a topic, an edition’s Top Stories', () => {
  test('a writer’s page is headed by their name and title, lists their stories and advertises their feeds', async () => {
    const { get } = site(NEWSROOM);
    const response = await get('/authors/ana-ortiz/');
    assert.equal(response.statusCode, 200);
    assert.equal(tags(response.body, 'h1').length, 1);
    assert.match(response.body, /<h1>Ana Ortiz<\/h1>\n<p class="person-title">Senior China Analyst<\/p>/);
    const text = textOf(response.body);
    assert.ok(text.includes('Summit ends with a pledge') && text.includes('Typhoon recovery'));
    assert.ok(!text.includes('Not yet'), 'scheduled stories are not listed');
    const alternates = tags(response.body, 'link').filter((l) => l.rel === 'alternate');
    assert.deepEqual(
      alternates.map((l) => [l.href, l.title]),
      [
        [`${BASE}/authors/ana-ortiz/rss.xml`, 'Newswire — Ana Ortiz, Senior China Analyst (RSS)'],
        [`${BASE}/authors/ana-ortiz/atom.xml`, 'Newswire — Ana Ortiz, Senior China Analyst (Atom)'],
        [`${BASE}/authors/ana-ortiz/feed.json`, 'Newswire — Ana Ortiz, Senior China Analyst (JSON Feed)'],
      ],
    );
  });

  test('a topic’s page lists its stories; every story card links its topics to their pages', async () => {
    const { get } = site(NEWSROOM);
    const topic = await get('/topics/shipping/');
    assert.equal(topic.statusCode, 200);
    assert.match(topic.body, /<h1>Shipping<\/h1>/);
    const edition = await get('/europe/');
    assert.ok(tags(edition.body, 'a').some((a) => a.href === `${BASE}/topics/shipping/` && a.rel === 'tag'));
  });

  test('a writer or topic with no stories is a 404 page, not an empty one', async () => {
    const { get } = site(NEWSROOM);
    for (const path of ['/authors/nobody/', '/topics/nothing/', '/authors/Not%20a%20slug/']) {
      const response = await get(path);
      assert.equal(response.statusCode, 404, path);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    }
  });

  test('an edition’s page shows its Top Stories first, in the editors’ order, with the Top Stories feed', async () => {
    const { get } = site(NEWSROOM, { europe: ['rates', 'scheduled', 'summit'] });
    const response = await get('/europe/');
    const text = textOf(response.body);
    const top = text.indexOf('Top Stories');
    assert.ok(top >= 0 && top < text.indexOf('Latest'), 'Top Stories come first');
    const topText = text.slice(top, text.indexOf('Latest'));
    assert.ok(
      topText.indexOf('Central bank holds rates') < topText.indexOf('Summit ends with a pledge'),
      'editors’ order',
    );
    assert.ok(!topText.includes('Not yet'), 'a scheduled story waits until it is published');
    assert.ok(tags(response.body, 'a').some((a) => a.href === `${BASE}/europe/top/rss.xml`));
    const page = await get('/europe/top/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Europe — Top Stories<\/h1>/);
  });
});
