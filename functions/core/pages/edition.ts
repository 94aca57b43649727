import type { Edition, SiteConfig } from '../config.ts';
import type { FeedEntry } from '../feeds/entry.ts';
import { pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';
import { sectionFeeds, sectionNav, storyList, subscribePanel } from './parts.ts';

/** `/{edition}/`: the edition's latest headlines, its sections, and how to subscribe to each. */
export function renderEditionPage(config: SiteConfig, edition: Edition, entries: FeedEntry[]): string {
  const scope = { edition: edition.id };
  const main = `<h1>${h(edition.title)} edition</h1>
<p class="lede">${h(edition.description)}</p>
${subscribePanel(config, scope, `Subscribe to the ${edition.title} edition`)}
${sectionNav(config, edition)}
<div class="columns">
<section aria-labelledby="latest-heading">
<h2 id="latest-heading">Latest</h2>
${storyList(entries, edition)}
</section>
<aside aria-labelledby="sections-heading">
<section class="panel">
<h2 id="sections-heading">Section feeds</h2>
<p>Only want one desk? Each section has its own feed.</p>
${sectionFeeds(config, edition)}
</section>
</aside>
</div>`;
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
