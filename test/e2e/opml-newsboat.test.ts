process.env.LOG_LEVEL ??= 'warn';

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { LocalNewswire } from '../../local/runtime.ts';
import { sampleArticle } from '../support/articles.ts';
import { putJson, startTestServer } from '../support/local-server.ts';
import { childOf, childrenOf, parseXml, type XmlElement } from '../support/xml-parse.ts';

const run = promisify(execFile);

let newswire: LocalNewswire;

before(async () => {
  newswire = await startTestServer();
  // One story per section in every edition, so that every feed the OPML lists has items
  // whatever the sample newsroom happens to cover (it has no African politics, for one).
  const { config } = newswire.deps;
  for (const section of config.sections) {
    const response = await putJson(
      newswire,
      `/api/articles/everywhere-${section.id}`,
      sampleArticle({
        headline: `${section.title} desk round-up`,
        url: `https://news.example.com/2026/round-up/${section.id}/`,
        section: section.id,
        editions: undefined,
        publishedAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    );
    assert.equal(response.status, 201, await response.text());
  }
});

after(() => newswire?.stop());

/** newsboat's files for one run, in a fresh directory that is also its HOME. */
function newsboatHome() {
  const dir = mkdtempSync(join(tmpdir(), 'newsboat-opml-'));
  const files = { dir, urls: join(dir, 'urls'), cache: join(dir, 'cache.db'), config: join(dir, 'config') };
  writeFileSync(files.urls, '');
  writeFileSync(
    files.config,
    `download-timeout 30\nreload-threads 4\nerror-log "${join(dir, 'error.log')}"\n`,
  );
  return files;
}

async function newsboat(home: ReturnType<typeof newsboatHome>, ...args: string[]) {
  return run('newsboat', ['-u', home.urls, '-c', home.cache, '-C', home.config, ...args], {
    env: { ...process.env, HOME: home.dir, TERM: 'dumb' },
    timeout: 120_000,
  });
}

/** Rows of a query on newsboat's cache (sqlite, read with Debian's python3: Node 20 has no sqlite). */
async function cacheRows(cache: string, sql: string): Promise<unknown[][]> {
  const script =
    'import json, sqlite3, sys\nprint(json.dumps(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall()))';
  const { stdout } = await run('/usr/bin/python3', ['-c', script, cache, sql]);
  return JSON.parse(stdout) as unknown[][];
}

/** The feed outlines of an OPML document, at any depth (a group has no xmlUrl). */
function feedOutlines(opml: string): Record<string, string>[] {
  const walk = (element: XmlElement): Record<string, string>[] =>
    childrenOf(element, '', 'outline').flatMap((o) =>
      o.attributes.xmlUrl === undefined ? walk(o) : [o.attributes],
    );
  return walk(childOf(parseXml(opml), '', 'body'));
}

describe('OPML in newsboat', () => {
  test('newsboat imports /opml.xml, one feed per edition, and reloads every feed without an error', async () => {
    const response = await fetch(`${newswire.url}/opml.xml`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/x-opml; charset=utf-8');
    const opml = await response.text();
    const feeds = feedOutlines(opml);
    const { config } = newswire.deps;
    // One feed per edition: a story reaches a reader once within each edition.
    assert.deepEqual(
      feeds.map((f) => f.xmlUrl),
      config.editions.map((e) => `${newswire.url}/${e.id}/rss.xml`),
    );

    const home = newsboatHome();
    const opmlFile = join(home.dir, 'newswire.opml');
    writeFileSync(opmlFile, opml);
    await newsboat(home, '-i', opmlFile);
    const imported = readFileSync(home.urls, 'utf8').trim().split('\n');
    assert.deepEqual(
      imported.map((line) => line.split(' ')[0]).sort(),
      feeds.map((f) => f.xmlUrl).sort(),
      'every feed, once',
    );

    await newsboat(home, '-x', 'reload');
    // newsboat exits 0 even when a fetch fails: its cache is what counts.
    const titles = new Map(
      (await cacheRows(home.cache, 'select rssurl, title from rss_feed')) as [string, string][],
    );
    for (const feed of feeds)
      assert.equal(titles.get(feed.xmlUrl ?? ''), feed.title, `${feed.xmlUrl} loaded`);
    const items = (await cacheRows(home.cache, 'select count(*) from rss_item'))[0]?.[0];
    assert.ok(Number(items) >= 30, `${items} items`);
    let errors = '';
    try {
      errors = readFileSync(join(home.dir, 'error.log'), 'utf8');
    } catch {
      // no log: no errors
    }
    assert.equal(errors.trim(), '', 'newsboat logged no errors');
  });

  test('every feed in an edition’s OPML, news apps’ feeds included, has items when newsboat reads it on its own', async () => {
    // newsboat keeps one copy of an item per guid across all feeds, so a story in both
    // /europe/rss.xml and /europe/world/rss.xml is counted under only one of them in a
    // shared cache. Reading each feed into its own cache shows what a subscriber sees.
    const urls = feedOutlines(await (await fetch(`${newswire.url}/europe/opml.xml`)).text()).map(
      (f) => f.xmlUrl ?? '',
    );
    assert.ok(
      urls.some((u) => u.includes('/partners/')),
      'the news apps’ feeds are listed',
    );
    const counts = new Map<string, number>();
    const queue = [...urls];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
          const home = newsboatHome();
          writeFileSync(home.urls, `${url}\n`);
          await newsboat(home, '-x', 'reload');
          counts.set(url, Number((await cacheRows(home.cache, 'select count(*) from rss_item'))[0]?.[0]));
        }
      }),
    );
    const empty = urls.filter((u) => !((counts.get(u) ?? 0) > 0));
    assert.deepEqual(empty, [], 'feeds with no items');
  });
});
