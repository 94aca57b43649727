import { deflateSync } from 'node:zlib';
import { cacheableResponse } from './http/conditional.ts';
import type { HttpEvent, HttpResult } from './http/types.ts';

/**
 * The site's two images, drawn in code so the repository holds no binaries:
 * a white "N" over a wire on the brand red. The logo (144 px, the RSS
 * channel image's recommended maximum width) is the feeds' channel image;
 * the icon is the favicon and the Atom/JSON icon.
 */

const RED = [0xb3, 0x00, 0x1b] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

/** True where the mark is white, for a point in the unit square. */
function inMark(x: number, y: number): boolean {
  const bar = y >= 0.2 && y <= 0.72;
  const leftStem = bar && x >= 0.2 && x <= 0.33;
  const rightStem = bar && x >= 0.67 && x <= 0.8;
  // The diagonal runs from the top of the left stem to the bottom of the right one.
  const diagonal = bar && Math.abs(x - (0.265 + ((y - 0.2) / 0.52) * 0.47)) <= 0.075;
  const wire = y >= 0.8 && y <= 0.85 && x >= 0.2 && x <= 0.8;
  return leftStem || rightStem || diagonal || wire;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes the mark as an 8-bit RGB PNG of `size` × `size` pixels. */
export function drawMarkPng(size: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter type 0, then RGB triples
    for (let x = 0; x < size; x++) {
      const colour = inMark((x + 0.5) / size, (y + 0.5) / size) ? WHITE : RED;
      row.set(colour, 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Paths of the site's images (config.logoUrl and config.iconUrl point here) and their sizes. */
export const ASSET_SIZES: Record<string, number> = { '/assets/logo.png': 144, '/assets/icon.png': 64 };

const encoded = new Map<string, string>();

/** When the images last changed; they are drawn by this file, so only a deploy changes them. */
const ASSETS_MODIFIED = new Date('2026-01-01T00:00:00Z');

/** Serves a site image with caching headers, or undefined when `path` is not one. */
export function assetResponse(event: HttpEvent, path: string): HttpResult | undefined {
  const size = ASSET_SIZES[path];
  if (size === undefined) return undefined;
  let body = encoded.get(path);
  if (body === undefined) {
    body = drawMarkPng(size).toString('base64');
    encoded.set(path, body);
  }
  const result = cacheableResponse(event, body, 'image/png', ASSETS_MODIFIED, {
    'cache-control': 'public, max-age=86400, stale-while-revalidate=604800',
  });
  return result.body === '' ? result : { ...result, isBase64Encoded: true };
}
