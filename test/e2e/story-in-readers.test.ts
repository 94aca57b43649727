process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FEED_FILES, type FeedFormat } from '../../functions/core/urls.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { putJson, startTestServer } from '../support/local-server.ts';
import {
  type FeedparserEntry,
  newsboat,
  newsboatArticle,
  READER_FORMATS,
  READERS,
  type ReaderItem,
  type ReaderName,
  readFeed,
} from '../support/readers.ts';

/**
 * A wire story published through the write API, read back by the readers
 * people and apps use: newsboat (its own cache and its article view),
 * python3-feedparser, rss-parser, feedsmith and feed-extractor, from the
 * edition's RSS, Atom and JSON Feed. The reader sees the whole story: every
 * writer, their titles, the photo's caption and credit, a clean headline —
 * and plain text wherever a field is plain text.
 */

const EDITION = 'europe';
const WRITERS = ['Ana Ortiz', 'Lee Min'];
const HEADLINE = 'Lund & Marsh merger faces review on both sides of the Atlantic';
const CAPTION = 'A technician splices fibre-optic cable at a rural exchange in Jutland.';
const CREDIT = 'Daniel Ferreira-Moss / Newswire';
const TITLES = ['Senior Europe Correspondent', 'Data Editor'];

const STORY = {
  headline: HEADLINE,
  summary: 'Competition authorities have opened <em>in-depth</em> reviews of the merger.',
  body: '<p>Regulators in Washington, Ottawa and Brussels opened reviews on Tuesday.</p>',
  url: 'https://news.example.com/2026/11/27/technology/lund-marsh-readers/',
  section: 'technology',
  editions: ['europe', 'americas'],
  topics: ['Telecoms', 'Competition'],
  byline: [
    { name: 'Ana Ortiz', title: TITLES[0], url: 'https://news.example.com/profiles/ana-ortiz/' },
    { name: 'Lee Min', title: TITLES[1] },
  ],
  image: {
    url: 'https://news.example.com/images/2026/11/lund-marsh-readers.jpg',
    caption: CAPTION,
    credit: CREDIT,
    width: 1200,
    height: 800,
    type: 'image/jpeg',
  },
  language: 'en',
};

/** Markup and entities in every plain-text field, as a careless CMS might send them. */
const MARKED_UP = {
  ...STORY,
  headline: '<b>Lund</b> &amp; Marsh <script>alert("headline")</script>deal passes',
  summary: 'Plain <b>x</b> summary &amp; more.',
  url: 'https://news.example.com/2026/11/27/technology/markup-in-plain-text/',
  topics: ['<b>Energy</b>', 'Trade &amp; Tariffs'],
  byline: [
    { name: '<script>alert("name")</script>Ana Ortiz', title: '<i>Senior</i> Europe Correspondent' },
    { name: 'Lee Min', title: 'Data &amp; Graphics Editor' },
  ],
  image: {
    ...STORY.image,
    caption: 'A technician at <b>x</b> exchange &amp; depot.',
    credit: '<a href="https://evil.example/">Daniel</a> Ferreira-Moss &amp; Partners',
  },
};

/** Markup (an HTML tag) or an undecoded character reference: never in a plain-text field. */
const MARKUP = /<\/?[a-z][^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/**
 * Author fields that hold one name by construction. None since an Atom entry
 * has one <author> naming every writer (each writer a <contributor>): before,
 * python3-feedparser's `author` kept the last of two, rss-parser the first,
 * and npm feedparser none (it showed the feed's author).
 */
const ONE_NAME_FIELDS = new Set<string>();

/** Readers that expose no categories for a format. */
const NO_CATEGORIES = new Set(['newsboat rss', 'newsboat atom', 'rss-parser atom']);

/** Both writers as one name, as RSS's dc:creator and Atom's author give them. */
const BOTH = 'Ana Ortiz and Lee Min';

const COMBINATIONS = READERS.flatMap((reader) =>
  READER_FORMATS[reader].map((format) => ({ reader, format })),
);

let newswire: LocalNewswire;
/** What each reader showed of each story, by `${reader} ${format}` and then article id. */
const seen = new Map<string, Map<string, ReaderItem>>();
const failures = new Map<string, unknown>();
/** The marked-up story as the write API stored it. */
let stored: typeof MARKED_UP & { id: string };

function feedUrl(format: FeedFormat): string {
  return `${newswire.url}/${EDITION}/${FEED_FILES[format]}`;
}

function guid(id: string): string {
  return `tag:${newswire.deps.config.tagAuthority}:article:${id}`;
}

async function publish(id: string, article: object, secondsAgo: number): Promise<void> {
  const response = await putJson(newswire, `/api/articles/${id}`, {
    ...article,
    publishedAt: new Date(Date.now() - secondsAgo * 1000).toISOString(),
  });
  assert.equal(response.status, 201, await response.text());
}

/** The item a reader showed for an article; fails the test with the reader's error if it could not read. */
function itemOf(reader: ReaderName, format: FeedFormat, id: string): ReaderItem {
  const key = `${reader} ${format}`;
  if (failures.has(key)) throw failures.get(key);
  const item = seen.get(key)?.get(guid(id));
  assert.ok(item !== undefined, `${key} shows no item ${guid(id)}`);
  return item;
}

/**
 * Every author field a reader exposes names every writer — but for the fields
 * that hold one name by construction, which must hold one of them.
 */
function assertEveryWriter(key: string, item: ReaderItem, writers: string[]): void {
  const fields = Object.entries(item.authors);
  assert.ok(fields.length > 0, `no author field: ${shown(item)}`);
  for (const [field, values] of fields) {
    if (ONE_NAME_FIELDS.has(`${key} ${field}`)) {
      assert.equal(values.length, 1, `${field}: ${shown(item)}`);
      assert.ok(writers.includes(values[0] ?? ''), `${field}: ${shown(item)}`);
      continue;
    }
    for (const writer of writers) {
      assert.ok(
        values.some((v) => v.includes(writer)),
        `${field} ${JSON.stringify(values)} lacks ${writer}`,
      );
    }
  }
}

/** Joins a reader's values for a message, so a failure shows what it saw. */
function shown(item: ReaderItem): string {
  const { raw: _raw, content: _content, ...rest } = item;
  return JSON.stringify(rest);
}

before(async () => {
  newswire = await startTestServer();
  await publish('lund-marsh-readers', STORY, 20);
  await publish('markup-in-plain-text', MARKED_UP, 30);
  stored = (await (
    await fetch(`${newswire.url}/api/articles/markup-in-plain-text`, {
      headers: { authorization: `Bearer ${newswire.apiKey}` },
    })
  ).json()) as typeof stored;
  await Promise.all(
    COMBINATIONS.map(async ({ reader, format }) => {
      const key = `${reader} ${format}`;
      try {
        const items = await readFeed(reader, feedUrl(format));
        seen.set(key, new Map(items.map((item) => [item.id, item])));
      } catch (error) {
        failures.set(key, error);
      }
    }),
  );
});
after(() => newswire?.stop());

describe('a two-writer story with a captioned photo, in real readers', () => {
  for (const { reader, format } of COMBINATIONS) {
    const key = `${reader} ${format}`;

    test(`${key}: the headline arrives as "Lund & Marsh …"`, () => {
      assert.equal(itemOf(reader, format, 'lund-marsh-readers').title, HEADLINE);
    });

    test(`${key}: every author field names every writer`, () => {
      assertEveryWriter(key, itemOf(reader, format, 'lund-marsh-readers'), WRITERS);
    });

    test(`${key}: the full text holds both writers' titles, the caption and the credit`, () => {
      const { content } = itemOf(reader, format, 'lund-marsh-readers');
      for (const expected of [...TITLES, CAPTION, CREDIT, 'opened reviews on Tuesday']) {
        assert.ok(content.includes(expected), `no "${expected}" in ${JSON.stringify(content)}`);
      }
    });

    test(`${key}: no markup in the title, the authors${format === 'json' ? ', the summary' : ''} or the categories`, () => {
      const item = itemOf(reader, format, 'lund-marsh-readers');
      const plain = [
        item.title,
        ...Object.values(item.authors).flat(),
        ...item.categories,
        ...(format === 'json' ? [item.summary] : []),
      ];
      for (const value of plain) assert.doesNotMatch(value, MARKUP, shown(item));
    });
  }

  test('RSS: one dc:creator naming every writer, as every reader shows it', async () => {
    const body = await (await fetch(feedUrl('rss'))).text();
    const item = body.slice(body.indexOf(guid('lund-marsh-readers')));
    const creators = [
      ...item.slice(0, item.indexOf('</item>')).matchAll(/<dc:creator>([^<]*)<\/dc:creator>/g),
    ];
    assert.deepEqual(
      creators.map((m) => m[1]),
      ['Ana Ortiz and Lee Min'],
    );
    for (const reader of READERS.filter((r) => READER_FORMATS[r].includes('rss'))) {
      const { authors } = itemOf(reader, 'rss', 'lund-marsh-readers');
      for (const [field, values] of Object.entries(authors)) {
        assert.deepEqual(values, ['Ana Ortiz and Lee Min'], `${reader} ${field}`);
      }
    }
  });

  test('Atom: one author naming both writers in every reader (npm feedparser showed the feed’s author); JSON Feed: authors', () => {
    assert.deepEqual(itemOf('feedparser', 'atom', 'lund-marsh-readers').authors.authors, [BOTH]);
    assert.deepEqual(itemOf('feedsmith', 'atom', 'lund-marsh-readers').authors, { authors: [BOTH] });
    assert.deepEqual(itemOf('npm-feedparser', 'atom', 'lund-marsh-readers').authors, { author: [BOTH] });
    assert.deepEqual(itemOf('rowanmanning-feed-parser', 'atom', 'lund-marsh-readers').authors, {
      authors: [BOTH],
    });
    assert.deepEqual(itemOf('newsboat', 'atom', 'lund-marsh-readers').authors, { author: [BOTH] });
    assert.deepEqual(itemOf('feedsmith', 'json', 'lund-marsh-readers').authors, { authors: WRITERS });
    // Each writer, with page and title, as a contributor.
    const raw = itemOf('feedparser', 'atom', 'lund-marsh-readers').raw as FeedparserEntry;
    assert.deepEqual(
      raw.contributors.map((c) => c.name),
      WRITERS,
    );
  });

  test('JSON Feed: the summary is plain text', () => {
    assert.equal(
      itemOf('feedsmith', 'json', 'lund-marsh-readers').summary,
      'Competition authorities have opened in-depth reviews of the merger.',
    );
  });

  test('the readers that read Media RSS or JSON Feed images have the photo', () => {
    for (const { reader, format } of COMBINATIONS.filter(
      (c) => !['newsboat', 'rss-parser'].includes(c.reader),
    )) {
      const { media } = itemOf(reader, format, 'lund-marsh-readers');
      assert.ok(media.includes(STORY.image.url), `${reader} ${format}: ${JSON.stringify(media)}`);
    }
  });

  for (const format of ['rss', 'atom'] as const) {
    test(`newsboat, subscribed to the ${format.toUpperCase()} feed: the author names both writers; the article shows both titles, the caption and the credit`, async () => {
      const cache = await newsboat([feedUrl(format)]);
      const item = cache.items.find((i) => i.guid === guid('lund-marsh-readers'));
      assert.ok(item !== undefined, 'in the cache');
      for (const writer of WRITERS) assert.ok(item.author.includes(writer), `author: ${item.author}`);
      for (const expected of [...TITLES, CAPTION, CREDIT]) {
        assert.ok(item.content.includes(expected), `no "${expected}" in the cached content ${item.content}`);
      }
      // What a person sees: newsboat's own rendering, wrapped at 72 columns.
      const view = (await newsboatArticle(feedUrl(format), guid('lund-marsh-readers'))).replace(/\s+/g, ' ');
      assert.ok(view.includes(`Author: ${item.author}`), view);
      for (const expected of [...TITLES, CAPTION, CREDIT]) {
        assert.ok(view.includes(expected), `no "${expected}" in newsboat's view: ${view}`);
      }
      // Once: the image's alt text no longer repeats the caption.
      assert.equal(view.split(CAPTION).length - 1, 1, `the caption once in newsboat's view: ${view}`);
    });
  }
});

describe('markup and entities in plain-text fields reach readers as plain text', () => {
  test('the write API stores the plain text', () => {
    const plain = [
      stored.headline,
      ...stored.byline.flatMap((b) => [b.name, b.title]),
      stored.image.caption,
      stored.image.credit,
      ...stored.topics,
    ];
    for (const value of plain) assert.doesNotMatch(value, MARKUP);
    assert.match(stored.headline, /^Lund & Marsh .*deal passes$/);
    assert.match(stored.byline[0]?.name ?? '', /Ana Ortiz$/);
    assert.deepEqual(
      stored.byline.map((b) => b.title),
      ['Senior Europe Correspondent', 'Data & Graphics Editor'],
    );
    assert.equal(stored.image.caption, 'A technician at x exchange & depot.');
    assert.equal(stored.image.credit, 'Daniel Ferreira-Moss & Partners');
    assert.deepEqual(stored.topics, ['Energy', 'Trade & Tariffs']);
  });

  for (const { reader, format } of COMBINATIONS) {
    const key = `${reader} ${format}`;
    test(`${key}: shows the stored plain text, never markup`, () => {
      const item = itemOf(reader, format, 'markup-in-plain-text');
      assert.equal(item.title, stored.headline);
      for (const value of [item.title, ...Object.values(item.authors).flat(), ...item.categories]) {
        assert.doesNotMatch(value, MARKUP, shown(item));
      }
      const writers = stored.byline.map((b) => b.name);
      if (format === 'rss') {
        for (const values of Object.values(item.authors)) assert.deepEqual(values, [writers.join(' and ')]);
      } else {
        assertEveryWriter(key, item, writers);
      }
      if (!NO_CATEGORIES.has(key))
        assert.deepEqual(item.categories, ['Technology', 'Energy', 'Trade & Tariffs']);
      if (format === 'json' && reader === 'feedsmith') assert.equal(item.summary, 'Plain x summary & more.');
      // In the full text, the same values are escaped HTML text: no element came from them.
      assert.doesNotMatch(item.content, /<script|evil\.example|<i>Senior/);
      // @rowanmanning/feed-parser gives the full text with character references decoded.
      const amp = reader === 'rowanmanning-feed-parser' ? '&' : '&amp;';
      for (const expected of [
        'Senior Europe Correspondent',
        `Data ${amp} Graphics Editor`,
        `A technician at x exchange ${amp} depot.`,
        `Daniel Ferreira-Moss ${amp} Partners`,
      ]) {
        assert.ok(item.content.includes(expected), `no "${expected}" in ${JSON.stringify(item.content)}`);
      }
    });
  }
});
