import { createHash } from 'node:crypto';
import type { Article } from '../article.ts';
import type { SiteConfig } from '../config.ts';
import { toFeedEntry } from '../feeds/entry.ts';
import { renderOpml } from '../opml.ts';
import { renderArticlePage, renderWithdrawnPage } from './article.ts';
import { renderEditionPage } from './edition.ts';
import { renderFollowPage } from './follow.ts';
import { renderHomePage } from './home.ts';
import { renderProblemIndex } from './problem.ts';
import { renderSectionPage } from './section.ts';
import { renderNewsSitemap, renderSitemap, renderSitemapIndex } from './sitemaps.ts';

/** The site the sample is rendered for: fixed, so the fingerprint depends on the renderers' code alone. */
const SAMPLE_SITE: SiteConfig = {
  title: 'Sample',
  description: 'A sample site',
  baseUrl: 'https://example.com',
  copyright: '© Sample',
  language: 'en',
  tagAuthority: 'example.com,2026',
  logoUrl: 'https://example.com/logo.png',
  iconUrl: 'https://example.com/icon.png',
  pageSize: 50,
  defaultEdition: 'world',
  sections: [{ id: 'news', title: 'News' }],
  editions: [
    {
      id: 'world',
      title: 'World',
      description: 'Everything',
      language: 'en',
      timeZone: 'UTC',
      countries: ['GB'],
      includesAll: true,
    },
  ],
};

/** A story with every part a page shows. */
const SAMPLE: Article = {
  id: 'fingerprint',
  version: 2,
  rules: 2,
  headline: 'Lund & Marsh <agree> "terms"',
  summary: 'A <em>summary</em> &amp; more',
  body: '<h2>Sub</h2><p>Body <a href="https://example.com/x">text</a></p>',
  section: 'news',
  topics: ['Topic one'],
  byline: [
    { name: 'Ana Ortiz', title: 'Analyst', url: 'https://example.com/ana' },
    { id: 'lee', name: 'Lee Min' },
  ],
  image: {
    url: 'https://example.com/a.jpg',
    caption: 'Caption',
    credit: 'Credit',
    width: 10,
    height: 5,
    type: 'image/jpeg',
    thumbnail: { url: 'https://example.com/t.jpg', width: 2, height: 1 },
  },
  media: [
    { url: 'https://example.com/p.jpg', type: 'image/jpeg', caption: 'Photo' },
    {
      url: 'https://example.com/v.mp4',
      type: 'video/mp4',
      duration: 61,
      poster: 'https://example.com/p.jpg',
    },
  ],
  publishedAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  language: 'en',
};

let fingerprint: string | undefined;

/**
 * A hash of what the page renderers make of a fixed sample (an article page,
 * an edition front, the home page, each kind of sitemap): a change to any of
 * them changes every page's ETag, with no version number to remember to bump.
 */
export function pagesFingerprint(): string {
  if (fingerprint === undefined) {
    const config = SAMPLE_SITE;
    const edition = config.editions[0]!;
    const entry = toFeedEntry(SAMPLE, config, { kind: 'edition', edition: edition.id });
    const hash = createHash('sha256');
    for (const part of [
      renderArticlePage(config, { story: SAMPLE, entry, edition, top: [entry], more: [entry] }),
      renderEditionPage(config, edition, [entry], [entry]),
      renderHomePage(config, { suggested: edition, entries: [entry], top: [entry] }),
      renderSectionPage(config, edition, config.sections[0]!, [entry]),
      renderFollowPage(config, { kind: 'author', author: 'lee' }, {}, [entry]),
      renderWithdrawnPage(config, edition),
      renderProblemIndex(config),
      renderOpml(config),
      renderSitemap([{ loc: entry.page, lastmod: SAMPLE.updatedAt }]),
      renderSitemapIndex([entry.page]),
      renderNewsSitemap(config, edition.id, [
        { loc: entry.page, title: entry.title, language: 'en', publicationDate: SAMPLE.publishedAt },
      ]),
    ]) {
      hash.update(part).update('\n');
    }
    fingerprint = hash.digest('base64url');
  }
  return fingerprint;
}
