/**
 * The bytes every format gives for real content: the sample newsroom in each
 * kind of feed, and the benchmark's page of 50 realistic stories. A change to
 * the renderers that changes a byte fails here; an intended change is a
 * snapshot rewritten (UPDATE_SNAPSHOTS=1) and reviewed in the same commit.
 */
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { realisticArticle } from '../../bench/articles.ts';
import type { Article } from '../../functions/core/article.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import { PARTNER_IDS } from '../../functions/core/partners.ts';
import { belongsTo, type FeedScope, scopeName } from '../../functions/core/scopes.ts';
import { FEED_FILES, FEED_FORMATS } from '../../functions/core/urls.ts';
import { loadSeedArticles, loadSeedTopStories } from '../../local/seed.ts';
import siteConfig from '../../newswire.config.ts';
import { storedFrom } from '../support/articles.ts';
import { matchSnapshot } from '../support/snapshot.ts';

const config = validateConfig({
  ...siteConfig,
  baseUrl: 'https://news.example.com',
  logoUrl: 'https://news.example.com/assets/logo.png',
  iconUrl: 'https://news.example.com/assets/icon.png',
  hubUrl: 'https://hub.example.com/',
});

const NOW = new Date('2026-11-28T00:00:00Z');

/** The sample newsroom as stored, newest first; every fourth story corrected after publication. */
const seed: Article[] = loadSeedArticles()
  .map(({ id, ...input }, i) => {
    const article = storedFrom(input, id, config, NOW);
    if (i % 4 !== 3) return article;
    const corrected = new Date(Date.parse(article.publishedAt) + 3 * 3600_000).toISOString();
    return { ...article, version: 2, updatedAt: corrected };
  })
  .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));

/** The writer with the most stories in the sample newsroom, and a topic most stories share. */
const SCOPES: { scope: FeedScope; nextCursor?: string }[] = [
  { scope: { kind: 'edition', edition: 'international' } },
  { scope: { kind: 'section', edition: 'europe', section: 'world' }, nextCursor: 'bmV4dA' },
  { scope: { kind: 'top', edition: 'europe' } },
  { scope: { kind: 'author', author: 'rafael-duarte-pinheiro' } },
  { scope: { kind: 'topic', topic: 'climate' } },
];

function articlesOf(scope: FeedScope): Article[] {
  if (scope.kind !== 'top') return seed.filter((a) => belongsTo(a, scope, config));
  const ids = loadSeedTopStories()[scope.edition] ?? [];
  return ids.flatMap((id) => seed.filter((a) => a.id === id));
}

describe('the sample newsroom renders to the same bytes', () => {
  for (const { scope, nextCursor } of SCOPES) {
    for (const format of FEED_FORMATS) {
      const [stem = '', ext = ''] = FEED_FILES[format].split('.');
      const name = `seed-${scopeName(scope).replaceAll('/', '-')}.${stem}`;
      test(`${scopeName(scope)} as ${FEED_FILES[format]}`, () => {
        const articles = articlesOf(scope);
        const { body } = renderFeed({ config, scope, format, articles, nextCursor });
        matchSnapshot(name, ext, body);
      });
    }
  }
});

describe("each partner's feed renders to the same bytes", () => {
  const scope: FeedScope = { kind: 'edition', edition: 'europe' };
  for (const partner of PARTNER_IDS) {
    test(`europe/partners/${partner}.xml`, () => {
      // Europe's Top Stories: a corrected story, photos, a video, two writers.
      const articles = articlesOf({ kind: 'top', edition: 'europe' });
      const { body } = renderFeed({ config, scope, format: partner, articles });
      matchSnapshot(`seed-europe.partners-${partner}`, 'xml', body);
    });
  }
});

test("the benchmark's page of 50 realistic stories renders to the same bytes in every format", () => {
  const articles = Array.from({ length: 50 }, (_, i) => realisticArticle(i, config));
  const scope: FeedScope = { kind: 'edition', edition: 'europe' };
  const hashes = Object.fromEntries(
    FEED_FORMATS.map((format) => {
      const { body } = renderFeed({ config, scope, format, articles, nextCursor: 'bmV4dA' });
      return [format, createHash('sha256').update(body).digest('hex')];
    }),
  );
  // Hashes rather than the 1.5 MB of feeds they stand for; the seed snapshots show the shape.
  matchSnapshot('realistic-page.sha256', 'json', `${JSON.stringify(hashes, null, 2)}\n`);
});
