import { createHash } from 'node:crypto';
import { SAMPLE, SAMPLE_SITE } from '../feed-pages.ts';
import { toFeedEntry } from '../feeds/entry.ts';
import { renderOpml } from '../opml.ts';
import { renderArticlePage, renderWithdrawnPage } from './article.ts';
import { renderEditionPage } from './edition.ts';
import { renderFollowPage } from './follow.ts';
import { renderHomePage } from './home.ts';
import { renderProblemIndex } from './problem.ts';
import { renderSectionPage } from './section.ts';
import { renderNewsSitemap, renderSitemap, renderSitemapIndex } from './sitemaps.ts';

let fingerprint: string | undefined;

/**
 * A hash of what the page renderers make of the feeds' fixed sample (an
 * article page, the fronts, a writer's page, each kind of sitemap): a change
 * to any of them changes every page's ETag, with no version number to bump.
 */
export function pagesFingerprint(): string {
  if (fingerprint === undefined) {
    const config = SAMPLE_SITE;
    const edition = config.editions[0]!;
    const entry = toFeedEntry(SAMPLE, config, { kind: 'edition', edition: edition.id });
    const hash = createHash('sha256');
    for (const part of [
      renderArticlePage(config, { story: SAMPLE, entry, edition, top: [entry], more: [entry] }),
      renderEditionPage(config, edition, [entry], [entry], {
        day: '2026-01-01',
        publishedAt: '2026-01-02T02:15:00.000Z',
        feeds: { [edition.id]: 1234 },
      }),
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
