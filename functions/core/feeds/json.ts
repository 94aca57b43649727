import { Feed } from 'feed';
import type { FeedChannel } from './channel.ts';
import { type EntryMedia, type FeedEntry, feedCategories } from './entry.ts';

type JsonObject = Record<string, unknown>;

const VERSION_1_1 = 'https://jsonfeed.org/version/1.1';

/** JSON Feed attachments for the photos and videos after the body. */
function attachments(media: readonly EntryMedia[]): JsonObject[] {
  return media.map((m) => ({
    url: m.url,
    mime_type: m.type,
    ...(m.caption !== undefined && { title: m.caption }),
    ...(m.length !== undefined && { size_in_bytes: m.length }),
    ...(m.duration !== undefined && { duration_in_seconds: m.duration }),
  }));
}

/**
 * Newswire's JSON Feed extension: what the standard fields cannot hold
 * (writers' titles, the photo's caption, credit, size and thumbnail, and
 * the story's access level: `free`, or `premium` for a subscribers' story).
 */
function extensionOf(entry: FeedEntry): JsonObject {
  const access = entry.premium === undefined ? 'free' : 'premium';
  return entry.image === undefined
    ? { byline: entry.authors, access }
    : { byline: entry.authors, image: entry.image, access };
}

/**
 * Renders one page of a feed as JSON Feed 1.1. The `feed` package writes
 * JSON Feed 1.0; the 1.1 fields (`authors`, `language`, `next_url`, `hubs`,
 * `favicon`, `attachments`) go in through its extensions, and so does the
 * version (an extension named `version` takes the place of the generator's).
 */
export function renderJson(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    id: channel.id,
    title: channel.title,
    description: channel.description,
    link: channel.homeUrl,
    updated: channel.updated,
    feedLinks: { json: channel.selfUrl },
    ...(channel.logoUrl !== undefined && { image: channel.logoUrl }),
  });
  const top: JsonObject = {
    version: VERSION_1_1,
    authors: [{ name: channel.publisher.name, url: channel.publisher.url }],
    language: channel.language,
    ...(channel.iconUrl !== undefined && { favicon: channel.iconUrl }),
    ...(channel.nextUrl !== undefined && { next_url: channel.nextUrl }),
    ...(channel.hubUrl !== undefined && { hubs: [{ type: 'WebSub', url: channel.hubUrl }] }),
  };
  for (const [name, value] of Object.entries(top)) {
    feed.addExtension({ name, objects: value as JsonObject });
  }
  for (const entry of entries) {
    const extensions: { name: string; objects: JsonObject }[] = [];
    if (entry.authors.length > 0) {
      const authors = entry.authors.map((a) => {
        const url = a.url ?? a.page;
        return url === undefined ? { name: a.name } : { name: a.name, url };
      });
      extensions.push({ name: 'authors', objects: authors as unknown as JsonObject });
    }
    extensions.push({ name: 'language', objects: entry.language as unknown as JsonObject });
    if (entry.media.length > 0) {
      extensions.push({ name: 'attachments', objects: attachments(entry.media) as unknown as JsonObject });
    }
    extensions.push({ name: '_newswire', objects: extensionOf(entry) });
    feed.addItem({
      id: entry.guid,
      title: entry.title,
      link: entry.link,
      date: entry.modified,
      published: entry.published,
      // JSON Feed's summary is plain text.
      description: entry.summaryText,
      content: entry.contentHtml === '' ? entry.summaryHtml : entry.contentHtml,
      ...(entry.image !== undefined && { image: entry.image.url }),
      category: feedCategories(entry).map((c) => ({ name: c.label })),
      extensions,
    });
  }
  return `${feed.json1()}\n`;
}
