/**
 * A hand-written template for Newswire's RSS: string concatenation straight
 * from the mapped entries, with no generator, no object tree and no escaping
 * passes over the document. It produces the same bytes as the RSS renderer
 * (the benchmark checks), so it marks the practical limit for rendering this
 * RSS in JavaScript.
 */
import type { FeedChannel } from '../functions/core/feeds/channel.ts';
import { type EntryMedia, type FeedEntry, isCorrected } from '../functions/core/feeds/entry.ts';
import { joinNames } from '../functions/core/feeds/media.ts';
import { NAMESPACES } from '../functions/core/feeds/namespaces.ts';

const TEXT = /[&<>]/g;
const ATTRIBUTE = /[&<>"]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

const text = (value: string) => (/[&<>]/.test(value) ? value.replace(TEXT, (c) => ESCAPES[c]!) : value);
const attribute = (value: string | number) =>
  typeof value === 'number' || !/[&<>"]/.test(value) ? value : value.replace(ATTRIBUTE, (c) => ESCAPES[c]!);
const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

function mediaContent(m: EntryMedia, indent: string): string {
  const size = m.width !== undefined && m.height !== undefined;
  let open = `${indent}<media:content url="${attribute(m.url)}" medium="${m.medium}" type="${attribute(m.type)}"`;
  if (m.width !== undefined) open += ` width="${m.width}"`;
  if (m.height !== undefined) open += ` height="${m.height}"`;
  if (m.duration !== undefined) open += ` duration="${m.duration}"`;
  if (m.length !== undefined) open += ` fileSize="${m.length}"`;
  const inner = `${indent}    `;
  let children = '';
  if (m.caption !== undefined) {
    children += `\n${inner}<media:description type="plain">${text(m.caption)}</media:description>`;
  }
  if (m.credit !== undefined) children += `\n${inner}<media:credit>${text(m.credit)}</media:credit>`;
  const thumbnail =
    m.thumbnail ??
    (m.medium === 'image' ? { url: m.url, ...(size && { width: m.width, height: m.height }) } : undefined);
  if (thumbnail !== undefined) {
    children += `\n${inner}<media:thumbnail url="${attribute(thumbnail.url)}"`;
    if (thumbnail.width !== undefined) children += ` width="${thumbnail.width}"`;
    if (thumbnail.height !== undefined) children += ` height="${thumbnail.height}"`;
    children += '/>';
  }
  return children === '' ? `\n${open}/>` : `\n${open}>${children}\n${indent}</media:content>`;
}

function item(entry: FeedEntry): string {
  const i = '            ';
  let xml = `\n        <item>\n${i}<title>${text(entry.title)}</title>\n${i}<link>${text(entry.link)}</link>\n${i}<guid isPermaLink="false">${text(entry.guid)}</guid>\n${i}<pubDate>${entry.published.toUTCString()}</pubDate>`;
  if (entry.summaryHtml !== '') xml += `\n${i}<description>${cdata(entry.summaryHtml)}</description>`;
  if (entry.contentHtml !== '') xml += `\n${i}<content:encoded>${cdata(entry.contentHtml)}</content:encoded>`;
  for (const c of entry.categories) {
    xml +=
      c.scheme === undefined
        ? `\n${i}<category>${text(c.label)}</category>`
        : `\n${i}<category domain="${attribute(c.scheme)}">${text(c.label)}</category>`;
  }
  if (entry.image?.length !== undefined) {
    xml += `\n${i}<enclosure length="${entry.image.length}" type="${attribute(entry.image.type)}" url="${attribute(entry.image.url)}"/>`;
  }
  if (entry.authors.length > 0) {
    xml += `\n${i}<dc:creator>${text(joinNames(entry.authors.map((a) => a.name)))}</dc:creator>`;
  }
  if (isCorrected(entry)) xml += `\n${i}<dcterms:modified>${entry.modified.toISOString()}</dcterms:modified>`;
  if (entry.image !== undefined) xml += mediaContent(entry.image, i);
  for (const m of entry.media) xml += mediaContent(m, i);
  return `${xml}\n        </item>`;
}

/** Renders RSS 2.0 by hand: the same document as functions/core/feeds/rss.ts. */
export function templateRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const { atom, content, dc, dcterms, media } = NAMESPACES;
  const hasContent = entries.some((e) => e.contentHtml !== '');
  const namespaces = hasContent
    ? ` xmlns:dc="${dc}" xmlns:content="${content}" xmlns:atom="${atom}" xmlns:dcterms="${dcterms}" xmlns:media="${media}"`
    : ` xmlns:atom="${atom}" xmlns:content="${content}" xmlns:dc="${dc}" xmlns:dcterms="${dcterms}" xmlns:media="${media}"`;
  const c = '        ';
  let xml = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"${namespaces}>\n    <channel>\n${c}<title>${text(channel.title)}</title>\n${c}<link>${text(channel.homeUrl)}</link>\n${c}<description>${text(channel.description)}</description>\n${c}<lastBuildDate>${channel.updated.toUTCString()}</lastBuildDate>\n${c}<docs>https://validator.w3.org/feed/docs/rss2.html</docs>\n${c}<generator>Newswire</generator>\n${c}<language>${text(channel.language)}</language>`;
  if (channel.logoUrl !== undefined) {
    xml += `\n${c}<image>\n${c}    <title>${text(channel.title)}</title>\n${c}    <url>${text(channel.logoUrl)}</url>\n${c}    <link>${text(channel.homeUrl)}</link>\n${c}</image>`;
  }
  xml += `\n${c}<copyright>${text(channel.copyright)}</copyright>\n${c}<atom:link href="${attribute(channel.selfUrl)}" rel="self" type="application/rss+xml"/>`;
  if (channel.hubUrl !== undefined) xml += `\n${c}<atom:link href="${attribute(channel.hubUrl)}" rel="hub"/>`;
  for (const entry of entries) xml += item(entry);
  if (channel.nextUrl !== undefined) {
    xml += `\n${c}<atom:link rel="next" href="${attribute(channel.nextUrl)}"/>`;
  }
  return `${xml}\n    </channel>\n</rss>`;
}
