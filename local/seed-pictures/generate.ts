/**
 * Makes the picture files the repository ships, once (their outputs are
 * committed; run again only to change them):
 *
 * - functions/static/logo.png, icon.png, icon-512.png, logo-wide.png,
 *   cover.png and favicon.ico: the site's mark, one for each slot the feeds
 *   name (see mark.ts), which the pages function serves;
 * - local/seed/pictures/: a WebP photo (and thumbnail, and video poster)
 *   for every picture of the sample newsroom and the example article (examples/article.json), drawn
 *   by landscape.ts and encoded by Debian's Chromium (canvas.toBlob), and a
 *   few seconds of WebM video recorded from one landscape (MediaRecorder).
 *
 * Usage: npx tsx local/seed-pictures/generate.ts   (needs /usr/bin/chromium)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { loadSeedArticles } from '../seed.ts';
import { drawSamplePhoto } from './landscape.ts';
import { drawFaviconIco, drawMarkPng } from './mark.ts';
import { SAMPLE_SIZES, SAMPLE_VIDEO, SAMPLES_FOLDER, type SampleRendition, sampleFile } from './pictures.ts';

/** The picture of the example article (examples/article.json). */
const EXAMPLE_PICTURES = ['frankfurt-traders'];
/** WebP quality: the landscapes are smooth, so this keeps them small without visible loss. */
const QUALITY = 0.72;

/** Encodes a PNG as WebP in the page (plain JavaScript: the bundler running this file adds helpers a page lacks). */
const ENCODE = `async ({ png, quality }) => {
  const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + png)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  const data = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/webp', quality })).arrayBuffer());
  let text = '';
  for (const b of data) text += String.fromCharCode(b);
  return btoa(text);
}`;

const STATIC = new URL('../../functions/static/', import.meta.url);
mkdirSync(STATIC, { recursive: true });
writeFileSync(new URL('logo.png', STATIC), drawMarkPng(144));
writeFileSync(new URL('icon.png', STATIC), drawMarkPng(64));
writeFileSync(new URL('icon-512.png', STATIC), drawMarkPng(512));
writeFileSync(new URL('logo-wide.png', STATIC), drawMarkPng(144, 288));
writeFileSync(new URL('cover.png', STATIC), drawMarkPng(600, 1200));
writeFileSync(new URL('favicon.ico', STATIC), drawFaviconIco());

/** Every rendition the seed (and the example) asks for, by name. */
function wanted(): Map<string, Set<SampleRendition>> {
  const picture = /^https:\/\/news\.example\.com\/images\/(?:[^/?#]+\/)*([a-z0-9-]{1,80})\.jpg$/;
  const want = new Map<string, Set<SampleRendition>>();
  const add = (url: unknown, rendition: SampleRendition) => {
    const name = typeof url === 'string' ? picture.exec(url)?.[1] : undefined;
    if (name === undefined) return;
    want.set(name, new Set([...(want.get(name) ?? []), rendition]));
  };
  for (const article of loadSeedArticles()) {
    const image = article.image as { url?: string; thumbnail?: unknown } | undefined;
    add(image?.url, 'photo');
    if (image?.thumbnail !== undefined) add(image.url, 'thumb');
    for (const item of (article.media ?? []) as { url?: string; poster?: string }[]) {
      add(item.poster, 'poster');
      add(item.url, 'photo');
    }
  }
  for (const name of EXAMPLE_PICTURES) want.set(name, new Set(['photo', 'thumb']));
  return want;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<canvas></canvas>');
  mkdirSync(SAMPLES_FOLDER, { recursive: true });
  let bytes = 0;
  for (const [name, renditions] of wanted()) {
    for (const rendition of renditions) {
      const { width, height } = SAMPLE_SIZES[rendition];
      const png = drawSamplePhoto(name, width, height).toString('base64');
      const webp = await page.evaluate(`(${ENCODE})(${JSON.stringify({ png, quality: QUALITY })})`);
      const file = Buffer.from(String(webp), 'base64');
      bytes += file.length;
      writeFileSync(new URL(sampleFile(name, rendition), SAMPLES_FOLDER), file);
    }
  }
  // The sample video: a slow pan across one landscape, recorded in the page.
  const { width, height, seconds } = SAMPLE_VIDEO;
  const still = drawSamplePhoto('sample-clip', width * 2, height * 2).toString('base64');
  // Plain JavaScript too.
  const record = `async ({ still, width, height, seconds }) => {
    const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + still)).blob());
    const canvas = document.querySelector('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 90000 });
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((resolve) => { recorder.onstop = resolve; });
    const start = performance.now();
    recorder.start();
    await new Promise((resolve) => {
      const frame = () => {
        const t = Math.min(1, (performance.now() - start) / (seconds * 1000));
        // From the whole scene to its middle half, drifting right.
        const scale = 1 - 0.5 * t;
        const w = bitmap.width * scale;
        const h = bitmap.height * scale;
        context.drawImage(bitmap, (bitmap.width - w) * (0.3 + 0.4 * t), (bitmap.height - h) / 2, w, h, 0, 0, width, height);
        if (t < 1) requestAnimationFrame(frame); else resolve();
      };
      frame();
    });
    recorder.stop();
    await done;
    const data = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let text = '';
    for (const b of data) text += String.fromCharCode(b);
    return btoa(text);
  }`;
  const webm = await page.evaluate(`(${record})(${JSON.stringify({ still, width, height, seconds })})`);
  const clip = Buffer.from(String(webm), 'base64');
  writeFileSync(new URL(SAMPLE_VIDEO.file, SAMPLES_FOLDER), clip);
  console.log(
    `Wrote the site's mark to functions/static/ and ${(bytes / 1024).toFixed(0)} KiB of pictures and a ${(clip.length / 1024).toFixed(0)} KiB clip to local/seed/pictures/`,
  );
} finally {
  await browser.close();
}
