process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalNewswire } from '../../local/runtime.ts';
import { loadSeedArticles, loadSeedTopStories, SEED_ANCHOR } from '../../local/seed.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer } from '../support/local-server.ts';
import { xmlError } from '../support/xml-parse.ts';

/** axe-core's own script, injected into pages as its README describes (no browser download, no wrapper). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Where screenshots go (git-ignored); CI can keep them as build artifacts. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json'];

let newswire: LocalNewswire;
let browser: Browser;
let context: BrowserContext;

/** A browser context like a reader's; article photos live on the real site, which tests never reach. */
async function newContext(options: { javaScriptEnabled?: boolean; headers?: Record<string, string> } = {}) {
  const created = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    ...(options.javaScriptEnabled === false && { javaScriptEnabled: false }),
    ...(options.headers !== undefined && { extraHTTPHeaders: options.headers }),
  });
  await created.route(/^https:\/\/news\.example\.com\//, (route) => route.abort());
  return created;
}

async function open(path: string, on: BrowserContext = context): Promise<Page> {
  const page = await on.newPage();
  const response = await page.goto(`${newswire.url}${path}`);
  assert.equal(response?.status(), 200, path);
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

function activeElement(page: Page, expression: string): Promise<string> {
  return page.evaluate(`String(document.activeElement ? document.activeElement.${expression} : '')`);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [newswire, browser] = await Promise.all([startTestServer(), launchChromium()]);
  context = await newContext();
});

after(async () => {
  await browser?.close();
  await newswire?.stop();
});

describe('the site in a real browser (Debian chromium)', () => {
  test('/ lets a person pick an edition and see its latest stories', async () => {
    const page = await open('/');
    assert.equal(await page.title(), 'Newswire');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Newswire');
    const editions = page.getByRole('region', { name: 'Editions' }).getByRole('heading', { level: 3 });
    assert.deepEqual(await editions.allTextContents(), [
      'International',
      'Europe',
      'Asia',
      'Americas',
      'Middle East',
      'Africa',
    ]);
    // The default edition's Top Stories first, in the editors' order; the scheduled one is not out yet…
    const seeded = loadSeedArticles();
    const topStories = (loadSeedTopStories().international ?? []).filter(
      (id) => Date.parse(seeded.find((a) => a.id === id)?.publishedAt ?? '') <= SEED_ANCHOR,
    );
    assert.ok(topStories.length > 0);
    const top = page.getByRole('region', { name: 'Top Stories' });
    assert.equal(await top.locator('.stories > li').count(), topStories.length, 'top stories');
    // …then the latest stories of the default edition.
    const latest = page.getByRole('region', { name: 'Latest' });
    assert.equal(await latest.locator('.stories > li').count(), 12, 'latest stories');
    await screenshot(page, 'home');
    await page
      .getByRole('region', { name: 'Editions' })
      .getByRole('link', { name: 'Europe', exact: true })
      .click();
    await page.waitForURL(`${newswire.url}/europe/`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Europe edition');
    assert.ok((await page.locator('.stories > li').count()) >= 5, 'latest stories');
    await page.close();
  });

  test('/ suggests the edition that serves the viewer’s country first, and nothing redirects', async () => {
    const german = await newContext({ headers: { 'CloudFront-Viewer-Country': 'DE' } });
    const page = await open('/', german);
    assert.equal(page.url(), `${newswire.url}/`);
    assert.ok(await page.getByRole('heading', { name: 'Suggested for you: Europe' }).isVisible());
    const first = page.getByRole('region', { name: 'Editions' }).getByRole('heading', { level: 3 }).first();
    assert.equal(await first.textContent(), 'Europe');
    await screenshot(page, 'home-suggested-de');
    await page.goto(`${newswire.url}/asia/`);
    assert.equal(page.url(), `${newswire.url}/asia/`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Asia edition');
    const feed = await german.request.get(`${newswire.url}/asia/rss.xml`, { maxRedirects: 0 });
    assert.equal(feed.status(), 200);
    await german.close();
  });

  test('the Europe page shows headlines, bylines and London times, readable without photos', async () => {
    const page = await open('/europe/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en-GB');
    const stories = page.locator('.stories > li');
    assert.ok((await stories.count()) >= 5);
    for (const time of await page.locator('.stories time').allTextContents()) {
      assert.match(time, /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} (GMT|BST)$/);
    }
    assert.match((await stories.first().locator('.meta').textContent()) ?? '', /^By /);
    for (const image of await page.locator('.stories img').all()) {
      assert.ok(
        ((await image.getAttribute('alt')) ?? '').length > 0,
        'photos have their caption as alt text',
      );
    }
    for (const landmark of ['banner', 'main', 'contentinfo']) {
      assert.equal(await page.getByRole(landmark as 'main').count(), 1, landmark);
    }
    await screenshot(page, 'europe');
    await page.close();
  });

  test('a section page lists that section and offers its feed', async () => {
    const page = await open('/europe/world/');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'World');
    assert.ok((await page.locator('.stories > li').count()) >= 1);
    const sections = await page.locator('.stories .meta a[href$="/world/"]').count();
    assert.equal(sections, await page.locator('.stories > li').count(), 'every story is a World story');
    assert.equal(await page.locator('#feed-url').inputValue(), `${newswire.url}/europe/world/rss.xml`);
    await screenshot(page, 'europe-world');
    await page.close();
  });

  test('autodiscovery links on every page resolve to valid feeds with items', async () => {
    for (const path of ['/', '/europe/', '/europe/world/']) {
      const page = await open(path);
      const links = await page.locator('head link[rel="alternate"][type]').all();
      assert.equal(links.length, 3, path);
      for (const link of links) {
        const [type, href, title] = await Promise.all(
          ['type', 'href', 'title'].map(async (name) => (await link.getAttribute(name)) ?? ''),
        );
        assert.ok(FEED_TYPES.includes(type ?? ''), `${path}: ${type}`);
        assert.match(title ?? '', /^Newswire — \S.* \((RSS|Atom|JSON Feed)\)$/, path);
        const response = await fetch(href ?? '');
        assert.equal(response.status, 200, href);
        assert.equal(response.headers.get('content-type'), `${type}; charset=utf-8`, href);
        const body = await response.text();
        if (type === 'application/feed+json') {
          assert.ok((JSON.parse(body) as { items: unknown[] }).items.length > 0, href);
        } else {
          assert.equal(xmlError(body), undefined, href);
          assert.match(body, /<(item|entry)>/, href);
        }
      }
      await page.close();
    }
  });

  test('the edition switcher moves to the same section in another edition', async () => {
    const page = await open('/europe/world/');
    const switcher = page.getByRole('navigation', { name: 'Editions' });
    assert.equal(await switcher.getByRole('link', { name: 'Europe' }).getAttribute('aria-current'), 'page');
    await switcher.getByRole('link', { name: 'Asia' }).click();
    await page.waitForURL(`${newswire.url}/asia/world/`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'World');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en-HK');
    assert.equal(
      await page
        .getByRole('navigation', { name: 'Editions' })
        .getByRole('link', { name: 'Asia' })
        .getAttribute('aria-current'),
      'page',
    );
    await page.close();
  });

  test('keyboard alone reaches the subscribe links, with a visible focus ring, and follows them', async () => {
    const page = await open('/europe/');
    await page.keyboard.press('Tab');
    assert.equal(await activeElement(page, 'textContent'), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await activeElement(page, 'id'), 'main');
    const rss = `${newswire.url}/europe/rss.xml`;
    let presses = 0;
    while ((await activeElement(page, 'href')) !== rss) {
      assert.ok(++presses < 60, 'the RSS link is reachable with Tab');
      await page.keyboard.press('Tab');
    }
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none', 'focus is visible');
    for (const next of [`${newswire.url}/europe/atom.xml`, `${newswire.url}/europe/feed.json`]) {
      await page.keyboard.press('Tab');
      assert.equal(await activeElement(page, 'href'), next);
    }
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await activeElement(page, 'href'), rss);
    const [request] = await Promise.all([page.waitForRequest(rss), page.keyboard.press('Enter')]);
    assert.equal((await request.response())?.status(), 200);
    // Chromium can hold a tab that shows a raw feed open until an idle keep-alive socket closes; don't wait for it.
    await page.close({ runBeforeUnload: true });
  });

  test('the Copy button puts the feed address on the clipboard', async () => {
    const copying = await newContext();
    await copying.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: newswire.url });
    const page = await open('/europe/', copying);
    const button = page.locator('button[data-copy="feed-url"]');
    assert.equal(await button.textContent(), 'Copy');
    await button.click();
    // The clipboard write is asynchronous: wait for the button to say it happened.
    await page.locator('button[data-copy="feed-url"]', { hasText: 'Copied' }).waitFor({ timeout: 5000 });
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), `${newswire.url}/europe/rss.xml`);
    await page
      .getByRole('status')
      .filter({ hasText: 'Feed URL copied to the clipboard' })
      .first()
      .waitFor({ timeout: 5000 });
    await copying.close();
  });

  test('without JavaScript the pages still work: stories, subscribe links, a selectable feed address', async () => {
    const noScript = await newContext({ javaScriptEnabled: false });
    const page = await open('/europe/', noScript);
    assert.ok((await page.locator('.stories > li').count()) >= 5);
    assert.ok(await page.getByRole('link', { name: /^RSS feed: Newswire — Europe$/ }).isVisible());
    assert.equal(await page.locator('#feed-url').inputValue(), `${newswire.url}/europe/rss.xml`);
    assert.equal(await page.getByRole('button', { name: 'Copy' }).first().isVisible(), false);
    await noScript.close();
  });
});

/** The seeded story with a video, two titled writers and a place in its edition's Top Stories. */
const STORY = 'atacama-telescope-first-light';
const STORY_EDITION = 'americas';

function seeded(id: string) {
  const article = loadSeedArticles().find((a) => a.id === id);
  assert.ok(article !== undefined, id);
  return article as typeof article & {
    headline: string;
    section: string;
    byline: { name: string; title?: string }[];
    image: { caption: string; credit: string };
    media: { caption: string; credit: string }[];
  };
}

/** axe-core's violations on the page as it is now, every rule on. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = (await page.evaluate('axe.run(document)')) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe('a story’s page in a real browser', () => {
  const story = seeded(STORY);
  const path = `/${STORY_EDITION}/${story.section}/${STORY}/`;

  test('shows every writer with their title, the photo’s caption and credit, and a video with its poster and source', async () => {
    const page = await open(path);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), story.headline);
    const byline = ((await page.locator('.article-header .byline').textContent()) ?? '').replace(/\s+/g, ' ');
    for (const writer of story.byline) {
      assert.ok(
        byline.includes(`${writer.name}, ${writer.title}`),
        `${byline} names ${writer.name}, ${writer.title}`,
      );
      assert.ok(await page.getByRole('link', { name: writer.name, exact: true }).first().isVisible());
    }
    const caption = page.locator('.lead figcaption');
    assert.ok(await caption.isVisible());
    const captionText = (await caption.textContent()) ?? '';
    assert.ok(
      captionText.includes(story.image.caption) && captionText.includes(story.image.credit),
      captionText,
    );
    const video = page.locator('.article-media video');
    assert.equal(await video.count(), 1);
    assert.equal(await video.getAttribute('controls'), '');
    assert.match((await video.getAttribute('poster')) ?? '', /\/assets\/samples\/.+\.poster\.webp$/);
    assert.match(
      (await video.locator('source').getAttribute('src')) ?? '',
      /\/assets\/samples\/sample-clip\.webm$/,
    );
    const videoCaption = (await page.locator('.article-media figcaption').textContent()) ?? '';
    assert.ok(
      videoCaption.includes(story.media[0]?.caption ?? '?') &&
        videoCaption.includes(story.media[0]?.credit ?? '?'),
      videoCaption,
    );
    await screenshot(page, 'article');
    await page.close();
  });

  test('beside it, the edition’s Top Stories in the editors’ order, without the story itself', async () => {
    const page = await open(path);
    const expected = (loadSeedTopStories()[STORY_EDITION] ?? [])
      .filter((id) => id !== STORY)
      .map((id) => seeded(id).headline);
    const top = page.getByRole('region', { name: 'Top Stories' });
    assert.deepEqual(await top.locator('ol.headlines a').allTextContents(), expected);
    await page.close();
  });

  test('the edition switcher keeps the story in an edition that carries it, else goes to that edition’s front', async () => {
    const page = await open(path);
    const switcher = page.getByRole('navigation', { name: 'Editions' });
    assert.equal(await switcher.getByRole('link', { name: 'Americas' }).getAttribute('aria-current'), 'page');
    await switcher.getByRole('link', { name: 'International' }).click();
    await page.waitForURL(`${newswire.url}/international/${story.section}/${STORY}/`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), story.headline);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('navigation', { name: 'Editions' }).getByRole('link', { name: 'Europe' }).click();
    await page.waitForURL(`${newswire.url}/europe/`);
    await page.close();
  });

  test('a story that is not out yet is the same 404 as an id that never existed', async () => {
    const scheduled = loadSeedArticles().find((a) => Date.parse(a.publishedAt) > SEED_ANCHOR);
    assert.ok(scheduled !== undefined);
    const section = String(scheduled.section);
    const page = await context.newPage();
    const early = await page.goto(`${newswire.url}/international/${section}/${scheduled.id}/`);
    const earlyBody = await early?.text();
    const never = await page.goto(`${newswire.url}/international/${section}/${scheduled.id}x/`);
    assert.equal(early?.status(), 404);
    assert.equal(never?.status(), 404);
    assert.equal(
      earlyBody?.replace(`${scheduled.id}`, ''),
      (await never?.text())?.replace(`${scheduled.id}x`, ''),
    );
    await page.close();
  });
});

describe('accessibility and the phone’s first screen', () => {
  for (const width of [1280, 390]) {
    test(`axe-core finds no violation on the fronts and a story’s page at ${width} px`, async () => {
      const sized = await browser.newContext({ viewport: { width, height: 844 } });
      for (const path of ['/', '/europe/', '/europe/world/', `/${STORY_EDITION}/science/${STORY}/`]) {
        const page = await open(path, sized);
        assert.deepEqual(await axeViolations(page), [], `${path} at ${width} px`);
        await page.close();
      }
      await sized.close();
    });
  }

  test('on a 390-pixel phone the first headline of / and of every edition’s front is within 800 px of the top', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const fronts = ['/', ...newswire.deps.config.editions.map((e) => `/${e.id}/`)];
    for (const path of fronts) {
      const page = await open(path, phone);
      const top = (await page.locator('.stories h3').first().boundingBox())?.y ?? Number.POSITIVE_INFINITY;
      assert.ok(top + 30 <= 800, `${path}: the first headline starts at ${Math.round(top)} px`);
      if (path === '/' || path === '/europe/') await screenshot(page, `phone${path.replaceAll('/', '-')}`);
      await page.close();
    }
    await phone.close();
  });
});
