import type { SiteConfig } from '../config.ts';
import { pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';

/** The 404 page: says what was not found and offers every edition instead. */
export function renderNotFoundPage(config: SiteConfig, message: string): string {
  const editions = config.editions
    .map(
      (e) =>
        `<li><a href="${h(pageUrl(config.baseUrl, { kind: 'edition', edition: e.id }))}" hreflang="${h(e.language)}">${h(e.title)}</a></li>`,
    )
    .join('');
  const main = `<h1>Page not found</h1>
<p class="lede">${h(message)}.</p>
<p>Try the <a href="${h(pageUrl(config.baseUrl))}">home page</a> or one of the editions:</p>
<ul>${editions}</ul>`;
  return renderLayout({
    config,
    lang: config.language,
    title: 'Page not found',
    description: config.description,
    feeds: { kind: 'edition', edition: config.defaultEdition },
    main,
  });
}
