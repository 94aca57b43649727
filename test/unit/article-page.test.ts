/**
 * A story's own page, /{edition}/{section}/{id}/: what a reader sees, what
 * search engines and social apps read in its head, and its answers for a
 * story that is not out yet (404, as for an id that never existed), withdrawn
 * (410) or moved (301).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Article } from '../../functions/core/article.ts';
import type { ArticleStore } from '../../functions/core/ports.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import config from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { section, tags, textOf } from '../support/html.ts';
import { memoryStore } from '../support/memory-store.ts';

const NOW = '2026-11-27T12:00:00.000Z';
const BASE = config.baseUrl;

function stored(id: string, overrides: Record<string, unknown> = {}, version = 1): Article {
  return storedFrom(sampleArticle(overrides), id, config, new Date(NOW), { version });
}

const VIDEO = {
  url: 'https://news.example.com/video/summit.mp4',
  type: 'video/mp4',
  caption: 'Leaders arrive for the final session.',
  credit: 'Newswire Video',
  width: 1280,
  height: 720,
  duration: 94,
  poster: 'https://news.example.com/images/summit-poster.jpg',
};

const STORY = stored('summit', {
  editions: ['asia', 'europe'],
  body: '<p>Leaders agreed on Friday.</p><h2>Eye on NATO</h2><p>Diplomats said the alliance watched closely.</p>',
  byline: [
    { id: 'willy-lam', name: 'Willy Wo-Lap Lam', title: 'Senior China Analyst' },
    { name: 'Lee Min', title: 'Asia Correspondent', url: 'https://news.example.com/profiles/lee-min/' },
  ],
  media: [
    {
      url: 'https://news.example.com/images/harbour.jpg',
      type: 'image/jpeg',
      caption: 'The harbour at dawn.',
      credit: 'Ana Ortiz',
    },
    VIDEO,
  ],
});

/** Europe's Top Stories, the story among them, and its section's other stories. */
const NEWSROOM = [
  STORY,
  stored('rates', {
    headline: 'Central bank holds rates',
    section: 'business',
    editions: ['europe'],
    publishedAt: '2026-11-27T08:00:00Z',
  }),
  stored('floods', {
    headline: 'Danube towns test flood barriers',
    editions: ['europe'],
    publishedAt: '2026-11-27T07:00:00Z',
  }),
  stored('ferries', {
    headline: 'Ferries resume on the Channel',
    editions: ['europe'],
    publishedAt: '2026-11-27T06:00:00Z',
  }),
  stored('later', {
    headline: 'Embargoed until three',
    editions: ['europe'],
    publishedAt: '2026-11-27T15:00:00Z',
  }),
];
const TOP = { europe: ['floods', 'summit', 'rates', 'later'] };

/** The store, counting the calls a request makes. */
function counted(store: ArticleStore): ArticleStore & { calls: string[] } {
  const calls: string[] = [];
  const wrap = <K extends keyof ArticleStore>(name: K) =>
    ((...args: unknown[]) => {
      calls.push(name);
      return (store[name] as (...a: unknown[]) => unknown)(...args);
    }) as ArticleStore[K];
  return {
    ...store,
    calls,
    getArticles: wrap('getArticles'),
    getArticleStates: wrap('getArticleStates'),
    listFeed: wrap('listFeed'),
    getTopStories: wrap('getTopStories'),
  };
}

function site(articles: Article[] = NEWSROOM, top: Record<string, string[]> = TOP, now = NOW) {
  const store = counted(memoryStore(config, articles, top));
  const clock = testClock(now);
  const handler = createPagesHandler(() => ({ store, config, clock }));
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    handler(httpEvent(method, path, { headers }));
  return { store, clock, get };
}

describe('article page /{edition}/{section}/{id}/', () => {
  test('shows the story: headline, every writer with their title, times, the photo’s caption and credit, the body with its subheadings', async () => {
    const { statusCode, headers, body } = await site().get('/europe/world/summit/');
    assert.equal(statusCode, 200);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(tags(body, 'html')[0]?.lang, 'en-GB');
    assert.equal(tags(body, 'h1').length, 1);
    assert.match(body, /<h1>Summit ends with a pledge on shipping lanes<\/h1>/);
    const text = textOf(body);
    assert.match(text, /By Willy Wo-Lap Lam, Senior China Analyst, and Lee Min, Asia Correspondent/);
    const writers = tags(body, 'a').filter((a) => a.rel === 'author');
    assert.deepEqual(
      writers.map((a) => a.href),
      [`${BASE}/authors/willy-lam/`, `${BASE}/authors/lee-min/`],
      'each writer links to their page here',
    );
    assert.match(text, /Published 27 Nov 2026, 09:30 GMT/);
    assert.doesNotMatch(text, /Updated/, 'not corrected');
    const lead = section(body, /<div class="lead">/, '</div>');
    assert.match(textOf(lead), /Leaders at the summit in Singapore\. Photo: Lee Min \/ Newswire/);
    assert.match(body, /<h2>Eye on NATO<\/h2>/);
  });

  test('a corrected story says when it was updated', async () => {
    const corrected = {
      ...stored('summit', { editions: ['europe'] }, 2),
      updatedAt: '2026-11-27T11:15:00.000Z',
    };
    const { body } = await site([corrected]).get('/europe/world/summit/');
    assert.match(textOf(body), /Published 27 Nov 2026, 09:30 GMT · Updated 27 Nov 2026, 11:15 GMT/);
  });

  test('shows gallery photos and each video as a playable <video controls> with poster, caption, credit and duration', async () => {
    const { body } = await site().get('/europe/world/summit/');
    const media = section(body, /<section class="article-media"/, '</section>');
    assert.match(textOf(media), /The harbour at dawn\. Photo: Ana Ortiz/);
    const [video] = tags(media, 'video');
    assert.ok(video !== undefined && 'controls' in video, 'controls');
    assert.equal(video?.poster, VIDEO.poster);
    assert.deepEqual(tags(media, 'source')[0], { src: VIDEO.url, type: 'video/mp4' });
    assert.match(textOf(media), /Leaders arrive for the final session\. \(1:34\) Video: Newswire Video/);
  });

  test('links its topics, and offers every feed the story is in: edition, section, each writer, each topic', async () => {
    const { body } = await site().get('/europe/world/summit/');
    const topics = tags(body, 'a')
      .filter((a) => a.rel === 'tag')
      .map((a) => a.href);
    assert.deepEqual(topics, [`${BASE}/topics/shipping/`, `${BASE}/topics/diplomacy/`]);
    const box = section(body, /<section class="panel story-feeds"/, '</section>');
    const feeds = tags(box, 'a').map((a) => a.href);
    for (const folder of [
      'europe/',
      'europe/world/',
      'authors/willy-lam/',
      'authors/lee-min/',
      'topics/shipping/',
      'topics/diplomacy/',
    ]) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json'])
        assert.ok(feeds.includes(`${BASE}/${folder}${file}`), folder + file);
    }
    assert.match(textOf(box), /Willy Wo-Lap Lam, Senior China Analyst RSS/);
  });

  test('shows the edition’s Top Stories in the editors’ order, without the story itself or one not out yet', async () => {
    const { body } = await site().get('/europe/world/summit/');
    const top = section(body, /<section class="panel" aria-labelledby="top-heading">/, '</section>');
    assert.deepEqual(
      tags(top, 'a').map((a) => a.href),
      [`${BASE}/europe/world/floods/`, `${BASE}/europe/business/rates/`, `${BASE}/europe/top/`],
    );
  });

  test('shows more from its section in this edition, newest first, without itself', async () => {
    const { body } = await site().get('/europe/world/summit/');
    const more = section(body, /<section class="panel" aria-labelledby="more-heading">/, '</section>');
    assert.match(more, /More from World/);
    assert.deepEqual(
      tags(more, 'a').map((a) => a.href),
      [`${BASE}/europe/world/floods/`, `${BASE}/europe/world/ferries/`, `${BASE}/europe/world/`],
    );
  });

  test('the edition switcher keeps the story where it is in that edition, else goes to that edition’s front; hreflang names its editions', async () => {
    const { body } = await site().get('/europe/world/summit/');
    const switcher = section(body, /<nav class="switcher"/, '</nav>');
    const links = Object.fromEntries(tags(switcher, 'a').map((a) => [a.hreflang, a.href]));
    assert.equal(links['en-HK'], `${BASE}/asia/world/summit/`);
    assert.equal(links.en, `${BASE}/international/world/summit/`, 'International carries every story');
    assert.equal(links['en-US'], `${BASE}/americas/`, 'not in the Americas edition: its front');
    const alternates = tags(body, 'link')
      .filter((l) => l.hreflang !== undefined)
      .map((l) => [l.hreflang, l.href]);
    assert.deepEqual(alternates, [
      ['en', `${BASE}/international/world/summit/`],
      ['en-GB', `${BASE}/europe/world/summit/`],
      ['en-HK', `${BASE}/asia/world/summit/`],
      ['x-default', `${BASE}/international/world/summit/`],
    ]);
  });

  test('rel=canonical names the publisher’s page when there is one, else the page itself', async () => {
    const own = await site().get('/europe/world/summit/');
    assert.equal(
      tags(own.body, 'link').find((l) => l.rel === 'canonical')?.href,
      'https://news.example.com/2026/11/27/asia/summit/',
    );
    const { url: _url, ...bare } = sampleArticle({ editions: ['europe'] });
    const article = storedFrom(bare, 'bare', config, new Date(NOW));
    const { body } = await site([article]).get('/europe/world/bare/');
    assert.equal(tags(body, 'link').find((l) => l.rel === 'canonical')?.href, `${BASE}/europe/world/bare/`);
  });

  test('allows large image previews, and carries Open Graph and Twitter card tags', async () => {
    const { body } = await site().get('/europe/world/summit/');
    const metas = tags(body, 'meta');
    const named = (key: string) =>
      metas.filter((m) => m.name === key || m.property === key).map((m) => m.content);
    assert.deepEqual(named('robots'), ['max-image-preview:large']);
    assert.deepEqual(named('og:type'), ['article']);
    assert.deepEqual(named('og:title'), ['Summit ends with a pledge on shipping lanes']);
    assert.deepEqual(named('og:url'), ['https://news.example.com/2026/11/27/asia/summit/']);
    assert.deepEqual(named('og:image'), ['https://news.example.com/images/summit.jpg']);
    assert.deepEqual(named('og:image:width'), ['1200']);
    assert.deepEqual(named('og:locale'), ['en_GB']);
    assert.deepEqual(named('article:published_time'), ['2026-11-27T09:30:00.000Z']);
    assert.deepEqual(named('article:tag'), ['Shipping', 'Diplomacy']);
    assert.deepEqual(named('twitter:card'), ['summary_large_image']);
    assert.deepEqual(named('twitter:image'), ['https://news.example.com/images/summit.jpg']);
  });

  test('every value is escaped, and nothing a story holds can close its JSON-LD script', async () => {
    // Stored by hand, under the current rules. Plain-text fields are held to the plain-text rule when shown
    // (their tags stripped until nothing changes), so the headline reaches the page as text; the rest of
    // what it holds (& and quotes) and every other field is escaped.
    const hostile: Article = {
      ...stored('hostile', { editions: ['europe'] }),
      headline: '</script><script>alert(1)</script> & "quotes"',
      summary: '<img src=x onerror=alert(2)>',
      byline: [{ name: '<svg onload=alert(3)>', title: '"><b>', url: 'javascript:alert(4)' }],
    };
    const { statusCode, body } = await site([hostile]).get('/europe/world/hostile/');
    assert.equal(statusCode, 200);
    assert.equal(body.match(/<script/g)?.length, 2, 'the structured data and the page’s own script');
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(body)?.[1] ?? '';
    assert.equal((JSON.parse(ld) as { headline: string }).headline, 'alert(1) & "quotes"');
    assert.doesNotMatch(ld, /<\/script/i);
    for (const element of ['a', 'img', 'svg', 'p', 'meta'].flatMap((name) => tags(body, name))) {
      assert.ok(!Object.keys(element).some((name) => name.startsWith('on')), JSON.stringify(element));
      assert.doesNotMatch(`${element.href ?? ''}${element.src ?? ''}`, /^\s*javascript:/i);
    }
  });
});

describe('the story’s structured data (Google: Article structured data)', () => {
  /** https://developers.google.com/search/docs/appearance/structured-data/article: no required properties; these are recommended. */
  interface NewsArticle {
    '@context': string;
    '@type': string;
    headline: string;
    image: { '@type': string; url: string; width?: number; height?: number }[];
    datePublished: string;
    dateModified: string;
    author: { '@type': string; name: string; url?: string; jobTitle?: string }[];
    publisher: { '@type': string; name: string; logo?: { url: string } };
    video?: {
      '@type': string;
      name: string;
      thumbnailUrl: string;
      uploadDate: string;
      contentUrl: string;
      duration: string;
    }[];
  }

  async function jsonLd(articles = NEWSROOM, path = '/europe/world/summit/'): Promise<NewsArticle> {
    const { body } = await site(articles).get(path);
    const scripts = [...body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    return JSON.parse(scripts[0]?.[1] ?? '') as NewsArticle;
  }

  const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

  test('is a NewsArticle with every property Google recommends: headline, image, datePublished, dateModified, author (name, url)', async () => {
    const ld = await jsonLd();
    assert.equal(ld['@context'], 'https://schema.org');
    assert.equal(ld['@type'], 'NewsArticle');
    assert.equal(ld.headline, 'Summit ends with a pledge on shipping lanes');
    // Dates in ISO 8601 with their time zone, as Google asks.
    assert.match(ld.datePublished, ISO_WITH_ZONE);
    assert.match(ld.dateModified, ISO_WITH_ZONE);
    assert.equal(ld.datePublished, '2026-11-27T09:30:00.000Z');
    // Images: crawlable URLs of the story's own photos, at least 50,000 pixels where the size is known.
    assert.deepEqual(
      ld.image.map((i) => i.url),
      ['https://news.example.com/images/summit.jpg', 'https://news.example.com/images/harbour.jpg'],
    );
    for (const image of ld.image) {
      assert.ok(URL.canParse(image.url) && /^https?:/.test(image.url), image.url);
      if (image.width !== undefined && image.height !== undefined)
        assert.ok(image.width * image.height >= 50_000);
    }
  });

  test('names every writer as a Person with only their name in name, their title as jobTitle, and a URL that identifies them', async () => {
    const ld = await jsonLd();
    assert.deepEqual(ld.author, [
      {
        '@type': 'Person',
        name: 'Willy Wo-Lap Lam',
        jobTitle: 'Senior China Analyst',
        url: `${BASE}/authors/willy-lam/`,
      },
      {
        '@type': 'Person',
        name: 'Lee Min',
        jobTitle: 'Asia Correspondent',
        url: 'https://news.example.com/profiles/lee-min/',
        sameAs: [`${BASE}/authors/lee-min/`],
      },
    ]);
  });

  test('names the publisher with its logo, and each video as a VideoObject', async () => {
    const ld = await jsonLd();
    assert.equal(ld.publisher.name, 'Newswire');
    assert.equal(ld.publisher.logo?.url, config.logoUrl);
    const [video] = ld.video ?? [];
    assert.equal(video?.['@type'], 'VideoObject');
    assert.equal(video?.name, VIDEO.caption);
    assert.equal(video?.thumbnailUrl, VIDEO.poster);
    assert.equal(video?.contentUrl, VIDEO.url);
    assert.equal(video?.duration, 'PT1M34S');
    assert.match(video?.uploadDate ?? '', ISO_WITH_ZONE);
  });

  test('a corrected story’s dateModified is its correction’s time', async () => {
    const corrected = {
      ...stored('summit', { editions: ['europe'] }, 2),
      updatedAt: '2026-11-27T11:15:00.000Z',
    };
    assert.equal((await jsonLd([corrected])).dateModified, '2026-11-27T11:15:00.000Z');
  });
});

describe('a story that is not out yet, withdrawn, or moved', () => {
  test('a scheduled story’s page is a 404 identical, byte for byte, to an id that never existed, until its time', async () => {
    const scheduled = site();
    const unknown = site(NEWSROOM.filter((a) => a.id !== 'later'));
    for (const method of ['GET', 'HEAD']) {
      const a = await scheduled.get('/europe/world/later/', {}, method);
      const b = await unknown.get('/europe/world/later/', {}, method);
      assert.equal(a.statusCode, 404);
      assert.deepEqual(a, b, method);
    }
    scheduled.clock.set('2026-11-27T15:00:00Z');
    const out = await scheduled.get('/europe/world/later/');
    assert.equal(out.statusCode, 200);
    assert.match(out.body, /<h1>Embargoed until three<\/h1>/);
  });

  test('nothing of a scheduled story shows on a front, another story’s page or its JSON-LD before its time', async () => {
    const { get } = site();
    for (const path of [
      '/',
      '/europe/',
      '/europe/world/',
      '/europe/top/',
      '/europe/world/summit/',
      '/authors/ana-ortiz/',
    ]) {
      const { body } = await get(path);
      assert.ok(!body.includes('Embargoed until three'), path);
      assert.ok(!body.includes('/later/'), path);
    }
  });

  test('a withdrawn story’s page is a 410 that says so, with no part of the story', async () => {
    const withdrawn = { ...STORY, version: 2, withdrawnAt: '2026-11-27T11:00:00.000Z' };
    const { statusCode, headers, body } = await site([withdrawn]).get('/europe/world/summit/');
    assert.equal(statusCode, 410);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    assert.match(body, /<h1>This story has been withdrawn<\/h1>/);
    assert.deepEqual(tags(body, 'meta').find((m) => m.name === 'robots')?.content, 'noindex');
    for (const part of [
      'Summit ends',
      'Malacca',
      'Willy',
      'Lee Min',
      'summit.jpg',
      'Leaders agreed',
      'Shipping',
      'application/ld+json',
    ]) {
      assert.ok(!body.includes(part), part);
    }
  });

  test('a story that moved section answers its old address with a 301 to its page now', async () => {
    const moved = { ...STORY, section: 'politics', version: 2 };
    const { get } = site([moved]);
    const old = await get('/europe/world/summit/');
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `${BASE}/europe/politics/summit/`);
    assert.equal((await get('/europe/politics/summit/')).statusCode, 200);
  });

  test('in an edition it left, a 301 to its page in the site’s default edition (which carries it)', async () => {
    const left = { ...STORY, editions: ['asia'], version: 2 };
    const old = await site([left]).get('/europe/world/summit/');
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `${BASE}/international/world/summit/`);
  });

  test('without its trailing slash, a 301 to the page', async () => {
    const { statusCode, headers } = await site().get('/europe/world/summit');
    assert.equal(statusCode, 301);
    assert.equal(headers.location, `${BASE}/europe/world/summit/`);
  });

  test('an unknown edition or a malformed id is a 404 page; a file-like unknown name a problem+json 404', async () => {
    const { get } = site();
    for (const path of ['/atlantis/world/summit/', '/europe/world/-nope/', '/europe/world/a%20b/']) {
      const response = await get(path);
      assert.equal(response.statusCode, 404, path);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8', path);
    }
    const file = await get('/europe/world/index.rdf');
    assert.equal(file.statusCode, 404);
    assert.equal(file.headers['content-type'], 'application/problem+json; charset=utf-8');
  });
});

describe('revalidating a page', () => {
  const PAGES = [
    '/',
    '/europe/',
    '/europe/world/',
    '/europe/top/',
    '/authors/willy-lam/',
    '/europe/world/summit/',
  ];

  test('a matching If-None-Match is a 304 from the lists’ reads alone: no article fetched, nothing rendered', async () => {
    for (const path of PAGES) {
      const { store, get } = site();
      const first = await get(path);
      assert.equal(first.statusCode, 200, path);
      const etag = first.headers.etag ?? '';
      assert.match(etag, /^"[\w-]{27}"$/, path);
      store.calls.length = 0;
      const again = await get(path, { 'if-none-match': etag });
      assert.equal(again.statusCode, 304, path);
      assert.equal(again.body, '');
      const articleReads = store.calls.filter((c) => c === 'getArticles');
      // The story page reads the story itself (one BatchGetItem of one key); nothing else fetches an article.
      assert.equal(
        articleReads.length,
        path === '/europe/world/summit/' ? 1 : 0,
        `${path}: ${store.calls.join(', ')}`,
      );
      assert.ok(store.calls.filter((c) => c === 'listFeed').length <= 1, `${path}: one Query per list`);
    }
  });

  test('a front’s 304 is one Query and one GetItem when its Top Stories are among its latest entries', async () => {
    const { store, get } = site(NEWSROOM, { europe: ['floods', 'summit', 'rates'] });
    const first = await get('/europe/');
    store.calls.length = 0;
    assert.equal((await get('/europe/', { 'if-none-match': first.headers.etag ?? '' })).statusCode, 304);
    assert.deepEqual(store.calls.sort(), ['getTopStories', 'listFeed']);
  });

  test('the ETag changes with what the page shows: the story, its Top Stories, its section’s stories', async () => {
    const etag = async (articles: Article[], top = TOP) =>
      (await site(articles, top).get('/europe/world/summit/')).headers.etag;
    const base = await etag(NEWSROOM);
    assert.equal(await etag(NEWSROOM), base, 'stable');
    const corrected = NEWSROOM.map((a) => (a.id === 'summit' ? { ...a, version: 2, headline: 'New' } : a));
    assert.notEqual(await etag(corrected), base, 'the story');
    assert.notEqual(await etag(NEWSROOM, { europe: ['rates', 'floods'] }), base, 'the Top Stories');
    const newer = [
      ...NEWSROOM,
      stored('newer', { editions: ['europe'], publishedAt: '2026-11-27T11:00:00Z' }),
    ];
    assert.notEqual(await etag(newer), base, 'the section’s stories');
    const elsewhere = [...NEWSROOM, stored('asia-only', { editions: ['asia'], section: 'business' })];
    assert.equal(await etag(elsewhere), base, 'a story it does not show');
  });

  test('Last-Modified is the newest change it shows; If-Modified-Since answers 304 too', async () => {
    const { get } = site();
    const first = await get('/europe/world/summit/');
    assert.equal(first.headers['last-modified'], 'Fri, 27 Nov 2026 09:30:00 GMT');
    assert.equal(
      (await get('/europe/world/summit/', { 'if-modified-since': first.headers['last-modified'] ?? '' }))
        .statusCode,
      304,
    );
  });
});
