process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { LocalNewswire } from '../../local/runtime.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer } from '../support/local-server.ts';
import { decodePng } from '../support/png.ts';
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
      assert.match(image.src, new RegExp(`^${newswire.url}/assets/samples/[a-z0-9-]+\\.thumb\\.png$`));
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
      assert.equal(response.headers.get('content-type'), 'image/png');
      const png = decodePng(new Uint8Array(await response.arrayBuffer()));
      assert.deepEqual([png.width, png.height], [1200, 800]);
    }
  });
});
