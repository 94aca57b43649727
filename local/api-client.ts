import { CliError, networkReason } from './cli-error.ts';

/** Time the CLI allows one HTTP request (an API call, or fetching a feed to import). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** A problem+json body as the write API sends it. */
export interface Problem {
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** What a refusal says, on one line: each named problem, else the detail. */
export function reasons(problem: Problem): string {
  if (problem.errors !== undefined && problem.errors.length > 0) {
    return problem.errors.map((e) => `${e.field || 'body'} ${e.message}`).join('; ');
  }
  return problem.detail ?? '';
}

/** Why a fetch failed, in a few words: refused, timed out, or the system's own code. */
export function fetchFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return networkReason(error) ?? cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * The one-line failure for a Newswire the CLI could not reach, with the next
 * step: the local server found through its record may have stopped; an
 * address given with --url may be wrong.
 */
export function unreachable(url: string, error: unknown, local = true): CliError {
  const next = local
    ? 'is "npm start" still running? Start it again, or pass --url'
    : 'check the address given with --url, and that Newswire is running there';
  return new CliError(`cannot reach Newswire at ${url} (${fetchFailure(error)}); ${next}`, 1, {
    cause: error,
  });
}
