import { readFileSync } from 'node:fs';
import type { SiteConfig } from '../functions/core/config.ts';
import config from '../newswire.config.ts';
import { fetchFailure, REQUEST_TIMEOUT_MS } from './api-client.ts';
import {
  CliError,
  type CliOption,
  cannotRead,
  didYouMean,
  parseCommandLine,
  seeHelp,
  someOf,
  usageError,
} from './cli-error.ts';
import { FeedReadError, FORMAT_NAMES, type ImportFeed, readFeedForImport } from './import-feed.ts';
import { createProgress, type ProgressStream } from './progress.ts';
import { publishIfChanged, WriteApi } from './publish.ts';
import { type ApiTarget, apiTarget } from './server-record.ts';

/**
 * `newswire import FILE|URL`: reads an existing feed and publishes each item
 * through the write API, skipping items Newswire already holds unchanged.
 */

/** A feed's text and where it came from. */
interface FeedSource {
  text: string;
  /** The URL it was fetched from (after redirects): the base of its relative links. */
  documentUrl?: string;
  /** How to name it in messages. */
  name: string;
}

/** The character set of a feed's bytes: BOM, then the HTTP header, then the XML declaration, else UTF-8. */
export function decodeFeed(bytes: Uint8Array, contentType?: string | null): string {
  let label = 'utf-8';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = 'utf-8';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else {
    const declared =
      /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
      /^\s*<\?xml[^>]*\sencoding\s*=\s*["']([\w.:-]+)["']/.exec(
        new TextDecoder('latin1').decode(bytes.subarray(0, 200)),
      )?.[1];
    if (declared !== undefined) label = declared;
  }
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    throw new CliError(`the feed is in a character set Node.js cannot decode ("${label}")`);
  }
}

/** Reads a feed from a file ("-" is standard input) or fetches it from an http(s) URL. */
async function loadFeed(source: string): Promise<FeedSource> {
  if (/^https?:\/\//i.test(source)) {
    const response = await fetch(source, {
      headers: {
        accept:
          'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
        'user-agent': 'Newswire-import/1.0',
      },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).catch((error: unknown) => {
      throw new CliError(
        `cannot fetch ${source} (${fetchFailure(error)}); check the address, or save the feed to a file and import that`,
        1,
        { cause: error },
      );
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new CliError(`cannot fetch ${source}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    return {
      text: decodeFeed(bytes, response.headers.get('content-type')),
      documentUrl: response.url || source,
      name: source,
    };
  }
  try {
    const bytes = readFileSync(source === '-' ? 0 : source);
    return { text: decodeFeed(bytes), name: source === '-' ? 'standard input' : source };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw cannotRead(source, error);
  }
}

/** How to run an import. */
export interface ImportRun {
  target: ApiTarget & { local?: boolean };
  /** Report what would happen; write nothing. */
  dryRun: boolean;
  config: SiteConfig;
  /** Where each item's line and the progress go. */
  out: ProgressStream;
  clock?: () => Date;
  /** How to wait before trying a throttled request again (tests pass a quicker one). */
  sleep?: (ms: number) => Promise<void>;
}

/** One item that was not imported, and why. */
export interface ImportFailure {
  where: string;
  id?: string;
  message: string;
}

/** The outcome of an import (in a dry run: what would happen). */
export interface ImportSummary {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Withdrawn in Newswire: an import does not bring them back. */
  withdrawn: string[];
  failed: ImportFailure[];
}

/**
 * Imports a feed's items one at a time: each is compared with the stored
 * article (GET) and written (PUT, conditional on what was read) only when it
 * is new or differs. Refused items are reported and the rest continue; an
 * unreachable server or a refused key stops the run (CliError).
 */
export async function importFeed(feed: ImportFeed, run: ImportRun): Promise<ImportSummary> {
  const summary: ImportSummary = { created: [], updated: [], unchanged: [], withdrawn: [], failed: [] };
  const progress = createProgress(feed.items.length, run.out);
  const api = new WriteApi(run.target, (line) => progress.note(line), run.sleep);
  const would = run.dryRun ? 'would be ' : '';
  const fail = (failure: ImportFailure) => {
    summary.failed.push(failure);
    progress.step(
      `✗ ${failure.where}${failure.id === undefined ? '' : ` ${failure.id}`}: ${failure.message}`,
    );
  };
  try {
    for (const item of feed.items) {
      if (!item.ok) {
        fail({ where: item.where, ...(item.id !== undefined && { id: item.id }), message: item.reason });
        continue;
      }
      const outcome = await publishIfChanged(api, item.id, item.article, {
        dryRun: run.dryRun,
        config: run.config,
        now: (run.clock ?? (() => new Date()))(),
        withdrawn: 'leave',
      });
      const notes = item.notes.map((note) => `  ${item.where} ${item.id}: ${note}`);
      if (outcome.kind === 'failed') {
        fail({ where: item.where, id: item.id, message: outcome.message });
        continue;
      }
      if (outcome.kind === 'withdrawn') {
        summary.withdrawn.push(item.id);
        progress.step(`- ${item.id} is withdrawn in Newswire; left alone`);
        continue;
      }
      if (outcome.kind === 'unchanged') {
        summary.unchanged.push(item.id);
        progress.step(`= ${item.id} unchanged`, !run.dryRun);
        continue;
      }
      summary[outcome.kind].push(item.id);
      const what =
        outcome.kind === 'created' ? 'created' : `updated (${outcome.changed.join(', ') || 'content'})`;
      if (run.dryRun) {
        progress.step(`${outcome.kind === 'created' ? '+' : '~'} ${item.id} ${would}${what}`);
        for (const note of notes) progress.note(note);
        continue;
      }
      const body = outcome.stored ?? {};
      const warnings = (body.warnings ?? []).map(
        (w) => `  ${item.where} ${item.id}: ${w.field} ${w.message}`,
      );
      const scheduled = body.status === 'scheduled' ? `, scheduled for ${body.publishedAt}` : '';
      progress.step(`✓ ${item.id} ${what}${scheduled}`, notes.length === 0 && warnings.length === 0);
      for (const note of [...notes, ...warnings]) progress.note(note);
    }
  } finally {
    progress.done();
  }
  return summary;
}

function editionsOption(raw: string | undefined, site: SiteConfig): string[] | undefined {
  if (raw === undefined) return undefined;
  const known = site.editions.map((e) => e.id);
  const editions = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const unknown = editions.filter((e) => !known.includes(e));
  if (editions.length === 0 || unknown.length > 0) {
    throw usageError(
      `--editions: ${unknown.length > 0 ? `unknown edition "${unknown[0]}"` : 'name at least one edition'} (the editions are ${known.join(', ')})`,
    );
  }
  return [...new Set(editions)];
}

function sectionOption(raw: string | undefined, site: SiteConfig): string | undefined {
  if (raw === undefined) return undefined;
  const known = site.sections.map((s) => s.id);
  if (!known.includes(raw)) {
    throw usageError(
      `--section: unknown section "${raw}" (the sections are ${known.join(', ')})${didYouMean(raw, known)}`,
    );
  }
  return raw;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Runs `newswire import` with its command-line arguments. Prints `help` for
 * --help; throws CliError for a usage mistake (exit 2), an unreadable feed,
 * an unreachable server, or when any item was not imported (exit 1).
 */
export async function runImport(
  args: string[],
  context: { dataDir: string; help: string; out?: ProgressStream },
): Promise<void> {
  const out = context.out ?? process.stdout;
  const { values, positionals } = parseCommandLine('import', args, OPTIONS, true);
  if (values.help) {
    out.write(`${context.help}\n`);
    return;
  }
  const [source, extra] = positionals;
  if (source === undefined) {
    throw usageError(
      `import needs a FILE or URL, e.g. newswire import https://example.com/rss.xml.${seeHelp('import')}`,
    );
  }
  if (extra !== undefined) throw usageError(`import takes one FILE or URL.${seeHelp('import')}`);
  const section = sectionOption(values.section, config);
  const editions = editionsOption(values.editions, config);
  const target = apiTarget(values, context.dataDir);
  const loaded = await loadFeed(source);
  let feed: ImportFeed;
  try {
    feed = readFeedForImport(loaded.text, {
      config,
      ...(loaded.documentUrl !== undefined && { documentUrl: loaded.documentUrl }),
      ...(section !== undefined && { section }),
      ...(editions !== undefined && { editions }),
    });
  } catch (error) {
    if (error instanceof FeedReadError) throw new CliError(`${loaded.name} is ${error.message}`);
    throw error;
  }
  const dryRun = values['dry-run'] ?? false;
  const title = feed.title === '' ? '' : ` "${feed.title}"`;
  out.write(
    `${dryRun ? 'Dry run: checking' : 'Importing'} ${count(feed.items.length, 'item')} from ${loaded.name} (${FORMAT_NAMES[feed.format]}${title}) ${dryRun ? 'against' : 'into'} ${target.url}\n`,
  );
  const summary = await importFeed(feed, { target, dryRun, config, out });
  const withdrawn =
    summary.withdrawn.length > 0 ? `, ${summary.withdrawn.length} withdrawn (left alone)` : '';
  out.write(
    dryRun
      ? `Dry run, nothing written: ${summary.created.length} would be created, ${summary.updated.length} updated, ${summary.unchanged.length} unchanged${withdrawn}, ${summary.failed.length} would fail\n`
      : `${summary.created.length} created, ${summary.updated.length} updated, ${summary.unchanged.length} unchanged${withdrawn}, ${summary.failed.length} failed\n`,
  );
  if (summary.failed.length > 0) {
    throw new CliError(
      `${summary.failed.length} of ${count(feed.items.length, 'item')} ${dryRun ? 'would not be' : 'were not'} imported (${someOf(summary.failed.map((f) => f.where))})`,
    );
  }
}

const OPTIONS = {
  section: { type: 'string', value: 'SECTION' },
  editions: { type: 'string', value: 'a,b' },
  'dry-run': { type: 'boolean' },
  url: { type: 'string', value: 'URL' },
  key: { type: 'string', value: 'KEY' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, CliOption>;
