import type { SiteConfig } from '../config.ts';
import { pageUrl } from '../urls.ts';
import { h, renderLayout } from './layout.ts';

/** The page a person sees while stories cannot be read (503, the store down or throttled): try again shortly. */
export function renderUnavailablePage(config: SiteConfig, retryAfterSeconds: number): string {
  const wait = retryAfterSeconds === 1 ? 'a second' : `${retryAfterSeconds} seconds`;
  const main = `<h1>Stories are briefly unavailable</h1>
<p class="lede">${h(config.title)} cannot read its stories right now. Please try again in ${h(wait)}.</p>
<p>Nothing is lost: the page will be back as it was. Or go to the <a href="${h(pageUrl(config.baseUrl))}">home page</a>.</p>`;
  return renderLayout({
    config,
    lang: config.language,
    title: 'Briefly unavailable',
    description: config.description,
    feeds: { kind: 'edition', edition: config.defaultEdition },
    main,
  });
}
