import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What python3-feedparser (Debian's) makes of a feed. */
export interface FeedparserResult {
  url: string;
  bozo: boolean;
  bozo_exception: string | null;
  version: string;
  status?: number;
  title: string;
  language?: string;
  entries: {
    id: string;
    title: string;
    link: string;
    author?: string;
    authors: string[];
    published?: string;
    summary?: string;
    media_content?: { url: string }[];
    media_credit?: { content: string }[];
    tags: string[];
  }[];
}

/** Fetches and parses feeds with python3-feedparser, the parser behind many readers. */
export async function feedparser(...urls: string[]): Promise<FeedparserResult[]> {
  const script = new URL('./feedparser_check.py', import.meta.url).pathname;
  const { stdout } = await run('/usr/bin/python3', [script, ...urls], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as FeedparserResult[];
}

/** One item as newsboat stored it in its cache. */
export interface NewsboatItem {
  feedurl: string;
  title: string;
  author: string;
  guid: string;
}

/**
 * Loads feeds into newsboat (Debian's) non-interactively and reads its cache.
 * newsboat exits 0 even when a fetch fails, so the cache is what counts.
 */
export async function newsboat(urls: string[]): Promise<{ feeds: string[]; items: NewsboatItem[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'newsboat-'));
  const urlsFile = join(dir, 'urls');
  const cache = join(dir, 'cache.db');
  writeFileSync(urlsFile, `${urls.join('\n')}\n`);
  writeFileSync(join(dir, 'config'), 'download-timeout 30\nreload-threads 4\n');
  await run('newsboat', ['-u', urlsFile, '-c', cache, '-C', join(dir, 'config'), '-x', 'reload'], {
    env: { ...process.env, HOME: dir, TERM: 'dumb' },
    timeout: 120_000,
  });
  const query = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
feeds = [r[0] for r in db.execute("select rssurl from rss_feed")]
items = [dict(feedurl=r[0], title=r[1], author=r[2], guid=r[3]) for r in db.execute("select feedurl, title, author, guid from rss_item")]
print(json.dumps(dict(feeds=feeds, items=items)))`;
  const { stdout } = await run('/usr/bin/python3', ['-c', query, cache], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as { feeds: string[]; items: NewsboatItem[] };
}
