/**
 * Minimal hand-written templates for Newswire's RSS, Atom and JSON Feed:
 * string concatenation (JSON.stringify for JSON Feed) straight from the
 * mapped entries and channel, with no generator, no object tree of the
 * document and no pass over it afterwards. Each produces the same bytes as
 * its renderer for the benchmark's page (the benchmark checks on every run),
 * so they mark the practical limit for rendering these documents in
 * JavaScript. They escape only what the benchmark's articles need and have
 * none of the renderers' guarantees (tested in test/unit/feeds-*.test.ts).
 */
import { type FeedChannel, withLocale } from '../functions/core/feeds/channel.ts';
import { type EntryMedia, type FeedEntry, isCorrected } from '../functions/core/feeds/entry.ts';
import { fullTextHtml } from '../functions/core/feeds/full-text.ts';
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
    children += `\n${inner}<media:description>${text(m.caption)}</media:description>`;
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
  const fullText = fullTextHtml(entry);
  if (fullText !== '') xml += `\n${i}<content:encoded>${cdata(fullText)}</content:encoded>`;
  for (const c of entry.categories) {
    xml +=
      c.scheme === undefined
        ? `\n${i}<category>${text(c.label)}</category>`
        : `\n${i}<category domain="${attribute(c.scheme)}">${text(c.label)}</category>`;
  }
  if (entry.image?.typeKnown === true) {
    xml += `\n${i}<enclosure length="${entry.image.length ?? 0}" type="${attribute(entry.image.type)}" url="${attribute(entry.image.url)}"/>`;
  }
  if (entry.authors.length > 0) {
    xml += `\n${i}<dc:creator>${text(joinNames(entry.authors.map((a) => a.name)))}</dc:creator>`;
  }
  if (isCorrected(entry)) xml += `\n${i}<dcterms:modified>${entry.modified.toISOString()}</dcterms:modified>`;
  if (entry.image !== undefined) xml += mediaContent(entry.image, i);
  for (const m of entry.media) xml += mediaContent(m, i);
  return `${xml}\n        </item>`;
}

const webfeeds = (channel: FeedChannel, c: string) =>
  channel.brand === undefined
    ? ''
    : `${c}<webfeeds:icon>${text(channel.brand.icon.url)}</webfeeds:icon>${c}<webfeeds:logo>${text(channel.brand.logo.url)}</webfeeds:logo>${c}<webfeeds:cover image="${attribute(channel.brand.cover.url)}"/>${c}<webfeeds:accentColor>${channel.brand.accentColor}</webfeeds:accentColor>${c}<webfeeds:related layout="card" target="browser"/>`;

/** RSS 2.0 by hand: the same document as functions/core/feeds/rss.ts. */
export function templateRss(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const { atom, content, dc, dcterms, media, webfeeds: feedly } = NAMESPACES;
  const brand = channel.brand;
  const c = '\n        ';
  const image =
    brand === undefined
      ? ''
      : `${c}<image>${c}    <title>${text(channel.title)}</title>${c}    <url>${text(brand.channelImage.url)}</url>${c}    <link>${text(channel.homeUrl)}</link>${c}    <width>${brand.channelImage.width}</width>${c}    <height>${brand.channelImage.height}</height>${c}</image>`;
  const next =
    channel.nextUrl === undefined
      ? ''
      : `${c}<atom:link href="${attribute(channel.nextUrl)}" rel="next" type="application/rss+xml"/>`;
  const hub =
    channel.hubUrl === undefined ? '' : `${c}<atom:link href="${attribute(channel.hubUrl)}" rel="hub"/>`;
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="${atom}" xmlns:content="${content}" xmlns:dc="${dc}" xmlns:dcterms="${dcterms}" xmlns:media="${media}"${brand === undefined ? '' : ` xmlns:webfeeds="${feedly}"`}>\n    <channel>${c}<title>${text(channel.title)}</title>${c}<link>${text(channel.homeUrl)}</link>${c}<description>${text(channel.description)}</description>${c}<pubDate>${channel.published.toUTCString()}</pubDate>${c}<lastBuildDate>${channel.updated.toUTCString()}</lastBuildDate>${c}<docs>https://validator.w3.org/feed/docs/rss2.html</docs>${c}<generator>Newswire</generator>${c}<language>${text(channel.language)}</language>${image}${c}<copyright>${text(channel.copyright)}</copyright>${c}<atom:link href="${attribute(channel.selfUrl)}" rel="self" type="application/rss+xml"/>${hub}${next}${webfeeds(channel, c)}${entries.map(item).join('')}\n    </channel>\n</rss>`;
}

const atomMedia = (e: FeedEntry) =>
  [...(e.image === undefined ? [] : [e.image]), ...e.media].map((m) => mediaContent(m, '        ')).join('');

/** Atom 1.0 by hand, as one template: the same document as functions/core/feeds/atom.ts. */
export function templateAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const { media, schema, webfeeds: feedly } = NAMESPACES;
  const brand = channel.brand;
  const next =
    channel.nextUrl === undefined ? '' : `\n    <link rel="next" href="${attribute(channel.nextUrl)}"/>`;
  const hub =
    channel.hubUrl === undefined ? '' : `\n    <link rel="hub" href="${attribute(channel.hubUrl)}"/>`;
  const logo = brand === undefined ? '' : `\n    <logo>${text(brand.logo.url)}</logo>`;
  const icon = brand === undefined ? '' : `\n    <icon>${text(brand.favicon.url)}</icon>`;
  const person = (element: string, a: FeedEntry['authors'][number]) => `
        <${element}>
            <name>${text(a.name)}</name>${(a.url ?? a.page) ? `\n            <uri>${text((a.url ?? a.page)!)}</uri>` : ''}${a.title === undefined ? '' : `\n            <schema:jobTitle>${text(a.title)}</schema:jobTitle>`}
        </${element}>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${attribute(channel.language)}" xmlns:media="${media}" xmlns:schema="${schema}"${brand === undefined ? '' : ` xmlns:webfeeds="${feedly}"`}>${next}
    <id>${text(channel.id)}</id>
    <title>${text(channel.title)}</title>
    <updated>${channel.updated.toISOString()}</updated>
    <generator>Newswire</generator>
    <author>
        <name>${text(channel.publisher.name)}</name>
        <uri>${text(channel.publisher.url)}</uri>
    </author>
    <link rel="alternate" href="${attribute(channel.homeUrl)}"/>
    <link rel="self" href="${attribute(channel.selfUrl)}"/>${hub}
    <subtitle>${text(channel.description)}</subtitle>${logo}${icon}
    <rights>${text(channel.copyright)}</rights>${webfeeds(channel, '\n    ')}${entries
      .map(
        (e) => `
    <entry${withLocale(e.language, channel.language) === channel.language ? '' : ` xml:lang="${attribute(withLocale(e.language, channel.language))}"`}>
        <title type="text">${text(e.title)}</title>
        <id>${text(e.guid)}</id>
        <link href="${attribute(e.link)}"/>
        <updated>${e.modified.toISOString()}</updated>
        ${e.summaryIsText ? `<summary type="text">${text(e.summaryText)}</summary>` : `<summary type="html">${cdata(e.summaryHtml)}</summary>`}
        <content type="html">${cdata(fullTextHtml(e))}</content>${
          e.authors.length === 1
            ? person('author', e.authors[0]!)
            : `
        <author>
            <name>${text(joinNames(e.authors.map((a) => a.name)))}</name>
        </author>${e.authors.map((a) => person('contributor', a)).join('')}`
        }${e.categories
          .map(
            (c) => `
        <category label="${attribute(c.label)}"${c.scheme === undefined ? '' : ` scheme="${attribute(c.scheme)}"`} term="${attribute(c.term)}"/>`,
          )
          .join('')}
        <published>${e.published.toISOString()}</published>${atomMedia(e)}
    </entry>`,
      )
      .join('')}
</feed>`;
}

/** JSON Feed 1.1 by hand: one object literal per item, JSON.stringify'd; the same document as functions/core/feeds/json.ts. */
export function templateJson(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  return `${JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: channel.title,
      home_page_url: channel.homeUrl,
      feed_url: channel.selfUrl,
      description: channel.description,
      icon: channel.brand?.icon.url,
      authors: [{ name: channel.publisher.name, url: channel.publisher.url }],
      language: channel.language,
      favicon: channel.brand?.favicon.url,
      next_url: channel.nextUrl,
      hubs: channel.hubUrl === undefined ? undefined : [{ type: 'WebSub', url: channel.hubUrl }],
      items: entries.map((e) => ({
        id: e.guid,
        content_html: fullTextHtml(e),
        url: e.link,
        title: e.title,
        summary: e.summaryText,
        image: e.image?.url,
        date_modified: e.modified.toISOString(),
        date_published: e.published.toISOString(),
        tags: e.categories.map((c) => c.label),
        authors: e.authors.map((a) => ({ name: a.name, url: a.url ?? a.page })),
        language: withLocale(e.language, channel.language),
        attachments: e.media.map((m) => ({
          url: m.url,
          mime_type: m.type,
          title: m.caption,
          size_in_bytes: m.length,
          duration_in_seconds: m.duration,
        })),
        _newswire: {
          byline: e.authors,
          image: e.image === undefined ? undefined : { ...e.image, typeKnown: undefined },
          access: e.premium === undefined ? 'free' : 'premium',
        },
      })),
    },
    null,
    4,
  )}\n`;
}
