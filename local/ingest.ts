import type { SiteConfig } from '../functions/core/config.ts';
import { findJsonSyntaxError } from '../functions/core/json-syntax.ts';
import { CliError } from './cli-error.ts';
import { createProgress, type ProgressStream } from './progress.ts';
import { publishIfChanged, WriteApi } from './publish.ts';
import type { ApiTarget } from './server-record.ts';

/** One article read from an ingest file, with where it was. */
export interface IngestItem {
  /** `line 3` (JSON Lines) or `item 3` (JSON array). */
  where: string;
  id: string;
  article: Record<string, unknown>;
}

/** An entry of an ingest file that cannot be sent, with where it was and why. */
export interface IngestProblem {
  where: string;
  message: string;
}

/** What an ingest file holds: the articles to send and the entries that cannot be sent. */
export interface ParsedArticleFile {
  items: IngestItem[];
  problems: IngestProblem[];
}

function toItem(value: unknown, where: string): IngestItem | IngestProblem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { where, message: 'is not a JSON object' };
  }
  const { id, ...article } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return { where, message: 'has no "id" (a string)' };
  return { where, id, article };
}

/**
 * Parses a JSON array or JSON Lines file of articles. A bad line of JSON
 * Lines is reported with its line number and the rest is still read; a JSON
 * array that is not valid JSON cannot be read at all (CliError with line and column).
 */
export function parseArticleFile(text: string, name: string): ParsedArticleFile {
  const parsed: ParsedArticleFile = { items: [], problems: [] };
  const add = (entry: IngestItem | IngestProblem) => {
    if ('id' in entry) parsed.items.push(entry);
    else parsed.problems.push(entry);
  };
  if (text.trimStart().startsWith('[')) {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (error) {
      const problem = findJsonSyntaxError(text);
      const where =
        problem === undefined
          ? (error as Error).message
          : `line ${problem.line}, column ${problem.column}: ${problem.message}`;
      throw new CliError(`${name} is not valid JSON: ${where}`);
    }
    for (const [i, value] of (values as unknown[]).entries()) add(toItem(value, `item ${i + 1}`));
    return parsed;
  }
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const where = `line ${i + 1}`;
    try {
      add(toItem(JSON.parse(line), where));
    } catch (error) {
      const problem = findJsonSyntaxError(line);
      const detail =
        problem === undefined ? (error as Error).message : `column ${problem.column}: ${problem.message}`;
      add({ where, message: `is not valid JSON: ${detail}` });
    }
  }
  return parsed;
}

/** Where to send the articles and how. */
export interface IngestOptions {
  /** The Newswire to publish to, its key, and whether it is the local server found through its record. */
  target: ApiTarget & { local?: boolean };
  /** The site config the server validates with, to tell an unchanged article from a changed one. */
  config: SiteConfig;
  /** Where the per-article lines and the progress go. */
  out: ProgressStream;
  clock?: () => Date;
  /** How to wait before trying a throttled request again (tests pass a quicker one). */
  sleep?: (ms: number) => Promise<void>;
}

/** The outcome of an ingest run. */
export interface IngestSummary {
  created: number;
  updated: number;
  /** Articles Newswire already held with the same content: nothing written. */
  unchanged: number;
  /** Entries not published: unreadable lines and articles the API refused. */
  rejected: IngestProblem[];
}

function position(where: string): number {
  return Number(/\d+$/.exec(where)?.[0] ?? 0);
}

/**
 * Publishes each article by PUT /api/articles/{id}, one at a time, showing
 * `n/total`, unless Newswire already holds it with the same content (then
 * nothing is written, as `newswire import` does; a withdrawn article is
 * published again). Refused articles are reported and skipped; a refused API
 * key or an unreachable server stops the run (CliError).
 */
export async function ingestArticles(
  parsed: ParsedArticleFile,
  options: IngestOptions,
): Promise<IngestSummary> {
  const summary: IngestSummary = { created: 0, updated: 0, unchanged: 0, rejected: [...parsed.problems] };
  const progress = createProgress(parsed.items.length, options.out);
  const api = new WriteApi(options.target, (line) => progress.note(line), options.sleep);
  for (const problem of parsed.problems) progress.note(`✗ ${problem.where} ${problem.message}`);
  try {
    for (const { where, id, article } of parsed.items) {
      const outcome = await publishIfChanged(api, id, article, {
        dryRun: false,
        config: options.config,
        now: (options.clock ?? (() => new Date()))(),
        withdrawn: 'republish',
      });
      if (outcome.kind === 'failed') {
        summary.rejected.push({ where, message: `${id}: ${outcome.message}` });
        progress.step(`✗ ${id} (${where}): ${outcome.message}`);
      } else if (outcome.kind === 'unchanged' || outcome.kind === 'withdrawn') {
        summary.unchanged++;
        progress.step(`= ${id} unchanged`, true);
      } else {
        summary[outcome.kind]++;
        const what =
          outcome.kind === 'created' ? 'created' : `updated (${outcome.changed.join(', ') || 'content'})`;
        progress.step(`✓ ${id} ${what}`, true);
      }
    }
  } finally {
    progress.done();
  }
  summary.rejected.sort((a, b) => position(a.where) - position(b.where));
  return summary;
}
