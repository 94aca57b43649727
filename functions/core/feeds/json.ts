import { Feed } from 'feed';
import type { FeedChannel } from './channel.ts';
import type { FeedEntry } from './entry.ts';

const VERSION = 'https://jsonfeed.org/version/1.1';

type JsonObject = Record<string, unknown>;

function authorsOf(entry: FeedEntry): JsonObject[] {
  return entry.authors.map((a) => ({ name: a.name, ...(a.url !== undefined && { url: a.url }) }));
}

/**
 * Newswire's JSON Feed extension: what the standard fields cannot hold
 * (writers' titles, the photo's caption, credit and size).
 */
function extensionOf(entry: FeedEntry): JsonObject {
  return {
    byline: entry.authors.map((a) => ({ ...a })),
    ...(entry.image !== undefined && { image: { ...entry.image } }),
  };
}

/**
 * Renders one page of a feed as JSON Feed 1.1. The `feed` package writes
 * JSON Feed 1.0; its output is upgraded here (version, `authors`,
 * `language`, `next_url`, `hubs`).
 */
export function renderJson(channel: FeedChannel, entries: FeedEntry[]): string {
  const feed = new Feed({
    id: channel.id,
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    updated: channel.updated,
    feedLinks: { json: channel.selfUrl },
    ...(channel.logoUrl !== undefined && { image: channel.logoUrl }),
  });
  for (const entry of entries) {
    feed.addItem({
      id: entry.guid,
      title: entry.title,
      link: entry.link,
      date: entry.modified,
      published: entry.published,
      description: entry.summaryHtml,
      content: entry.contentHtml === '' ? entry.summaryHtml : entry.contentHtml,
      ...(entry.image !== undefined && { image: entry.image.url }),
      category: entry.categories.map((c) => ({ name: c.label })),
    });
  }
  const generated = JSON.parse(feed.json1()) as JsonObject & { items: JsonObject[] };
  const { author: _author, items, ...top } = generated;
  const upgraded: JsonObject = {
    ...top,
    version: VERSION,
    language: channel.language,
    authors: [{ name: channel.publisher.name, url: channel.publisher.url }],
    ...(channel.iconUrl !== undefined && { favicon: channel.iconUrl }),
    ...(channel.nextUrl !== undefined && { next_url: channel.nextUrl }),
    ...(channel.hubUrl !== undefined && { hubs: [{ type: 'WebSub', url: channel.hubUrl }] }),
    items: items.map((item, i) => {
      const entry = entries[i]!;
      const { author: _itemAuthor, ...rest } = item;
      return {
        ...rest,
        summary: entry.summaryHtml,
        ...(entry.authors.length > 0 && { authors: authorsOf(entry) }),
        language: entry.language,
        _newswire: extensionOf(entry),
      };
    }),
  };
  return `${JSON.stringify(upgraded, null, 2)}\n`;
}
