import { readFileSync } from 'node:fs';
import { binaryResponse, type EncodedBinary, encodeBinary } from './http/conditional.ts';
import type { HttpEvent, HttpResult } from './http/types.ts';

/**
 * The site's static files, served from functions/static/ (copied beside the
 * bundle when the function is built): its stylesheet and script, the brand
 * images the feeds name, one per slot (core/feeds/channel.ts SITE_BRAND: the
 * channel image, the 64 px and 512 px icons, the 2:1 wide logo, Feedly's
 * cover), and /favicon.ico. They are files in the repository — no function
 * draws a picture — read once per instance.
 */

/** When they last changed: only a deploy changes them. */
const STATIC_MODIFIED = new Date('2026-01-01T00:00:00Z');

/** Revalidated after a day: the brand rarely changes. */
const DAILY = 'public, max-age=86400, stale-while-revalidate=604800';
/** Revalidated after an hour: a deploy's new stylesheet reaches readers within it. */
const HOURLY = 'public, max-age=3600, stale-while-revalidate=86400';

/** Every static file by path: its file in functions/static/, type and caching. */
const FILES: Record<string, { file: string; type: string; cache: string }> = {
  '/assets/logo.png': { file: 'logo.png', type: 'image/png', cache: DAILY },
  '/assets/icon.png': { file: 'icon.png', type: 'image/png', cache: DAILY },
  '/assets/icon-512.png': { file: 'icon-512.png', type: 'image/png', cache: DAILY },
  '/assets/logo-wide.png': { file: 'logo-wide.png', type: 'image/png', cache: DAILY },
  '/assets/cover.png': { file: 'cover.png', type: 'image/png', cache: DAILY },
  '/favicon.ico': { file: 'favicon.ico', type: 'image/x-icon', cache: DAILY },
  '/assets/site.css': { file: 'site.css', type: 'text/css; charset=utf-8', cache: HOURLY },
  '/assets/site.js': { file: 'site.js', type: 'text/javascript; charset=utf-8', cache: HOURLY },
};

const read = new Map<string, EncodedBinary>();

/** Serves a static file with caching headers (304 on revalidation), or undefined when `path` is not one. */
export function staticFileResponse(event: HttpEvent, path: string): HttpResult | undefined {
  const spec = FILES[path];
  if (spec === undefined) return undefined;
  let encoded = read.get(path);
  if (encoded === undefined) {
    encoded = encodeBinary(readFileSync(new URL(`./static/${spec.file}`, import.meta.url)));
    read.set(path, encoded);
  }
  return binaryResponse(event, encoded, spec.type, STATIC_MODIFIED, { 'cache-control': spec.cache });
}
