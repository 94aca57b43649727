import type { FeedChannel } from './channel.ts';
import type { FeedEntry } from './entry.ts';
import { mediaXml } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { cdata, escapeText, escapeXml } from './xml.ts';

const { media, schema } = NAMESPACES;

/** Indentation of the feed's children, an entry's children and a person's children. */
const FEED = '\n    ';
const ENTRY = '\n        ';
const PERSON = '\n            ';

/**
 * A category's `term` or `label`: `&` and `"` escaped, and `<` and `>` as
 * well when it holds a `<` (a lone `>` is well-formed in an attribute).
 */
function categoryValue(value: string): string {
  return value.includes('<')
    ? escapeXml(value)
    : value.replace(/[&"]/g, (c) => (c === '&' ? '&amp;' : '&quot;'));
}

function atomEntry(entry: FeedEntry): string {
  let xml = `${FEED}<entry>${ENTRY}<title type="text">${escapeText(entry.title)}</title>${ENTRY}<id>${escapeText(entry.guid)}</id>${ENTRY}<link href="${escapeXml(entry.link)}"/>${ENTRY}<updated>${entry.modified.toISOString()}</updated>`;
  // Headlines are plain text, and so are most summaries: readers show `Lund & Marsh`, not `Lund &amp; Marsh`.
  if (entry.summaryIsText) {
    if (entry.summaryText !== '')
      xml += `${ENTRY}<summary type="text">${escapeText(entry.summaryText)}</summary>`;
  } else if (entry.summaryHtml !== '') {
    xml += `${ENTRY}<summary type="html">${cdata(entry.summaryHtml)}</summary>`;
  }
  if (entry.contentHtml !== '') xml += `${ENTRY}<content type="html">${cdata(entry.contentHtml)}</content>`;
  for (const a of entry.authors) {
    const uri = a.url ?? a.page;
    xml += `${ENTRY}<author>${PERSON}<name>${escapeText(a.name)}</name>`;
    if (uri !== undefined) xml += `${PERSON}<uri>${escapeText(uri)}</uri>`;
    // A writer's title has no Atom element: schema.org's jobTitle, an Atom extension element.
    if (a.title !== undefined) xml += `${PERSON}<schema:jobTitle>${escapeText(a.title)}</schema:jobTitle>`;
    xml += `${ENTRY}</author>`;
  }
  for (const c of entry.categories) {
    const scheme = c.scheme === undefined ? '' : ` scheme="${escapeXml(c.scheme)}"`;
    xml += `${ENTRY}<category label="${categoryValue(c.label)}"${scheme} term="${categoryValue(c.term)}"/>`;
  }
  return `${xml}${ENTRY}<published>${entry.published.toISOString()}</published>${mediaXml(entry, '        ')}${FEED}</entry>`;
}

/**
 * Renders one page of a feed as Atom 1.0 with Media RSS and RFC 5005 paging
 * links: written directly, each value escaped once for where it lands
 * (well-formedness for any content is proven by test/unit/feeds-property.test.ts).
 */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  let xml = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(channel.language)}" xmlns:media="${media}" xmlns:schema="${schema}">`;
  if (channel.nextUrl !== undefined) xml += `${FEED}<link rel="next" href="${escapeXml(channel.nextUrl)}"/>`;
  xml += `${FEED}<id>${escapeText(channel.id)}</id>${FEED}<title>${escapeText(channel.title)}</title>${FEED}<updated>${channel.updated.toISOString()}</updated>${FEED}<generator>Newswire</generator>${FEED}<author>${ENTRY}<name>${escapeText(channel.publisher.name)}</name>${ENTRY}<uri>${escapeText(channel.publisher.url)}</uri>${FEED}</author>${FEED}<link rel="alternate" href="${escapeXml(channel.homeUrl)}"/>${FEED}<link rel="self" href="${escapeXml(channel.selfUrl)}"/>`;
  if (channel.hubUrl !== undefined) xml += `${FEED}<link rel="hub" href="${escapeXml(channel.hubUrl)}"/>`;
  xml += `${FEED}<subtitle>${escapeText(channel.description)}</subtitle>`;
  if (channel.logoUrl !== undefined) xml += `${FEED}<logo>${escapeText(channel.logoUrl)}</logo>`;
  if (channel.iconUrl !== undefined) xml += `${FEED}<icon>${escapeText(channel.iconUrl)}</icon>`;
  xml += `${FEED}<rights>${escapeText(channel.copyright)}</rights>`;
  for (const entry of entries) xml += atomEntry(entry);
  return `${xml}\n</feed>`;
}
