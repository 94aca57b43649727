process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { partnerFeeds } from '../../functions/core/partner-feeds.ts';
import { FEED_FILES, FEED_FORMATS, feedFile } from '../../functions/core/urls.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { startTestHub, type TestHub } from '../support/hub.ts';
import { putJson, startTestServer } from '../support/local-server.ts';
import { feedparser, newsboat } from '../support/readers.ts';

/**
 * A premium story, published through the write API with a unique marker in
 * its body, gallery and video. Every public URL — every feed of every kind
 * in every format with paging followed, every news app's feed of every
 * edition and section, every page, sitemaps, OPML, the OpenAPI document, the API without a key, WebSub pings to a stand-in hub
 * and the feeds a hub fetches on them, and the server's log lines —
 * shows its teaser and never the marker. A subscriber's private feeds, read
 * by newsboat and python3-feedparser, carry the full text, and only their
 * own token (private copies of the news apps' feeds too); a revoked token
 * answers as an unknown one.
 */

const MARKER = `zq${Math.random().toString(36).slice(2, 10)}premium`;
const ID = 'premium-lithium-deal';
const HEADLINE = 'Inside the lithium deal that reshaped the Andes';
const SUMMARY = 'How three governments and two miners split the brine.';
const STORY = {
  headline: HEADLINE,
  summary: SUMMARY,
  body: `<p>The full investigation ${MARKER} begins here.</p>`,
  section: 'business',
  editions: ['americas', 'europe'],
  topics: ['Lithium'],
  byline: [{ id: 'ana-ortiz', name: 'Ana Ortiz', title: 'Senior Analyst' }],
  image: {
    url: 'https://news.example.com/images/andes-brine.jpg',
    caption: 'Evaporation ponds in the Atacama.',
    credit: 'Newswire',
    width: 1200,
    height: 800,
    type: 'image/jpeg',
  },
  media: [
    {
      url: `https://news.example.com/gallery/${MARKER}.jpg`,
      type: 'image/jpeg',
      caption: `Gallery ${MARKER}`,
    },
    { url: `https://news.example.com/video/${MARKER}.mp4`, type: 'video/mp4', caption: 'Aerial survey' },
  ],
  access: 'premium',
};

let newswire: LocalNewswire;
let hub: TestHub;
const logged: string[] = [];
const writes = {
  stdout: process.stdout.write.bind(process.stdout),
  stderr: process.stderr.write.bind(process.stderr),
};

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(path.startsWith('http') ? path : `${newswire.url}${path}`, { headers, redirect: 'manual' });
}

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${newswire.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${newswire.apiKey}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** Every page of a feed, following its next links (RSS and Atom `rel="next"`, JSON Feed `next_url`). */
async function feedPages(url: string): Promise<string[]> {
  const bodies: string[] = [];
  let next: string | undefined = url;
  while (next !== undefined && bodies.length < 20) {
    const response = await get(next);
    assert.equal(response.status, 200, next);
    const body = await response.text();
    bodies.push(body);
    next =
      /<atom:link rel="next" href="([^"]+)"/.exec(body)?.[1] ??
      /<link rel="next" href="([^"]+)"/.exec(body)?.[1] ??
      (url.endsWith('.json') ? (JSON.parse(body) as { next_url?: string }).next_url : undefined);
    if (next !== undefined) next = next.replace(/&amp;/g, '&');
  }
  return bodies;
}

before(async () => {
  // The server's log lines, captured to be searched too.
  const capture = (stream: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (writes[stream] as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  hub = await startTestHub();
  newswire = await startTestServer({
    runtime: {
      hubUrl: hub.url,
      pingDelayMs: 0,
      streamPollMs: 100,
      sweepIntervalMs: 1000,
      notifyRetryDelayMs: 200,
    },
  });
  const response = await putJson(newswire, `/api/articles/${ID}`, STORY);
  assert.equal(response.status, 201, await response.text());
});

after(async () => {
  process.stdout.write = writes.stdout;
  process.stderr.write = writes.stderr;
  await newswire?.stop();
  await hub?.close();
});

describe('a premium story on public surfaces', () => {
  test('no public URL carries its body, gallery or video; the teaser is everywhere it is listed', async () => {
    const { config } = newswire.deps;
    const feeds: string[] = [];
    for (const edition of config.editions) {
      feeds.push(`/${edition.id}/`, `/${edition.id}/top/`);
      for (const section of config.sections) feeds.push(`/${edition.id}/${section.id}/`);
    }
    feeds.push('/authors/ana-ortiz/', '/topics/lithium/');
    const seen = new Map<string, string>();
    for (const folder of feeds) {
      for (const format of FEED_FORMATS) {
        const url = `${folder}${FEED_FILES[format]}`;
        seen.set(url, (await feedPages(url)).join('\n'));
      }
      seen.set(folder, await (await get(folder)).text());
    }
    // The news apps' feeds (docs/partners.md) of every edition and section, one page each.
    const partnerUrls: string[] = [];
    for (const edition of config.editions) {
      const scopes = [
        { kind: 'edition' as const, edition: edition.id },
        ...config.sections.map((s) => ({ kind: 'section' as const, edition: edition.id, section: s.id })),
      ];
      for (const scope of scopes) {
        const folder =
          scope.kind === 'edition' ? `/${scope.edition}/` : `/${scope.edition}/${scope.section}/`;
        for (const partner of partnerFeeds(config, scope)) partnerUrls.push(`${folder}${feedFile(partner)}`);
      }
    }
    assert.ok(config.partners.length > 0 && partnerUrls.length > 0, 'the config syndicates to news apps');
    for (const url of partnerUrls) {
      const response = await get(url);
      assert.equal(response.status, 200, url);
      seen.set(url, await response.text());
    }
    for (const path of [
      '/',
      '/opml.xml',
      '/europe/opml.xml',
      '/sitemap.xml',
      '/sitemap-fronts.xml',
      '/europe/news-sitemap.xml',
      '/americas/news-sitemap.xml',
      '/robots.txt',
      '/api/openapi.json',
      '/api/',
      `/api/articles/${ID}`,
      `/api/articles/${ID}/revisions`,
      `/europe/business/${ID}/`,
      `/americas/business/${ID}/`,
      `/international/business/${ID}/`,
    ]) {
      seen.set(path, await (await get(path)).text());
    }
    // The month sitemaps the index names.
    for (const [, loc] of (seen.get('/sitemap.xml') ?? '').matchAll(/<loc>([^<]+)<\/loc>/g)) {
      seen.set(loc!, await (await get(loc!)).text());
    }
    for (const [url, body] of seen) assert.ok(!body.includes(MARKER), `${url} shows the premium text`);
    assert.ok(!logged.join('').includes(MARKER), 'a log line shows the premium text');
    // The teaser: in the edition's feeds, marked premium in each format, and on its page.
    const rss = seen.get('/europe/rss.xml')!;
    assert.match(rss, new RegExp(HEADLINE));
    assert.match(rss, /<category domain="tag:[^"]+:access">Premium<\/category>/);
    assert.match(
      seen.get('/europe/atom.xml')!,
      /<category label="Premium" scheme="tag:[^"]+:access" term="premium"\/>/,
    );
    const json = JSON.parse(seen.get('/europe/feed.json')!) as {
      items: { id: string; _newswire: { access: string } }[];
    };
    assert.equal(json.items.find((i) => i.id.endsWith(`:${ID}`))?._newswire.access, 'premium');
    // Every news app's feed of the story's editions and section lists the teaser, marked premium.
    for (const url of partnerUrls.filter((u) => /^\/(europe|americas)\/(business\/)?partners\//.test(u))) {
      const body = seen.get(url)!;
      assert.ok(body.includes(HEADLINE), `${url}: the teaser's headline`);
      assert.match(body, /<category domain="tag:[^"]+:access">Premium<\/category>/, url);
      assert.ok(body.includes('Premium story.'), `${url}: the invitation to subscribe in place of the text`);
    }
    const page = seen.get(`/europe/business/${ID}/`)!;
    assert.match(page, new RegExp(SUMMARY));
    assert.match(page, /class="premium-label">Premium</);
    assert.match(page, /<section class="paywall"/);
    assert.match(page, /Evaporation ponds in the Atacama\./);
    assert.equal((await get(`/api/articles/${ID}`)).status, 401);
  });

  test('WebSub pings name public feeds only, and what a hub fetches on them shows the teaser', async () => {
    // The story's edition feed is among the feeds its write changed.
    const europe = `${newswire.url}/europe/${FEED_FILES.rss}`;
    await hub.until(() => hub.accepted().includes(europe), 30_000);
    const topics = [...new Set(hub.pings.flatMap((p) => p.topics))];
    assert.ok(topics.length >= 3, topics.join(' '));
    for (const topic of topics) {
      assert.ok(!topic.includes(MARKER), topic);
      assert.ok(!topic.includes('/private/'), `${topic}: a private feed pinged`);
      // A hub fetches the topic to hand it to its subscribers: the public feed, so the teaser.
      const response = await get(topic);
      assert.equal(response.status, 200, topic);
      const body = await response.text();
      assert.ok(!body.includes(MARKER), `${topic}: the premium text, as a hub would fetch it`);
    }
    assert.ok((await (await get(europe)).text()).includes(HEADLINE));
  });

  test("the story page carries Google's paywalled-content markup, naming its paywalled section by class", async () => {
    const page = await (await get(`/europe/business/${ID}/`)).text();
    const [, json] = /<script type="application\/ld\+json">([^<]+)<\/script>/.exec(page) ?? [];
    const article = JSON.parse(json!) as Record<string, unknown>;
    // https://developers.google.com/search/docs/appearance/structured-data/paywalled-content
    assert.equal(article['@type'], 'NewsArticle');
    assert.equal(article.isAccessibleForFree, false);
    assert.equal(article.articleBody, undefined);
    const part = article.hasPart as Record<string, unknown>;
    assert.equal(part['@type'], 'WebPageElement');
    assert.equal(part.isAccessibleForFree, false);
    // Only .class selectors; the section it names is on the page, once, and holds no other marked section.
    assert.match(String(part.cssSelector), /^\.[A-Za-z][\w-]*$/);
    const className = String(part.cssSelector).slice(1);
    const sections = page.match(new RegExp(`class="${className}"`, 'g')) ?? [];
    assert.equal(sections.length, 1);
  });
});

describe("subscribers' private feeds", () => {
  async function subscriber(name: string): Promise<{ token: string; subscriberId: string }> {
    const response = await api('POST', '/api/subscribers', { name });
    assert.equal(response.status, 201);
    return (await response.json()) as { token: string; subscriberId: string };
  }

  test('newsboat and feedparser read the premium story in full; each feed links only to its own token', async () => {
    const ana = await subscriber('Customer 1001');
    const lee = await subscriber('Customer 1002');
    for (const [mine, theirs] of [
      [ana, lee],
      [lee, ana],
    ] as const) {
      for (const format of FEED_FORMATS) {
        const url = `/private/${mine.token}/europe/${FEED_FILES[format]}`;
        const response = await get(url);
        assert.equal(response.status, 200, url);
        assert.equal(response.headers.get('x-robots-tag'), 'noindex');
        assert.equal(response.headers.get('cache-control'), 'private, no-cache');
        assert.equal(response.headers.get('link'), null);
        const body = await response.text();
        assert.ok(body.includes(MARKER), `${format}: the full text`);
        assert.ok(!body.includes(theirs.token), `${format}: another subscriber's token`);
        assert.ok(!/rel="hub"|"hubs"/.test(body), `${format}: a hub link`);
        assert.ok(
          body.includes(`/private/${mine.token}/europe/${FEED_FILES[format]}`),
          `${format}: its self link`,
        );
      }
    }
    // A private copy of a news app's feed: the full text, its self link under the same token, no hub.
    for (const partner of newswire.deps.config.partners) {
      const url = `/private/${ana.token}/europe/${feedFile(partner)}`;
      const response = await get(url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers.get('cache-control'), 'private, no-cache');
      assert.equal(response.headers.get('x-robots-tag'), 'noindex');
      const body = await response.text();
      assert.ok(body.includes(MARKER), `${partner}: the full text`);
      assert.ok(!body.includes(lee.token), `${partner}: another subscriber's token`);
      assert.ok(!/rel="hub"/.test(body), `${partner}: a hub link`);
      assert.ok(
        body.includes(`/private/${ana.token}/europe/${feedFile(partner)}`),
        `${partner}: its self link`,
      );
    }
    const rss = `${newswire.url}/private/${ana.token}/europe/${FEED_FILES.rss}`;
    const [parsed] = await feedparser(rss);
    const entry = parsed!.entries.find((e) => e.title === HEADLINE);
    assert.ok(
      entry?.content?.some((c) => c.value?.includes(MARKER)),
      'feedparser shows the full text',
    );
    const read = await newsboat([rss]);
    const item = read.items.find((i) => i.title === HEADLINE);
    assert.ok(item?.content.includes(MARKER), 'newsboat shows the full text');
    assert.ok(!logged.join('').includes(ana.token), 'a log line names a token');
  });

  test('a revoked token answers like an unknown one, from the next request', async () => {
    const { token, subscriberId } = await subscriber('Customer 2001');
    const url = (t: string) => `/private/${t}/europe/world/${FEED_FILES.atom}`;
    assert.equal((await get(url(token))).status, 200);
    assert.equal((await api('DELETE', `/api/subscribers/${subscriberId}`)).status, 200);
    const unknown = `ns_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    const [revoked, never] = await Promise.all([get(url(token)), get(url(unknown))]);
    assert.equal(revoked.status, 404);
    assert.equal(never.status, 404);
    const headers = (r: Response) =>
      [...r.headers].filter(([name]) => !['date', 'x-request-id', 'apigw-requestid'].includes(name));
    assert.deepEqual(headers(revoked), headers(never));
    assert.equal(await revoked.text(), await never.text());
    const listed = (await (await api('GET', '/api/subscribers')).json()) as {
      subscribers: { subscriberId: string; status: string; lastFetchAt?: string; clientsToday: number }[];
    };
    const mine = listed.subscribers.find((s) => s.subscriberId === subscriberId);
    assert.equal(mine?.status, 'revoked');
    assert.ok(mine?.lastFetchAt !== undefined);
    assert.equal(mine?.clientsToday, 1);
  });
});
