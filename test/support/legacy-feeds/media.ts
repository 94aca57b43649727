import type { EntryMedia, EntryRendition } from '../../../functions/core/feeds/entry.ts';
import { escapeXml, type Shield } from './xml.ts';

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes a text node written by hand (quotes stay as they are, as the generator leaves them). */
export function escapeText(value: string): string {
  return /[&<>]/.test(value) ? value.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] ?? c) : value;
}

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

/**
 * Media RSS (`media:content` with description, credit and thumbnail) for one
 * photo or video, as the generator's element object (RSS item extensions).
 */
function mediaContent(media: EntryMedia, shield: Shield): Record<string, unknown> {
  const thumbnail = thumbnailOf(media);
  const attributes: Record<string, string | number> = {
    url: escapeXml(media.url),
    medium: media.medium,
    type: escapeXml(media.type),
  };
  if (media.width !== undefined) attributes.width = media.width;
  if (media.height !== undefined) attributes.height = media.height;
  if (media.duration !== undefined) attributes.duration = media.duration;
  if (media.length !== undefined) attributes.fileSize = media.length;
  const element: Record<string, unknown> = { _attributes: attributes };
  if (media.caption !== undefined) {
    element['media:description'] = { _attributes: { type: 'plain' }, _text: shield.text(media.caption) };
  }
  if (media.credit !== undefined) element['media:credit'] = { _text: shield.text(media.credit) };
  if (thumbnail !== undefined) {
    const size: Record<string, string | number> = { url: escapeXml(thumbnail.url) };
    if (thumbnail.width !== undefined) size.width = thumbnail.width;
    if (thumbnail.height !== undefined) size.height = thumbnail.height;
    element['media:thumbnail'] = { _attributes: size };
  }
  return element;
}

/** The photos and videos of an item as the generator's Media RSS elements, lead photo first. */
export function mediaContents(
  entry: { image?: EntryMedia; media: readonly EntryMedia[] },
  shield: Shield,
): Record<string, unknown>[] {
  const contents = entry.media.map((m) => mediaContent(m, shield));
  if (entry.image !== undefined) contents.unshift(mediaContent(entry.image, shield));
  return contents;
}

/**
 * The same Media RSS as XML text, for formats whose generator takes no
 * per-item extensions (Atom): each element on a new line at `indent`, in the
 * layout the generator writes.
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

function mediaElement(media: EntryMedia, indent: string): string {
  let open = `\n${indent}<media:content url="${escapeXml(media.url)}" medium="${media.medium}" type="${escapeXml(media.type)}"`;
  if (media.width !== undefined) open += ` width="${media.width}"`;
  if (media.height !== undefined) open += ` height="${media.height}"`;
  if (media.duration !== undefined) open += ` duration="${media.duration}"`;
  if (media.length !== undefined) open += ` fileSize="${media.length}"`;
  const inner = `\n${indent}    `;
  let children = '';
  if (media.caption !== undefined) {
    children += `${inner}<media:description type="plain">${escapeText(media.caption)}</media:description>`;
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

/** Writers' names as one credit: "Ana Ortiz", "Ana Ortiz and Lee Min", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
