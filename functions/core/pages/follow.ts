import type { SiteConfig } from '../config.ts';
import { findEdition } from '../editions.ts';
import type { FeedEntry } from '../feeds/entry.ts';
import type { PublicCounts } from '../ports.ts';
import {
  type FeedScope,
  type ScopeNames,
  scopeDescription,
  scopeEdition,
  scopeLanguage,
  scopeTitle,
} from '../scopes.ts';
import { pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';
import { storyList, subscribePanel } from './parts.ts';

/** The heading of a page that follows one writer, topic or Top Stories list. */
function heading(
  config: SiteConfig,
  scope: FeedScope,
  names: ScopeNames,
): { h1: string; title: string; sub?: string } {
  switch (scope.kind) {
    case 'author': {
      const name = names.author?.name ?? scope.author;
      return { h1: name, title: name, ...(names.author?.title !== undefined && { sub: names.author.title }) };
    }
    case 'topic': {
      const topic = names.topic ?? scope.topic;
      return { h1: topic, title: topic };
    }
    default: {
      const title = scopeTitle(config, scope).slice(config.title.length + 3);
      return { h1: title, title };
    }
  }
}

/**
 * `/authors/{author}/`, `/topics/{topic}/` and `/{edition}/top/`: one
 * writer's, topic's or edition's Top Stories, newest first (Top Stories in
 * the editors' order), with their feeds to subscribe to (and their readers).
 */
export function renderFollowPage(
  config: SiteConfig,
  scope: Exclude<FeedScope, { kind: 'edition' | 'section' }>,
  names: ScopeNames,
  entries: FeedEntry[],
  counts?: PublicCounts,
): string {
  const edition = findEdition(config, scopeEdition(scope) ?? config.defaultEdition);
  const { h1, title, sub } = heading(config, scope, names);
  const description = scopeDescription(config, scope, names);
  const crumbs =
    scope.kind === 'top'
      ? `<nav class="crumbs" aria-label="Breadcrumb"><ol>
<li><a href="${h(pageUrl(config.baseUrl))}">${h(config.title)}</a></li>
<li><a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: edition.id }))}">${h(edition.title)}</a></li>
<li><a href="${h(pageUrl(config.baseUrl, scope))}" aria-current="page">Top Stories</a></li>
</ol></nav>\n`
      : '';
  const what =
    scope.kind === 'author' ? `Follow ${h1}` : scope.kind === 'topic' ? `Follow ${h1}` : `Subscribe to ${h1}`;
  const main = `${crumbs}<h1>${h(h1)}</h1>
${sub === undefined ? '' : `<p class="person-title">${h(sub)}</p>\n`}<p class="lede">${h(description)}</p>
${subscribePanel(config, scope, what, names, true, counts)}
<section aria-labelledby="latest-heading">
<h2 id="latest-heading">${scope.kind === 'top' ? 'In the editors’ order' : 'Latest'}</h2>
${storyList(config, entries, edition)}
</section>`;
  return renderLayout({
    config,
    lang: scopeLanguage(config, scope),
    title,
    description,
    canonical: pageUrl(config.baseUrl, scope),
    feeds: scope,
    names,
    ...(scope.kind === 'top' && { edition: edition.id }),
    main,
  });
}
