import { ASSETS_MODIFIED, drawMarkPng, MARK_CACHE } from './assets.ts';
import { binaryResponse, type EncodedBinary, encodeBinary } from './http/conditional.ts';
import type { HttpEvent, HttpResult } from './http/types.ts';

/** Like the logo and icon: drawn by this code, changed only by a deploy, revalidated daily. */
const DAILY = { 'cache-control': MARK_CACHE };

/**
 * An ICO file holding one 32 × 32 PNG (the format every browser since
 * Windows Vista's era reads), so `/favicon.ico` shows the site's mark.
 */
function drawFaviconIco(): Buffer {
  const png = drawMarkPng(32);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  const entry = Buffer.alloc(16);
  entry.writeUInt8(32, 0); // width
  entry.writeUInt8(32, 1); // height
  entry.writeUInt8(0, 2); // no palette
  entry.writeUInt8(0, 3); // reserved
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(png.length, 8);
  entry.writeUInt32LE(header.length + entry.length, 12);
  return Buffer.concat([header, entry, png]);
}

let favicon: EncodedBinary | undefined;

/** Serves `/favicon.ico`, or undefined for any other path. */
export function siteFileResponse(event: HttpEvent, path: string): HttpResult | undefined {
  if (path === '/favicon.ico') {
    favicon ??= encodeBinary(drawFaviconIco());
    return binaryResponse(event, favicon, 'image/x-icon', ASSETS_MODIFIED, DAILY);
  }
  return undefined;
}
