import type { SiteConfig } from '../config.ts';
import { pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';

/**
 * The 404 page: says what was not found and offers a way on. Inside an
 * edition (`/europe/nope/`) that is the edition's front page and sections;
 * anywhere else, every edition.
 */
export function renderNotFoundPage(config: SiteConfig, message: string, path = '/'): string {
  const edition = config.editions.find((e) => e.id === path.split('/')[1]);
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
  const main = `<h1>Page not found</h1>
<p class="lede">${h(message)}.</p>
${offer}
<ul>${links.join('')}</ul>`;
  return renderLayout({
    config,
    lang: edition?.language ?? config.language,
    title: 'Page not found',
    description: config.description,
    feeds: { kind: 'edition', edition: edition?.id ?? config.defaultEdition },
    ...(edition !== undefined && { edition: edition.id }),
    main,
  });
}
