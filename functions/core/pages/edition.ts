import type { Edition, SiteConfig } from '../config.ts';
import type { FeedEntry } from '../feeds/entry.ts';
import type { PublicCounts } from '../ports.ts';
import type { FeedScope } from '../scopes.ts';
import { pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';
import { sectionNav, storiesWithSectionFeeds, subscribeLine } from './parts.ts';

/**
 * `/{edition}/`: the edition's Top Stories, its latest headlines, its sections, and how to
 * subscribe to each (with their readers, when `counts` holds them).
 */
export function renderEditionPage(
  config: SiteConfig,
  edition: Edition,
  entries: FeedEntry[],
  top: FeedEntry[] = [],
  counts?: PublicCounts,
): string {
  const scope: FeedScope = { kind: 'edition', edition: edition.id };
  const main = `<h1>${h(edition.title)} edition</h1>
<p class="lede">${h(edition.description)}</p>
${subscribeLine(config, scope, counts)}
${sectionNav(config, edition)}
${storiesWithSectionFeeds(
  config,
  edition,
  entries,
  {
    latest: 'Latest',
    sections: 'Section feeds',
    intro: 'Only want one desk? Each section has its own feed.',
  },
  undefined,
  { entries: top, feed: { kind: 'top', edition: edition.id } },
  { scope, heading: `Subscribe to the ${edition.title} edition` },
  counts,
)}`;
  return renderLayout({
    config,
    lang: edition.language,
    title: `${edition.title} edition`,
    description: edition.description,
    canonical: pageUrl(config.baseUrl, scope),
    feeds: scope,
    edition: edition.id,
    languageAlternates: true,
    main,
  });
}
