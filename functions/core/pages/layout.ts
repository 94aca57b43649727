import type { SiteConfig } from '../config.ts';
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
  /** Same page in every edition, as hreflang alternates; the home page has none. */
  languageAlternates?: boolean;
  /** HTML of the <main> element's content, already escaped. */
  main: string;
  /** CSS this page adds to the shared styles. */
  styles?: string;
  /** False for a page without copy buttons, which then carries no script at all. */
  scripts?: false;
}

/** Media type without parameters, for `type` attributes. */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0]?.trim() ?? contentType;
}

/** Escapes a value for HTML text or a double-quoted attribute (shorthand used by every page file). */
export const h = escapeHtml;

const STYLES = `
:root{--ink:#16181d;--muted:#5a5f6a;--accent:#b3001b;--rule:#e2e0db;--panel:#f6f4ef;--focus:#1a5fb4;color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
a{color:inherit;text-underline-offset:.15em}
a:hover{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
h1,h2,h3{font-family:Georgia,"Times New Roman",serif;line-height:1.2;margin:0 0 .5rem}
h1{font-size:2.2rem}h2{font-size:1.35rem;border-bottom:2px solid var(--ink);padding-bottom:.3rem;margin-top:1.5rem}h3{font-size:1.15rem}
.skip{position:absolute;left:-9999px;top:.5rem;background:#fff;padding:.5rem 1rem;z-index:10;border:2px solid var(--focus)}
.skip:focus{left:.5rem}
.site-header{border-bottom:4px solid var(--accent)}
.bar,.site-footer>div,main{max-width:72rem;margin:0 auto;padding:0 1rem}
.bar{display:flex;flex-wrap:wrap;gap:.75rem 2rem;align-items:center;justify-content:space-between;padding-top:.75rem;padding-bottom:.75rem}
.brand{display:flex;gap:.6rem;align-items:center;font:700 1.6rem/1 Georgia,serif;text-decoration:none}
.brand img{border-radius:4px}
.switcher{display:flex;align-items:center;gap:.5rem;font-size:.9rem}
.switcher ul,.pills{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}
.switcher a,.pills a{display:block;padding:.2rem .7rem;border:1px solid var(--rule);border-radius:999px;text-decoration:none}
.switcher a[aria-current],.pills a[aria-current]{background:var(--ink);border-color:var(--ink);color:#fff}
main{padding-top:1.5rem;padding-bottom:2rem}
.lede{color:var(--muted);font-size:1.1rem;margin:0 0 1rem;max-width:46rem}
.crumbs ol{list-style:none;margin:0 0 .5rem;padding:0;display:flex;gap:.4rem;font-size:.9rem;color:var(--muted)}
.crumbs li+li::before{content:"›";margin-right:.4rem}
.columns{display:grid;gap:0 2.5rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:60rem){.columns{grid-template-columns:minmax(0,1fr) 21rem}}
.stories{list-style:none;margin:0;padding:0}
.story{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:1rem;padding:1rem 0;border-bottom:1px solid var(--rule)}
.story h3 a{text-decoration:none}.story h3 a:hover{text-decoration:underline}
.story p{margin:.2rem 0}
.summary{color:#30343b}
.meta{font-size:.85rem;color:var(--muted)}
.meta a{color:inherit}
.topics{list-style:none;margin:.3rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem;font-size:.8rem}
.topics a{display:block;padding:.05rem .5rem;border:1px solid var(--rule);border-radius:999px;text-decoration:none;color:var(--muted)}
.feed-note{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem .8rem;font-size:.9rem;color:var(--muted)}.feed-note p{margin:0}
.person-title{color:var(--muted);font-size:1.2rem;margin:-.3rem 0 .8rem}
.thumb{margin:0}
.thumb img{display:block;width:9rem;height:6rem;object-fit:cover;background:var(--panel);font-size:.7rem;color:var(--muted);overflow:hidden}
@media (max-width:30rem){.thumb img{width:6rem;height:4rem}}
.panel{background:var(--panel);border-radius:6px;padding:1rem 1.2rem;margin:1.5rem 0}
.panel h2{margin-top:0;border:0;padding:0}
.panel p{margin:.3rem 0}
.subscribe{display:grid;gap:.5rem 2.5rem;margin-top:0}
@media (min-width:48rem){.subscribe{grid-template-columns:minmax(0,1fr) minmax(0,1fr);align-items:end}.columns aside .subscribe{display:block}}
.feeds{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.4rem}
.feeds a{display:inline-block;padding:.3rem .8rem;border-radius:4px;background:var(--accent);color:#fff;text-decoration:none;font-weight:600;font-size:.9rem}
.feeds a:hover{background:#7d0013;color:#fff}
.copy label{display:block;font-size:.85rem;color:var(--muted);margin-top:.6rem}
.copy div{display:flex;gap:.4rem}
.copy input{flex:1;min-width:0;font:.85rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:.35rem .5rem;border:1px solid #b9b5ac;border-radius:4px;background:#fff}
.copy button{font:inherit;font-size:.85rem;padding:.3rem .8rem;border:1px solid var(--ink);border-radius:4px;background:#fff;cursor:pointer}
.section-feeds{list-style:none;padding:0;margin:.5rem 0 0;font-size:.9rem;columns:2}
.section-feeds li{break-inside:avoid;margin:.15rem 0}
.editions-grid{list-style:none;padding:0;margin:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(19rem,1fr))}
.edition-card{border:1px solid var(--rule);border-radius:6px;padding:1rem 1.2rem}
.edition-card.suggested{border:2px solid var(--accent)}
.edition-card p{margin:.3rem 0}
.badge{display:inline-block;background:var(--accent);color:#fff;font-size:.75rem;font-weight:700;letter-spacing:.03em;text-transform:uppercase;padding:.1rem .5rem;border-radius:3px;margin-bottom:.4rem}
.site-footer{border-top:1px solid var(--rule);color:var(--muted);font-size:.85rem;padding:1rem 0 2rem}
.site-footer p{margin:.3rem 0}
.empty{color:var(--muted)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

/**
 * The copy buttons' only behaviour: shown (they are hidden without scripts,
 * where the read-only field alone lets a reader select the URL) and wired to
 * the Clipboard API when it is available.
 */
const COPY_SCRIPT = `
for (const button of document.querySelectorAll('button[data-copy]')) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copy + '-status');
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  field.addEventListener('focus', () => field.select());
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(field.value).then(
      () => { button.textContent = 'Copied'; if (status) status.textContent = 'Feed URL copied to the clipboard'; },
      () => { field.select(); if (status) status.textContent = 'Press Ctrl+C or ⌘C to copy the selected URL'; },
    );
  });
}
`;

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

function languageAlternates(config: SiteConfig, section: string | undefined): string {
  const links = config.editions.map(
    (e) =>
      `<link rel="alternate" hreflang="${h(e.language)}" href="${h(pageUrl(config.baseUrl, editionOrSection(e.id, section)))}">`,
  );
  const fallback = pageUrl(config.baseUrl, editionOrSection(config.defaultEdition, section));
  return [...links, `<link rel="alternate" hreflang="x-default" href="${h(fallback)}">`].join('\n');
}

function editionSwitcher(
  config: SiteConfig,
  current: string | undefined,
  section: string | undefined,
): string {
  const items = config.editions.map((e) => {
    const href = pageUrl(config.baseUrl, editionOrSection(e.id, section));
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
  return `<!doctype html>
<html lang="${h(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<meta name="description" content="${h(options.description)}">
${options.canonical === undefined ? '' : `<link rel="canonical" href="${h(options.canonical)}">\n`}${options.languageAlternates ? `${languageAlternates(config, options.section)}\n` : ''}${autodiscovery(config, options.feeds, options.names)}
${icon}
<style>${STYLES}${options.styles ?? ''}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<div class="bar">
<a class="brand" href="${h(pageUrl(config.baseUrl))}">${brandImage}<span>${h(config.title)}</span></a>
${editionSwitcher(config, options.edition, options.section)}
</div>
</header>
<main id="main" tabindex="-1">
${options.main}
</main>
<footer class="site-footer">
<div>
<p>Every feed of every edition, for your reader: <a href="${h(opmlUrl(config.baseUrl))}" type="text/x-opml">OPML subscription list</a>. For developers: the <a href="${h(`${config.baseUrl}/api/`)}">API reference</a>.</p>
<p>${h(config.copyright)}</p>
</div>
</footer>
${options.scripts === false ? '' : `<script>${COPY_SCRIPT}</script>\n`}</body>
</html>
`;
}
