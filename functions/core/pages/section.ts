import type { Edition, Section, SiteConfig } from '../config.ts';
import type { FeedEntry } from '../feeds/entry.ts';
import type { PublicCounts } from '../ports.ts';
import { type FeedScope, scopeDescription } from '../scopes.ts';
import { pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';
import { sectionNav, storiesWithSectionFeeds, subscribeLine } from './parts.ts';

/** `/{edition}/{section}/`: one section of one edition, with its feed and its siblings' (and their readers). */
export function renderSectionPage(
  config: SiteConfig,
  edition: Edition,
  section: Section,
  entries: FeedEntry[],
  counts?: PublicCounts,
): string {
  const scope: FeedScope = { kind: 'section', edition: edition.id, section: section.id };
  const main = `<nav class="crumbs" aria-label="Breadcrumb"><ol>
<li><a href="${h(pageUrl(config.baseUrl))}">${h(config.title)}</a></li>
<li><a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: edition.id }))}">${h(edition.title)}</a></li>
<li><a href="${h(pageUrl(config.baseUrl, scope))}" aria-current="page">${h(section.title)}</a></li>
</ol></nav>
<h1>${h(section.title)}</h1>
<p class="lede">${h(section.title)} from the ${h(edition.title)} edition.</p>
${subscribeLine(config, scope, counts)}
${sectionNav(config, edition, section.id)}
${storiesWithSectionFeeds(
  config,
  edition,
  entries,
  { latest: `Latest in ${section.title}`, sections: `Other ${edition.title} sections` },
  section.id,
  undefined,
  { scope, heading: `Subscribe to ${edition.title} — ${section.title}` },
  counts,
)}`;
  return renderLayout({
    config,
    lang: edition.language,
    title: `${section.title} — ${edition.title} edition`,
    description: scopeDescription(config, scope),
    canonical: pageUrl(config.baseUrl, scope),
    feeds: scope,
    edition: edition.id,
    section: section.id,
    languageAlternates: true,
    main,
  });
}
