import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FeedFormat } from '../../functions/core/urls.ts';
import { newsboatArticle, READER_FORMATS, READERS, type ReaderItem, readFeed } from '../support/readers.ts';

/**
 * The reader harness against hand-written feeds whose every byte is known:
 * proof that it reports what each real reader makes of a document, and a
 * record of the habits the feeds have to be designed around — several
 * <dc:creator> (newsboat and feedparser's `author` keep the last, rss-parser
 * the first), Atom `type="html"` titles (three readers leave `&amp;` in), and
 * how newsboat renders a byline and a figure.
 */

const FULL_TEXT =
  '<p>By Ana Ortiz, Senior Europe Correspondent, and Lee Min, Data Editor</p>' +
  '<figure><img src="https://example.org/b.jpg" alt="A technician splices fibre." width="1200" height="800">' +
  '<figcaption>A technician splices fibre. Photo: Daniel Ferreira-Moss / Newswire</figcaption></figure>' +
  '<p>Full <b>text</b> &amp; more.</p>';

const RSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Fixture</title><link>https://example.org/</link><description>Fixture feed</description>
<item>
<title>Lund &amp; Marsh agree</title>
<link>https://example.org/lund/</link>
<guid isPermaLink="false">tag:example.org,2026:lund</guid>
<pubDate>Fri, 27 Nov 2026 09:30:00 GMT</pubDate>
<description><![CDATA[A <em>short</em> summary.]]></description>
<content:encoded><![CDATA[${FULL_TEXT}]]></content:encoded>
<category domain="https://example.org/world/">World</category>
<category>Floods</category>
<dc:creator>Ana Ortiz</dc:creator>
<dc:creator>Lee Min</dc:creator>
<enclosure url="https://example.org/a.jpg" type="image/jpeg" length="1234"/>
<media:content url="https://example.org/b.jpg" medium="image" type="image/jpeg" width="1200" height="800">
<media:description type="plain">A technician splices fibre.</media:description>
<media:credit>Daniel Ferreira-Moss / Newswire</media:credit>
</media:content>
</item>
<item>
<title>Podcast</title>
<link>https://example.org/podcast/</link>
<guid isPermaLink="false">tag:example.org,2026:podcast</guid>
<pubDate>Thu, 26 Nov 2026 09:30:00 GMT</pubDate>
<description>An episode.</description>
<enclosure url="https://example.org/episode.mp3" type="audio/mpeg" length="999"/>
</item>
</channel></rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<id>tag:example.org,2026:feed</id><title>Fixture</title><updated>2026-11-27T09:30:00Z</updated>
<link rel="alternate" href="https://example.org/"/>
<entry>
<id>tag:example.org,2026:lund</id>
<title type="html">Lund &amp;amp; Marsh agree</title>
<link href="https://example.org/lund/"/>
<updated>2026-11-27T09:30:00Z</updated>
<published>2026-11-27T09:30:00Z</published>
<author><name>Ana Ortiz</name><uri>https://example.org/ana/</uri></author>
<author><name>Lee Min</name></author>
<summary type="text">A short summary.</summary>
<content type="html"><![CDATA[${FULL_TEXT}]]></content>
<category term="world" label="World" scheme="https://example.org/world/"/>
<category term="Floods"/>
<media:content url="https://example.org/b.jpg" medium="image" type="image/jpeg"/>
</entry>
</feed>`;

const JSON_FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Fixture',
  home_page_url: 'https://example.org/',
  items: [
    {
      id: 'tag:example.org,2026:lund',
      url: 'https://example.org/lund/',
      title: 'Lund & Marsh agree',
      summary: 'A short summary.',
      content_html: FULL_TEXT,
      image: 'https://example.org/b.jpg',
      date_published: '2026-11-27T09:30:00Z',
      tags: ['World', 'Floods'],
      authors: [{ name: 'Ana Ortiz', url: 'https://example.org/ana/' }, { name: 'Lee Min' }],
    },
  ],
});

const DOCUMENTS: Record<FeedFormat, { path: string; type: string; body: string }> = {
  rss: { path: '/rss.xml', type: 'application/rss+xml; charset=utf-8', body: RSS },
  atom: { path: '/atom.xml', type: 'application/atom+xml; charset=utf-8', body: ATOM },
  json: { path: '/feed.json', type: 'application/feed+json; charset=utf-8', body: JSON_FEED },
};

type Seen = Omit<ReaderItem, 'id' | 'content' | 'raw'>;

const TWO = ['Ana Ortiz', 'Lee Min'];
const RSS_MEDIA = ['https://example.org/a.jpg', 'https://example.org/b.jpg'];
const ATOM_MEDIA = ['https://example.org/b.jpg'];
const CATEGORIES = ['World', 'Floods'];
const SHORT = 'A short summary.';
const SHORT_HTML = 'A <em>short</em> summary.';
const PLAIN_TITLE = 'Lund & Marsh agree';
const ESCAPED_TITLE = 'Lund &amp; Marsh agree';

/** What each reader shows of the first item, by format. */
const EXPECTED: Record<string, Seen> = {
  'newsboat rss': {
    title: PLAIN_TITLE,
    authors: { author: ['Lee Min'] },
    summary: '',
    media: [], // newsboat 2.21 keeps audio and video enclosures only
    categories: [],
  },
  'newsboat atom': {
    title: PLAIN_TITLE,
    authors: { author: ['Ana Ortiz, Lee Min'] },
    summary: '',
    media: [],
    categories: [],
  },
  'feedparser rss': {
    title: PLAIN_TITLE,
    authors: { author: ['Lee Min'], authors: TWO },
    summary: SHORT_HTML,
    media: RSS_MEDIA,
    categories: CATEGORIES,
  },
  'feedparser atom': {
    title: ESCAPED_TITLE,
    authors: { author: ['Lee Min'], authors: TWO },
    summary: SHORT,
    media: ATOM_MEDIA,
    categories: CATEGORIES,
  },
  'rss-parser rss': {
    title: PLAIN_TITLE,
    authors: { creator: ['Ana Ortiz'], 'dc:creator': ['Ana Ortiz'] },
    summary: SHORT_HTML,
    media: ['https://example.org/a.jpg'],
    categories: CATEGORIES,
  },
  'rss-parser atom': {
    title: ESCAPED_TITLE,
    authors: { author: ['Ana Ortiz'] },
    summary: SHORT,
    media: [],
    categories: [], // rss-parser reads no Atom categories
  },
  'feedsmith rss': {
    title: PLAIN_TITLE,
    authors: { 'dc.creators': TWO },
    summary: SHORT_HTML,
    media: RSS_MEDIA,
    categories: CATEGORIES,
  },
  'feedsmith atom': {
    title: ESCAPED_TITLE,
    authors: { authors: TWO },
    summary: SHORT,
    media: ATOM_MEDIA,
    categories: CATEGORIES,
  },
  'feedsmith json': {
    title: PLAIN_TITLE,
    authors: { authors: TWO },
    summary: SHORT,
    media: ATOM_MEDIA,
    categories: CATEGORIES,
  },
  'feed-extractor rss': {
    title: PLAIN_TITLE,
    authors: { 'dc:creator': TWO },
    summary: SHORT, // its normalised description: tags stripped
    media: RSS_MEDIA,
    categories: CATEGORIES,
  },
  'feed-extractor atom': {
    title: PLAIN_TITLE,
    authors: { author: TWO },
    summary: SHORT,
    media: ATOM_MEDIA,
    categories: CATEGORIES,
  },
  'feed-extractor json': {
    title: PLAIN_TITLE,
    authors: { authors: TWO },
    // For JSON Feed it describes the item by its full text, tags stripped and paragraphs run together.
    summary:
      'By Ana Ortiz, Senior Europe Correspondent, and Lee Min, Data EditorA technician splices fibre. ' +
      'Photo: Daniel Ferreira-Moss / NewswireFull text &amp; more.',
    media: ATOM_MEDIA,
    categories: CATEGORIES,
  },
  // npm feedparser keeps one author: the first dc:creator; an entry with two Atom <author>
  // elements has none (it then shows the feed's own author), hence Newswire's one <author>.
  'npm-feedparser rss': {
    title: PLAIN_TITLE,
    authors: { author: ['Ana Ortiz'] },
    summary: SHORT_HTML,
    media: RSS_MEDIA,
    categories: CATEGORIES,
  },
  // It shows an Atom category's term, and a type="html" title as it is written, escaped.
  'npm-feedparser atom': {
    title: ESCAPED_TITLE,
    authors: {},
    summary: SHORT,
    media: ATOM_MEDIA,
    categories: ['world', 'Floods'],
  },
  // @rowanmanning/feed-parser lists every writer, and each Media RSS URL twice (url and image).
  'rowanmanning-feed-parser rss': {
    title: PLAIN_TITLE,
    authors: { authors: TWO },
    summary: SHORT_HTML,
    media: [
      'https://example.org/a.jpg',
      'https://example.org/a.jpg',
      'https://example.org/b.jpg',
      'https://example.org/b.jpg',
    ],
    categories: CATEGORIES,
  },
  'rowanmanning-feed-parser atom': {
    title: PLAIN_TITLE,
    authors: { authors: TWO },
    summary: SHORT,
    media: ['https://example.org/b.jpg', 'https://example.org/b.jpg'],
    categories: CATEGORIES,
  },
};

let server: Server;
let base: string;

before(async () => {
  server = createServer((request, response) => {
    const document = Object.values(DOCUMENTS).find((d) => d.path === request.url);
    if (document === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': document.type }).end(document.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the reader harness, on feeds written by hand', () => {
  for (const reader of READERS) {
    for (const format of READER_FORMATS[reader]) {
      test(`${reader} reads ${format} as that reader does`, async () => {
        const items = await readFeed(reader, `${base}${DOCUMENTS[format].path}`);
        const [first] = items;
        assert.ok(first !== undefined, 'an item');
        assert.equal(first.id, 'tag:example.org,2026:lund');
        const { id: _id, content, raw: _raw, ...seen } = first;
        assert.deepEqual(seen, EXPECTED[`${reader} ${format}`]);
        // The full text arrives whole (feedparser re-serialises the <img> tag, so compare around it;
        // @rowanmanning/feed-parser decodes character references in it).
        assert.match(content, /^<p>By Ana Ortiz, Senior Europe Correspondent, and Lee Min, Data Editor<\/p>/);
        const amp = reader === 'rowanmanning-feed-parser' ? '&' : '&amp;';
        assert.ok(
          content.endsWith(
            '<figcaption>A technician splices fibre. Photo: Daniel Ferreira-Moss / Newswire</figcaption>' +
              `</figure><p>Full <b>text</b> ${amp} more.</p>`,
          ),
          content,
        );
        if (reader === 'newsboat' && format === 'rss') {
          assert.deepEqual(items[1]?.media, ['https://example.org/episode.mp3'], 'enclosure column read');
        }
      });
    }
  }

  test('newsboat renders an article as a person sees it: header, byline, image and caption, text, links', async () => {
    const shown = await newsboatArticle(`${base}/rss.xml`, 'tag:example.org,2026:lund');
    assert.equal(
      shown,
      [
        'Feed: Fixture',
        'Title: Lund & Marsh agree',
        'Author: Lee Min',
        'Date: Fri, 27 Nov 2026 09:30:00 +0000',
        'Link: https://example.org/lund/',
        ' ',
        'By Ana Ortiz, Senior Europe Correspondent, and Lee Min, Data Editor',
        '[image 1]A technician splices fibre. Photo: Daniel Ferreira-Moss / ',
        'Newswire',
        ' ',
        'Full text & more.',
        ' ',
        'Links: ',
        '[1]: https://example.org/b.jpg (image)',
        '',
        '',
      ].join('\n'),
    );
  });
});
