import { Feed } from 'feed';
import { js2xml } from 'xml-js';
import type { FeedChannel } from './channel.ts';
import type { FeedEntry } from './entry.ts';
import { mediaContents } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { declareNamespaces, escapeXml, shield, TAG_MARK, unshield } from './xml.ts';

const { media, schema } = NAMESPACES;

/** Media RSS for an entry (the generator has no per-entry extensions for Atom). */
function mediaXml(entry: FeedEntry): string {
  const contents = mediaContents(entry);
  if (contents.length === 0) return '';
  const xml = js2xml({ 'media:content': contents }, { compact: true, spaces: 4 });
  return `    ${xml.replace(/\n/g, '\n        ')}\n    `;
}

/**
 * The generator marks every entry title and summary `type="html"` inside
 * CDATA. Headlines are plain text, and so are most summaries (tagged with
 * TAG_MARK): they become `type="text"`, so readers show `Lund & Marsh`, not
 * `Lund &amp; Marsh`. HTML summaries keep `type="html"`.
 */
function plainTextConstructs(xml: string): string {
  return xml.replace(
    /<(title|summary) type="html"><!\[CDATA\[([\s\S]*?)\]\]><\/(?:title|summary)>/g,
    (element, name: string, inner: string) => {
      if (name === 'title') return `<title type="text">${inner}</title>`;
      if (inner.startsWith(TAG_MARK)) return `<summary type="text">${inner.slice(1)}</summary>`;
      return element;
    },
  );
}

/**
 * Adds what the generator cannot: each writer's title inside their person
 * construct (`schema:jobTitle`, an Atom extension element) and each entry's
 * Media RSS. Content is shielded, so `</author>` and `</entry>` only occur as
 * the generator's own tags, in document order.
 */
function extendEntries(xml: string, entries: readonly FeedEntry[]): string {
  const titles = [undefined, ...entries.flatMap((e) => e.authors.map((a) => a.title))];
  const extras = entries.map(mediaXml);
  let author = 0;
  let entry = 0;
  return xml.replace(/<\/author>|<\/entry>/g, (tag) => {
    if (tag === '</entry>') return `${extras[entry++] ?? ''}</entry>`;
    const title = titles[author++];
    return title === undefined
      ? tag
      : `    <schema:jobTitle>${shield(title)}</schema:jobTitle>\n        </author>`;
  });
}

/** Renders one page of a feed as Atom 1.0 with Media RSS and RFC 5005 paging links. */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    id: channel.id,
    title: shield(channel.title),
    description: shield(channel.description),
    link: channel.homeUrl,
    language: channel.language,
    copyright: shield(channel.copyright),
    updated: channel.updated,
    generator: 'Newswire',
    feed: channel.selfUrl,
    author: { name: shield(channel.publisher.name), link: channel.publisher.url },
    ...(channel.hubUrl !== undefined && { hub: channel.hubUrl }),
    ...(channel.logoUrl !== undefined && { image: shield(channel.logoUrl) }),
    ...(channel.iconUrl !== undefined && { favicon: shield(channel.iconUrl) }),
  });
  for (const entry of entries) {
    feed.addItem({
      title: shield(entry.title),
      id: entry.guid,
      link: entry.link,
      date: entry.modified,
      published: entry.published,
      description: entry.summaryIsText ? TAG_MARK + shield(entry.summaryText) : shield(entry.summaryHtml),
      ...(entry.contentHtml !== '' && { content: shield(entry.contentHtml) }),
      author: entry.authors.map((a) => ({
        name: shield(a.name),
        ...((a.url ?? a.page) !== undefined && { link: a.url ?? a.page }),
      })),
      category: entry.categories.map((c) => ({
        term: shield(c.term),
        name: shield(c.label),
        ...(c.scheme !== undefined && { scheme: c.scheme }),
      })),
    });
  }
  let xml = extendEntries(plainTextConstructs(feed.atom1()), entries);
  if (channel.nextUrl !== undefined) {
    xml = xml.replace(/(<feed[^>]*>)/, `$1\n    <link rel="next" href="${escapeXml(channel.nextUrl)}"/>`);
  }
  xml = xml.replace(/<feed xmlns="[^"]*"/, (root) => `${root} xml:lang="${escapeXml(channel.language)}"`);
  return declareNamespaces(unshield(xml), 'feed', { media, schema });
}
