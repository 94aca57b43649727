import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FeedFormat } from '../../functions/core/urls.ts';
import {
  readWithFeedExtractor,
  readWithFeedsmith,
  readWithNpmFeedparser,
  readWithRowanmanningFeedParser,
  readWithRssParser,
} from './npm-readers.ts';

const run = promisify(execFile);

/**
 * One feed item as a reader shows it, in one shape for every reader so that
 * they can be compared. Each value is the reader's own (decoded, stripped or
 * left alone as that reader does it); nothing is fixed up here.
 */
export interface ReaderItem {
  /** The guid or id, as the reader reports it. */
  id: string;
  /** The headline as the reader would display it. */
  title: string;
  /** Every author field the reader exposes, under the reader's own name, each as the values it holds. */
  authors: Record<string, string[]>;
  /** The full text (HTML) the reader would display; '' when it exposes none. */
  content: string;
  /** The summary or description the reader exposes; '' when none. */
  summary: string;
  /** Every image, enclosure or media URL the reader exposes. */
  media: string[];
  /** Category and tag labels, as the reader exposes them. */
  categories: string[];
  /** The reader's own item, to show what it saw when an assertion fails. */
  raw: unknown;
}

/** The readers the harness drives. */
export type ReaderName =
  | 'newsboat'
  | 'feedparser'
  | 'rss-parser'
  | 'feedsmith'
  | 'feed-extractor'
  | 'npm-feedparser'
  | 'rowanmanning-feed-parser';

/** The formats each reader reads (newsboat 2.21 and feedparser 6.0 predate JSON Feed; rss-parser never read it). */
export const READER_FORMATS: Record<ReaderName, readonly FeedFormat[]> = {
  newsboat: ['rss', 'atom'],
  feedparser: ['rss', 'atom'],
  'rss-parser': ['rss', 'atom'],
  feedsmith: ['rss', 'atom', 'json'],
  'feed-extractor': ['rss', 'atom', 'json'],
  // npm feedparser 2 and @rowanmanning/feed-parser 2 read RSS and Atom only.
  'npm-feedparser': ['rss', 'atom'],
  'rowanmanning-feed-parser': ['rss', 'atom'],
};

/** Every reader, in the order reports list them. */
export const READERS = Object.keys(READER_FORMATS) as ReaderName[];

/** Reads a feed URL with one reader and returns every item as that reader shows it. */
export async function readFeed(reader: ReaderName, url: string): Promise<ReaderItem[]> {
  switch (reader) {
    case 'newsboat':
      return (await newsboat([url])).items.map(newsboatItem);
    case 'feedparser': {
      const [result] = await feedparser(url);
      if (result === undefined || result.bozo)
        throw new Error(`feedparser: ${url}: ${result?.bozo_exception}`);
      return result.entries.map(feedparserItem);
    }
    case 'rss-parser':
      return readWithRssParser(url);
    case 'feedsmith':
      return readWithFeedsmith(url);
    case 'feed-extractor':
      return readWithFeedExtractor(url);
    case 'npm-feedparser':
      return readWithNpmFeedparser(url);
    case 'rowanmanning-feed-parser':
      return readWithRowanmanningFeedParser(url);
  }
}

// ---------------------------------------------------------------- python3-feedparser

/** A feedparser text construct: its declared type and its value. */
export interface FeedparserDetail {
  type: string | null;
  value: string | null;
}

/** A feedparser person. */
export interface FeedparserPerson {
  name?: string;
  href?: string;
  email?: string;
}

/** One entry as python3-feedparser exposes it, under feedparser's own names (see feedparser_check.py). */
export interface FeedparserEntry {
  id: string;
  title: string;
  title_detail: FeedparserDetail | null;
  link: string;
  author?: string;
  author_detail: FeedparserPerson | null;
  authors: FeedparserPerson[];
  /** Atom <contributor> elements. */
  contributors: FeedparserPerson[];
  published?: string;
  summary?: string;
  /** Beware: feedparser files a <media:description> (a caption) here, replacing the item's own. */
  summary_detail: FeedparserDetail | null;
  content: FeedparserDetail[];
  enclosures: { href?: string; type?: string; length?: string }[];
  media_content?: Record<string, string>[] | null;
  media_thumbnail?: Record<string, string>[] | null;
  media_credit?: { content?: string; role?: string; scheme?: string }[] | null;
  /** Always null with feedparser 6: it has no such key (see summary_detail). */
  media_description?: unknown;
  tags: { term: string | null; scheme: string | null; label: string | null }[];
}

/** What python3-feedparser (Debian's) makes of a feed. */
export interface FeedparserResult {
  url: string;
  bozo: boolean;
  bozo_exception: string | null;
  version: string;
  status?: number;
  title: string;
  language?: string;
  entries: FeedparserEntry[];
}

/** Fetches and parses feeds with python3-feedparser, the parser behind many readers. */
export async function feedparser(...urls: string[]): Promise<FeedparserResult[]> {
  const script = new URL('./feedparser_check.py', import.meta.url).pathname;
  const { stdout } = await run('/usr/bin/python3', [script, ...urls], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as FeedparserResult[];
}

function feedparserItem(entry: FeedparserEntry): ReaderItem {
  const authors: Record<string, string[]> = {};
  if (entry.author !== undefined && entry.author !== null) authors.author = [entry.author];
  if (entry.authors.length > 0) authors.authors = entry.authors.map((a) => a.name ?? a.email ?? '');
  return {
    id: entry.id,
    title: entry.title,
    authors,
    content: entry.content[0]?.value ?? '',
    summary: entry.summary ?? '',
    media: [
      ...entry.enclosures.map((e) => e.href ?? ''),
      ...(entry.media_content ?? []).map((m) => m.url ?? ''),
      ...(entry.media_thumbnail ?? []).map((m) => m.url ?? ''),
    ],
    categories: entry.tags.map((t) => t.label ?? t.term ?? ''),
    raw: entry,
  };
}

// ---------------------------------------------------------------- newsboat

/** One item as newsboat stored it in its cache (table rss_item). */
export interface NewsboatItem {
  feedurl: string;
  guid: string;
  title: string;
  author: string;
  url: string;
  /** The one body newsboat keeps: content:encoded or Atom content when present, else the description. */
  content: string;
  enclosure_url: string;
  enclosure_type: string;
  /** Seconds since the epoch. */
  pubDate: number;
}

/** newsboat's files for one run, in a fresh directory that is also its HOME. */
interface NewsboatHome {
  dir: string;
  urls: string;
  cache: string;
  config: string;
}

function newsboatHome(urls: string[], config: string[] = []): NewsboatHome {
  const dir = mkdtempSync(join(tmpdir(), 'newsboat-'));
  const home = { dir, urls: join(dir, 'urls'), cache: join(dir, 'cache.db'), config: join(dir, 'config') };
  writeFileSync(home.urls, `${urls.join('\n')}\n`);
  writeFileSync(home.config, ['download-timeout 30', 'reload-threads 4', ...config, ''].join('\n'));
  return home;
}

function newsboatArgs(home: NewsboatHome): string[] {
  return ['-u', home.urls, '-c', home.cache, '-C', home.config];
}

async function readNewsboatCache(cache: string): Promise<{ feeds: string[]; items: NewsboatItem[] }> {
  const query = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
feeds = [r[0] for r in db.execute("select rssurl from rss_feed")]
items = [dict(r) for r in db.execute(
    "select feedurl, guid, title, author, url, content, coalesce(enclosure_url, '') as enclosure_url,"
    " coalesce(enclosure_type, '') as enclosure_type, pubDate from rss_item order by pubDate desc, id")]
print(json.dumps(dict(feeds=feeds, items=items)))`;
  const { stdout } = await run('/usr/bin/python3', ['-c', query, cache], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as { feeds: string[]; items: NewsboatItem[] };
}

/**
 * Loads feeds into newsboat (Debian's) non-interactively and reads its cache.
 * newsboat exits 0 even when a fetch fails, so the cache is what counts; it
 * keys the cache by guid, so compare feeds that carry the same items with one
 * call each.
 */
export async function newsboat(urls: string[]): Promise<{ feeds: string[]; items: NewsboatItem[] }> {
  const home = newsboatHome(urls);
  try {
    await run('newsboat', [...newsboatArgs(home), '-x', 'reload'], {
      env: { ...process.env, HOME: home.dir, TERM: 'dumb' },
      timeout: 120_000,
    });
    return await readNewsboatCache(home.cache);
  } finally {
    rmSync(home.dir, { recursive: true, force: true });
  }
}

function newsboatItem(item: NewsboatItem): ReaderItem {
  return {
    id: item.guid,
    title: item.title,
    authors: { author: [item.author] },
    content: item.content,
    summary: '',
    media: item.enclosure_url === '' ? [] : [item.enclosure_url],
    categories: [],
    raw: item,
  };
}

/** Runs tmux on a socket of our own (a path in our own directory), so that nothing else's sessions are touched. */
function tmux(socket: string, ...args: string[]) {
  return run('tmux', ['-S', socket, '-f', '/dev/null', ...args]);
}

async function waitForPane(socket: string, what: string, ready: (screen: string) => boolean) {
  const deadline = Date.now() + 30_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = (await tmux(socket, 'capture-pane', '-p', '-t', 'newsboat')).stdout;
    if (ready(screen)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`newsboat never showed ${what}; the screen was:\n${screen}`);
}

/** Opens newsboat on `home` in tmux, opens the first feed and its first item, and saves it with `s`. */
async function saveArticleInTmux(socket: string, home: NewsboatHome): Promise<void> {
  // Dates are shown in local time: UTC, so the view is the same on every machine.
  const command = ['env', `HOME=${home.dir}`, 'TERM=screen', 'TZ=UTC', 'newsboat', ...newsboatArgs(home)];
  await tmux(socket, 'new-session', '-d', '-s', 'newsboat', '-x', '100', '-y', '40', ...command);
  try {
    await waitForPane(socket, 'its feed list', (s) => s.includes('Your feeds'));
    await tmux(socket, 'send-keys', '-t', 'newsboat', 'Enter');
    await waitForPane(socket, 'the feed', (s) => s.includes('Articles in feed'));
    await tmux(socket, 'send-keys', '-t', 'newsboat', 'Enter');
    await waitForPane(socket, 'the article', (s) => /^Title: /m.test(s));
    await tmux(socket, 'send-keys', '-t', 'newsboat', 's');
    await waitForPane(socket, 'the save prompt', (s) => s.includes('ENTER:Save'));
    await tmux(socket, 'send-keys', '-t', 'newsboat', 'Enter');
    await waitForPane(socket, 'that it saved the article', (s) => s.includes('Saved article to'));
  } finally {
    await tmux(socket, 'kill-server').catch(() => {});
  }
}

/**
 * The article view newsboat shows for one item of a feed: newsboat's own HTML
 * renderer, as a person sees it (Feed, Title, Author, Date, Link, then the
 * text at 72 columns, links listed after it). newsboat has no
 * non-interactive way to render an article, so this drives it in tmux: open
 * the feed, open the item, save it with `s`, and return the saved text.
 */
export async function newsboatArticle(url: string, guid: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'newsboat-view-'));
  const saved = join(dir, 'saved');
  mkdirSync(saved);
  // Only this item is kept, so it is the first in its feed whatever the feed's order.
  const home = newsboatHome(
    [url],
    [
      `ignore-article "*" "guid != \\"${guid.replace(/["\\]/g, '')}\\""`,
      `save-path "${saved}"`,
      'text-width 72',
    ],
  );
  try {
    const env = { ...process.env, HOME: home.dir, TERM: 'dumb' };
    await run('newsboat', [...newsboatArgs(home), '-x', 'reload'], { env, timeout: 120_000 });
    const { items } = await readNewsboatCache(home.cache);
    if (!items.some((i) => i.guid === guid)) throw new Error(`newsboat did not load ${guid} from ${url}`);
    await saveArticleInTmux(join(dir, 'tmux'), home);
    const [file, ...more] = readdirSync(saved);
    if (file === undefined || more.length > 0) {
      throw new Error(`newsboat saved ${readdirSync(saved).length} files`);
    }
    return readFileSync(join(saved, file), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(home.dir, { recursive: true, force: true });
  }
}
