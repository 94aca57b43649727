import { drawMarkPng } from './assets.ts';
import { cacheableResponse } from './http/conditional.ts';
import type { HttpEvent, HttpResult } from './http/types.ts';

/** When these files last changed: they are written by this file, so only a deploy changes them. */
const FILES_MODIFIED = new Date('2026-01-01T00:00:00Z');
const DAILY = { 'cache-control': 'public, max-age=86400, stale-while-revalidate=604800' };

/**
 * An ICO file holding one 32 × 32 PNG (the format every browser since
 * Windows Vista's era reads), so `/favicon.ico` shows the site's mark.
 */
export function drawFaviconIco(): Buffer {
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

/** robots.txt: crawl the pages and feeds, not the write API. */
export const ROBOTS_TXT = 'User-agent: *\nDisallow: /api/\n';

let favicon: string | undefined;

/** Serves `/favicon.ico` and `/robots.txt`, or undefined for any other path. */
export function siteFileResponse(event: HttpEvent, path: string): HttpResult | undefined {
  if (path === '/robots.txt') {
    return cacheableResponse(event, ROBOTS_TXT, 'text/plain; charset=utf-8', FILES_MODIFIED, DAILY);
  }
  if (path === '/favicon.ico') {
    favicon ??= drawFaviconIco().toString('base64');
    const result = cacheableResponse(event, favicon, 'image/x-icon', FILES_MODIFIED, DAILY);
    return result.body === '' ? result : { ...result, isBase64Encoded: true };
  }
  return undefined;
}
