/**
 * Where links lead: feed items to the publisher's page when the article has
 * one, else to its page on this site (guids never change); headlines on the
 * site's pages to the article page, or to the publisher's page when the
 * config says so.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Article } from '../../functions/core/article.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import type { FeedScope } from '../../functions/core/scopes.ts';
import type { FeedFormat } from '../../functions/core/urls.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { memoryStore } from '../support/memory-store.ts';
import { childOf, childrenOf, parseXml } from '../support/xml-parse.ts';

const NOW = new Date('2026-11-27T12:00:00Z');
const BASE = 'https://news.example.com';
const config = validateConfig({ ...siteConfig, baseUrl: BASE });

function stored(id: string, overrides: Record<string, unknown> = {}): Article {
  return storedFrom(sampleArticle(overrides), id, config, NOW);
}

/** The one item's link and id as each format writes them. */
function itemOf(format: FeedFormat, article: Article, scope: FeedScope): { link: string; id: string } {
  const { body } = renderFeed({ config, scope, format, articles: [article] });
  if (format === 'json') {
    const item = (JSON.parse(body) as { items: { url: string; id: string }[] }).items[0]!;
    return { link: item.url, id: item.id };
  }
  const root = parseXml(body);
  if (format === 'rss') {
    const item = childOf(childOf(root, '', 'channel'), '', 'item');
    return { link: childOf(item, '', 'link').text, id: childOf(item, '', 'guid').text };
  }
  const entry = childOf(root, 'http://www.w3.org/2005/Atom', 'entry');
  const alternate = childrenOf(entry, 'http://www.w3.org/2005/Atom', 'link').find(
    (l) => (l.attributes.rel ?? 'alternate') === 'alternate',
  );
  return {
    link: alternate?.attributes.href ?? '',
    id: childOf(entry, 'http://www.w3.org/2005/Atom', 'id').text,
  };
}

const { url: _url, ...withoutUrl } = sampleArticle();

describe('feed item links', () => {
  for (const format of ['rss', 'atom', 'json'] as const) {
    test(`${format}: the publisher's page when the article has one, else its page here; the guid never changes`, () => {
      const scope: FeedScope = { kind: 'section', edition: 'europe', section: 'world' };
      const own = itemOf(format, stored('summit'), scope);
      assert.equal(own.link, 'https://news.example.com/2026/11/27/asia/summit/');
      const bare = itemOf(format, storedFrom(withoutUrl, 'summit', config, NOW), scope);
      assert.equal(bare.link, `${BASE}/europe/world/summit/`);
      assert.equal(bare.id, own.id);
      assert.equal(own.id, 'tag:news.example.com,2026:article:summit');
    });
  }

  test('in a writer’s or topic’s feed, the page is in the site’s default edition when the story is in it', () => {
    const article = storedFrom(withoutUrl, 'summit', config, NOW);
    assert.equal(
      itemOf('rss', article, { kind: 'author', author: 'ana-ortiz' }).link,
      `${BASE}/international/world/summit/`,
    );
    const noDefault = validateConfig({
      ...config,
      editions: config.editions.map((e) => ({ ...e, includesAll: false })),
    });
    const { body } = renderFeed({
      config: noDefault,
      scope: { kind: 'topic', topic: 'shipping' },
      format: 'json',
      articles: [storedFrom(withoutUrl, 'summit', noDefault, NOW)],
    });
    // Not in International (which no longer carries everything): the first of its editions in the config, Europe.
    assert.equal(
      (JSON.parse(body) as { items: { url: string }[] }).items[0]?.url,
      `${BASE}/europe/world/summit/`,
    );
  });
});

describe('headlines on pages', () => {
  async function headlineHref(links: 'site' | 'publisher' | undefined, article: Article): Promise<string> {
    const site = validateConfig({ ...config, ...(links !== undefined && { links }) });
    const store = memoryStore(site, [article]);
    const handler = createPagesHandler(() => ({ store, config: site, clock: testClock(NOW.toISOString()) }));
    const { body } = await handler(httpEvent('GET', '/europe/'));
    return /<h3><a href="([^"]+)">/.exec(body)?.[1] ?? '';
  }

  test('lead to the article’s page on this site by default', async () => {
    assert.equal(await headlineHref(undefined, stored('summit')), `${BASE}/europe/world/summit/`);
    assert.equal(await headlineHref('site', stored('summit')), `${BASE}/europe/world/summit/`);
  });

  test('lead to the publisher’s page with links: "publisher", when the article has one', async () => {
    assert.equal(
      await headlineHref('publisher', stored('summit')),
      'https://news.example.com/2026/11/27/asia/summit/',
    );
    assert.equal(
      await headlineHref('publisher', storedFrom(withoutUrl, 'bare', config, NOW)),
      `${BASE}/europe/world/bare/`,
    );
  });

  test('the config refuses any other choice, naming the field', () => {
    assert.throws(() => validateConfig({ ...config, links: 'elsewhere' as 'site' }), /links: /);
  });
});
