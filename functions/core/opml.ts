import type { Edition, SiteConfig } from './config.ts';
import { findEdition } from './editions.ts';
import { NotFoundError } from './errors.ts';
import { withLocale } from './feeds/channel.ts';
import type { FeedEntry } from './feeds/entry.ts';
import { escapeXml } from './feeds/xml.ts';
import { partnerFeeds } from './partner-feeds.ts';
import { PARTNERS } from './partners.ts';
import { type FeedScope, type ScopeNames, scopeLanguage, scopeOfPath, scopeTitle } from './scopes.ts';
import { type FeedOutput, feedUrl, isPartner, pageUrl } from './urls.ts';

/**
 * OPML 2.0 subscription lists (http://opml.org/spec2.opml).
 *
 * `/opml.xml` lists one feed per edition, its whole feed: importing it never
 * subscribes a reader to the same story twice within an edition (a section,
 * Top Stories and the edition's feed would each carry it). `/{edition}/opml.xml`
 * lists everything of one edition — its feed, Top Stories, each section, the
 * writers and topics of its latest stories, and the feeds made for news apps
 * the site syndicates to — for a reader who picks among them.
 *
 * Served as `text/x-opml`, the type feed readers and browsers associate with
 * OPML downloads. Each feed is listed once, as RSS: Atom and JSON Feed carry
 * the same items, and a reader importing all three would show every story
 * three times. Each outline's title and language are its feed's channel
 * title and language, as OPML 2.0 has them. Dates are derived from the config
 * (never "now"), keeping the bytes and the ETag stable; an edition's list
 * changes with the writers and topics its latest stories name.
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

function feedOutline(
  config: SiteConfig,
  scope: FeedScope,
  output: FeedOutput = 'rss',
  indent = '      ',
  names?: ScopeNames,
): string {
  const title = isPartner(output)
    ? `${scopeTitle(config, scope)} — for ${PARTNERS[output].name}`
    : scopeTitle(config, scope, names);
  return `${indent}<outline${attributes({
    type: 'rss',
    version: 'RSS2',
    text: title,
    title,
    xmlUrl: feedUrl(config.baseUrl, scope, output),
    htmlUrl: pageUrl(config.baseUrl, scope),
    language: withLocale(scopeLanguage(config, scope), config.locale ?? ''),
  })}/>`;
}

/** A writer's or a topic's feed, with the name its channel title shows. */
export interface FollowedFeed {
  scope: FeedScope;
  names: ScopeNames;
}

/** The writers' and topics' feeds an edition's latest stories name: they go in its OPML. */
export interface FollowedFeeds {
  writers: FollowedFeed[];
  topics: FollowedFeed[];
}

/**
 * The writers and topics that stories name, in the stories' order, each once:
 * those with a feed of their own, known by the page the mapping links them
 * to (a writer whose id names no feed is left out).
 */
export function followedIn(config: SiteConfig, entries: readonly FeedEntry[]): FollowedFeeds {
  const scopeAt = (page: string): FeedScope | undefined => {
    try {
      const segments = page.slice(config.baseUrl.length).split('/');
      return scopeOfPath(
        config,
        segments.filter((segment) => segment !== ''),
      );
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
  const writers = new Map<string, FollowedFeed>();
  const topics = new Map<string, FollowedFeed>();
  for (const entry of entries) {
    for (const { page, name, title } of entry.authors) {
      if (page === undefined || writers.has(page)) continue;
      const scope = scopeAt(page);
      if (scope?.kind === 'author') {
        writers.set(page, { scope, names: { author: { name, ...(title !== undefined && { title }) } } });
      }
    }
    for (const { scheme, label } of entry.categories) {
      if (scheme === undefined || topics.has(scheme)) continue;
      const scope = scopeAt(scheme);
      if (scope?.kind === 'topic') topics.set(scheme, { scope, names: { topic: label } });
    }
  }
  return { writers: [...writers.values()], topics: [...topics.values()] };
}

/** A group of outlines: only its text (an outline with more should name its type). */
function group(text: string, outlines: string[]): string[] {
  return outlines.length === 0
    ? []
    : [`      <outline${attributes({ text })}>`, ...outlines, '      </outline>'];
}

/** Every feed of one edition: its own, Top Stories, each section, its writers and topics, its news apps' feeds. */
function editionOutlines(config: SiteConfig, edition: Edition, followed: FollowedFeeds): string[] {
  const scopes: FeedScope[] = [
    { kind: 'edition', edition: edition.id },
    { kind: 'top', edition: edition.id },
    ...config.sections.map((s): FeedScope => ({ kind: 'section', edition: edition.id, section: s.id })),
  ];
  const partners = scopes.flatMap((scope) =>
    partnerFeeds(config, scope).map((id) => feedOutline(config, scope, id, '        ')),
  );
  const nested = ({ scope, names }: FollowedFeed) => feedOutline(config, scope, 'rss', '        ', names);
  return [
    ...scopes.map((scope) => feedOutline(config, scope)),
    ...group('Writers', followed.writers.map(nested)),
    ...group('Topics', followed.topics.map(nested)),
    ...group('Feeds for news apps', partners),
  ];
}

/**
 * Renders the OPML list of one feed per edition, or of every feed of one
 * edition, with the writers and topics `followed` names (NotFoundError for
 * an unknown edition).
 */
export function renderOpml(
  config: SiteConfig,
  editionId?: string,
  followed: FollowedFeeds = { writers: [], topics: [] },
): string {
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
          ...editionOutlines(config, edition, followed),
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
