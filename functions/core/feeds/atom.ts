import { Feed } from 'feed';
import type { FeedChannel } from './channel.ts';
import { type FeedEntry, feedCategories } from './entry.ts';
import { escapeText, mediaXml } from './media.ts';
import { NAMESPACES } from './namespaces.ts';
import { escapeXml, Shield } from './xml.ts';

const { media, schema } = NAMESPACES;

const ROOT = '<feed xmlns="http://www.w3.org/2005/Atom">';
const TITLE = '<title type="html"><![CDATA[';
const SUMMARY = '<summary type="html"><![CDATA[';
const ENTRY_END = '\n    </entry>';
/** What the pass below looks for in the generator's output; CDATA content is skipped whole. */
const LANDMARKS =
  /<title type="html"><!\[CDATA\[|<summary type="html"><!\[CDATA\[|<!\[CDATA\[|<\/author>|<\/entry>/g;

/**
 * Adds, in one pass over the generator's output, what it cannot write:
 *
 * - the root's `xml:lang`, namespaces and RFC 5005 `next` link;
 * - plain-text titles and summaries: the generator marks every entry title
 *   and summary `type="html"` inside CDATA; headlines are plain text, and so
 *   are most summaries, so they become `type="text"` and readers show
 *   `Lund & Marsh`, not `Lund &amp; Marsh` (HTML summaries stay as they are);
 * - each writer's title inside their person construct (`schema:jobTitle`, an
 *   Atom extension element);
 * - each entry's Media RSS.
 *
 * CDATA never holds `]]>` here (Shield.cdata hides it, and full texts are
 * still stand-ins), so a section ends at the first `]]>`, and the pass jumps
 * over it: an article's HTML cannot be mistaken for the generator's tags.
 */
function extend(xml: string, channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const root = xml.indexOf(ROOT);
  if (root < 0) throw new Error('no Atom <feed> element');
  const parts: string[] = [
    xml.slice(0, root),
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(channel.language)}" xmlns:media="${media}" xmlns:schema="${schema}">`,
  ];
  if (channel.nextUrl !== undefined) {
    parts.push(`\n    <link rel="next" href="${escapeXml(channel.nextUrl)}"/>`);
  }
  // The feed's own author (the publisher) comes first and has no title.
  const titles = [undefined, ...entries.flatMap((e) => e.authors.map((a) => a.title))];
  let author = 0;
  let entry = 0;
  let at = root + ROOT.length;
  LANDMARKS.lastIndex = at;
  for (let match = LANDMARKS.exec(xml); match !== null; match = LANDMARKS.exec(xml)) {
    const found = match[0];
    const start = match.index;
    if (found === '</author>' || found === '</entry>') {
      if (found === '</entry>') {
        const media = mediaXml(entries[entry++] ?? { media: [] }, '        ');
        if (media === '') {
          parts.push(xml.slice(at, start), found);
        } else {
          // Media RSS goes on lines of its own, before the line break that closes the entry.
          const lineEnd = start - (ENTRY_END.length - found.length);
          if (!xml.startsWith(ENTRY_END, lineEnd)) throw new Error('unexpected </entry> layout');
          parts.push(xml.slice(at, lineEnd), media, ENTRY_END);
        }
      } else {
        parts.push(xml.slice(at, start));
        const title = titles[author++];
        parts.push(
          title === undefined
            ? '</author>'
            : `    <schema:jobTitle>${escapeText(title)}</schema:jobTitle>\n        </author>`,
        );
      }
      at = start + found.length;
      continue;
    }
    const end = xml.indexOf(']]>', start + found.length);
    if (end < 0) throw new Error('unterminated CDATA section');
    LANDMARKS.lastIndex = end + 3;
    const plain = found === TITLE || (found === SUMMARY && entries[entry]?.summaryIsText === true);
    if (!plain) continue;
    const name = found === TITLE ? 'title' : 'summary';
    const close = `]]></${name}>`;
    if (!xml.startsWith(close, end)) throw new Error(`unexpected ${name} element`);
    parts.push(
      xml.slice(at, start),
      `<${name} type="text">${escapeText(xml.slice(start + found.length, end))}</${name}>`,
    );
    at = end + close.length;
    LANDMARKS.lastIndex = at;
  }
  parts.push(xml.slice(at));
  return parts.join('');
}

/** Renders one page of a feed as Atom 1.0 with Media RSS and RFC 5005 paging links. */
export function renderAtom(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const shield = new Shield();
  const feed = new Feed({
    id: channel.id,
    title: shield.text(channel.title),
    description: shield.text(channel.description),
    link: channel.homeUrl,
    language: channel.language,
    copyright: shield.text(channel.copyright),
    updated: channel.updated,
    generator: 'Newswire',
    feed: channel.selfUrl,
    author: { name: shield.text(channel.publisher.name), link: channel.publisher.url },
    ...(channel.hubUrl !== undefined && { hub: channel.hubUrl }),
    ...(channel.logoUrl !== undefined && { image: shield.text(channel.logoUrl) }),
    ...(channel.iconUrl !== undefined && { favicon: shield.text(channel.iconUrl) }),
  });
  for (const entry of entries) {
    feed.addItem({
      title: shield.cdata(entry.title),
      id: entry.guid,
      link: entry.link,
      date: entry.modified,
      published: entry.published,
      description: shield.cdata(entry.summaryIsText ? entry.summaryText : entry.summaryHtml),
      ...(entry.contentHtml !== '' && { content: shield.fullText(entry.contentHtml) }),
      author: entry.authors.map((a) => ({
        name: shield.text(a.name),
        ...((a.url ?? a.page) !== undefined && { link: a.url ?? a.page }),
      })),
      category: feedCategories(entry).map((c) => ({
        term: shield.ampersandEscaped(c.term),
        name: shield.ampersandEscaped(c.label),
        ...(c.scheme !== undefined && { scheme: c.scheme }),
      })),
    });
  }
  return shield.restore(extend(feed.atom1(), channel, entries));
}
