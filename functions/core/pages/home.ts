import type { Edition, SiteConfig } from '../config.ts';
import { findEdition } from '../editions.ts';
import type { FeedEntry } from '../feeds/entry.ts';
import type { PublicCounts } from '../ports.ts';
import type { FeedScope } from '../scopes.ts';
import { opmlUrl, pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';
import { copyField, feedLinks, readersNote, sectionFeeds, storyList, subscribePanel } from './parts.ts';

/** What the home page shows besides the config. */
export interface HomePageContent {
  /** The edition that serves the viewer's country, when known. */
  suggested?: Edition | undefined;
  /** The default edition's latest stories, newest first. */
  entries: FeedEntry[];
  /** The default edition's Top Stories, in the editors' order (none when they have set none). */
  top?: FeedEntry[];
  /** The published subscriber counts, when the config shows them. */
  counts?: PublicCounts | undefined;
}

function editionCard(
  config: SiteConfig,
  edition: Edition,
  suggested: boolean,
  counts: PublicCounts | undefined,
): string {
  const scope: FeedScope = { kind: 'edition', edition: edition.id };
  return `<li class="edition-card${suggested ? ' suggested' : ''}" lang="${h(edition.language)}">
${suggested ? '<span class="badge">Suggested for you</span>\n' : ''}<h3><a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: edition.id }))}">${h(edition.title)}</a></h3>
<p>${h(edition.description)}</p>
${feedLinks(config, scope)}${readersNote(config, scope, counts)}
<details><summary>Section feeds</summary>${sectionFeeds(config, edition, undefined, counts)}</details>
</li>`;
}

/**
 * `/`: the default edition's Top Stories and latest stories, then every
 * edition with its feeds; when the viewer's country is known, the edition
 * that serves it is suggested first.
 */
export function renderHomePage(config: SiteConfig, content: HomePageContent): string {
  const { suggested } = content;
  const fallback = findEdition(config, config.defaultEdition);
  const featured = suggested ?? fallback;
  const editions =
    suggested === undefined
      ? config.editions
      : [suggested, ...config.editions.filter((e) => e !== suggested)];
  const suggestion =
    suggested === undefined
      ? ''
      : `<section class="panel suggestion" aria-labelledby="suggested-heading">
<h2 id="suggested-heading">Suggested for you: ${h(suggested.title)}</h2>
<p><a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: suggested.id }))}">Read the ${h(suggested.title)} edition</a>: ${h(suggested.description)}</p>
</section>`;
  // The stories first, so a phone's first screen holds headlines; then every edition to pick from.
  const main = `<h1>${h(config.title)}</h1>
<p class="lede">${h(config.description)} Pick an edition below, or subscribe to any edition or section in your feed reader.</p>
${suggestion}
<div class="columns">
<div>
${
  (content.top ?? []).length === 0
    ? ''
    : `<section aria-labelledby="top-heading">
<h2 id="top-heading">Top Stories</h2>
${storyList(config, content.top ?? [], fallback)}
</section>
`
}<section aria-labelledby="latest-heading">
<h2 id="latest-heading">Latest</h2>
${storyList(config, content.entries, fallback)}
</section>
</div>
<aside aria-label="Subscribe">
${subscribePanel(config, { kind: 'edition', edition: featured.id }, `Subscribe to the ${featured.title} edition`, undefined, true, content.counts)}
<section class="panel" aria-labelledby="opml-heading">
<h2 id="opml-heading">Every feed at once</h2>
<p>Import the <a href="${h(opmlUrl(config.baseUrl))}" type="text/x-opml">OPML list of every feed</a> into your reader, grouped by edition.</p>
${copyField('opml-url', 'OPML address', opmlUrl(config.baseUrl))}
</section>
</aside>
</div>
<section aria-labelledby="editions-heading">
<h2 id="editions-heading">Editions</h2>
<ul class="editions-grid">
${editions.map((e) => editionCard(config, e, e === suggested, content.counts)).join('\n')}
</ul>
</section>`;
  return renderLayout({
    config,
    lang: config.language,
    title: config.title,
    description: config.description,
    canonical: pageUrl(config.baseUrl),
    feeds: { kind: 'edition', edition: featured.id },
    main,
  });
}
