import { binaryResponse, type EncodedBinary, encodeBinary } from './http/conditional.ts';
import type { HttpEvent, HttpResult } from './http/types.ts';
import { encodePng } from './png.ts';
import { drawSamplePhoto } from './sample-photos.ts';

/**
 * The site's images, drawn in code so the repository holds no binaries:
 *
 * - the logo and the icon, a white "N" over a wire on the brand red. The logo
 *   (144 px, the RSS channel image's recommended maximum width) is the feeds'
 *   channel image; the icon is the favicon and the Atom/JSON icon;
 * - sample photos for the local newsroom (`/assets/samples/{name}.png` and its
 *   `.thumb.png` and `.poster.png` renditions): a landscape seeded by the
 *   name, so seeded stories show pictures without shipping any.
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

/** Encodes the mark as an 8-bit RGB PNG of `size` × `size` pixels, or centred in a `width` × `size` field. */
export function drawMarkPng(size: number, width = size): Buffer {
  const rgb = new Uint8Array(width * size * 3);
  const left = (width - size) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < width; x++) {
      rgb.set(inMark((x - left + 0.5) / size, (y + 0.5) / size) ? WHITE : RED, (y * width + x) * 3);
    }
  }
  return encodePng(width, size, rgb);
}

/**
 * Paths of the site's brand images (the config's logoUrl, iconUrl and brand
 * point here) and their height and width: the channel image, the 64 px icon,
 * the 512 px icon, the 2:1 wide logo and Feedly's cover.
 */
export const ASSET_SIZES: Record<string, [height: number, width: number]> = {
  '/assets/logo.png': [144, 144],
  '/assets/icon.png': [64, 64],
  '/assets/icon-512.png': [512, 512],
  '/assets/logo-wide.png': [144, 288],
  '/assets/cover.png': [600, 1200],
};

/** The renditions of a sample photo: the photo, a thumbnail for lists, a video poster. */
export type SampleRendition = 'photo' | 'thumb' | 'poster';

/** Pixel size of each rendition (the photo and thumbnail 3:2, the poster 16:9). */
export const SAMPLE_SIZES: Record<SampleRendition, { width: number; height: number }> = {
  photo: { width: 1200, height: 800 },
  thumb: { width: 320, height: 213 },
  poster: { width: 1280, height: 720 },
};

/** A sample photo's name: what the seed uses, an article's slug. */
const SAMPLE_NAME = /^[a-z0-9-]{1,80}$/;

const SAMPLE_PATH = /^\/assets\/samples\/([a-z0-9-]{1,80})(\.thumb|\.poster)?\.png$/;

/** Site path of a sample photo rendition, e.g. `/assets/samples/danube-floods.thumb.png`. */
export function samplePhotoPath(name: string, rendition: SampleRendition = 'photo'): string {
  if (!SAMPLE_NAME.test(name)) throw new RangeError(`Not a sample photo name: ${JSON.stringify(name)}`);
  return `/assets/samples/${name}${rendition === 'photo' ? '' : `.${rendition}`}.png`;
}

/** When the images last changed; they are drawn by this code, so only a deploy changes them. */
export const ASSETS_MODIFIED = new Date('2026-01-01T00:00:00Z');

/** The logo and icon change with the brand; revalidate daily. */
export const MARK_CACHE = 'public, max-age=86400, stale-while-revalidate=604800';
/** A sample photo never changes for its name (short of a deploy that redraws them all): keep it a week. */
const SAMPLE_CACHE = 'public, max-age=604800, stale-while-revalidate=604800';

/** How many encoded images stay in memory (a sample photo is 40–80 KB): a page's worth and then some. */
export const IMAGE_CACHE_LIMIT = 64;

/** A map that forgets its least recently used entry beyond `limit` entries. */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();

  constructor(readonly limit: number) {}

  /** The value for `key`, now the most recently used, or undefined. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores `value`, forgetting the least recently used entry when full. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** How many entries it holds. */
  get size(): number {
    return this.#entries.size;
  }
}

/** Encoded PNGs by path: drawing a photo takes tens of milliseconds, so each is drawn (and hashed) once per instance. */
const encoded = new LruCache<EncodedBinary>(IMAGE_CACHE_LIMIT);

/** The image at `path`, encoded, and its Cache-Control, or undefined when there is none. */
function imageAt(path: string): { png: EncodedBinary; cacheControl: string } | undefined {
  const size = ASSET_SIZES[path];
  const sample = SAMPLE_PATH.exec(path);
  if (size === undefined && sample === null) return undefined;
  let png = encoded.get(path);
  if (png === undefined) {
    let bytes: Buffer;
    if (size !== undefined) {
      bytes = drawMarkPng(...size);
    } else {
      const rendition = (sample?.[2]?.slice(1) ?? 'photo') as SampleRendition;
      const { width, height } = SAMPLE_SIZES[rendition];
      bytes = drawSamplePhoto(sample?.[1] ?? '', width, height);
    }
    png = encodeBinary(bytes);
    encoded.set(path, png);
  }
  return { png, cacheControl: size === undefined ? SAMPLE_CACHE : MARK_CACHE };
}

/** Serves a site image with caching headers, or undefined when `path` is not one. */
export function assetResponse(event: HttpEvent, path: string): HttpResult | undefined {
  const image = imageAt(path);
  if (image === undefined) return undefined;
  return binaryResponse(event, image.png, 'image/png', ASSETS_MODIFIED, {
    'cache-control': image.cacheControl,
  });
}
