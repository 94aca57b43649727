import { Feed, type Item } from 'feed';
import type { FeedChannel } from './channel.ts';
import { type FeedEntry, feedCategories, isCorrected } from './entry.ts';
import { joinNames, mediaContents } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { declareNamespaces, escapeXml, insertBeforeLast, Shield } from './xml.ts';

const { atom, content, dc, dcterms, media } = NAMESPACES;

function rssItem(entry: FeedEntry, shield: Shield): Item {
  // The generator writes titles as CDATA, which readers that treat RSS titles as HTML
  // render as markup; this extension replaces that element with escaped text in place.
  const extensions: NonNullable<Item['extensions']> = [
    { name: 'title', objects: { _text: shield.text(entry.title) } },
  ];
  if (entry.authors.length > 0) {
    // One dc:creator naming every writer: readers keep only one (newsboat the last, rss-parser the first).
    const names = joinNames(entry.authors.map((a) => a.name));
    extensions.push({ name: 'dc:creator', objects: { _text: shield.text(names) } });
  }
  if (isCorrected(entry)) {
    extensions.push({ name: 'dcterms:modified', objects: { _text: entry.modified.toISOString() } });
  }
  if (entry.image !== undefined || entry.media.length > 0) {
    const contents = mediaContents(entry, shield);
    extensions.push({ name: 'media:content', objects: contents as unknown as Record<string, unknown> });
  }
  const item: Item = {
    title: entry.title,
    link: entry.link,
    guid: entry.guid,
    date: entry.modified,
    published: entry.published,
    description: shield.cdata(entry.summaryHtml),
    category: feedCategories(entry).map((c) => ({
      name: shield.text(c.label),
      ...(c.scheme !== undefined && { domain: escapeXml(c.scheme) }),
    })),
    extensions,
  };
  if (entry.contentHtml !== '') item.content = shield.fullText(entry.contentHtml);
  // An enclosure must state its length in bytes; without it, Media RSS alone describes the photo.
  if (entry.image?.length !== undefined) {
    item.enclosure = { url: entry.image.url, type: escapeXml(entry.image.type), length: entry.image.length };
  }
  return item;
}

/** Renders one page of a feed as RSS 2.0 with Dublin Core, Media RSS and RFC 5005 paging links. */
export function renderRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const shield = new Shield();
  const feed = new Feed({
    id: channel.id,
    title: shield.text(channel.title),
    description: shield.text(channel.description),
    link: channel.homeUrl,
    language: shield.text(channel.language),
    copyright: shield.text(channel.copyright),
    updated: channel.updated,
    generator: 'Newswire',
    feed: channel.selfUrl,
    ...(channel.hubUrl !== undefined && { hub: channel.hubUrl }),
    ...(channel.logoUrl !== undefined && { image: shield.text(channel.logoUrl) }),
  });
  for (const entry of entries) feed.addItem(rssItem(entry, shield));
  let xml = feed.rss2();
  if (channel.nextUrl !== undefined) {
    xml = insertBeforeLast(
      xml,
      '</channel>',
      `    <atom:link rel="next" href="${escapeXml(channel.nextUrl)}"/>\n    `,
    );
  }
  return shield.restore(declareNamespaces(xml, 'rss', { atom, content, dc, dcterms, media }));
}
