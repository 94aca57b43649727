import { type FeedChannel, withLocale } from './channel.ts';
import { type EntryAuthor, type FeedEntry, feedCategories } from './entry.ts';
import { fullTextHtml } from './full-text.ts';
import { joinNames, mediaXml, webfeedsXml } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { cdata, escapeText, escapeXml } from './xml.ts';

const { media, schema, webfeeds } = NAMESPACES;

/** Indentation of the feed's children, an entry's children and a person's children. */
const FEED = '\n    ';
const ENTRY = '\n        ';
const PERSON = '\n            ';

/** A writer as an Atom person: name, page, and title (schema.org's jobTitle, an extension element). */
function person(element: 'author' | 'contributor', a: EntryAuthor): string {
  const uri = a.url ?? a.page;
  let xml = `${ENTRY}<${element}>${PERSON}<name>${escapeText(a.name)}</name>`;
  if (uri !== undefined) xml += `${PERSON}<uri>${escapeText(uri)}</uri>`;
  if (a.title !== undefined) xml += `${PERSON}<schema:jobTitle>${escapeText(a.title)}</schema:jobTitle>`;
  return `${xml}${ENTRY}</${element}>`;
}

function atomEntry(entry: FeedEntry, language: string): string {
  // An item in another language than the feed's says so (xml:lang is inherited otherwise).
  const itemLanguage = withLocale(entry.language, language);
  const lang = itemLanguage === language ? '' : ` xml:lang="${escapeXml(itemLanguage)}"`;
  let xml = `${FEED}<entry${lang}>${ENTRY}<title type="text">${escapeText(entry.title)}</title>${ENTRY}<id>${escapeText(entry.guid)}</id>${ENTRY}<link href="${escapeXml(entry.link)}"/>${ENTRY}<updated>${entry.modified.toISOString()}</updated>`;
  // Headlines are plain text, and so are most summaries: readers show `Lund & Marsh`, not `Lund &amp; Marsh`.
  if (entry.summaryIsText) {
    if (entry.summaryText !== '')
      xml += `${ENTRY}<summary type="text">${escapeText(entry.summaryText)}</summary>`;
  } else if (entry.summaryHtml !== '') {
    xml += `${ENTRY}<summary type="html">${cdata(entry.summaryHtml)}</summary>`;
  }
  const fullText = fullTextHtml(entry);
  if (fullText !== '') xml += `${ENTRY}<content type="html">${cdata(fullText)}</content>`;
  // One author naming every writer, each writer also a contributor with their page and title:
  // readers keep one author (npm feedparser shows the feed's own author for an entry with two,
  // Tiny Tiny RSS the first), as RSS readers keep one dc:creator.
  const [only] = entry.authors;
  if (entry.authors.length === 1 && only !== undefined) {
    xml += person('author', only);
  } else if (entry.authors.length > 1) {
    xml += `${ENTRY}<author>${PERSON}<name>${escapeText(joinNames(entry.authors.map((a) => a.name)))}</name>${ENTRY}</author>`;
    for (const a of entry.authors) xml += person('contributor', a);
  }
  for (const c of feedCategories(entry)) {
    const scheme = c.scheme === undefined ? '' : ` scheme="${escapeXml(c.scheme)}"`;
    xml += `${ENTRY}<category label="${escapeXml(c.label)}"${scheme} term="${escapeXml(c.term)}"/>`;
  }
  return `${xml}${ENTRY}<published>${entry.published.toISOString()}</published>${mediaXml(entry, '        ')}${FEED}</entry>`;
}

/**
 * Renders one page of a feed as Atom 1.0 with Media RSS and RFC 5005 paging
 * links: written directly, each value escaped once for where it lands
 * (well-formedness for any content is proven by test/unit/feeds-property.test.ts).
 */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const brand = channel.brand;
  const feedly = brand === undefined ? '' : ` xmlns:webfeeds="${webfeeds}"`;
  let xml = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(channel.language)}" xmlns:media="${media}" xmlns:schema="${schema}"${feedly}>`;
  if (channel.nextUrl !== undefined) xml += `${FEED}<link rel="next" href="${escapeXml(channel.nextUrl)}"/>`;
  xml += `${FEED}<id>${escapeText(channel.id)}</id>${FEED}<title>${escapeText(channel.title)}</title>${FEED}<updated>${channel.updated.toISOString()}</updated>${FEED}<generator>Newswire</generator>${FEED}<author>${ENTRY}<name>${escapeText(channel.publisher.name)}</name>${ENTRY}<uri>${escapeText(channel.publisher.url)}</uri>${FEED}</author>${FEED}<link rel="alternate" href="${escapeXml(channel.homeUrl)}"/>${FEED}<link rel="self" href="${escapeXml(channel.selfUrl)}"/>`;
  if (channel.hubUrl !== undefined) xml += `${FEED}<link rel="hub" href="${escapeXml(channel.hubUrl)}"/>`;
  xml += `${FEED}<subtitle>${escapeText(channel.description)}</subtitle>`;
  // The logo is twice as wide as high and the icon square (RFC 4287 §4.2.8, §4.2.5).
  const logo = brand?.logo.url ?? channel.logoUrl;
  const icon = brand?.favicon.url ?? channel.iconUrl;
  if (logo !== undefined) xml += `${FEED}<logo>${escapeText(logo)}</logo>`;
  if (icon !== undefined) xml += `${FEED}<icon>${escapeText(icon)}</icon>`;
  xml += `${FEED}<rights>${escapeText(channel.copyright)}</rights>`;
  if (brand !== undefined) xml += webfeedsXml(brand, FEED);
  for (const entry of entries) xml += atomEntry(entry, channel.language);
  return `${xml}\n</feed>`;
}
