import type { Edition, SiteConfig } from './config.ts';
import { findEdition } from './editions.ts';
import { escapeXml } from './feeds/xml.ts';
import { partnerFeeds } from './partner-feeds.ts';
import { PARTNERS } from './partners.ts';
import { type FeedScope, scopeLanguage, scopeTitle } from './scopes.ts';
import { type FeedOutput, feedUrl, isPartner, pageUrl } from './urls.ts';

/**
 * OPML 2.0 subscription lists (http://opml.org/spec2.opml).
 *
 * `/opml.xml` lists one feed per edition, its whole feed: importing it never
 * subscribes a reader to the same story twice within an edition (a section,
 * Top Stories and the edition's feed would each carry it). `/{edition}/opml.xml`
 * lists everything of one edition — its feed, Top Stories, each section, and
 * the feeds made for news apps the site syndicates to — for a reader who
 * picks among them.
 *
 * Served as `text/x-opml`, the type feed readers and browsers associate with
 * OPML downloads. Each feed is listed once, as RSS: Atom and JSON Feed carry
 * the same items, and a reader importing all three would show every story
 * three times. The lists depend only on the config, so their dates are
 * derived from the config too (never "now"), keeping the bytes and the ETag
 * stable.
 */

/** Media type of OPML responses. */
export const OPML_CONTENT_TYPE = 'text/x-opml; charset=utf-8';

/**
 * The date the site began, from the year (and month, day) of its tag
 * authority: OPML's dateCreated and the Last-Modified of config-only documents.
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

function feedOutline(
  config: SiteConfig,
  scope: FeedScope,
  output: FeedOutput = 'rss',
  indent = '      ',
): string {
  const title = isPartner(output)
    ? `${scopeTitle(config, scope)} — for ${PARTNERS[output].name}`
    : scopeTitle(config, scope);
  return `${indent}<outline${attributes({
    type: 'rss',
    version: 'RSS2',
    text: title,
    title,
    xmlUrl: feedUrl(config.baseUrl, scope, output),
    htmlUrl: pageUrl(config.baseUrl, scope),
    language: scopeLanguage(config, scope),
  })}/>`;
}

/** A group of outlines: only its text (an outline with more should name its type). */
function group(text: string, outlines: string[]): string[] {
  return outlines.length === 0
    ? []
    : [`      <outline${attributes({ text })}>`, ...outlines, '      </outline>'];
}

/** Every feed of one edition: its own, Top Stories, each section, then its news apps' feeds. */
function editionOutlines(config: SiteConfig, edition: Edition): string[] {
  const scopes: FeedScope[] = [
    { kind: 'edition', edition: edition.id },
    { kind: 'top', edition: edition.id },
    ...config.sections.map((s): FeedScope => ({ kind: 'section', edition: edition.id, section: s.id })),
  ];
  const partners = scopes.flatMap((scope) =>
    partnerFeeds(config, scope).map((id) => feedOutline(config, scope, id, '        ')),
  );
  return [...scopes.map((scope) => feedOutline(config, scope)), ...group('Feeds for news apps', partners)];
}

/**
 * Renders the OPML list of one feed per edition, or of every feed of one
 * edition (NotFoundError for an unknown one).
 */
export function renderOpml(config: SiteConfig, editionId?: string): string {
  const edition = editionId === undefined ? undefined : findEdition(config, editionId);
  const title =
    edition === undefined
      ? `${config.title}: one feed per edition`
      : `${config.title} — ${edition.title}: every feed`;
  const body =
    edition === undefined
      ? config.editions.map((e) => feedOutline(config, { kind: 'edition', edition: e.id }, 'rss', '    '))
      : [
          `    <outline${attributes({ text: `${config.title} — ${edition.title}` })}>`,
          ...editionOutlines(config, edition),
          '    </outline>',
        ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    `    <dateCreated>${siteStartDate(config).toUTCString()}</dateCreated>`,
    `    <ownerName>${escapeXml(config.title)}</ownerName>`,
    '  </head>',
    '  <body>',
    ...body,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
