import { Feed, type Item } from 'feed';
import type { FeedChannel } from './channel.ts';
import { type FeedEntry, isCorrected } from './entry.ts';
import { mediaContent } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { declareNamespaces, escapeXml, insertBeforeLast, shield, unshield } from './xml.ts';

function rssItem(entry: FeedEntry): Item {
  const extensions: NonNullable<Item['extensions']> = [];
  if (entry.authors.length > 0) {
    // dc:creator is a name; RSS's own <author> wants an e-mail address.
    const creators = entry.authors.map((a) => ({ _text: shield(a.name) }));
    extensions.push({ name: 'dc:creator', objects: creators as unknown as Record<string, unknown> });
  }
  if (isCorrected(entry)) {
    extensions.push({ name: 'dcterms:modified', objects: { _text: entry.modified.toISOString() } });
  }
  if (entry.image !== undefined)
    extensions.push({ name: 'media:content', objects: mediaContent(entry.image) });
  const item: Item = {
    title: shield(entry.title),
    link: entry.link,
    guid: entry.guid,
    date: entry.modified,
    published: entry.published,
    description: shield(entry.summaryHtml),
    category: entry.categories.map((c) => ({
      name: shield(c.label),
      ...(c.scheme !== undefined && { domain: shield(c.scheme) }),
    })),
    extensions,
  };
  if (entry.contentHtml !== '') item.content = shield(entry.contentHtml);
  // An enclosure must state its length in bytes; without it, Media RSS alone describes the photo.
  if (entry.image?.length !== undefined) {
    item.enclosure = { url: entry.image.url, type: shield(entry.image.type), length: entry.image.length };
  }
  return item;
}

/** Renders one page of a feed as RSS 2.0 with Dublin Core, Media RSS and RFC 5005 paging links. */
export function renderRss(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    id: channel.id,
    title: shield(channel.title),
    description: shield(channel.description),
    link: channel.homeUrl,
    language: shield(channel.language),
    copyright: shield(channel.copyright),
    updated: channel.updated,
    generator: 'Newswire',
    feed: channel.selfUrl,
    ...(channel.hubUrl !== undefined && { hub: channel.hubUrl }),
    ...(channel.logoUrl !== undefined && { image: shield(channel.logoUrl) }),
  });
  for (const entry of entries) feed.addItem(rssItem(entry));
  let xml = feed.rss2();
  if (channel.nextUrl !== undefined) {
    xml = insertBeforeLast(
      xml,
      '</channel>',
      `    <atom:link rel="next" href="${escapeXml(channel.nextUrl)}"/>\n    `,
    );
  }
  return declareNamespaces(unshield(xml), 'rss', NAMESPACES);
}
