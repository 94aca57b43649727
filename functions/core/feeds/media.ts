import type { EntryImage } from './entry.ts';
import { shield } from './xml.ts';

/**
 * Media RSS (`media:content` with description, credit and thumbnail) for a
 * lead photo, as an xml-js compact object with shielded strings, shared by
 * the RSS and Atom renderers.
 */
export function mediaContent(image: EntryImage): Record<string, unknown> {
  const size = {
    ...(image.width !== undefined && { width: image.width }),
    ...(image.height !== undefined && { height: image.height }),
  };
  return {
    _attributes: {
      url: shield(image.url),
      medium: 'image',
      type: shield(image.type),
      ...size,
      ...(image.length !== undefined && { fileSize: image.length }),
    },
    ...(image.caption !== undefined && {
      'media:description': { _attributes: { type: 'plain' }, _text: shield(image.caption) },
    }),
    ...(image.credit !== undefined && { 'media:credit': { _text: shield(image.credit) } }),
    'media:thumbnail': { _attributes: { url: shield(image.url), ...size } },
  };
}
