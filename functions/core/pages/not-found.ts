import type { SiteConfig } from '../config.ts';
import { pageUrl } from '../urls.ts';
import { h, ROBOTS_NOINDEX, renderLayout } from './layout.ts';

/**
 * A page for what is not (or no longer) here: its heading and message, and a
 * way on. Inside an edition that is the edition's front page and sections;
 * anywhere else, every edition. Never indexed.
 */
export function renderMissingPage(
  config: SiteConfig,
  heading: string,
  message: string,
  editionId: string | undefined,
): string {
  const edition = config.editions.find((e) => e.id === editionId);
  const links =
    edition === undefined
      ? config.editions.map(
          (e) =>
            `<li><a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: e.id }))}" hreflang="${h(e.language)}">${h(e.title)}</a></li>`,
        )
      : config.sections.map(
          (s) =>
            `<li><a href="${h(pageUrl(config.baseUrl, { kind: 'section', edition: edition.id, section: s.id }))}">${h(s.title)}</a></li>`,
        );
  const offer =
    edition === undefined
      ? `<p>Try the <a href="${h(pageUrl(config.baseUrl))}">home page</a> or one of the editions:</p>`
      : `<p>Try the <a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: edition.id }))}">${h(edition.title)} edition’s front page</a> or one of its sections:</p>`;
  const main = `<h1>${h(heading)}</h1>
<p class="lede">${h(message)}.</p>
${offer}
<ul>${links.join('')}</ul>`;
  return renderLayout({
    config,
    lang: edition?.language ?? config.language,
    title: heading,
    description: config.description,
    feeds: { kind: 'edition', edition: edition?.id ?? config.defaultEdition },
    ...(edition !== undefined && { edition: edition.id }),
    robots: ROBOTS_NOINDEX,
    main,
  });
}

/** The 404 page: what was not found (inside an edition, `/europe/nope/`, with that edition's links). */
export function renderNotFoundPage(config: SiteConfig, message: string, path = '/'): string {
  return renderMissingPage(config, 'Page not found', message, path.split('/')[1]);
}
