import type { Edition, SiteConfig } from '../config.ts';
import { type FeedScope, type ScopeNames, scopeTitle } from '../scopes.ts';
import { escapeHtml } from '../text.ts';
import { FEED_CONTENT_TYPES, FEED_FORMATS, FEED_NAMES, feedUrl, opmlUrl, pageUrl } from '../urls.ts';

/** Everything the shared page shell needs besides the main content. */
export interface LayoutOptions {
  config: SiteConfig;
  /** BCP 47 language of the page (the edition's). */
  lang: string;
  /** Document title, without the site name. */
  title: string;
  description: string;
  /** The page's own URL, for rel=canonical (none on error pages). */
  canonical?: string;
  /** The feeds the page advertises with rel=alternate autodiscovery links. */
  feeds: FeedScope;
  /** Names of a writer or topic, for the feeds' titles. */
  names?: ScopeNames;
  /** The edition the visitor is reading (marked in the switcher); the home page has none. */
  edition?: string;
  /** The section the switcher keeps when changing edition. */
  section?: string;
  /** Name the page's copies in other editions with hreflang alternates; the home page has none. */
  languageAlternates?: boolean;
  /**
   * This page in another edition, where the edition switcher leads and what
   * hreflang names; undefined when the page has no copy there (the switcher
   * then leads to that edition's front). Default: the same section's page.
   */
  inEdition?: (edition: Edition) => string | undefined;
  /** The robots meta directive (default: large image previews allowed). */
  robots?: string;
  /** More of the head, already escaped: social cards, structured data. */
  head?: string;
  /** HTML of the <main> element's content, already escaped. */
  main: string;
  /** CSS this page adds to the shared stylesheet (inline, after it). */
  styles?: string;
  /** False for a page without copy buttons, which then carries no script at all. */
  scripts?: false;
}

/** What search engines may show of a page: large image previews, as news publishers allow. */
export const ROBOTS_INDEX = 'max-image-preview:large';
/** Error pages are not to be indexed. */
export const ROBOTS_NOINDEX = 'noindex';

/** Media type without parameters, for `type` attributes. */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0]?.trim() ?? contentType;
}

/** The site's stylesheet and its one script (the Copy buttons), static files the pages function serves. */
export const SITE_STYLESHEET = '/assets/site.css';
/** See SITE_STYLESHEET. */
export const SITE_SCRIPT = '/assets/site.js';

/** Escapes a value for HTML text or a double-quoted attribute (shorthand used by every page file). */
export const h = escapeHtml;

function autodiscovery(config: SiteConfig, scope: FeedScope, names: ScopeNames | undefined): string {
  return FEED_FORMATS.map(
    (format) =>
      `<link rel="alternate" type="${mediaType(FEED_CONTENT_TYPES[format])}" title="${h(
        `${scopeTitle(config, scope, names)} (${FEED_NAMES[format]})`,
      )}" href="${h(feedUrl(config.baseUrl, scope, format))}">`,
  ).join('\n');
}

/** An edition's page, or one of its sections'. */
export function editionOrSection(edition: string, section: string | undefined): FeedScope {
  return section === undefined ? { kind: 'edition', edition } : { kind: 'section', edition, section };
}

/** hreflang alternates: the page in each edition that has it, and x-default (the default edition's, else the first). */
function languageAlternates(config: SiteConfig, inEdition: (edition: Edition) => string | undefined): string {
  const copies = config.editions.flatMap((e) => {
    const href = inEdition(e);
    return href === undefined ? [] : [{ edition: e, href }];
  });
  const fallback = copies.find((c) => c.edition.id === config.defaultEdition) ?? copies[0];
  const links = copies.map(
    (c) => `<link rel="alternate" hreflang="${h(c.edition.language)}" href="${h(c.href)}">`,
  );
  if (fallback !== undefined) {
    links.push(`<link rel="alternate" hreflang="x-default" href="${h(fallback.href)}">`);
  }
  return links.join('\n');
}

function editionSwitcher(
  config: SiteConfig,
  current: string | undefined,
  inEdition: (edition: Edition) => string | undefined,
): string {
  const items = config.editions.map((e) => {
    const href = inEdition(e) ?? pageUrl(config.baseUrl, { kind: 'edition', edition: e.id });
    const here = e.id === current ? ' aria-current="page"' : '';
    return `<li><a href="${h(href)}" hreflang="${h(e.language)}"${here}>${h(e.title)}</a></li>`;
  });
  return `<nav class="switcher" aria-label="Editions"><span aria-hidden="true">Edition:</span><ul>${items.join('')}</ul></nav>`;
}

/** Wraps a page's main content in the shared document: head with autodiscovery, header, footer. */
export function renderLayout(options: LayoutOptions): string {
  const { config } = options;
  const title = options.title === config.title ? config.title : `${options.title} — ${config.title}`;
  const icon =
    config.iconUrl === undefined ? '' : `<link rel="icon" type="image/png" href="${h(config.iconUrl)}">`;
  const brandImage =
    config.iconUrl === undefined ? '' : `<img src="${h(config.iconUrl)}" alt="" width="36" height="36">`;
  const inEdition =
    options.inEdition ?? ((e: Edition) => pageUrl(config.baseUrl, editionOrSection(e.id, options.section)));
  return `<!doctype html>
<html lang="${h(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<meta name="description" content="${h(options.description)}">
<meta name="robots" content="${h(options.robots ?? ROBOTS_INDEX)}">
${options.canonical === undefined ? '' : `<link rel="canonical" href="${h(options.canonical)}">\n`}${options.languageAlternates ? `${languageAlternates(config, inEdition)}\n` : ''}${autodiscovery(config, options.feeds, options.names)}
${icon}${options.head === undefined ? '' : `\n${options.head}`}
<link rel="stylesheet" href="${h(`${config.baseUrl}${SITE_STYLESHEET}`)}">${options.styles === undefined ? '' : `\n<style>${options.styles}</style>`}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<div class="bar">
<a class="brand" href="${h(pageUrl(config.baseUrl))}">${brandImage}<span>${h(config.title)}</span></a>
${editionSwitcher(config, options.edition, inEdition)}
</div>
</header>
<main id="main" tabindex="-1">
${options.main}
</main>
<footer class="site-footer">
<div>
<p>One feed per edition, for your reader: <a href="${h(opmlUrl(config.baseUrl))}" type="text/x-opml">OPML subscription list</a>. For developers: the <a href="${h(`${config.baseUrl}/api/`)}">API reference</a>.</p>
<p>${h(config.copyright)}</p>
</div>
</footer>
${options.scripts === false ? '' : `<script src="${h(`${config.baseUrl}${SITE_SCRIPT}`)}" defer></script>\n`}</body>
</html>
`;
}
