process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Article } from '../../functions/core/article.ts';
import { entriesOf } from '../../functions/core/articles.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { launchChromium } from '../support/browser.ts';
import { putJson, startTestServer } from '../support/local-server.ts';

/**
 * Hostile articles on every kind of page, in a real browser. Each payload
 * would set `window.pwned` or open a dialog if it ever ran; the page must
 * show it as text (or drop it) instead.
 */

const PAGES = ['/', '/international/', '/europe/', '/europe/world/', '/asia/world/', '/africa/'];

const SCRIPT_HEADLINE =
  '<script>window.pwned = "headline"</script> Breaking: </title><script>alert(1)</script>';
const RAW_HEADLINE = '"><img src=x onerror="window.pwned=\'raw\'"> Raw headline <svg onload=alert(2)>';

/** Every `on…` attribute in the page's DOM, as `TAG name`. */
function eventHandlers(page: Page): Promise<unknown> {
  return page.evaluate(
    '[...document.querySelectorAll("*")].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => e.tagName + " " + a.name))',
  );
}

let newswire: LocalNewswire;
let browser: Browser;
let context: BrowserContext;

before(async () => {
  [newswire, browser] = await Promise.all([startTestServer(), launchChromium()]);
  context = await browser.newContext();
  // Photo hosts are not reachable in tests; payload URLs pointing elsewhere must never be fetched either.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  // Through the write API: everything the schema lets a CMS send.
  const response = await putJson(
    newswire,
    `/api/articles/xss-through-api`,
    sampleArticle({
      headline: SCRIPT_HEADLINE,
      summary:
        '<img src=x onerror="window.pwned=\'summary\'"><a href="javascript:window.pwned=1">Click</a> me',
      body: '<p onclick="window.pwned=1">Body</p><script>window.pwned="body"</script>',
      editions: undefined,
      byline: [
        {
          name: 'Mallory <img src=x onerror=alert(3)>',
          title: '" onmouseover="window.pwned=\'title\'',
          url: 'https://news.example.com/"><script>alert(4)</script>',
        },
      ],
      image: {
        url: 'https://news.example.com/x.jpg?"onerror="window.pwned=1',
        caption: '"><script>window.pwned="caption"</script>',
        credit: '<b onmouseover=alert(5)>credit</b>',
        width: 600,
        height: 400,
        type: 'image/jpeg',
      },
      publishedAt: minutesAgo(1),
    }),
  );
  assert.equal(response.status, 201, await response.text());

  // Straight into the store, as an older version or a hand-written import might have left it: unsanitised.
  const now = new Date().toISOString();
  const raw: Article = {
    id: 'xss-in-store',
    version: 1,
    createdAt: now,
    updatedAt: now,
    headline: RAW_HEADLINE,
    summary: '<script>window.pwned="raw summary"</script><a href="javascript:alert(6)">x</a>',
    body: '<script>window.pwned="raw body"</script>',
    url: 'https://news.example.com/2026/raw/',
    section: 'world',
    topics: [],
    byline: [{ name: 'Mallory', url: 'javascript:window.pwned="byline url"' }],
    image: { url: 'javascript:window.pwned="image"', caption: '<script>alert(7)</script>' },
    publishedAt: minutesAgo(2),
    language: 'en" onfocus="alert(8)',
  };
  await newswire.deps.store.saveArticle({ article: raw, ...entriesOf(raw, newswire.deps.config) });

  // With no Top Stories set, / shows the default edition's latest stories: these among them.
  const cleared = await putJson(newswire, '/api/editions/international/top-stories', { articles: [] });
  assert.equal(cleared.status, 200, await cleared.text());
});

after(async () => {
  await browser?.close();
  await newswire?.stop();
});

describe('hostile articles’ own pages in a real browser', () => {
  for (const id of ['xss-through-api', 'xss-in-store']) {
    test(`the page of ${id} renders inert`, async () => {
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const response = await page.goto(`${newswire.url}/international/world/${id}/`);
      assert.equal(response?.status(), 200);
      await page.waitForLoadState('load');
      await page.locator('main').hover();
      assert.equal(await page.evaluate('typeof window.pwned'), 'undefined');
      assert.deepEqual(dialogs, []);
      // The page's own script and its structured data (JSON, which no value can close).
      assert.deepEqual(
        await page.evaluate(
          '[...document.querySelectorAll("script")].map((s) => s.type || "text/javascript")',
        ),
        ['application/ld+json', 'text/javascript'],
      );
      assert.equal(await page.locator('main svg, main iframe, main object, main embed').count(), 0);
      assert.equal(await page.locator('[href^="javascript:" i], [src^="javascript:" i]').count(), 0);
      assert.deepEqual(await eventHandlers(page), []);
      await page.close();
    });
  }
});

describe('hostile articles in a real browser', () => {
  for (const path of PAGES) {
    test(`render inert on ${path}`, async () => {
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const response = await page.goto(`${newswire.url}${path}`);
      assert.equal(response?.status(), 200);
      // Give anything that might fire (onerror of a broken image, onload) the chance to.
      await page.waitForLoadState('load');
      for (const story of await page.locator('.stories > li').all()) await story.hover();
      assert.equal(await page.evaluate('typeof window.pwned'), 'undefined');
      assert.deepEqual(dialogs, []);

      // Plain-text fields hold text: the markup went on write (or, for the item written straight
      // into the store, when it is shown), and what is left is shown as the text it is.
      assert.equal(await page.getByRole('link', { name: 'Breaking:', exact: true }).count(), 1);
      assert.equal(await page.getByRole('link', { name: '"> Raw headline', exact: true }).count(), 1);
      assert.ok(
        await page.getByText('By Mallory, " onmouseover="window.pwned=\'title\'').first().isVisible(),
      );

      // Nothing the payloads carried made it into the DOM as markup.
      assert.equal(await page.locator('script').count(), 1, 'only the page’s own script');
      assert.equal(await page.locator('svg, iframe, object, embed').count(), 0);
      assert.equal(await page.locator('[href^="javascript:" i], [src^="javascript:" i]').count(), 0);
      assert.deepEqual(await eventHandlers(page), []);
      await page.close();
    });
  }
});
