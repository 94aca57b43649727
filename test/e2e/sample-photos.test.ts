process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { LocalNewswire } from '../../local/runtime.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer } from '../support/local-server.ts';
import { feedparser } from '../support/readers.ts';

/** Where screenshots go (git-ignored); CI can keep them as build artifacts. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

let newswire: LocalNewswire;
let browser: Browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [newswire, browser] = await Promise.all([startTestServer(), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await newswire?.stop();
});

describe('the local newsroom shows its own pictures', () => {
  test('every photo on an edition page loads in Chromium from the site itself', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    const response = await page.goto(`${newswire.url}/europe/`);
    assert.equal(response?.status(), 200);
    const images = await page.locator('.stories img').all();
    assert.ok(images.length >= 10, `${images.length} story photos`);
    // Photos load lazily: bring each into view, as a reader scrolling down would.
    for (const image of images) {
      await image.scrollIntoViewIfNeeded();
      await image.evaluate('(img) => img.decode()');
    }
    const loaded = (await page.evaluate(
      '[...document.querySelectorAll(".stories img")].map((i) => ({ src: i.currentSrc, width: i.naturalWidth, height: i.naturalHeight }))',
    )) as { src: string; width: number; height: number }[];
    // Story cards are 9rem wide: the browser picks the 320-pixel thumbnail from srcset, not the original.
    for (const image of loaded) {
      assert.match(image.src, new RegExp(`^${newswire.url}/assets/samples/[a-z0-9-]+\\.thumb\\.webp$`));
      // With srcset's width descriptors, naturalWidth is in CSS pixels: the decoded thumbnail at its density.
      assert.ok(image.width > 0 && image.height > 0, image.src);
    }
    assert.deepEqual(failed, []);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${ARTIFACTS}europe-sample-photos.png` });
    await context.close();
  });

  test('readers find the same photos in the feeds, and can fetch them', async () => {
    const [feed] = await feedparser(`${newswire.url}/europe/rss.xml`);
    const photos = (feed?.entries ?? []).flatMap((e) => (e.media_content ?? []).map((m) => m.url ?? ''));
    assert.ok(photos.length >= 10, `${photos.length} photos`);
    for (const url of photos.slice(0, 3)) {
      assert.ok(url.startsWith(`${newswire.url}/assets/samples/`), url);
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers.get('content-type'), 'image/webp');
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.equal(bytes.toString('ascii', 8, 12), 'WEBP');
      const again = await fetch(url, { headers: { 'if-none-match': response.headers.get('etag') ?? '' } });
      assert.equal(again.status, 304, 'a static host’s revalidation');
    }
  });

  test('the sample video plays in Chromium from the site itself, with its poster', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(`${newswire.url}/americas/science/atacama-telescope-first-light/`);
    assert.equal(response?.status(), 200);
    const video = page.locator('video').first();
    assert.match((await video.getAttribute('poster')) ?? '', /\/assets\/samples\/[a-z0-9-]+\.poster\.webp$/);
    // Loaded and decodable: its first frame is there and it has a size.
    const state = (await page.evaluate(
      `new Promise((resolve) => { const v = document.querySelector('video'); v.addEventListener('loadeddata', () => resolve({ ready: v.readyState, width: v.videoWidth, height: v.videoHeight }), { once: true }); v.addEventListener('error', () => resolve({ error: v.error && v.error.code }), { once: true }); v.preload = 'auto'; v.load(); })`,
    )) as { ready?: number; width?: number; height?: number; error?: number };
    assert.ok((state.ready ?? 0) >= 2, JSON.stringify(state));
    assert.deepEqual([state.width, state.height], [640, 360]);
    await context.close();
  });
});
