import type { Brand } from '../config.ts';
import type { EntryMedia, EntryRendition } from './entry.ts';
import { escapeText, escapeXml } from './xml.ts';

/**
 * The thumbnail Media RSS gives a photo or video: a lead photo's smaller
 * rendition when the CMS sent one, else the photo itself; a video's poster.
 */
function thumbnailOf(media: EntryMedia): EntryRendition | undefined {
  if (media.thumbnail !== undefined || media.medium !== 'image') return media.thumbnail;
  return {
    url: media.url,
    ...(media.width !== undefined && { width: media.width }),
    ...(media.height !== undefined && { height: media.height }),
  };
}

function mediaElement(media: EntryMedia, indent: string): string {
  let open = `\n${indent}<media:content url="${escapeXml(media.url)}" medium="${media.medium}" type="${escapeXml(media.type)}"`;
  if (media.width !== undefined) open += ` width="${media.width}"`;
  if (media.height !== undefined) open += ` height="${media.height}"`;
  if (media.duration !== undefined) open += ` duration="${media.duration}"`;
  if (media.length !== undefined) open += ` fileSize="${media.length}"`;
  const inner = `\n${indent}    `;
  let children = '';
  if (media.caption !== undefined) {
    // No `type`: plain text is Media RSS's default, and feedparser (rss2email and others) files a
    // type="plain" description as the entry's summary, so the caption would replace the story.
    children += `${inner}<media:description>${escapeText(media.caption)}</media:description>`;
  }
  if (media.credit !== undefined)
    children += `${inner}<media:credit>${escapeText(media.credit)}</media:credit>`;
  const thumbnail = thumbnailOf(media);
  if (thumbnail !== undefined) {
    children += `${inner}<media:thumbnail url="${escapeXml(thumbnail.url)}"`;
    if (thumbnail.width !== undefined) children += ` width="${thumbnail.width}"`;
    if (thumbnail.height !== undefined) children += ` height="${thumbnail.height}"`;
    children += '/>';
  }
  return children === '' ? `${open}/>` : `${open}>${children}\n${indent}</media:content>`;
}

/**
 * Media RSS for an item's photos and videos, lead photo first: one
 * `media:content` (with description, credit and thumbnail) each, on lines of
 * their own at `indent`. RSS items and Atom entries carry the same elements.
 */
export function mediaXml(
  entry: { image?: EntryMedia; media: readonly EntryMedia[] },
  indent: string,
): string {
  let xml = '';
  if (entry.image !== undefined) xml += mediaElement(entry.image, indent);
  for (const media of entry.media) xml += mediaElement(media, indent);
  return xml;
}

/** Writers' names as one credit: "Ana Ortiz", "Ana Ortiz and Lee Min", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Feedly's `webfeeds:` elements (https://blog.feedly.com/10-ways-to-optimize-your-feed-for-feedly/):
 * the square icon, the wide logo, the cover, the accent colour, and the related-content card.
 */
export function webfeedsXml(brand: Brand, indent: string): string {
  return `${indent}<webfeeds:icon>${escapeText(brand.icon.url)}</webfeeds:icon>${indent}<webfeeds:logo>${escapeText(brand.logo.url)}</webfeeds:logo>${indent}<webfeeds:cover image="${escapeXml(brand.cover.url)}"/>${indent}<webfeeds:accentColor>${brand.accentColor}</webfeeds:accentColor>${indent}<webfeeds:related layout="card" target="browser"/>`;
}
