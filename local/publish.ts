import { isDeepStrictEqual } from 'node:util';
import type { ArticleView } from '../functions/core/article.ts';
import { ARTICLE_CONTENT_FIELDS, parseArticle } from '../functions/core/article-input.ts';
import type { SiteConfig } from '../functions/core/config.ts';
import { ValidationError } from '../functions/core/errors.ts';
import { type Problem, REQUEST_TIMEOUT_MS, reasons, unreachable } from './api-client.ts';
import { CliError } from './cli-error.ts';
import type { ApiTarget } from './server-record.ts';

/**
 * Publishing one article through the write API only when it would change
 * something: what `newswire import` and `newswire ingest` share. The stored
 * article is read first, the API's own validator predicts what the new one
 * would store, and the write is conditional on what was read.
 */

/** Attempts at one request the API answers 429 or 503 (throttled, store unavailable). */
const ATTEMPTS = 4;
/** Longest wait between attempts, whatever Retry-After asks. */
const LONGEST_WAIT_S = 30;

/** The write API as the CLI uses it: bearer key, a timeout, and patience with 429 and 503. */
export class WriteApi {
  constructor(
    private readonly target: ApiTarget & { local?: boolean },
    /** Told before each wait, so the reader knows why the command pauses. */
    private readonly onWait: (line: string) => void,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** One request for an article; a refused key or an unreachable server stops the command (CliError). */
  async request(
    method: 'GET' | 'PUT',
    id: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.target.url}/api/articles/${encodeURIComponent(id)}`, {
        method,
        headers: {
          authorization: `Bearer ${this.target.key}`,
          ...(options.body !== undefined && { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch((error: unknown) => {
        throw unreachable(this.target.url, error, this.target.local ?? true);
      });
      if (response.status === 401 || response.status === 403) {
        const problem = (await response.json().catch(() => ({}))) as Problem;
        throw new CliError(
          `${this.target.url} refused the API key (${response.status}: ${problem.detail ?? response.statusText}); pass --key, set NEWSWIRE_API_KEY, or use the dev key the server saved`,
        );
      }
      if ((response.status !== 429 && response.status !== 503) || attempt === ATTEMPTS) return response;
      await response.body?.cancel();
      const asked = Number(response.headers.get('retry-after') ?? Number.NaN);
      const seconds = Number.isFinite(asked) && asked >= 0 ? Math.min(asked, LONGEST_WAIT_S) : 1;
      this.onWait(`  ${method} ${id}: Newswire answered ${response.status}; trying again in ${seconds} s`);
      await this.sleep(seconds * 1000);
    }
  }
}

/** The stored article's content fields that differ from what a write would store. */
function changedFields(stored: ArticleView, wanted: Record<string, unknown>): string[] {
  const plain = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  return ARTICLE_CONTENT_FIELDS.filter(
    (field) =>
      // A write without publishedAt or access keeps the stored one.
      !((field === 'publishedAt' || field === 'access') && wanted[field] === undefined) &&
      !isDeepStrictEqual(plain((stored as unknown as Record<string, unknown>)[field]), plain(wanted[field])),
  );
}

/** What the API would store for an article (the same validator, run here), or why it would refuse it. */
function predict(
  article: Record<string, unknown>,
  id: string,
  config: SiteConfig,
  now: Date,
): { content: Record<string, unknown> } | { problems: string } {
  try {
    const { content } = parseArticle(article, id, config, now);
    return { content: content as unknown as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { problems: reasons({ errors: error.problems }) };
  }
}

/** How to publish one article. */
export interface PublishOptions {
  /** Decide and report, write nothing. */
  dryRun: boolean;
  /** The site config the server validates with (this repository's newswire.config.ts). */
  config: SiteConfig;
  now: Date;
  /** An article withdrawn in Newswire: left alone (import), or published again by the write (ingest). */
  withdrawn: 'leave' | 'republish';
}

/** What publishing one article came to (in a dry run: what it would come to). */
export type PublishOutcome =
  | {
      kind: 'created' | 'updated';
      /** The content fields that change (an update). */
      changed: string[];
      /** The stored article the API answered with (none in a dry run). */
      stored?: Partial<ArticleView> & { warnings?: { field: string; message: string }[] };
    }
  | { kind: 'unchanged' }
  | { kind: 'withdrawn' }
  | { kind: 'failed'; message: string };

/**
 * Publishes one article unless Newswire already holds it unchanged: GET the
 * stored article, compare its content with what the API would store, then PUT
 * with `If-None-Match: *` (new) or `If-Match` (changed), so an article changed
 * in Newswire meanwhile is reported (412) rather than overwritten.
 */
export async function publishIfChanged(
  api: WriteApi,
  id: string,
  article: Record<string, unknown>,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const current = await api.request('GET', id);
  let stored: ArticleView | undefined;
  if (current.status === 200) stored = (await current.json()) as ArticleView;
  else if (current.status === 404) await current.body?.cancel();
  else {
    const problem = (await current.json().catch(() => ({}))) as Problem;
    return { kind: 'failed', message: `GET ${current.status} ${reasons(problem)}`.trim() };
  }
  const withdrawn = stored?.status === 'withdrawn';
  if (withdrawn && options.withdrawn === 'leave') return { kind: 'withdrawn' };
  // What the API would store: needed to compare with a stored article, and for a dry run's verdict.
  const prediction =
    options.dryRun || stored !== undefined ? predict(article, id, options.config, options.now) : undefined;
  const content = prediction !== undefined && 'content' in prediction ? prediction.content : undefined;
  const changed = stored === undefined || content === undefined ? [] : changedFields(stored, content);
  if (stored !== undefined && content !== undefined && changed.length === 0 && !withdrawn) {
    return { kind: 'unchanged' };
  }
  const kind = stored === undefined ? 'created' : 'updated';
  if (options.dryRun) {
    if (prediction !== undefined && 'problems' in prediction) {
      return { kind: 'failed', message: prediction.problems };
    }
    return { kind, changed };
  }
  const response = await api.request('PUT', id, {
    body: article,
    headers:
      stored === undefined ? { 'if-none-match': '*' } : { 'if-match': current.headers.get('etag') ?? '*' },
  });
  const body = (await response.json().catch(() => ({}))) as Problem &
    Partial<ArticleView> & { warnings?: { field: string; message: string }[] };
  if (!response.ok) {
    const message =
      response.status === 412
        ? '412: it changed in Newswire meanwhile; run the command again'
        : `${response.status} ${reasons(body)}`.trim();
    return { kind: 'failed', message };
  }
  return { kind: response.status === 201 ? 'created' : 'updated', changed, stored: body };
}
