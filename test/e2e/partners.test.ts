process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalNewswire } from '../../local/runtime.ts';
import { largestArticle } from '../support/largest.ts';
import { putJson, startTestServer } from '../support/local-server.ts';
import { decodePng } from '../support/png.ts';
import { childOf, childrenOf, parseXml, textsOf, type XmlElement } from '../support/xml-parse.ts';

/**
 * The checklist of docs/partners.md, one test per row, over the partner
 * feeds the local server serves (the sample newsroom, plus the stories each
 * row needs). Each test is named as its row's "test" column.
 */

const CONTENT = 'http://purl.org/rss/1.0/modules/content/';
const DC = 'http://purl.org/dc/elements/1.1/';
const SNF = 'http://www.smartnews.be/snf';

let newswire: LocalNewswire;

async function get(path: string): Promise<{ status: number; body: string; type: string }> {
  const response = await fetch(`${newswire.url}${path}`);
  return {
    status: response.status,
    body: await response.text(),
    type: response.headers.get('content-type') ?? '',
  };
}

/** A partner feed as served: its bytes and its parsed channel (parsing proves it well-formed). */
async function feed(path: string): Promise<{ body: string; channel: XmlElement; items: XmlElement[] }> {
  const { status, body, type } = await get(path);
  assert.equal(status, 200, `${path}: ${body.slice(0, 300)}`);
  assert.equal(type, 'application/rss+xml; charset=utf-8');
  const channel = childOf(parseXml(body), '', 'channel');
  return { body, channel, items: childrenOf(channel, '', 'item') };
}

function story(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    headline: `Partner checklist story ${id}`,
    summary: 'A short summary of the story.',
    body: '<p>The story in full, in one paragraph.</p>',
    url: `https://news.example.com/2026/11/27/world/${id}/`,
    section: 'world',
    editions: ['europe'],
    byline: [{ name: 'Ana Ortiz', title: 'Europe Correspondent' }],
    image: {
      url: `https://news.example.com/images/${id}.jpg`,
      caption: 'Volunteers on the embankment.',
      credit: 'Photo: Edit Halmos / Newswire',
      width: 1600,
      height: 1067,
      type: 'image/jpeg',
    },
    ...overrides,
  };
}

/** Publishes a story and returns the write API's answer (status and body). */
async function publish(
  id: string,
  body: Record<string, unknown>,
): Promise<{ status: number; warnings: { field: string; message: string }[] }> {
  const response = await putJson(newswire, `/api/articles/${id}`, body);
  const answer = (await response.json()) as { warnings?: { field: string; message: string }[] };
  return { status: response.status, warnings: answer.warnings ?? [] };
}

/** Warning messages of a story published with a photo of this size. */
async function warningsFor(id: string, width: number, height: number): Promise<string[]> {
  const image = { ...(story(id).image as object), width, height };
  const { status, warnings } = await publish(id, story(id, { image }));
  assert.ok(status === 201 || status === 200, `stored (${status})`);
  return warnings.map((w) => w.message);
}

function itemOf(items: XmlElement[], id: string): XmlElement {
  const found = items.find((i) => childOf(i, '', 'guid').text.endsWith(`:article:${id}`));
  assert.ok(found, `item ${id}`);
  return found;
}

before(async () => {
  newswire = await startTestServer();
});

after(async () => {
  await newswire.stop();
});

describe('Google News', () => {
  test('Google News: pubDate moves with a correction, the guid does not', async () => {
    const published = new Date(Date.now() - 3600_000);
    published.setUTCMilliseconds(0);
    await publish('gn-correction', story('gn-correction', { publishedAt: published.toISOString() }));
    const before = itemOf((await feed('/europe/partners/google-news.xml')).items, 'gn-correction');
    assert.equal(childOf(before, '', 'pubDate').text, published.toUTCString());
    await publish(
      'gn-correction',
      story('gn-correction', { headline: 'Partner checklist story, corrected' }),
    );
    const { items } = await feed('/europe/partners/google-news.xml');
    const after = itemOf(items, 'gn-correction');
    assert.ok(
      Date.parse(childOf(after, '', 'pubDate').text) > published.getTime(),
      'pubDate is the correction',
    );
    assert.equal(childOf(after, '', 'guid').text, childOf(before, '', 'guid').text);
    assert.equal(childOf(after, '', 'guid').attributes.isPermaLink, 'false');
    // The general feed keeps the first publication in pubDate.
    const general = itemOf((await feed('/europe/rss.xml')).items, 'gn-correction');
    assert.equal(childOf(general, '', 'pubDate').text, published.toUTCString());
  });

  test('Google News: under 2,000,000 bytes with the largest articles, each item under 1 MB', async () => {
    for (let i = 0; i < 3; i++) {
      const { status } = await publish(
        `largest-${i}`,
        largestArticle(i, { editions: ['africa'], section: 'science' }),
      );
      assert.equal(status, 201);
    }
    const { body, items } = await feed('/africa/partners/google-news.xml');
    assert.ok(Buffer.byteLength(body) < 2_000_000, `${Buffer.byteLength(body)} bytes`);
    assert.ok(items.length >= 1);
    const starts = [...body.matchAll(/<item>/g)].map((m) => m.index);
    const ends = [...body.matchAll(/<\/item>/g)].map((m) => m.index);
    for (const [i, start] of starts.entries()) {
      assert.ok(Buffer.byteLength(body.slice(start, ends[i])) < 1_000_000, `item ${i} under 1 MB`);
    }
  });

  test('Google News: at most 60 items', async () => {
    const { items } = await feed('/international/partners/google-news.xml');
    assert.ok(items.length > 0 && items.length <= 60, `${items.length} items`);
  });

  test('Google News: full text in content:encoded', async () => {
    const item = itemOf((await feed('/europe/partners/google-news.xml')).items, 'gn-correction');
    assert.match(childOf(item, CONTENT, 'encoded').text, /The story in full, in one paragraph\./);
  });

  test('Google News: well-formed XML', async () => {
    for (const path of ['/europe/partners/google-news.xml', '/europe/world/partners/google-news.xml']) {
      await feed(path);
    }
  });

  test('Google News: a photo 1199 px wide is warned about, 1200 px is not', async () => {
    const google = (m: string) => m.startsWith('Google News asks for a photo at least 1200 px wide');
    assert.ok((await warningsFor('gn-1199', 1199, 1600)).some(google));
    assert.ok(!(await warningsFor('gn-1200', 1200, 675)).some(google));
  });
});

describe('SmartNews', () => {
  test('SmartNews: channel description of 30 characters or fewer', async () => {
    const { channel } = await feed('/europe/partners/smartnews.xml');
    const description = childOf(channel, '', 'description').text;
    assert.ok([...description].length <= 30 && description.length > 0, description);
  });

  test('SmartNews: channel pubDate', async () => {
    const { channel } = await feed('/europe/partners/smartnews.xml');
    assert.match(childOf(channel, '', 'pubDate').text, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  test('SmartNews: a 512 × 512 logo in image and snf:logo', async () => {
    const { body, channel } = await feed('/europe/partners/smartnews.xml');
    assert.match(body, /xmlns:snf="http:\/\/www\.smartnews\.be\/snf"/);
    const url = childOf(childOf(channel, '', 'image'), '', 'url').text;
    assert.equal(childOf(childOf(channel, SNF, 'logo'), '', 'url').text, url);
    const png = decodePng(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    assert.deepEqual([png.width, png.height], [512, 512]);
  });

  test('SmartNews: UTF-8', async () => {
    const { body } = await feed('/europe/partners/smartnews.xml');
    assert.ok(body.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
  });

  test('SmartNews: under 1,000,000 bytes where the general feed is larger', async () => {
    // The largest articles (published by the Google News size test) fill the Africa edition.
    const general = await get('/africa/rss.xml');
    assert.ok(
      Buffer.byteLength(general.body) > 1_000_000,
      `general feed ${Buffer.byteLength(general.body)} bytes`,
    );
    const { body, items } = await feed('/africa/partners/smartnews.xml');
    assert.ok(Buffer.byteLength(body) < 1_000_000, `${Buffer.byteLength(body)} bytes`);
    assert.ok(items.length >= 1);
  });

  test('SmartNews: every item has a title and a link', async () => {
    const { items } = await feed('/international/partners/smartnews.xml');
    assert.ok(items.length > 0);
    for (const item of items) {
      assert.ok(childOf(item, '', 'title').text !== '');
      assert.match(childOf(item, '', 'link').text, /^https?:\/\//);
    }
    // SmartNews takes one feed per edition.
    assert.equal((await get('/europe/world/partners/smartnews.xml')).status, 404);
  });
});

describe('MSN', () => {
  const ALLOWED = new Set(
    'b i em strong sub sup small h1 h2 h3 h4 h5 a img table thead tbody tfoot tr td th col caption colgroup ul ol li p div span br blockquote'.split(
      ' ',
    ),
  );

  test('MSN: only the listed HTML tags, caption and credit kept as text', async () => {
    await publish(
      'msn-figures',
      story('msn-figures', {
        body: '<h2>Heading</h2><p>Text with <u>underline</u>.</p><h6>Small heading</h6><figure><img src="https://news.example.com/i.jpg" alt="x"><figcaption>Inline figure</figcaption></figure>',
        media: [
          {
            url: 'https://news.example.com/clip.mp4',
            type: 'video/mp4',
            caption: 'The barrier going up',
            credit: 'Newswire Video',
            duration: 94,
            poster: 'https://news.example.com/poster.jpg',
          },
        ],
      }),
    );
    const html = childOf(
      itemOf((await feed('/europe/partners/msn.xml')).items, 'msn-figures'),
      CONTENT,
      'encoded',
    ).text;
    const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase());
    assert.deepEqual([...new Set(tags.filter((t) => !ALLOWED.has(t)))], [], html);
    for (const text of [
      'Volunteers on the embankment.',
      'Photo: Edit Halmos / Newswire',
      'The barrier going up',
      'Video: Newswire Video',
      'Inline figure',
      'underline',
      'Small heading',
    ]) {
      assert.ok(html.includes(text), text);
    }
    assert.match(
      html,
      /<a href="https:\/\/news\.example\.com\/clip\.mp4"><img src="https:\/\/news\.example\.com\/poster\.jpg"/,
    );
    // The general feed keeps figures and the video element.
    const general = childOf(
      itemOf((await feed('/europe/rss.xml')).items, 'msn-figures'),
      CONTENT,
      'encoded',
    ).text;
    assert.match(general, /<figure class="video"><video/);
  });

  test('MSN: a photo 719 px on its longest side is warned about, 720 px is not', async () => {
    const msn = (m: string) => m.startsWith('MSN asks for a photo at least 720 px on its longest side');
    assert.ok((await warningsFor('msn-719', 719, 480)).some(msn));
    assert.ok(!(await warningsFor('msn-720', 480, 720)).some(msn));
  });
});

describe('Flipboard', () => {
  test('Flipboard: full text, enclosure and dc:creator', async () => {
    const item = itemOf((await feed('/europe/partners/flipboard.xml')).items, 'gn-correction');
    assert.match(childOf(item, CONTENT, 'encoded').text, /The story in full/);
    const enclosure = childOf(item, '', 'enclosure').attributes;
    assert.deepEqual(
      [enclosure.url, enclosure.type, enclosure.length],
      ['https://news.example.com/images/gn-correction.jpg', 'image/jpeg', '0'],
    );
    assert.deepEqual(textsOf(item, DC, 'creator'), ['Ana Ortiz']);
  });

  test('Flipboard: a photo 399 px on its shortest side is warned about, 400 px is not', async () => {
    const flipboard = (m: string) =>
      m.startsWith('Flipboard asks for a photo at least 400 px on its shortest side');
    assert.ok((await warningsFor('fb-399', 1600, 399)).some(flipboard));
    assert.ok(!(await warningsFor('fb-400', 400, 400)).some(flipboard));
  });

  test('Flipboard: 30 items or more when the edition has them', async () => {
    for (let i = 0; i < 32; i++) {
      await publish(
        `fb-count-${i}`,
        story(`fb-count-${i}`, { editions: ['middle-east'], section: 'health' }),
      );
    }
    const { items } = await feed('/middle-east/partners/flipboard.xml');
    assert.ok(items.length >= 30, `${items.length} items`);
  });

  test('Flipboard: a language with its country', async () => {
    const { channel } = await feed('/international/partners/flipboard.xml');
    assert.equal(childOf(channel, '', 'language').text, 'en-GB');
  });
});

describe('Apple News', () => {
  test('Apple News: UTF-8, title, language with locale and link', async () => {
    for (const [edition, language] of [
      ['international', 'en-GB'],
      ['asia', 'en-HK'],
      ['americas', 'en-US'],
    ] as const) {
      const { body, channel } = await feed(`/${edition}/partners/apple-news.xml`);
      assert.ok(body.startsWith('<?xml version="1.0" encoding="utf-8"?>'));
      assert.ok(childOf(channel, '', 'title').text !== '');
      assert.equal(childOf(channel, '', 'language').text, language);
      assert.equal(childOf(channel, '', 'link').text, `${newswire.url}/${edition}/`);
    }
  });

  test('Apple News: every item has a title, link and description; titles are plain text', async () => {
    await publish('apple-markup', story('apple-markup', { headline: '<b>Bold</b> &amp; plain' }));
    const { items } = await feed('/europe/partners/apple-news.xml');
    for (const item of items) {
      for (const name of ['title', 'link', 'description'])
        assert.ok(childOf(item, '', name).text !== '', name);
      assert.ok(!/<[a-z]/i.test(childOf(item, '', 'title').text), 'no HTML in the title');
      assert.ok(childOf(item, CONTENT, 'encoded').text.length > 0, 'full text');
    }
    assert.equal(childOf(itemOf(items, 'apple-markup'), '', 'title').text, 'Bold & plain');
  });
});

test('every listed app with an image rule warns about a story without a photo', async () => {
  const { status, warnings } = await publish('no-photo', story('no-photo', { image: undefined }));
  assert.equal(status, 201);
  assert.deepEqual(
    warnings.filter((w) => w.field === 'image').map((w) => w.message.split(' asks')[0]),
    ['Google News', 'MSN', 'Flipboard'],
  );
  // Stored and published all the same.
  itemOf((await feed('/europe/partners/msn.xml')).items, 'no-photo');
});

test('an app the site does not list has no feed, and sections only for apps that take them', async () => {
  assert.equal((await get('/europe/partners/nonesuch.xml')).status, 404);
  assert.equal((await get('/authors/ana-ortiz/partners/msn.xml')).status, 404);
  assert.equal((await get('/europe/top/partners/msn.xml')).status, 404);
  assert.equal((await get('/europe/world/partners/msn.xml')).status, 200);
  assert.equal((await get('/europe/partners/msn.xml?after=MjAyNg')).status, 400);
});
