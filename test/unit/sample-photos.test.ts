import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  drawMarkPng,
  IMAGE_CACHE_LIMIT,
  LruCache,
  SAMPLE_SIZES,
  type SampleRendition,
  samplePhotoPath,
} from '../../functions/assets.ts';
import { parseArticle } from '../../functions/core/article-input.ts';
import type { ArticleStore } from '../../functions/core/ports.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { encodePng } from '../../functions/png.ts';
import { drawLandscape, drawSamplePhoto } from '../../functions/sample-photos.ts';
import { loadSeedArticles, withSamplePhotos } from '../../local/seed.ts';
import config from '../../newswire.config.ts';
import { testClock } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';
import { decodePng } from '../support/png.ts';

/** Images are drawn in code: serving one must never read the store. */
const untouchable = new Proxy({} as ArticleStore, {
  get(_, property) {
    throw new Error(`an image request read the store (${String(property)})`);
  },
});
const handler = createPagesHandler(() => ({
  store: untouchable,
  config,
  clock: testClock('2026-11-27T12:00:00Z'),
}));
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  handler(httpEvent(method, path, { headers }));

const SEED_SLUGS = loadSeedArticles().map((a) => a.id);

describe('the PNG encoder', () => {
  test('encodes pixels that an independent decoder reads back exactly, whichever filter each row took', () => {
    // Noise, flat colour and gradients in one picture, so every filter gets chosen somewhere.
    const [width, height] = [37, 23];
    const rgb = new Uint8Array(width * height * 3);
    let state = 7;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          state = (state * 1103515245 + 12345) >>> 0;
          const at = (y * width + x) * 3 + c;
          rgb[at] = y < 8 ? state >>> 24 : y < 16 ? 40 * c : (x * 7 + y * 3 + c * 50) & 0xff;
        }
      }
    }
    const decoded = decodePng(encodePng(width, height, rgb));
    assert.deepEqual([decoded.width, decoded.height], [width, height]);
    assert.deepEqual(decoded.rgb, rgb);
  });

  test('refuses pixels that do not fill the picture', () => {
    assert.throws(() => encodePng(2, 2, new Uint8Array(11)), /expected 12 bytes of RGB, got 11/);
  });
});

describe('sample photos', () => {
  test('each rendition is a PNG of its size holding exactly the landscape drawn for the name', () => {
    for (const [rendition, { width, height }] of Object.entries(SAMPLE_SIZES)) {
      const decoded = decodePng(drawSamplePhoto('danube-flood-barriers-tested', width, height));
      assert.deepEqual([decoded.width, decoded.height], [width, height], rendition);
      assert.deepEqual(decoded.rgb, drawLandscape('danube-flood-barriers-tested', width, height), rendition);
    }
    assert.deepEqual(SAMPLE_SIZES, {
      photo: { width: 1200, height: 800 },
      thumb: { width: 320, height: 213 },
      poster: { width: 1280, height: 720 },
    });
  });

  test('the same name always gives the same bytes; other names give other pictures', () => {
    const first = drawSamplePhoto('luzon-typhoon-recovery', 320, 213);
    assert.deepEqual(drawSamplePhoto('luzon-typhoon-recovery', 320, 213), first);
    const others = SEED_SLUGS.filter((s) => s !== 'luzon-typhoon-recovery')
      .slice(0, 8)
      .map((slug) => drawSamplePhoto(slug, 320, 213).toString('base64'));
    assert.equal(new Set([first.toString('base64'), ...others]).size, 9);
  });

  test('looks like a landscape: a sky lighter and bluer above, darker land below, many colours', () => {
    for (const slug of SEED_SLUGS.slice(0, 6)) {
      const { width, height } = SAMPLE_SIZES.thumb;
      const rgb = drawLandscape(slug, width, height);
      const at = (x: number, y: number) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
      const brightness = ([r, g, b]: number[]) => (r ?? 0) + (g ?? 0) + (b ?? 0);
      const top = at(width >> 1, 2);
      const bottom = at(width >> 1, height - 3);
      assert.ok((top[2] ?? 0) > (top[0] ?? 0), `${slug}: a blue-ish sky at the top ${top}`);
      assert.ok(
        brightness(bottom) < brightness(at(5, Math.round(height * 0.3))),
        `${slug}: land darker than sky`,
      );
      const colours = new Set<number>();
      for (let i = 0; i < rgb.length; i += 3) colours.add((rgb[i]! << 16) | (rgb[i + 1]! << 8) | rgb[i + 2]!);
      assert.ok(colours.size > 500, `${slug}: ${colours.size} colours`);
    }
  });

  test('photos, thumbnails and posters stay well under 100 KB (`npm run bench:photos` measures every seeded one)', () => {
    // Eight stories' worth, one of each light and with and without a lake; drawing all 96 takes seconds.
    for (const slug of SEED_SLUGS.slice(0, 8)) {
      for (const { width, height } of Object.values(SAMPLE_SIZES)) {
        const size = drawSamplePhoto(slug, width, height).length;
        assert.ok(size < 100 * 1024, `${slug} ${width}×${height}: ${size} bytes`);
      }
    }
  });
});

describe('/assets/samples/', () => {
  test('serves each rendition as a cacheable PNG of its size, 304 on revalidation', async () => {
    for (const rendition of Object.keys(SAMPLE_SIZES) as SampleRendition[]) {
      const path = samplePhotoPath('japan-konbini-rural-delivery', rendition);
      const response = await get(path);
      assert.equal(response.statusCode, 200, path);
      assert.equal(response.headers['content-type'], 'image/png');
      assert.equal(
        response.headers['cache-control'],
        'public, max-age=604800, stale-while-revalidate=604800',
      );
      assert.equal(response.isBase64Encoded, true);
      const png = decodePng(Buffer.from(response.body, 'base64'));
      assert.deepEqual({ width: png.width, height: png.height }, SAMPLE_SIZES[rendition]);
      const etag = response.headers.etag ?? '';
      assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
      assert.equal((await get(path)).headers.etag, etag, 'a stable ETag');
      const revalidated = await get(path, { 'if-none-match': etag });
      assert.equal(revalidated.statusCode, 304);
      assert.equal(revalidated.body, '');
      const head = await get(path, {}, 'HEAD');
      assert.equal(head.statusCode, 200);
      assert.equal(head.body, '');
    }
    assert.deepEqual(
      ['photo', 'thumb', 'poster'].map((r) => samplePhotoPath('a-1', r as SampleRendition)),
      ['/assets/samples/a-1.png', '/assets/samples/a-1.thumb.png', '/assets/samples/a-1.poster.png'],
    );
  });

  test('names outside [a-z0-9-]{1,80} are not images: problem+json 404', async () => {
    for (const path of [
      '/assets/samples/Danube.png',
      '/assets/samples/danube_floods.png',
      '/assets/samples/.png',
      `/assets/samples/${'a'.repeat(81)}.png`,
      '/assets/samples/danube.small.png',
      '/assets/samples/danube.jpg',
      '/assets/samples/../logo.png',
    ]) {
      const response = await get(path);
      assert.equal(response.statusCode, 404, path);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', path);
    }
    assert.equal((await get(`/assets/samples/${'a'.repeat(80)}.thumb.png`)).statusCode, 200);
    assert.throws(() => samplePhotoPath('Danube'), /Not a sample photo name: "Danube"/);
  });

  test('the logo and icon are still drawn, now through the same encoder', () => {
    for (const size of [144, 64]) {
      const png = decodePng(drawMarkPng(size));
      assert.deepEqual([png.width, png.height], [size, size]);
      assert.deepEqual([...png.rgb.subarray(0, 3)], [0xb3, 0x00, 0x1b], 'brand red in the corner');
    }
  });
});

describe('the image cache', () => {
  test('keeps at most its limit, forgetting the least recently used first', () => {
    const cache = new LruCache<number>(3);
    for (const [i, key] of ['a', 'b', 'c'].entries()) cache.set(key, i);
    assert.equal(cache.get('a'), 0); // a is now the most recently used
    cache.set('d', 3);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined, 'b was the least recently used');
    assert.deepEqual(
      ['a', 'c', 'd'].map((k) => cache.get(k)),
      [0, 2, 3],
    );
    assert.ok(IMAGE_CACHE_LIMIT >= 30, 'holds a page of thumbnails');
  });
});

describe('the sample newsroom', () => {
  const base = 'http://127.0.0.1:3000';

  test('every seeded lead photo becomes the sample photo of its name, a 1200×800 PNG, and stays valid', () => {
    for (const seeded of loadSeedArticles()) {
      const { id, ...article } = withSamplePhotos(seeded, base);
      const name = /\/([a-z0-9-]+)\.jpg$/.exec(String((seeded.image as { url: string }).url))?.[1];
      assert.deepEqual(
        article.image,
        {
          ...(seeded.image as object),
          url: `${base}/assets/samples/${name}.png`,
          type: 'image/png',
          width: 1200,
          height: 800,
          thumbnail: { url: `${base}/assets/samples/${name}.thumb.png`, width: 320, height: 213 },
        },
        id,
      );
      const parsed = parseArticle(article, id, config, new Date('2026-11-27T12:00:00Z'));
      assert.equal(parsed.content.image?.url, `${base}/assets/samples/${name}.png`);
    }
  });

  test('a thumbnail shows the same scene as its photo, a video poster its own; other URLs are left alone', () => {
    const article = {
      id: 'x',
      publishedAt: '2026-11-27T09:30:00Z',
      image: {
        url: 'https://news.example.com/images/2026/11/danube-floods.jpg',
        length: 123456,
        thumbnail: {
          url: 'https://news.example.com/images/2026/11/danube-floods-320.jpg',
          width: 1,
          height: 1,
        },
      },
      media: [
        {
          url: 'https://news.example.com/video/danube.mp4',
          poster: 'https://news.example.com/images/danube-clip.jpg',
        },
        { url: 'https://cdn.example.org/clip.mp4', poster: 'https://cdn.example.org/clip.jpg' },
      ],
    };
    assert.deepEqual(withSamplePhotos(article, base), {
      id: 'x',
      publishedAt: '2026-11-27T09:30:00Z',
      image: {
        url: `${base}/assets/samples/danube-floods.png`,
        type: 'image/png',
        width: 1200,
        height: 800,
        thumbnail: { url: `${base}/assets/samples/danube-floods.thumb.png`, width: 320, height: 213 },
      },
      media: [
        {
          url: 'https://news.example.com/video/danube.mp4',
          poster: `${base}/assets/samples/danube-clip.poster.png`,
        },
        { url: 'https://cdn.example.org/clip.mp4', poster: 'https://cdn.example.org/clip.jpg' },
      ],
    });
    const elsewhere = {
      id: 'y',
      publishedAt: '2026-11-27T09:30:00Z',
      image: { url: 'https://cdn.example.org/a.jpg' },
    };
    assert.deepEqual(withSamplePhotos(elsewhere, base), elsewhere);
  });
});
