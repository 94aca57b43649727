import type { Edition, SiteConfig } from './config.ts';
import { findEdition } from './editions.ts';
import { escapeXml } from './feeds/xml.ts';
import { type FeedScope, scopeTitle } from './scopes.ts';
import { feedUrl, pageUrl } from './urls.ts';

/**
 * OPML 2.0 subscription lists (http://opml.org/spec2.opml): every feed of
 * every edition (`/opml.xml`) or of one (`/{edition}/opml.xml`), one outline
 * per edition holding its own feed and one per section.
 *
 * Served as `text/x-opml`, the type feed readers and browsers associate with
 * OPML downloads. Each feed is listed once, as RSS: Atom and JSON Feed carry
 * the same items, and a reader importing all three would show every story
 * three times. The list depends only on the config, so its dates are derived
 * from the config too (never "now"), keeping the bytes and the ETag stable.
 */

/** Media type of OPML responses. */
export const OPML_CONTENT_TYPE = 'text/x-opml; charset=utf-8';

/**
 * The date the site began, from the year (and month, day) of its tag
 * authority: OPML's dateCreated.
 */
export function siteStartDate(config: SiteConfig): Date {
  const [, date = '1970'] = config.tagAuthority.split(',');
  const [year = '1970', month = '01', day = '01'] = date.split('-');
  return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
}

function attributes(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
}

function feedOutline(config: SiteConfig, edition: Edition, scope: FeedScope): string {
  const title = scopeTitle(config, scope);
  return `      <outline${attributes({
    type: 'rss',
    version: 'RSS2',
    text: title,
    title,
    xmlUrl: feedUrl(config.baseUrl, scope, 'rss'),
    htmlUrl: pageUrl(config.baseUrl, scope),
    language: edition.language,
  })}/>`;
}

function editionOutline(config: SiteConfig, edition: Edition): string {
  const feeds = [
    feedOutline(config, edition, { kind: 'edition', edition: edition.id }),
    feedOutline(config, edition, { kind: 'top', edition: edition.id }),
    ...config.sections.map((s) =>
      feedOutline(config, edition, { kind: 'section', edition: edition.id, section: s.id }),
    ),
  ];
  const title = `${config.title} — ${edition.title}`;
  return [
    `    <outline${attributes({ text: title, title, description: edition.description })}>`,
    ...feeds,
    '    </outline>',
  ].join('\n');
}

/** Renders the OPML list of every edition's feeds, or of one edition's (NotFoundError for an unknown one). */
export function renderOpml(config: SiteConfig, editionId?: string): string {
  const editions = editionId === undefined ? config.editions : [findEdition(config, editionId)];
  const title =
    editionId === undefined
      ? `${config.title}: every feed`
      : `${config.title} — ${editions[0]?.title ?? editionId}: every feed`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    `    <dateCreated>${siteStartDate(config).toUTCString()}</dateCreated>`,
    `    <ownerName>${escapeXml(config.title)}</ownerName>`,
    `    <docs>http://opml.org/spec2.opml</docs>`,
    '  </head>',
    '  <body>',
    ...editions.map((e) => editionOutline(config, e)),
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
