import config from '../../newswire.config.ts';
import {
  ConflictError,
  ContentTooLargeError,
  type FieldProblem,
  ForbiddenError,
  MAX_PROBLEMS,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  StoreUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/errors.ts';
import { problemForStatus, problemTypeUrl } from '../core/problems.ts';
import { describeError, log } from './log.ts';
import type { HttpResult } from './types.ts';

/** Longest field name or message a listed problem repeats (a field may be an unknown key the client made up). */
const MAX_PROBLEM_TEXT = 200;

function clip(text: string): string {
  return text.length <= MAX_PROBLEM_TEXT ? text : `${text.slice(0, MAX_PROBLEM_TEXT - 1)}…`;
}

/** The first problems, each clipped, and how many were left out (beyond those the error already counts). */
function listedProblems(error: ValidationError): { listed: FieldProblem[]; omitted: number } {
  const listed = error.problems
    .slice(0, MAX_PROBLEMS)
    .map((p) => ({ field: clip(p.field), message: clip(p.message) }));
  return { listed, omitted: error.problems.length - listed.length + error.omitted };
}

/** A JSON response. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: `${JSON.stringify(body, null, 2)}\n`,
  };
}

/** The problem type (`invalid-request`, `not-found`, …) a status is answered with. */
export function problemTypeOf(statusCode: number): string {
  return problemForStatus(statusCode).type;
}

/**
 * An RFC 9457 problem+json response. Its `type` is a page on this site
 * (`{baseUrl}/problems/{type}`) that explains the problem and how to fix it,
 * and its `title` that page's title: both follow from the status.
 */
export function problemResponse(
  statusCode: number,
  detail: string,
  extra: {
    problems?: FieldProblem[];
    /** Problems found but not listed in `problems`. */
    omittedProblems?: number;
    headers?: Record<string, string>;
  } = {},
): HttpResult {
  const problem = problemForStatus(statusCode);
  return {
    statusCode,
    headers: {
      'content-type': 'application/problem+json; charset=utf-8',
      'cache-control': 'no-store',
      ...extra.headers,
    },
    body: `${JSON.stringify(
      {
        type: problemTypeUrl(config.baseUrl, problem.type),
        title: problem.title,
        status: statusCode,
        detail,
        ...(extra.problems !== undefined && { errors: extra.problems }),
        ...(extra.omittedProblems !== undefined && { errorsOmitted: extra.omittedProblems }),
      },
      null,
      2,
    )}\n`,
  };
}

/**
 * The store's throttling as a read function answers it: 503 with Retry-After
 * (StoreUnavailableError), not 429. CloudFront serves an expired copy of a
 * cached feed or page when the origin answers 5xx (within `stale-if-error`)
 * but passes a 4xx on to readers, so throttling of the table must look like
 * its outage to stay invisible behind the cache. Writes keep their 429.
 */
export function throttlingAsOutage(error: unknown): unknown {
  return error instanceof TooManyRequestsError
    ? new StoreUnavailableError(error.retryAfterSeconds, { cause: error })
    : error;
}

/**
 * Maps any error to a response: typed errors to their status, anything else
 * to a 500 that says nothing about internals (the cause is logged, without stack).
 */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof ValidationError) {
    const { listed, omitted } = listedProblems(error);
    const count = listed.length + omitted;
    const found = `${count} ${count === 1 ? 'problem' : 'problems'} found`;
    return problemResponse(400, omitted > 0 ? `${found}; the first ${listed.length} are listed` : found, {
      problems: listed,
      ...(omitted > 0 && { omittedProblems: omitted }),
    });
  }
  if (error instanceof UnauthorizedError) {
    return problemResponse(401, error.message, {
      headers: { 'www-authenticate': 'Bearer realm="newswire"' },
    });
  }
  if (error instanceof ForbiddenError) return problemResponse(403, error.message);
  if (error instanceof NotFoundError) return problemResponse(404, error.message);
  if (error instanceof MethodNotAllowedError) {
    return problemResponse(405, error.message, {
      headers: { allow: error.allowed.join(', ') },
    });
  }
  if (error instanceof ConflictError) return problemResponse(409, error.message);
  if (error instanceof PreconditionFailedError) {
    return problemResponse(412, error.message, {
      headers: error.currentEtag === undefined ? {} : { etag: error.currentEtag },
    });
  }
  if (error instanceof PayloadTooLargeError || error instanceof ContentTooLargeError) {
    return problemResponse(413, error.message);
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return problemResponse(415, error.message);
  }
  if (error instanceof TooManyRequestsError) {
    log('warn', 'Store throttled a request', describeError(error));
    return problemResponse(429, error.message, {
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    });
  }
  if (error instanceof StoreUnavailableError) {
    log('error', 'Store unavailable', describeError(error));
    return problemResponse(503, error.message, {
      headers: { 'retry-after': String(error.retryAfterSeconds) },
    });
  }
  log('error', 'Unexpected error', describeError(error));
  return problemResponse(500, 'Something went wrong on our side; it has been logged.');
}
