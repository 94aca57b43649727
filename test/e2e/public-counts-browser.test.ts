/**
 * A front with subscriber counts on, in Debian's Chromium: the pages handler
 * (on DynamoDB Local, with counts published by the estimate) answers the
 * browser's requests, and axe-core finds no accessibility violation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createArticlesHandler } from '../../functions/articles.ts';
import type { SiteConfig } from '../../functions/core/config.ts';
import { createPagesHandler } from '../../functions/pages.ts';
import { DynamoPublicCountStore } from '../../functions/store/dynamo-stats-store.ts';
import config from '../../newswire.config.ts';
import { sampleArticle } from '../support/articles.ts';
import { launchChromium } from '../support/browser.ts';
import { freshDeps, testApiKey } from '../support/dynamo.ts';
import { httpEvent } from '../support/events.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SITE = 'https://news.example.com';

let browser: Browser;
let pages: ReturnType<typeof createPagesHandler>;

before(async () => {
  const deps = await freshDeps('2026-12-06T12:00:00Z');
  const token = await testApiKey(deps);
  const put = await createArticlesHandler(() => deps)(
    httpEvent('PUT', '/api/articles/summit', {
      headers: { authorization: `Bearer ${token}` },
      body: sampleArticle(),
    }),
  );
  assert.equal(put.statusCode, 201);
  const counts = new DynamoPublicCountStore(deps.client, deps.tableName);
  await counts.publishCounts(
    {
      day: '2026-12-05',
      publishedAt: '2026-12-06T02:15:00.000Z',
      feeds: { europe: 1234, 'europe/world': 462, 'europe/top': 88, 'authors/ana-ortiz': 57 },
    },
    new Date('2026-12-12T00:00:00Z'),
  );
  const on: SiteConfig = { ...config, subscriberCounts: { public: true } };
  pages = createPagesHandler(() => ({ config: on, store: deps.store, clock: deps.clock, counts }));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

describe('subscriber counts in a real browser', () => {
  for (const path of ['/europe/', '/europe/world/summit/', '/authors/ana-ortiz/', '/']) {
    test(`${path}: the counts read as text, and axe-core finds no violation`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      // Every request to the site is answered by the pages handler; pictures on it are not there.
      await context.route(/^https:\/\/news\.example\.com\//, async (route) => {
        const url = new URL(route.request().url());
        const reply = await pages(httpEvent('GET', url.pathname));
        if (reply.statusCode !== 200) return route.abort();
        const body = Buffer.from(reply.body ?? '', reply.isBase64Encoded ? 'base64' : 'utf8');
        return route.fulfill({
          status: 200,
          contentType: String(reply.headers?.['content-type'] ?? 'text/html'),
          body,
        });
      });
      const page = await context.newPage();
      const response = await page.goto(`${SITE}${path}`);
      assert.equal(response?.status(), 200);
      // What a sighted reader sees (the visually hidden word left out), and what a screen reader announces.
      // A string, as the other browser tests pass: tsx's helpers do not exist in the page.
      const read = (await page.evaluate(`[...document.querySelectorAll('.readers')].map((span) => {
        const text = (skip) => [...span.childNodes]
          .filter((n) => !(n.nodeType === 1 && n.matches(skip)))
          .map((n) => n.textContent)
          .join('');
        return { seen: text('.vh'), spoken: text('[aria-hidden="true"]') };
      })`)) as { seen: string; spoken: string }[];
      assert.ok(read.length > 0, path);
      for (const { seen, spoken } of read) {
        assert.match(seen, /^≈ [\d,]+ readers$/, path);
        assert.match(spoken, /^about [\d,]+ readers$/, path);
      }
      await page.addScriptTag({ content: AXE_SOURCE });
      const results = (await page.evaluate('axe.run(document)')) as {
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      };
      assert.deepEqual(
        results.violations.map(
          (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
        [],
        path,
      );
      await context.close();
    });
  }
});
