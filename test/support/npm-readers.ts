import { Readable } from 'node:stream';
import { extract } from '@extractus/feed-extractor';
import { parseFeed as parseRowanmanningFeed } from '@rowanmanning/feed-parser';
import FeedParser from 'feedparser';
import { parseFeed } from 'feedsmith';
import Parser from 'rss-parser';
import type { ReaderItem } from './readers.ts';

/**
 * The npm parsers that apps are built on, each used the way its README shows:
 * default options, its own fetching where it has one. What each exposes is
 * reported as it is, under its own names; the only reading done here is
 * picking a value out of the structure the parser returns.
 */

/** A string value, or '' when the parser gave none. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Values present, in order, as strings (a parser's single value or array alike). */
function texts(...values: unknown[]): string[] {
  return values
    .flat()
    .map(text)
    .filter((v) => v !== '');
}

/** rss-parser 3 (default options): RSS and Atom; no JSON Feed. */
export async function readWithRssParser(url: string): Promise<ReaderItem[]> {
  const feed = await new Parser().parseURL(url);
  return feed.items.map((item) => {
    const raw = item as Record<string, unknown>;
    const authors: Record<string, string[]> = {};
    for (const field of ['creator', 'author', 'dc:creator']) {
      if (raw[field] !== undefined) authors[field] = texts(raw[field]);
    }
    // For RSS, rss-parser puts <description> in `content` and <content:encoded> in its own key.
    const isAtom = raw.id !== undefined && raw.guid === undefined;
    return {
      id: text(raw.guid ?? raw.id),
      title: text(raw.title),
      authors,
      content: text(raw['content:encoded'] ?? raw.content),
      summary: text(isAtom ? raw.summary : raw.content),
      media: item.enclosure === undefined ? [] : [item.enclosure.url],
      categories: ((raw.categories as unknown[] | undefined) ?? []).map((c) =>
        typeof c === 'object' && c !== null ? text((c as { _?: unknown })._) : text(c),
      ),
      raw: item,
    };
  });
}

/** feedsmith 3 (`parseFeed`, the universal parser): RSS, Atom and JSON Feed. Apps fetch; feedsmith parses. */
export async function readWithFeedsmith(url: string): Promise<ReaderItem[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`feedsmith: ${url}: HTTP ${response.status}`);
  const parsed = parseFeed(await response.text());
  switch (parsed.format) {
    case 'rss':
      return (parsed.feed.items ?? []).map((item) => ({
        id: text(item.guid?.value),
        title: text(item.title),
        authors: {
          ...(item.authors !== undefined && { authors: texts(item.authors.map((a) => a.name ?? a.email)) }),
          ...(item.dc?.creators !== undefined && { 'dc.creators': texts(item.dc.creators) }),
        },
        content: text(item.content?.encoded ?? item.description),
        summary: text(item.description),
        media: texts(
          (item.enclosures ?? []).map((e) => e.url),
          (item.media?.contents ?? []).flatMap((c) => [c.url, ...(c.thumbnails ?? []).map((t) => t.url)]),
          (item.media?.thumbnails ?? []).map((t) => t.url),
        ),
        categories: texts((item.categories ?? []).map((c) => c.name)),
        raw: item,
      }));
    case 'atom':
      return (parsed.feed.entries ?? []).map((entry) => ({
        id: text(entry.id),
        title: text(entry.title?.value),
        authors: entry.authors === undefined ? {} : { authors: texts(entry.authors.map((a) => a.name)) },
        content: text(entry.content?.value),
        summary: text(entry.summary?.value),
        media: texts(
          (entry.media?.contents ?? []).flatMap((c) => [c.url, ...(c.thumbnails ?? []).map((t) => t.url)]),
          (entry.media?.thumbnails ?? []).map((t) => t.url),
        ),
        categories: texts((entry.categories ?? []).map((c) => c.label ?? c.term)),
        raw: entry,
      }));
    case 'json':
      return (parsed.feed.items ?? []).map((item) => ({
        id: text(item.id),
        title: text(item.title),
        authors: item.authors === undefined ? {} : { authors: texts(item.authors.map((a) => a.name)) },
        content: text(item.content_html ?? item.content_text),
        summary: text(item.summary),
        media: texts(
          item.image,
          item.banner_image,
          (item.attachments ?? []).map((a) => a.url),
        ),
        categories: texts(item.tags ?? []),
        raw: item,
      }));
    default:
      throw new Error(`feedsmith: ${url}: read as ${parsed.format}`);
  }
}

/** A value of fast-xml-parser's output (feed-extractor's raw entries): text, or `#text` of an element with attributes. */
function xmlText(value: unknown): string {
  if (typeof value === 'object' && value !== null && '#text' in value) return text(value['#text']);
  return text(value);
}

/** An attribute of a fast-xml-parser element (`@_name`), for each element of a single one or an array. */
function xmlAttributes(value: unknown, name: string): string[] {
  return [value]
    .flat()
    .map((v) =>
      typeof v === 'object' && v !== null ? text((v as Record<string, unknown>)[`@_${name}`]) : '',
    )
    .filter((v) => v !== '');
}

function entryMedia(raw: Record<string, unknown>): string[] {
  const contents = [raw['media:content']].flat().filter((c) => c !== undefined);
  return [
    ...xmlAttributes(raw.enclosure, 'url'),
    ...contents.flatMap((c) => [
      ...xmlAttributes(c, 'url'),
      ...xmlAttributes((c as Record<string, unknown>)['media:thumbnail'], 'url'),
    ]),
    ...xmlAttributes(raw['media:thumbnail'], 'url'),
    ...texts(raw.image, raw.banner_image),
  ];
}

/**
 * @extractus/feed-extractor 8 (`extract`, default options): its normalised
 * entry has only id, title, link, published and `description` (the summary,
 * stripped of tags and cut to 250 characters). Authors, full text, media and
 * categories are not in it; an app gets them from the parsed entry through
 * the documented `getExtraEntryFields` hook, as fast-xml-parser left them, and
 * that is what is reported for those fields.
 */
export async function readWithFeedExtractor(url: string): Promise<ReaderItem[]> {
  const feed = await extract(url, { getExtraEntryFields: (entry) => ({ entry }) });
  return (feed.entries ?? []).map(({ entry, ...normalised }) => {
    const raw = entry as Record<string, unknown>;
    const authors: Record<string, string[]> = {};
    if (raw['dc:creator'] !== undefined) authors['dc:creator'] = [raw['dc:creator']].flat().map(xmlText);
    if (raw.author !== undefined) {
      // RSS <author> is text; an Atom <author> or JSON Feed 1.0 author is an object with a name.
      authors.author = [raw.author].flat().map((a) => xmlText((a as { name?: unknown })?.name ?? a));
    }
    if (Array.isArray(raw.authors))
      authors.authors = raw.authors.map((a) => text((a as { name?: unknown }).name));
    return {
      id: normalised.id,
      title: text(normalised.title),
      authors,
      content: xmlText(raw['content:encoded'] ?? raw.content ?? raw.content_html),
      summary: text(normalised.description),
      media: entryMedia(raw),
      categories: [raw.category ?? raw.tags]
        .flat()
        .filter((c) => c !== undefined)
        .map((c) => xmlAttributes(c, 'label')[0] ?? xmlAttributes(c, 'term')[0] ?? xmlText(c)),
      raw: { normalised, entry },
    };
  });
}

/**
 * npm `feedparser` 2 (the streaming parser behind many Node readers and
 * services), default options: RSS and Atom. Its item exposes one `author`
 * string, `description` (the full text: content:encoded or Atom content,
 * else the summary), `summary`, `categories`, `enclosures` and `image`.
 */
export async function readWithNpmFeedparser(url: string): Promise<ReaderItem[]> {
  const response = await fetch(url);
  if (!response.ok || response.body === null)
    throw new Error(`npm feedparser: ${url}: HTTP ${response.status}`);
  const parser = new FeedParser({});
  const items: FeedParser.Item[] = [];
  const done = new Promise<void>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('readable', () => {
      for (let item = parser.read(); item !== null; item = parser.read()) items.push(item);
    });
    parser.on('end', () => resolve());
  });
  Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]).pipe(parser);
  await done;
  return items.map((item) => ({
    id: text(item.guid),
    title: text(item.title),
    authors: item.author === null || item.author === undefined ? {} : { author: [text(item.author)] },
    content: text(item.description),
    summary: text(item.summary),
    media: texts(
      item.enclosures.map((e) => e.url),
      item.image?.url,
    ),
    categories: texts(item.categories),
    raw: item,
  }));
}

/** @rowanmanning/feed-parser 2 (`parseFeed`, default options): RSS and Atom; apps fetch, it parses. */
export async function readWithRowanmanningFeedParser(url: string): Promise<ReaderItem[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`@rowanmanning/feed-parser: ${url}: HTTP ${response.status}`);
  const feed = parseRowanmanningFeed(await response.text());
  return feed.items.map((item) => ({
    id: text(item.id),
    title: text(item.title),
    authors: item.authors.length === 0 ? {} : { authors: texts(item.authors.map((a) => a.name)) },
    content: text(item.content),
    summary: text(item.description),
    media: texts(item.media.flatMap((m) => [m.url, m.image])),
    categories: texts(item.categories.map((c) => c.label ?? c.term)),
    raw: item,
  }));
}
