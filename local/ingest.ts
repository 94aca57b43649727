import { findJsonSyntaxError } from '../functions/core/json-syntax.ts';
import { REQUEST_TIMEOUT_MS, reasons, unreachable } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { createProgress, type ProgressStream } from './progress.ts';

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
  /** Base URL of the Newswire, e.g. http://127.0.0.1:3000 */
  url: string;
  key: string;
  /** Where the per-article lines and the progress go. */
  out: ProgressStream;
}

/** The outcome of an ingest run. */
export interface IngestSummary {
  created: number;
  updated: number;
  /** Entries not published: unreadable lines and articles the API refused. */
  rejected: IngestProblem[];
}

function position(where: string): number {
  return Number(/\d+$/.exec(where)?.[0] ?? 0);
}

/**
 * Publishes each article by PUT /api/articles/{id}, one at a time, showing
 * `n/total`. Refused articles are reported and skipped; a refused API key or
 * an unreachable server stops the run (CliError).
 */
export async function ingestArticles(
  parsed: ParsedArticleFile,
  options: IngestOptions,
): Promise<IngestSummary> {
  const summary: IngestSummary = { created: 0, updated: 0, rejected: [...parsed.problems] };
  const progress = createProgress(parsed.items.length, options.out);
  for (const problem of parsed.problems) progress.note(`✗ ${problem.where} ${problem.message}`);
  try {
    for (const { where, id, article } of parsed.items) {
      const response = await fetch(`${options.url}/api/articles/${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(article),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch((error: unknown) => {
        throw unreachable(options.url, error);
      });
      if (response.ok) {
        await response.body?.cancel();
        if (response.status === 201) summary.created++;
        else summary.updated++;
        progress.step(`✓ ${id} ${response.status === 201 ? 'created' : 'updated'}`, true);
        continue;
      }
      const problem = (await response.json().catch(() => ({}))) as Parameters<typeof reasons>[0];
      if (response.status === 401 || response.status === 403) {
        throw new CliError(
          `${options.url} refused the API key (${response.status}: ${problem.detail ?? response.statusText}); pass --key, set NEWSWIRE_API_KEY, or use the dev key the server saved`,
        );
      }
      const message = `${response.status} ${reasons(problem)}`;
      summary.rejected.push({ where, message: `${id}: ${message}` });
      progress.step(`✗ ${id} (${where}): ${message}`);
    }
  } finally {
    progress.done();
  }
  summary.rejected.sort((a, b) => position(a.where) - position(b.where));
  return summary;
}
