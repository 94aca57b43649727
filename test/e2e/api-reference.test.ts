process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openApiDocument } from '../../functions/http/openapi.ts';
import type { LocalNewswire } from '../../local/runtime.ts';
import { launchChromium } from '../support/browser.ts';
import { startTestServer } from '../support/local-server.ts';

/** axe-core, read from its npm package and injected into the page: nothing is fetched from another site. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let newswire: LocalNewswire;
let browser: Browser;
let page: Page;
/** Every request the page made, to check that it loads nothing from another site. */
const requested: string[] = [];

before(async () => {
  newswire = await startTestServer();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (request) => {
    requested.push(request.url());
  });
  const response = await page.goto(`${newswire.url}/api/`);
  assert.equal(response?.status(), 200);
});
after(async () => {
  await browser?.close();
  await newswire?.stop();
});

describe('the API reference at /api/', () => {
  test('shows every operation of the OpenAPI document, each under its method and path', async () => {
    const document = openApiDocument(newswire.deps.config) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, operation]) =>
        operation.operationId === undefined
          ? []
          : [{ id: operation.operationId, title: `${method.toUpperCase()} ${path}` }],
      ),
    );
    assert.ok(operations.length >= 50, `${operations.length} operations`);
    const shown = await page.$$eval('section.operation', (sections) =>
      sections.map((s) => ({ id: s.id, title: s.querySelector('h3')?.textContent ?? '' })),
    );
    assert.deepEqual(shown, operations);
    // Each is listed in the contents too, and each link leads to its section.
    const links = await page.$$eval('nav .contents a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(
      links,
      operations.map((o) => `#${o.id}`),
    );
    assert.match((await page.locator('#putArticle').textContent()) ?? '', /Needs an API key/);
    assert.match((await page.locator('#getTopStoriesRssFeed').textContent()) ?? '', /Public: no key needed/);
    assert.match((await page.locator('#schema-ArticleInput').textContent()) ?? '', /headline/);
  });

  test('runs no script and loads nothing from another site', async () => {
    assert.equal(await page.locator('script').count(), 0);
    const origin = new URL(newswire.url).origin;
    assert.deepEqual(
      requested.filter((url) => !url.startsWith(`${origin}/`)),
      [],
    );
  });

  test('axe-core finds no accessibility violation', async () => {
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: { run(): Promise<{ violations: { id: string; help: string; nodes: unknown[] }[] }> };
        }
      ).axe;
      const result = await axe.run();
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} elements)`);
    });
    assert.deepEqual(violations, []);
  });

  test('every page footer and the problem pages link to it', async () => {
    for (const path of ['/', '/europe/', '/problems/', '/problems/invalid-request']) {
      const other = await browser.newPage();
      await other.goto(`${newswire.url}${path}`);
      const hrefs = await other.$$eval('a', (as) => as.map((a) => (a as unknown as { href: string }).href));
      await other.close();
      assert.ok(hrefs.includes(`${newswire.url}/api/`), path);
    }
    const problem = await fetch(`${newswire.url}/problems/invalid-request`).then((r) => r.text());
    assert.doesNotMatch(problem, /README/);
  });

  test('answers a conditional GET with 304, and other methods with 405', async () => {
    const first = await fetch(`${newswire.url}/api/`);
    const etag = first.headers.get('etag') ?? '';
    assert.equal(first.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal((await fetch(`${newswire.url}/api/`, { headers: { 'if-none-match': etag } })).status, 304);
    const put = await fetch(`${newswire.url}/api/`, { method: 'PUT', body: '{}' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD');
  });
});
