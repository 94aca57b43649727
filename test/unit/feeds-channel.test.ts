/** The channel of each format: title, links (self, hub, next), language, copyright, logo. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Article } from '../../functions/core/article.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { NAMESPACES } from '../../functions/core/feeds/namespaces.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { childOf, childrenOf, parseXml } from '../support/xml-parse.ts';

const ATOM = NAMESPACES.atom;
const NOW = new Date('2026-12-01T00:00:00Z');

function config(hubUrl?: string) {
  return validateConfig({
    ...siteConfig,
    baseUrl: 'https://news.example.com',
    logoUrl: 'https://news.example.com/assets/logo.png',
    ...(hubUrl !== undefined && { hubUrl }),
  });
}

function article(): Article {
  return storedFrom(sampleArticle(), 'summit', config(), NOW);
}

const scope = { kind: 'section', edition: 'europe', section: 'world' } as const;

function links(elements: ReturnType<typeof childrenOf>) {
  return Object.fromEntries(elements.map((l) => [l.attributes.rel ?? 'alternate', l.attributes.href]));
}

describe('feed channels', () => {
  test('RSS names the site, edition and section, links itself, the hub and the next page', () => {
    const { body } = renderFeed({
      config: config('https://hub.example.com/'),
      scope,
      format: 'rss',
      articles: [article()],
      nextCursor: 'abc',
    });
    const channel = childOf(parseXml(body), '', 'channel');
    assert.equal(childOf(channel, '', 'title').text, 'Newswire — Europe — World');
    assert.equal(childOf(channel, '', 'language').text, 'en-GB');
    assert.equal(childOf(channel, '', 'copyright').text, siteConfig.copyright);
    assert.equal(
      childOf(childOf(channel, '', 'image'), '', 'url').text,
      'https://news.example.com/assets/logo.png',
    );
    assert.equal(childOf(channel, '', 'lastBuildDate').text, 'Fri, 27 Nov 2026 09:30:00 GMT');
    assert.deepEqual(links(childrenOf(channel, ATOM, 'link')), {
      self: 'https://news.example.com/europe/world/rss.xml',
      hub: 'https://hub.example.com/',
      next: 'https://news.example.com/europe/world/rss.xml?after=abc',
    });
  });

  test('Atom carries the same links, language and an id that is not a URL of the moment', () => {
    const { body } = renderFeed({
      config: config('https://hub.example.com/'),
      scope,
      format: 'atom',
      articles: [article()],
      nextCursor: 'abc',
    });
    const feed = parseXml(body);
    assert.equal(feed.attributes['xml:lang'], 'en-GB');
    assert.equal(childOf(feed, ATOM, 'id').text, 'tag:news.example.com,2026:feed:europe/world');
    assert.equal(childOf(feed, ATOM, 'updated').text, '2026-11-27T09:30:00.000Z');
    assert.deepEqual(links(childrenOf(feed, ATOM, 'link')), {
      alternate: 'https://news.example.com/europe/world/',
      self: 'https://news.example.com/europe/world/atom.xml',
      hub: 'https://hub.example.com/',
      next: 'https://news.example.com/europe/world/atom.xml?after=abc',
    });
  });

  test('JSON Feed lists the hub and the next page, and no hub when none is configured', () => {
    const withHub = JSON.parse(
      renderFeed({
        config: config('https://hub.example.com/'),
        scope,
        format: 'json',
        articles: [article()],
        nextCursor: 'abc',
      }).body,
    );
    assert.deepEqual(withHub.hubs, [{ type: 'WebSub', url: 'https://hub.example.com/' }]);
    assert.equal(withHub.next_url, 'https://news.example.com/europe/world/feed.json?after=abc');
    assert.equal(withHub.language, 'en-GB');
    const without = JSON.parse(
      renderFeed({ config: config(), scope, format: 'json', articles: [article()] }).body,
    );
    assert.equal(without.hubs, undefined);
    assert.equal(without.next_url, undefined);
    const rss = parseXml(renderFeed({ config: config(), scope, format: 'rss', articles: [article()] }).body);
    assert.deepEqual(Object.keys(links(childrenOf(childOf(rss, '', 'channel'), ATOM, 'link'))), ['self']);
  });

  test('an empty feed is still valid and dates itself at the epoch, not now', () => {
    for (const format of ['rss', 'atom'] as const) {
      const { body, updated } = renderFeed({ config: config(), scope, format, articles: [] });
      assert.doesNotThrow(() => parseXml(body));
      assert.equal(updated.getTime(), 0);
    }
  });
});
