import { describe, test } from 'node:test';
import type { Article } from '../../functions/core/article.ts';
import { validateConfig } from '../../functions/core/config-schema.ts';
import { renderFeed } from '../../functions/core/feeds/render.ts';
import { type FeedScope, scopeName } from '../../functions/core/scopes.ts';
import { FEED_FILES, FEED_FORMATS, type FeedFormat } from '../../functions/core/urls.ts';
import siteConfig from '../../newswire.config.ts';
import { sampleArticle, storedFrom } from '../support/articles.ts';
import { matchSnapshot } from '../support/snapshot.ts';

/** The shipped site, pinned to its public URL whatever NEWSWIRE_BASE_URL says. */
const config = validateConfig({
  ...siteConfig,
  baseUrl: 'https://news.example.com',
  logoUrl: 'https://news.example.com/assets/logo.png',
  iconUrl: 'https://news.example.com/assets/icon.png',
});

const NOW = new Date('2026-12-01T00:00:00Z');

/** The older page's cursor, as feed-pages issues it for climate-accord. */
const NEXT_CURSOR = 'MjAyNi0xMS0yNlQyMDowMDowMC4wMDBafGNsaW1hdGUtYWNjb3Jk';

function stored(
  id: string,
  input: Record<string, unknown>,
  server: { version: number; createdAt: string; updatedAt: string },
): Article {
  return storedFrom(input, id, config, NOW, server);
}

/** A business story in every edition, with neither photo nor byline. */
function marketsClose(): Article {
  const {
    image: _image,
    byline: _byline,
    editions: _editions,
    ...input
  } = sampleArticle({
    headline: 'Markets close higher as "Black Friday" & chip stocks rally',
    summary: 'Shares rose 2% in a short session; <a href="/business/markets/">see the markets page</a>.',
    body: '<p>Stocks rose on Friday as chipmakers led gains &amp; retailers reported <em>strong</em> sales.</p>',
    url: 'https://news.example.com/2026/11/27/business/markets-close/',
    section: 'business',
    topics: ['Markets', 'Retail'],
    publishedAt: '2026-11-27T17:45:00Z',
  });
  return stored('markets-close', input, {
    version: 1,
    createdAt: '2026-11-27T17:40:00.000Z',
    updatedAt: '2026-11-27T17:40:00.000Z',
  });
}

/** A corrected world story: version 2, changed hours after publication. */
function summitCorrected(): Article {
  return stored('summit-shipping', sampleArticle(), {
    version: 2,
    createdAt: '2026-11-27T09:25:00.000Z',
    updatedAt: '2026-11-27T14:05:00.000Z',
  });
}

/** A world story for Europe by two writers, with a photo whose size in bytes is known. */
function climateAccord(): Article {
  return stored(
    'climate-accord',
    sampleArticle({
      headline: 'Climate accord: EU & UK agree <binding> targets',
      summary: 'Negotiators in Brussels struck a deal after 30 hours.',
      body:
        '<p>The deal, reached in <a href="/europe/">Brussels</a>, sets targets for 2035.</p>' +
        '<blockquote><p>“A turning point,” said one minister.</p></blockquote>',
      url: 'https://news.example.com/2026/11/26/europe/climate-accord/',
      editions: ['europe'],
      topics: ['Climate', 'European Union'],
      byline: [
        {
          name: 'Jonas Weber',
          title: 'Brussels Correspondent',
          url: 'https://news.example.com/profiles/jonas-weber/',
        },
        { name: 'Chloé Martin' },
      ],
      image: {
        url: 'https://news.example.com/images/climate-accord.webp',
        caption: 'Ministers after the talks in Brussels.',
        credit: 'Eva Novak / Newswire',
        width: 1600,
        height: 900,
        type: 'image/webp',
        length: 245760,
      },
      publishedAt: '2026-11-26T20:00:00+01:00',
    }),
    { version: 1, createdAt: '2026-11-26T19:00:00.000Z', updatedAt: '2026-11-26T19:00:00.000Z' },
  );
}

/** Compares with __snapshots__/<edition>[-<section>].<feed file name>, e.g. europe-world.rss.xml. */
function matchFeedSnapshot(scope: FeedScope, format: FeedFormat, body: string): void {
  const [stem = '', ext = ''] = FEED_FILES[format].split('.');
  matchSnapshot(`${scopeName(scope).replaceAll('/', '-')}.${stem}`, ext, body);
}

describe('feed snapshots', () => {
  for (const format of FEED_FORMATS) {
    const file = FEED_FILES[format];

    test(`the Europe edition as ${file} matches its snapshot`, () => {
      const scope: FeedScope = { kind: 'edition', edition: 'europe' };
      const { body } = renderFeed({
        config,
        scope,
        format,
        articles: [marketsClose(), summitCorrected(), climateAccord()],
      });
      matchFeedSnapshot(scope, format, body);
    });

    test(`Europe's World section as ${file}, with a next page, matches its snapshot`, () => {
      const scope: FeedScope = { kind: 'section', edition: 'europe', section: 'world' };
      const { body } = renderFeed({
        config,
        scope,
        format,
        articles: [summitCorrected(), climateAccord()],
        nextCursor: NEXT_CURSOR,
      });
      matchFeedSnapshot(scope, format, body);
    });
  }
});
