/** The mapping of feed items to articles: the rules a feed leaves open, each decided once. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ARTICLE_ID, LIMITS } from '../../functions/core/article.ts';
import { decodeFeed } from '../../local/import.ts';
import {
  articleIdFor,
  FeedReadError,
  type ImportArticle,
  type ImportItem,
  readFeedForImport,
  splitWriters,
} from '../../local/import-feed.ts';
import config from '../../newswire.config.ts';

/** An RSS 2.0 feed around some items (and optional channel elements). */
function rss(items: string, channel = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>T</title><link>https://old.example.com/</link><description>D</description>${channel}
${items}
</channel></rss>`;
}

/** One RSS item with a guid, link and date, plus `extra` elements. */
function item(extra = '', guid = 'https://old.example.com/a'): string {
  return `<item><title>A story</title><link>https://old.example.com/a</link><guid>${guid}</guid>
<description>Text.</description><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate>${extra}</item>`;
}

function only(items: ImportItem[]): ImportArticle {
  assert.equal(items.length, 1);
  const [first] = items;
  assert.ok(first?.ok, `imported, not refused: ${JSON.stringify(first)}`);
  return first;
}

function importOne(extra: string, options: { section?: string } = {}): ImportArticle {
  return only(readFeedForImport(rss(item(extra)), { config, ...options }).items);
}

describe('article ids from guids', () => {
  test('a readable slug of the guid and a hash of it: stable, distinct, always a valid id', () => {
    const guid = 'https://www.example.com/world/2026/nov/17/café-strike.html';
    const id = articleIdFor(guid);
    assert.match(id, /^cafe-strike-[0-9a-f]{12}$/);
    assert.equal(articleIdFor(guid), id, 'the same guid, the same id');
    assert.notEqual(articleIdFor(`${guid}?v=2`), id, 'another guid, another id');
    for (const odd of [
      'tag:x.org,2026:1',
      'urn:uuid:5f0b6a8e',
      '?p=123',
      '王毅访问',
      '/',
      `${'x'.repeat(300)}`,
    ]) {
      const made = articleIdFor(odd);
      assert.match(made, ARTICLE_ID, `${odd} → ${made}`);
      assert.ok(made.length <= 80, made);
    }
    assert.match(articleIdFor('王毅访问'), /^item-[0-9a-f]{12}$/, 'nothing readable: "item-" and the hash');
    assert.match(articleIdFor('https://example.com/?p=123'), /^123-[0-9a-f]{12}$/, 'WordPress guids');
  });

  test('an item without a guid is identified by its link; without either it is refused', () => {
    const feed = readFeedForImport(
      rss(
        '<item><title>Linked</title><link>https://old.example.com/linked</link><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>' +
          '<item><title>Lost</title><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>',
      ),
      { config },
    );
    assert.deepEqual(
      feed.items.map((i) => (i.ok ? i.id : i.reason)),
      [articleIdFor('https://old.example.com/linked'), 'has no guid, id or link to identify it'],
    );
  });

  test('two items with one guid: the second is refused, naming the first', () => {
    const feed = readFeedForImport(rss(item() + item()), { config });
    assert.equal(feed.items[0]?.ok, true);
    assert.deepEqual(feed.items[1], {
      ok: false,
      where: 'item 2',
      id: articleIdFor('https://old.example.com/a'),
      reason: 'has the same guid as item 1 ("https://old.example.com/a")',
    });
  });
});

describe('writers', () => {
  test('"A and B", "A, B and C", "A, B, and C", "A & B" and a leading "By" are split into writers', () => {
    assert.deepEqual(splitWriters('Lee Min and Sam Roe'), ['Lee Min', 'Sam Roe']);
    assert.deepEqual(splitWriters('By Chidi Okafor, Amara Nwosu and Tunde Bello'), [
      'Chidi Okafor',
      'Amara Nwosu',
      'Tunde Bello',
    ]);
    assert.deepEqual(splitWriters('A One, B Two, and C Three'), ['A One', 'B Two', 'C Three']);
    assert.deepEqual(splitWriters('Sam Roe &amp; Zoë Ng'), ['Sam Roe', 'Zoë Ng']);
    assert.deepEqual(splitWriters('Alexander Anderson'), ['Alexander Anderson'], '"and" inside a name stays');
  });

  test('a writer named twice is credited once; past the API’s limit the first are kept, with a note', () => {
    const creators = Array.from({ length: 12 }, (_, i) => `<dc:creator>Writer ${i % 11}</dc:creator>`).join(
      '',
    );
    const imported = importOne(creators);
    const byline = imported.article.byline as { name: string }[];
    assert.equal(byline.length, LIMITS.bylines);
    assert.equal(byline[0]?.name, 'Writer 0');
    assert.deepEqual(imported.notes, [`byline: 11 writers, the first ${LIMITS.bylines} kept`]);
  });
});

describe('section and topics', () => {
  test('a category naming a section (by id or title, any case) is the section, not a topic', () => {
    const imported = importOne('<category>Markets</category><category>SPORT</category>');
    assert.equal(imported.article.section, 'sport');
    assert.deepEqual(imported.article.topics, ['Markets']);
  });

  test('no such category: the first section; --section wins over categories', () => {
    assert.equal(importOne('<category>Markets</category>').article.section, config.sections[0]?.id);
    const forced = importOne('<category>Sport</category>', { section: 'business' });
    assert.equal(forced.article.section, 'business');
    assert.deepEqual(
      forced.article.topics,
      ['Sport'],
      'a category that is not the chosen section stays a topic',
    );
  });

  test('topics past the API’s limits are left out with a note, never sent to be refused', () => {
    const long = 'A category name far longer than any topic Newswire would ever accept';
    const many = Array.from({ length: 22 }, (_, i) => `<category>Tag ${i}</category>`).join('');
    const imported = importOne(`<category>${long}</category>${many}`);
    assert.equal((imported.article.topics as string[]).length, LIMITS.topics);
    assert.deepEqual(imported.notes, [
      `topics: "${long}" left out (a topic has at most ${LIMITS.topic} characters)`,
      `topics: 22 categories, the first ${LIMITS.topics} kept`,
    ]);
  });
});

describe('photos and videos', () => {
  test('a media:group without isDefault leads with its widest rendition', () => {
    const imported = importOne(`<media:group>
      <media:content url="https://img.example.com/s.jpg" width="320" medium="image"/>
      <media:content url="https://img.example.com/l.jpg" width="1600" medium="image"/>
      <media:content url="https://img.example.com/m.jpg" width="800" medium="image"/></media:group>`);
    assert.deepEqual(imported.article.image, {
      url: 'https://img.example.com/l.jpg',
      width: 1600,
      type: 'image/jpeg',
      thumbnail: { url: 'https://img.example.com/s.jpg', width: 320 },
    });
  });

  test('types are told from file names when not given; what cannot be carried is left out with a note', () => {
    const imported = importOne(`
      <media:content url="https://img.example.com/lead.webp" medium="image"/>
      <media:content url="https://img.example.com/second?id=7" medium="image"/>
      <media:content url="https://img.example.com/logo.svg" type="image/svg+xml"/>
      <media:content url="https://cdn.example.com/clip.m3u8" medium="video" duration="3600.4"/>
      <enclosure url="https://cdn.example.com/show.mp3" type="audio/mpeg" length="1"/>`);
    assert.deepEqual(imported.article.image, {
      url: 'https://img.example.com/lead.webp',
      type: 'image/webp',
    });
    assert.deepEqual(imported.article.media, [
      { url: 'https://cdn.example.com/clip.m3u8', type: 'application/vnd.apple.mpegurl', duration: 3600 },
    ]);
    assert.deepEqual(imported.notes, [
      'media: https://img.example.com/second?id=7 left out (its type is not given and cannot be told from its name)',
      'media: https://img.example.com/logo.svg left out (image/svg+xml is not a web image type Newswire serves)',
      'media: https://cdn.example.com/show.mp3 left out (audio/mpeg: Newswire carries photos and videos)',
    ]);
  });
});

describe('dates, links, language and summary', () => {
  test('an item without a date gets the feed’s, with a note; with neither it is refused', () => {
    const undated = '<item><title>Undated</title><link>https://old.example.com/u</link></item>';
    const dated = only(
      readFeedForImport(rss(undated, '<lastBuildDate>Tue, 03 Nov 2026 08:00:00 GMT</lastBuildDate>'), {
        config,
      }).items,
    );
    assert.equal(dated.article.publishedAt, '2026-11-03T08:00:00.000Z');
    assert.deepEqual(dated.notes, [
      "publishedAt: the item has no date; the feed's (2026-11-03T08:00:00.000Z) is used",
    ]);
    const refused = readFeedForImport(rss(undated), { config }).items[0];
    assert.equal(refused?.ok === false && refused.reason, 'has no date, and neither does the feed');
  });

  test('a relative link with no base (a file, no xml:base, no absolute self link) is refused, saying how to fix it', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Relative',
      items: [
        {
          id: '1',
          url: '/2026/11/one',
          title: 'One',
          content_text: 'x',
          date_published: '2026-11-01T00:00:00Z',
        },
      ],
    });
    const [refused] = readFeedForImport(json, { config }).items;
    assert.equal(
      refused?.ok === false && refused.reason,
      'its link "/2026/11/one" is relative and the feed gives no base (xml:base); import the feed from its URL',
    );
    const [fetched] = readFeedForImport(json, {
      config,
      documentUrl: 'https://old.example.com/feed.json',
    }).items;
    assert.equal(fetched?.ok && fetched.article.url, 'https://old.example.com/2026/11/one');
  });

  test('language tags are taken as BCP 47 (en_US becomes en-US); anything else is left to the site, with a note', () => {
    assert.equal(importOne('<dc:language>en_US</dc:language>').article.language, 'en-US');
    const bad = importOne('<dc:language>English (UK)</dc:language>');
    assert.equal(bad.article.language, undefined);
    assert.deepEqual(bad.notes, [
      'language: "English (UK)" is not a BCP 47 language tag (RFC 5646) of at most 35 characters, such as en, en-GB or zh-Hant-HK; the site\'s language is used',
    ]);
    // A 360 KB <language> used to be stored on every item: it is left out, and the note shows its start only.
    const huge = importOne(`<dc:language>en-${'x'.repeat(360 * 1024)}</dc:language>`);
    assert.equal(huge.article.language, undefined);
    assert.equal(huge.notes.length, 1);
    assert.match(
      huge.notes[0] ?? '',
      /^language: "en-x{37}…" \(368643 characters\) is not a BCP 47 language tag/,
    );
    assert.ok((huge.notes[0] ?? '').length < 250);
  });

  test('a summary over the API’s limit is shortened at a word, with a note; a missing one is the start of the text', () => {
    const words = 'word '.repeat(500).trim();
    const long = only(
      readFeedForImport(
        rss(
          item(
            `<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;Body&lt;/p&gt;</content:encoded>`,
          ).replace('<description>Text.</description>', `<description>${words} &amp;amp; more</description>`),
        ),
        { config },
      ).items,
    );
    const summary = long.article.summary as string;
    assert.ok(summary.length <= LIMITS.summary && summary.endsWith('word…'), summary.slice(-20));
    assert.deepEqual(long.notes, [
      `summary: ${words.length + ' &amp; more'.length} characters, shortened to ${LIMITS.summary} at a word`,
    ]);
    const text = `<p>${'Sentence number one. '.repeat(30)}</p>`;
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: [
        {
          id: 'https://j.example/1',
          url: 'https://j.example/1',
          title: 'T',
          content_html: text,
          date_published: '2026-11-01T00:00:00Z',
        },
      ],
    });
    const derived = only(readFeedForImport(json, { config }).items);
    assert.equal((derived.article.summary as string).length <= 300, true);
    assert.match(derived.article.summary as string, /^Sentence number one\. .*one\.…$/);
    assert.deepEqual(derived.notes, [], 'a derived summary is no surprise');
  });
});

describe('reading feeds', () => {
  test('RSS 1.0 (RDF) is read too', () => {
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example.com/"><title>Old</title><link>https://old.example.com/</link><description>D</description></channel>
  <item rdf:about="https://old.example.com/2026/rdf-story"><title>RDF story</title><link>https://old.example.com/2026/rdf-story</link>
    <description>Still out there.</description><dc:creator>Ana Ortiz and Lee Min</dc:creator><dc:date>2026-11-02T10:00:00+01:00</dc:date><dc:subject>Science</dc:subject></item>
</rdf:RDF>`;
    const feed = readFeedForImport(rdf, { config });
    assert.equal(feed.format, 'rdf');
    const imported = only(feed.items);
    assert.equal(imported.id, articleIdFor('https://old.example.com/2026/rdf-story'));
    assert.deepEqual(
      [imported.article.section, imported.article.byline, imported.article.publishedAt],
      ['science', [{ name: 'Ana Ortiz' }, { name: 'Lee Min' }], '2026-11-02T09:00:00.000Z'],
    );
  });

  test('what is not a feed is a FeedReadError', () => {
    assert.throws(() => readFeedForImport('{"hello": "world"}', { config }), FeedReadError);
    assert.throws(() => readFeedForImport('<html><body>Not a feed</body></html>', { config }), FeedReadError);
  });

  test('bytes are decoded by BOM, then the HTTP charset, then the XML declaration', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>Café</t></rss>', 'latin1');
    assert.match(decodeFeed(latin1), /Café/);
    assert.match(
      decodeFeed(Buffer.from('<rss>Café</rss>', 'latin1'), 'text/xml; charset=iso-8859-1'),
      /Café/,
    );
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss>Zoë</rss>')]);
    assert.match(decodeFeed(bom, 'text/xml; charset=iso-8859-1'), /Zoë/, 'the BOM wins');
    assert.throws(() => decodeFeed(Buffer.from('<?xml version="1.0" encoding="x-made-up"?><rss/>')), {
      message: 'the feed is in a character set Node.js cannot decode ("x-made-up")',
    });
  });
});
