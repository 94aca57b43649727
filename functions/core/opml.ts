import type { Article } from './article.ts';
import type { Edition, SiteConfig } from './config.ts';
import { findEdition } from './editions.ts';
import { escapeXml } from './feeds/xml.ts';
import { partnerFeeds } from './partner-feeds.ts';
import { PARTNERS } from './partners.ts';
import { authorSlug, type FeedScope, type ScopeNames, scopeLanguage, scopeTitle } from './scopes.ts';
import { slugify } from './text.ts';
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
 * three times. `/opml.xml` depends only on the config, so its dates are
 * derived from the config too (never "now"), keeping the bytes and the ETag
 * stable; an edition's list changes with the writers and topics it names.
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
    language: scopeLanguage(config, scope, true),
  })}/>`;
}

/** The writers and topics an edition's latest stories name, newest first, each once: their feeds go in its OPML. */
export interface FollowedFeeds {
  writers: { slug: string; name: string; title?: string }[];
  topics: { slug: string; label: string }[];
}

/** The writers and topics of some stories, newest first, each once (by the slug that names their feed). */
export function followedIn(articles: readonly Pick<Article, 'byline' | 'topics'>[]): FollowedFeeds {
  const writers = new Map<string, FollowedFeeds['writers'][number]>();
  const topics = new Map<string, FollowedFeeds['topics'][number]>();
  for (const article of articles) {
    for (const writer of article.byline) {
      const slug = authorSlug(writer);
      if (slug !== '' && !writers.has(slug)) {
        writers.set(slug, {
          slug,
          name: writer.name,
          ...(writer.title !== undefined && { title: writer.title }),
        });
      }
    }
    for (const label of article.topics) {
      const slug = slugify(label);
      if (slug !== '' && !topics.has(slug)) topics.set(slug, { slug, label });
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
  const nested = (scope: FeedScope, names?: ScopeNames) =>
    feedOutline(config, scope, 'rss', '        ', names);
  const partners = scopes.flatMap((scope) =>
    partnerFeeds(config, scope).map((id) => feedOutline(config, scope, id, '        ')),
  );
  return [
    ...scopes.map((scope) => feedOutline(config, scope)),
    ...group(
      'Writers',
      followed.writers.map(({ slug, name, title }) =>
        nested({ kind: 'author', author: slug }, { author: { name, ...(title !== undefined && { title }) } }),
      ),
    ),
    ...group(
      'Topics',
      followed.topics.map(({ slug, label }) => nested({ kind: 'topic', topic: slug }, { topic: label })),
    ),
    ...group('Feeds for news apps', partners),
  ];
}

/**
 * Renders the OPML list of one feed per edition, or of every feed of one
 * edition — with the writers and topics `followed` names (NotFoundError for
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
