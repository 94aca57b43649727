import { Feed } from 'feed';
import { js2xml } from 'xml-js';
import { escapeHtml } from '../text.ts';
import type { FeedChannel } from './channel.ts';
import type { FeedEntry } from './entry.ts';
import { mediaContent } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { declareNamespaces, escapeXml, shield, unshield } from './xml.ts';

/** Adds Media RSS to each entry that has a photo (the generator has no per-entry extensions for Atom). */
function addMedia(xml: string, entries: FeedEntry[]): string {
  const parts = xml.split('</entry>');
  return parts
    .map((part, i) => {
      const image = entries[i]?.image;
      if (i >= entries.length || image === undefined) return part;
      const media = js2xml({ 'media:content': mediaContent(image) }, { compact: true, spaces: 4 });
      return `${part}    ${media.replace(/\n/g, '\n        ')}\n    `;
    })
    .join('</entry>');
}

/** Renders one page of a feed as Atom 1.0 with Media RSS and RFC 5005 paging links. */
export function renderAtom(channel: FeedChannel, entries: FeedEntry[]): string {
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
      // The generator marks titles type="html", so the plain-text headline is HTML-escaped.
      title: shield(escapeHtml(entry.title)),
      id: entry.guid,
      link: entry.link,
      date: entry.modified,
      published: entry.published,
      description: shield(entry.summaryHtml),
      ...(entry.contentHtml !== '' && { content: shield(entry.contentHtml) }),
      author: entry.authors.map((a) => ({
        name: shield(a.name),
        ...(a.url !== undefined && { link: a.url }),
      })),
      category: entry.categories.map((c) => ({
        term: shield(c.term),
        name: shield(c.label),
        ...(c.scheme !== undefined && { scheme: c.scheme }),
      })),
    });
  }
  let xml = addMedia(feed.atom1(), entries);
  if (channel.nextUrl !== undefined) {
    xml = xml.replace(/(<feed[^>]*>)/, `$1\n    <link rel="next" href="${escapeXml(channel.nextUrl)}"/>`);
  }
  xml = xml.replace(/<feed xmlns="[^"]*"/, (root) => `${root} xml:lang="${escapeXml(channel.language)}"`);
  return declareNamespaces(unshield(xml), 'feed', { media: NAMESPACES.media });
}
