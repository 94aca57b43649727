/**
 * Conditional requests and compression through the local server, as readers
 * make them. Three kinds of client keep a copy of a feed and revalidate it —
 * with If-None-Match only, If-Modified-Since only (Tiny Tiny RSS's way), or
 * both — and each must get the new feed after a backdated publish, a
 * correction, a withdrawal, a Top Stories change and a second change within
 * the same second; a scheduled story added to Top Stories changes nothing
 * they can see. Every feed format, OPML and the pages come compressed (Brotli
 * or gzip, as asked) and decode to what real readers parse.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LocalNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { putJson, startTestServer } from '../support/local-server.ts';
import { feedparser, newsboat, readFeed } from '../support/readers.ts';
import { xmlError } from '../support/xml-parse.ts';

let newswire: LocalNewswire;
/** The Accept-Encoding of every request the server saw, and the Content-Encoding it answered with, by path. */
const codings: { path: string; accept: string | undefined; sent: string | undefined }[] = [];

before(async () => {
  newswire = await startTestServer({
    observe: (event, result) =>
      codings.push({
        path: event.rawPath,
        accept: event.headers['accept-encoding'],
        sent: result.headers['content-encoding'],
      }),
  });
});
after(() => newswire?.stop());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent (compressed when it was). */
  raw: Buffer;
  /** The body decoded from its Content-Encoding. */
  text: string;
}

/** A GET with exactly these headers (no Accept-Encoding unless given), the body decoded by us. */
function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${newswire.url}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const coding = response.headers['content-encoding'];
        const text = (
          coding === 'br' ? brotliDecompressSync(raw) : coding === 'gzip' ? gunzipSync(raw) : raw
        ).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, raw, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

type Style = 'If-None-Match' | 'If-Modified-Since' | 'both';

/** A reader's copy of one feed, revalidated its own way. */
class Client {
  body = '';
  etag: string | undefined;
  lastModified: string | undefined;
  constructor(
    readonly style: Style,
    readonly path: string,
  ) {}

  /** Revalidates; returns the status and keeps the new copy on a 200. */
  async poll(): Promise<number> {
    const headers: Record<string, string> = {};
    if (this.style !== 'If-Modified-Since' && this.etag !== undefined) headers['if-none-match'] = this.etag;
    if (this.style !== 'If-None-Match' && this.lastModified !== undefined) {
      headers['if-modified-since'] = this.lastModified;
    }
    const reply = await get(this.path, headers);
    assert.ok(reply.status === 200 || reply.status === 304, `${this.path}: ${reply.status}`);
    if (reply.status === 200) {
      this.body = reply.text;
      this.etag = reply.headers.etag as string;
      this.lastModified = reply.headers['last-modified'] as string;
    }
    return reply.status;
  }
}

const STYLES: Style[] = ['If-None-Match', 'If-Modified-Since', 'both'];
const clientsOf = (path: string) => STYLES.map((style) => new Client(style, path));

/** Long enough for the newest change to be settled (Last-Modified's 6 s, plus the rest of its second). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 7_500));

async function publish(id: string, overrides: Record<string, unknown> = {}): Promise<void> {
  const response = await putJson(
    newswire,
    `/api/articles/${id}`,
    sampleArticle({ editions: ['europe'], ...overrides }),
  );
  assert.ok(response.status === 200 || response.status === 201, await response.text());
}

async function withdraw(id: string): Promise<void> {
  const response = await fetch(`${newswire.url}/api/articles/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${newswire.apiKey}` },
  });
  assert.equal(response.status, 200);
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('revalidation, by each kind of client', () => {
  const feed = clientsOf('/europe/rss.xml');
  const top = clientsOf('/europe/top/rss.xml');

  before(async () => {
    // An older story first, so that the backdated one below lands under the newest item.
    await publish('reval-recent', { headline: 'Recent story', publishedAt: minutesAgo(1) });
    await settle();
    for (const client of [...feed, ...top]) assert.equal(await client.poll(), 200);
    // Unchanged and settled: every style gets a 304, If-Modified-Since alone included.
    for (const client of [...feed, ...top]) assert.equal(await client.poll(), 304, client.style);
  });

  async function everyStyleSees(clients: Client[], check: (body: string) => boolean, what: string) {
    for (const client of clients) {
      assert.equal(await client.poll(), 200, `${client.style} after ${what}`);
      assert.ok(check(client.body), `${client.style} sees ${what}`);
    }
  }

  test('a backdated publish (a story dated two days ago, under the newest item)', async () => {
    await publish('reval-backdated', { headline: 'Backdated story', publishedAt: minutesAgo(2 * 24 * 60) });
    await everyStyleSees(feed, (b) => b.includes('Backdated story'), 'a backdated publish');
  });

  test('a correction', async () => {
    await publish('reval-backdated', {
      headline: 'Backdated story, corrected',
      publishedAt: minutesAgo(2 * 24 * 60),
    });
    await everyStyleSees(feed, (b) => b.includes('Backdated story, corrected'), 'a correction');
  });

  test('a withdrawal', async () => {
    await withdraw('reval-backdated');
    await everyStyleSees(feed, (b) => !b.includes('Backdated story'), 'a withdrawal');
  });

  test('a Top Stories change', async () => {
    const response = await putJson(newswire, '/api/editions/europe/top-stories', {
      articles: ['reval-recent'],
    });
    assert.equal(response.status, 200, await response.text());
    await everyStyleSees(top, (b) => b.includes('Recent story'), 'a Top Stories change');
  });

  test('two changes within one second: the second is not hidden from If-Modified-Since', async () => {
    await publish('reval-first', { headline: 'First of two', publishedAt: minutesAgo(60) });
    for (const client of feed) await client.poll();
    await publish('reval-second', { headline: 'Second of two', publishedAt: minutesAgo(61) });
    await everyStyleSees(feed, (b) => b.includes('Second of two'), 'the second change');
  });

  test('once settled, every style gets a 304 again (If-Modified-Since after at most one more 200)', async () => {
    await settle();
    for (const client of [...feed, ...top]) {
      const first = await client.poll();
      assert.ok(
        first === 304 || (first === 200 && client.style === 'If-Modified-Since'),
        `${client.style}: ${first}`,
      );
      assert.equal(await client.poll(), 304, client.style);
    }
  });

  test('a scheduled story added to Top Stories, and edited, changes nothing readers see: bytes, ETag, Last-Modified', async () => {
    const before = await get('/europe/top/rss.xml');
    await publish('reval-embargoed', {
      headline: 'Embargoed',
      publishedAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const response = await putJson(newswire, '/api/editions/europe/top-stories', {
      articles: ['reval-embargoed', 'reval-recent'],
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { warnings?: { field: string; message: string }[] };
    assert.equal(answer.warnings?.[0]?.field, 'articles.0');
    assert.match(answer.warnings?.[0]?.message ?? '', /is scheduled for .*nothing readers see changes/);
    await publish('reval-embargoed', {
      headline: 'Embargoed, edited',
      publishedAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const after = await get('/europe/top/rss.xml');
    assert.equal(after.text, before.text);
    assert.equal(after.headers.etag, before.headers.etag);
    assert.equal(after.headers['last-modified'], before.headers['last-modified']);
    for (const client of top) assert.equal(await client.poll(), 304, client.style);
  });
});

describe('compression through the local server', () => {
  const documents = [
    '/europe/rss.xml',
    '/europe/atom.xml',
    '/europe/feed.json',
    '/international/feed.json',
    '/opml.xml',
    '/europe/opml.xml',
    '/',
    '/europe/',
    '/europe/world/',
  ];

  test('every feed format, OPML and the pages come in Brotli or gzip as asked, and decode to the same text', async () => {
    for (const path of documents) {
      const plain = await get(path);
      assert.equal(plain.status, 200, path);
      assert.equal(plain.headers['content-encoding'], undefined, path);
      const tags = new Set([plain.headers.etag]);
      for (const [accept, coding] of [
        ['br', 'br'],
        ['gzip', 'gzip'],
        ['gzip, deflate, br', 'br'],
        ['br;q=0.5, gzip', 'gzip'],
      ] as const) {
        const reply = await get(path, { 'accept-encoding': accept });
        assert.equal(reply.headers['content-encoding'], coding, `${path} ${accept}`);
        assert.match(String(reply.headers.vary), /^Accept-Encoding\b/, path);
        assert.equal(reply.text, plain.text, `${path} ${accept} decodes to the same document`);
        assert.ok(
          reply.raw.length < plain.raw.length / 2,
          `${path} ${accept}: ${reply.raw.length} of ${plain.raw.length}`,
        );
        tags.add(reply.headers.etag);
        // A revalidation of the compressed copy is a 304 for that coding.
        const again = await get(path, {
          'accept-encoding': accept,
          'if-none-match': reply.headers.etag as string,
        });
        assert.equal(again.status, 304, `${path} ${accept}`);
      }
      assert.equal(tags.size, 3, `${path}: one ETag per coding`);
      if (path.endsWith('.xml')) assert.equal(xmlError(plain.text), undefined, path);
    }
  });

  test('real readers ask for compression themselves, get it, and read the feeds', async () => {
    codings.length = 0;
    const urls = ['/europe/rss.xml', '/europe/atom.xml'].map((p) => `${newswire.url}${p}`);
    for (const parsed of await feedparser(...urls)) {
      assert.equal(parsed.bozo, false, `${parsed.url}: ${parsed.bozo_exception}`);
      assert.ok(parsed.entries.length > 0);
    }
    const boat = await newsboat(urls);
    assert.ok(boat.items.length > 0, 'newsboat read the items');
    for (const reader of ['feedsmith', 'feed-extractor'] as const) {
      for (const path of ['/europe/rss.xml', '/europe/atom.xml', '/europe/feed.json']) {
        const items = await readFeed(reader, `${newswire.url}${path}`);
        assert.ok(items.length > 0, `${reader} ${path}`);
      }
    }
    const compressed = codings.filter((c) => c.sent !== undefined);
    // feedparser sends "gzip, deflate", curl (newsboat) and Node's fetch gzip and br.
    assert.ok(
      compressed.some((c) => c.accept === 'gzip, deflate' && c.sent === 'gzip'),
      JSON.stringify(codings.slice(0, 10)),
    );
    assert.ok(compressed.length >= 8, `${compressed.length} of ${codings.length} replies were compressed`);
  });
});
