import { type FeedChannel, withLocale } from './channel.ts';
import { type EntryMedia, type FeedEntry, feedCategories } from './entry.ts';
import { fullTextHtml } from './full-text.ts';

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

/** The lead photo as `_newswire.image` shows it: what the standard fields cannot hold. */
function imageOf(image: EntryMedia): JsonObject {
  const { typeKnown: _typeKnown, ...shown } = image;
  return shown;
}

/**
 * One JSON Feed item. `_newswire` is Newswire's extension: what the standard
 * fields cannot hold (writers' titles, the photo's caption, credit, size and
 * thumbnail, and the story's access level: `free`, or `premium` for a
 * subscribers' story).
 */
function jsonItem(entry: FeedEntry, language: string): JsonObject {
  const fullText = fullTextHtml(entry);
  const content = fullText === '' ? entry.summaryHtml : fullText;
  const item: JsonObject = { id: entry.guid, content_html: content, url: entry.link, title: entry.title };
  // JSON Feed's summary is plain text.
  if (entry.summaryText !== '' && content !== '') item.summary = entry.summaryText;
  if (entry.image !== undefined) item.image = entry.image.url;
  item.date_modified = entry.modified.toISOString();
  item.date_published = entry.published.toISOString();
  item.tags = feedCategories(entry).map((c) => c.label);
  if (entry.authors.length > 0) {
    item.authors = entry.authors.map((a) => {
      const url = a.url ?? a.page;
      return url === undefined ? { name: a.name } : { name: a.name, url };
    });
  }
  item.language = withLocale(entry.language, language);
  if (entry.media.length > 0) item.attachments = attachments(entry.media);
  const access = entry.premium === undefined ? 'free' : 'premium';
  item._newswire =
    entry.image === undefined
      ? { byline: entry.authors, access }
      : { byline: entry.authors, image: imageOf(entry.image), access };
  return item;
}

/** Renders one page of a feed as JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export function renderJson(channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed: JsonObject = {
    version: VERSION_1_1,
    title: channel.title,
    home_page_url: channel.homeUrl,
    feed_url: channel.selfUrl,
    description: channel.description,
  };
  // JSON Feed's icon is 512 × 512 and its favicon 64 × 64 (JSON Feed 1.1).
  const icon = channel.brand?.icon.url ?? channel.logoUrl;
  const favicon = channel.brand?.favicon.url ?? channel.iconUrl;
  if (icon !== undefined) feed.icon = icon;
  feed.authors = [{ name: channel.publisher.name, url: channel.publisher.url }];
  feed.language = channel.language;
  if (favicon !== undefined) feed.favicon = favicon;
  if (channel.nextUrl !== undefined) feed.next_url = channel.nextUrl;
  if (channel.hubUrl !== undefined) feed.hubs = [{ type: 'WebSub', url: channel.hubUrl }];
  feed.items = entries.map((entry) => jsonItem(entry, channel.language));
  return `${JSON.stringify(feed, null, 4)}\n`;
}
