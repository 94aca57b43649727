import type { EntryMedia } from './entry.ts';
import { shield } from './xml.ts';

/**
 * Media RSS (`media:content` with description, credit and thumbnail) for one
 * photo or video, as an xml-js compact object with shielded strings, shared
 * by the RSS and Atom renderers. A lead photo's thumbnail is its smaller
 * rendition when the CMS sent one, else the photo itself; a video's is its poster.
 */
export function mediaContent(media: EntryMedia): Record<string, unknown> {
  const size = {
    ...(media.width !== undefined && { width: media.width }),
    ...(media.height !== undefined && { height: media.height }),
  };
  const thumbnail = media.thumbnail ?? (media.medium === 'image' ? { url: media.url, ...size } : undefined);
  return {
    _attributes: {
      url: shield(media.url),
      medium: media.medium,
      type: shield(media.type),
      ...size,
      ...(media.duration !== undefined && { duration: media.duration }),
      ...(media.length !== undefined && { fileSize: media.length }),
    },
    ...(media.caption !== undefined && {
      'media:description': { _attributes: { type: 'plain' }, _text: shield(media.caption) },
    }),
    ...(media.credit !== undefined && { 'media:credit': { _text: shield(media.credit) } }),
    ...(thumbnail !== undefined && {
      'media:thumbnail': {
        _attributes: {
          url: shield(thumbnail.url),
          ...(thumbnail.width !== undefined && { width: thumbnail.width }),
          ...(thumbnail.height !== undefined && { height: thumbnail.height }),
        },
      },
    }),
  };
}

/** The photos and videos of an item as Media RSS, lead photo first. */
export function mediaContents(entry: {
  image?: EntryMedia;
  media: readonly EntryMedia[];
}): Record<string, unknown>[] {
  return [...(entry.image === undefined ? [] : [entry.image]), ...entry.media].map(mediaContent);
}

/** Writers' names as one credit: "Ana Ortiz", "Ana Ortiz and Lee Min", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
