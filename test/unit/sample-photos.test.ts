/**
 * The pictures the repository ships: the sample newsroom's WebP photos,
 * thumbnails, posters and clip (local/seed/pictures/, served by the local
 * server only) and the site's mark (functions/static/), drawn once by
 * local/seed-pictures/generate.ts. No function draws a picture
 * (test/infra/bundle-size.test.ts holds the bundles to that).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseArticle } from '../../functions/core/article-input.ts';
import { SITE_BRAND } from '../../functions/core/feeds/channel.ts';
import { loadSeedArticles, withSamplePhotos } from '../../local/seed.ts';
import { drawLandscape, drawSamplePhoto } from '../../local/seed-pictures/landscape.ts';
import { drawMarkPng } from '../../local/seed-pictures/mark.ts';
import {
  SAMPLE_SIZES,
  SAMPLE_VIDEO,
  SAMPLES_FOLDER,
  sampleFile,
  samplePicturePath,
} from '../../local/seed-pictures/pictures.ts';
import { encodePng } from '../../local/seed-pictures/png.ts';
import config from '../../newswire.config.ts';
import { decodePng } from '../support/png.ts';

const SEED_SLUGS = loadSeedArticles().map((a) => a.id);

/** Width and height of a WebP file (lossy VP8, lossless VP8L or extended VP8X), from its header. */
function webpSize(bytes: Buffer): { width: number; height: number } {
  assert.equal(bytes.toString('ascii', 0, 4), 'RIFF');
  assert.equal(bytes.toString('ascii', 8, 12), 'WEBP');
  const chunk = bytes.toString('ascii', 12, 16);
  if (chunk === 'VP8 ')
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = bytes.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  assert.equal(chunk, 'VP8X');
  return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
}

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

  test('the site’s mark is drawn on the brand red, square or centred in a wider field', () => {
    for (const [size, width] of [
      [144, 144],
      [64, 64],
      [512, 512],
      [144, 288],
      [600, 1200],
    ] as const) {
      const png = decodePng(drawMarkPng(size, width));
      assert.deepEqual([png.width, png.height], [width, size]);
      assert.deepEqual([...png.rgb.subarray(0, 3)], [0xb3, 0x00, 0x1b], 'brand red in the corner');
      const middle = (Math.floor(size * 0.4) * width + Math.floor(width / 2)) * 3;
      assert.deepEqual(
        [...png.rgb.subarray(middle, middle + 3)],
        [0xff, 0xff, 0xff],
        'the mark in the middle',
      );
    }
  });
});

describe('the files the repository ships', () => {
  const files = readdirSync(SAMPLES_FOLDER);

  test('every seeded picture has its WebP file, of the size its rendition names, and a few KB', () => {
    const base = 'http://127.0.0.1:3000';
    let checked = 0;
    for (const seeded of loadSeedArticles()) {
      const article = withSamplePhotos(seeded, base);
      const image = article.image as { url: string; thumbnail?: { url: string } } | undefined;
      const media = (article.media ?? []) as { url: string; type: string; poster?: string }[];
      const urls = [
        image?.url,
        image?.thumbnail?.url,
        ...media.flatMap((m) => [m.type.startsWith('image/') ? m.url : undefined, m.poster]),
      ].filter((u): u is string => u !== undefined);
      for (const url of urls) {
        const file = url.slice(`${base}/assets/samples/`.length);
        assert.ok(files.includes(file), `${seeded.id}: ${file}`);
        const bytes = readFileSync(new URL(file, SAMPLES_FOLDER));
        const rendition = file.includes('.thumb.') ? 'thumb' : file.includes('.poster.') ? 'poster' : 'photo';
        assert.deepEqual(webpSize(bytes), SAMPLE_SIZES[rendition], file);
        assert.ok(bytes.length < 40 * 1024, `${file}: ${bytes.length} bytes`);
        checked++;
      }
    }
    assert.ok(checked >= 66, `${checked} pictures`);
  });

  test('every shipped brand image is the mark at its slot’s size, as generate.ts draws it, and a few KB', () => {
    for (const image of [
      SITE_BRAND.channelImage,
      SITE_BRAND.favicon,
      SITE_BRAND.icon,
      SITE_BRAND.logo,
      SITE_BRAND.cover,
    ]) {
      const file = readFileSync(
        new URL(`../../functions/static/${image.url.replace(/^\/assets\//, '')}`, import.meta.url),
      );
      assert.deepEqual(file, drawMarkPng(image.height, image.width), image.url);
      assert.ok(file.length < 8 * 1024, `${image.url}: ${file.length} bytes`);
    }
  });

  test('the sample clip is a WebM video', () => {
    const clip = readFileSync(new URL(SAMPLE_VIDEO.file, SAMPLES_FOLDER));
    assert.deepEqual([...clip.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'an EBML (Matroska/WebM) header');
    assert.ok(clip.includes(Buffer.from('webm')), 'DocType webm');
  });

  test('together they stay small: under 600 KB', () => {
    const total = files.reduce((sum, f) => sum + statSync(new URL(f, SAMPLES_FOLDER)).size, 0);
    assert.ok(total < 600 * 1024, `${total} bytes`);
  });
});

describe('the sample newsroom', () => {
  const base = 'http://127.0.0.1:3000';

  test('every seeded lead photo becomes the picture file of its name, a 1200×800 WebP, and stays valid', () => {
    for (const seeded of loadSeedArticles()) {
      const { id, ...article } = withSamplePhotos(seeded, base);
      const name = /\/([a-z0-9-]+)\.jpg$/.exec(String((seeded.image as { url: string }).url))?.[1] ?? '';
      assert.deepEqual(
        article.image,
        {
          ...(seeded.image as object),
          url: `${base}${samplePicturePath(name)}`,
          type: 'image/webp',
          width: 1200,
          height: 800,
          thumbnail: { url: `${base}/assets/samples/${name}.thumb.webp`, width: 320, height: 213 },
        },
        id,
      );
      const parsed = parseArticle(article, id, config, new Date('2026-11-27T12:00:00Z'));
      assert.equal(parsed.content.image?.url, `${base}/assets/samples/${sampleFile(name)}`);
    }
  });

  test('a thumbnail shows the same scene as its photo; a video becomes the sample clip with its poster; other URLs are left alone', () => {
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
          type: 'video/mp4',
          duration: 94,
          poster: 'https://news.example.com/images/danube-clip.jpg',
        },
        { url: 'https://cdn.example.org/clip.mp4', poster: 'https://cdn.example.org/clip.jpg' },
      ],
    };
    assert.deepEqual(withSamplePhotos(article, base), {
      id: 'x',
      publishedAt: '2026-11-27T09:30:00Z',
      image: {
        url: `${base}/assets/samples/danube-floods.webp`,
        type: 'image/webp',
        width: 1200,
        height: 800,
        thumbnail: { url: `${base}/assets/samples/danube-floods.thumb.webp`, width: 320, height: 213 },
      },
      media: [
        {
          url: `${base}/assets/samples/sample-clip.webm`,
          type: 'video/webm',
          width: 640,
          height: 360,
          duration: 6,
          poster: `${base}/assets/samples/danube-clip.poster.webp`,
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
    assert.throws(() => sampleFile('Danube'), /Not a sample picture name: "Danube"/);
  });
});
