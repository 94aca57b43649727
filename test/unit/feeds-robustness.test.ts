/**
 * One bad stored item never takes a feed down, and feeds are stable: the same
 * data renders the same bytes, with guids that never change.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Article } from '../../functions/core/article.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { NAMESPACES } from '../../functions/core/feeds/namespaces.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import { FEED_FORMATS, type FeedFormat } from '../../functions/core/urls.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { childOf, childrenOf, parseXml, textsOf, type XmlElement } from '../support/xml-parse.ts';

const config = validateConfig({ ...siteConfig, baseUrl: 'https://news.example.com' });
const NOW = new Date('2026-12-01T00:00:00Z');
const scope = { kind: 'edition', edition: 'europe' } as const;
const { atom: ATOM, content: CONTENT, dc: DC, media: MEDIA } = NAMESPACES;

/** A valid stored article, as the write API would have stored it. */
function goodArticle(id: string, publishedAt: string, overrides: Record<string, unknown> = {}): Article {
  return storedFrom(sampleArticle({ publishedAt, ...overrides }), id, config, NOW);
}

/** An item as if read from an old table (written before the current content rules): whatever fields it has, unchecked. */
function rawItem(id: string, fields: Record<string, unknown>): Article {
  const { rules: _rules, ...old } = goodArticle(id, '2026-11-20T08:00:00Z');
  return { ...old, ...fields } as Article;
}

/** A page as it might come out of a table written by older versions and by hand. */
function oldTable(): Article[] {
  return [
    goodArticle('good-newest', '2026-11-27T12:00:00Z'),
    rawItem('control-chars', { headline: 'Talks\u0000 resume\uD800 in \uDC00Geneva\uFFFE' }),
    rawItem('not-a-url', { url: 'not a url' }),
    // Written under the current rules, damaged since: shown as stored, but its link is still checked.
    { ...goodArticle('damaged-link', '2026-11-20T08:00:00Z'), url: 'https://' },
    rawItem('no-date', { publishedAt: undefined }),
    rawItem('bad-image', { image: { url: 'javascript:alert(1)', caption: 'x' } }),
    null as unknown as Article,
    rawItem('bad-byline', { byline: [null, { title: 'Analyst' }, { name: 'Ana Ortiz' }, 'Lee Min'] }),
    rawItem('bad-topics', { topics: 'China' }),
    rawItem('empty-headline', { headline: '\u0000 \uD800' }),
    rawItem('cdata-body', { body: `<p>${']]>'.repeat(20)}\uFFFE</p>` }),
    goodArticle('good-oldest', '2026-11-01T12:00:00Z'),
  ];
}

/** What a reader sees of an item, whatever the format. */
interface SeenItem {
  guid: string;
  title: string;
  authors: string[];
  topics: string[];
  image: string | undefined;
  content: string | undefined;
}

const unescapeHtml = (value: string) =>
  value.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e] ?? "'",
  );

const mediaUrl = (item: XmlElement) => childrenOf(item, MEDIA, 'content')[0]?.attributes.url;

/** Parses a rendered feed strictly (throws when it is not well-formed) and lists its items. */
function seenItems(format: FeedFormat, body: string): SeenItem[] {
  if (format === 'json') {
    type Item = { id: string; title: string; authors?: { name: string }[]; tags: string[]; image?: string };
    const feed = JSON.parse(body) as { items: (Item & { content_html: string })[] };
    return feed.items.map((item) => ({
      guid: item.id,
      title: item.title,
      authors: (item.authors ?? []).map((a) => a.name),
      topics: item.tags.filter((t) => t !== 'World'),
      image: item.image,
      content: item.content_html,
    }));
  }
  const root = parseXml(body);
  if (format === 'rss') {
    return childrenOf(childOf(root, '', 'channel'), '', 'item').map((item) => ({
      guid: childOf(item, '', 'guid').text,
      title: childOf(item, '', 'title').text,
      authors: textsOf(item, DC, 'creator'),
      topics: childrenOf(item, '', 'category')
        .filter((c) => c.attributes.domain === undefined)
        .map((c) => c.text),
      image: mediaUrl(item),
      content: childrenOf(item, CONTENT, 'encoded')[0]?.text,
    }));
  }
  return childrenOf(root, ATOM, 'entry').map((entry) => ({
    guid: childOf(entry, ATOM, 'id').text,
    title: unescapeHtml(childOf(entry, ATOM, 'title').text),
    authors: childrenOf(entry, ATOM, 'author').map((a) => childOf(a, ATOM, 'name').text),
    topics: childrenOf(entry, ATOM, 'category')
      .filter((c) => c.attributes.scheme === undefined)
      .map((c) => c.attributes.term ?? ''),
    image: mediaUrl(entry),
    content: childrenOf(entry, ATOM, 'content')[0]?.text,
  }));
}

const guid = (id: string) => `tag:news.example.com,2026:article:${id}`;
const idOf = (item: SeenItem) => item.guid.replace(/^.*:article:/, '');

function renderOldTable(format: FeedFormat) {
  const logged: { message: string; context: Record<string, unknown> }[] = [];
  const { body } = renderFeed({
    config,
    scope,
    format,
    articles: oldTable(),
    log: (message, context) => logged.push({ message, context }),
  });
  return { body, logged };
}

describe('one bad stored item never takes a feed down', () => {
  for (const format of FEED_FORMATS) {
    test(`${format}: the feed is well-formed and keeps every item that can be shown`, () => {
      const items = seenItems(format, renderOldTable(format).body);
      assert.deepEqual(items.map(idOf), [
        'good-newest',
        'control-chars',
        'bad-image',
        'bad-byline',
        'bad-topics',
        'cdata-body',
        'good-oldest',
      ]);
    });

    test(`${format}: every item left out is logged with its id`, () => {
      const { logged } = renderOldTable(format);
      assert.deepEqual(
        logged.map((l) => l.context.id),
        ['not-a-url', 'damaged-link', 'no-date', undefined, 'empty-headline'],
      );
    });

    test(`${format}: repairable items are repaired`, () => {
      const items = new Map(seenItems(format, renderOldTable(format).body).map((i) => [idOf(i), i]));
      assert.equal(
        items.get('control-chars')?.title,
        'Talks resume in Geneva',
        'forbidden characters removed',
      );
      assert.equal(items.get('bad-image')?.image, undefined, 'javascript: photo dropped');
      assert.deepEqual(items.get('bad-byline')?.authors, ['Ana Ortiz'], 'nameless writers dropped');
      assert.deepEqual(items.get('bad-topics')?.topics, [], 'topics that are not a list dropped');
      assert.ok(
        items.get('cdata-body')?.content?.endsWith(`\n<p>${']]>'.repeat(20)}</p>`),
        'body kept, U+FFFE removed',
      );
    });
  }

  test('rss: a stored photo type with markup characters does not cost the item its place', () => {
    const article = rawItem('odd-type', {
      image: { url: 'https://news.example.com/images/a.jpg?w=1&h=2', type: 'image/<jpeg>&x', length: 2048 },
    });
    const logged: string[] = [];
    const { body } = renderFeed({
      config,
      scope,
      format: 'rss',
      articles: [article],
      log: (message) => logged.push(message),
    });
    assert.deepEqual(seenItems('rss', body).map(idOf), ['odd-type'], logged.join('; '));
  });
});

describe('feeds are stable', () => {
  /** A corrected article (published 09:00, changed 15:00) and a newer one published at 12:00. */
  function page(): Article[] {
    return [
      goodArticle('newer', '2026-11-27T12:00:00Z'),
      {
        ...goodArticle('corrected', '2026-11-27T09:00:00Z'),
        version: 2,
        updatedAt: '2026-11-27T15:00:00.000Z',
      },
    ];
  }

  test("the feed's update time is its newest change, not the time of rendering", () => {
    const newest = '2026-11-27T15:00:00.000Z';
    const render = (format: FeedFormat) => renderFeed({ config, scope, format, articles: page() });
    assert.equal(render('json').updated.toISOString(), newest);
    const rss = childOf(parseXml(render('rss').body), '', 'channel');
    assert.equal(childOf(rss, '', 'lastBuildDate').text, new Date(newest).toUTCString());
    assert.equal(childOf(parseXml(render('atom').body), ATOM, 'updated').text, newest);
  });

  test('an empty feed is dated at the epoch, never "now"', () => {
    const { body, updated } = renderFeed({ config, scope, format: 'atom', articles: [] });
    assert.equal(updated.getTime(), 0);
    assert.equal(childOf(parseXml(body), ATOM, 'updated').text, '1970-01-01T00:00:00.000Z');
  });

  test('rendering the same page twice, 50 ms apart, gives identical bytes', async () => {
    for (const format of FEED_FORMATS) {
      const first = renderFeed({ config, scope, format, articles: page() }).body;
      await sleep(50);
      const second = renderFeed({ config, scope, format, articles: page() }).body;
      assert.equal(second, first, format);
    }
  });

  test('an item has the same guid in RSS, Atom and JSON', () => {
    const guids = FEED_FORMATS.map((format) =>
      seenItems(format, renderFeed({ config, scope, format, articles: page() }).body).map((i) => i.guid),
    );
    assert.deepEqual(
      guids,
      FEED_FORMATS.map(() => [guid('newer'), guid('corrected')]),
    );
  });

  test("an item's guid survives a new url, headline and editions", () => {
    const before = goodArticle('moved', '2026-11-27T12:00:00Z', { editions: ['europe'] });
    const after: Article = {
      ...goodArticle('moved', '2026-11-27T12:00:00Z', {
        url: 'https://news.example.com/2026/11/27/europe/moved-story/',
        headline: 'A new headline after the correction',
        editions: ['europe', 'asia'],
      }),
      version: 2,
      updatedAt: '2026-11-28T09:00:00.000Z',
    };
    for (const format of FEED_FORMATS) {
      const [one] = seenItems(format, renderFeed({ config, scope, format, articles: [before] }).body);
      const [two] = seenItems(format, renderFeed({ config, scope, format, articles: [after] }).body);
      assert.equal(two?.title, 'A new headline after the correction');
      assert.equal(two?.guid, one?.guid, format);
      assert.equal(one?.guid, guid('moved'), format);
    }
  });
});
