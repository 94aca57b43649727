import type { FeedChannel } from './channel.ts';
import { type FeedEntry, isCorrected } from './entry.ts';
import { joinNames, mediaXml } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { cdata, escapeText, escapeXml, xmlns } from './xml.ts';

const { atom, content, dc, dcterms, media } = NAMESPACES;

/** Indentation of the channel's children and of an item's children. */
const CHANNEL = '\n        ';
const ITEM = '\n            ';

function rssItem(entry: FeedEntry): string {
  let xml = `${CHANNEL}<item>${ITEM}<title>${escapeText(entry.title)}</title>${ITEM}<link>${escapeText(entry.link)}</link>${ITEM}<guid isPermaLink="false">${escapeText(entry.guid)}</guid>${ITEM}<pubDate>${entry.published.toUTCString()}</pubDate>`;
  if (entry.summaryHtml !== '') xml += `${ITEM}<description>${cdata(entry.summaryHtml)}</description>`;
  if (entry.contentHtml !== '')
    xml += `${ITEM}<content:encoded>${cdata(entry.contentHtml)}</content:encoded>`;
  for (const c of entry.categories) {
    const domain = c.scheme === undefined ? '' : ` domain="${escapeXml(c.scheme)}"`;
    xml += `${ITEM}<category${domain}>${escapeText(c.label)}</category>`;
  }
  // An enclosure must state its length in bytes; without it, Media RSS alone describes the photo.
  if (entry.image?.length !== undefined) {
    const { length, type, url } = entry.image;
    xml += `${ITEM}<enclosure length="${length}" type="${escapeXml(type)}" url="${escapeXml(url)}"/>`;
  }
  if (entry.authors.length > 0) {
    // One dc:creator naming every writer: readers keep only one (newsboat the last, rss-parser the first).
    xml += `${ITEM}<dc:creator>${escapeText(joinNames(entry.authors.map((a) => a.name)))}</dc:creator>`;
  }
  if (isCorrected(entry)) {
    xml += `${ITEM}<dcterms:modified>${entry.modified.toISOString()}</dcterms:modified>`;
  }
  return `${xml}${mediaXml(entry, '            ')}${CHANNEL}</item>`;
}

/**
 * Renders one page of a feed as RSS 2.0 with Dublin Core, Media RSS and
 * RFC 5005 paging links: written directly, each value escaped once for where
 * it lands (well-formedness for any content is proven by
 * test/unit/feeds-property.test.ts).
 */
export function renderRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const namespaces = entries.some((e) => e.contentHtml !== '')
    ? { dc, content, atom, dcterms, media }
    : { atom, content, dc, dcterms, media };
  const title = escapeText(channel.title);
  const home = escapeText(channel.homeUrl);
  let xml = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"${xmlns(namespaces)}>\n    <channel>${CHANNEL}<title>${title}</title>${CHANNEL}<link>${home}</link>${CHANNEL}<description>${escapeText(channel.description)}</description>${CHANNEL}<lastBuildDate>${channel.updated.toUTCString()}</lastBuildDate>${CHANNEL}<docs>https://validator.w3.org/feed/docs/rss2.html</docs>${CHANNEL}<generator>Newswire</generator>${CHANNEL}<language>${escapeText(channel.language)}</language>`;
  if (channel.logoUrl !== undefined) {
    xml += `${CHANNEL}<image>${CHANNEL}    <title>${title}</title>${CHANNEL}    <url>${escapeText(channel.logoUrl)}</url>${CHANNEL}    <link>${home}</link>${CHANNEL}</image>`;
  }
  xml += `${CHANNEL}<copyright>${escapeText(channel.copyright)}</copyright>${CHANNEL}<atom:link href="${escapeXml(channel.selfUrl)}" rel="self" type="application/rss+xml"/>`;
  if (channel.hubUrl !== undefined)
    xml += `${CHANNEL}<atom:link href="${escapeXml(channel.hubUrl)}" rel="hub"/>`;
  for (const entry of entries) xml += rssItem(entry);
  if (channel.nextUrl !== undefined) {
    xml += `${CHANNEL}<atom:link rel="next" href="${escapeXml(channel.nextUrl)}"/>`;
  }
  return `${xml}\n    </channel>\n</rss>`;
}
