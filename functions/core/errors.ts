/** How many problems a 400 lists; the rest are counted (errorsOmitted). */
export const MAX_PROBLEMS = 50;

/** One problem with one field of a request, as listed in a problem+json response. */
export interface FieldProblem {
  /** JSON pointer-ish path of the field, e.g. `byline.0.name`; empty for the whole document. */
  field: string;
  message: string;
}

/** Base class of every error Newswire raises on purpose; each subclass maps to one HTTP status. */
export class NewswireError extends Error {
  override name = 'NewswireError';
}

/** The request is malformed or breaks a rule; carries every problem found (or the first ones and a count). */
export class ValidationError extends NewswireError {
  override name = 'ValidationError';
  readonly problems: FieldProblem[];
  /** Problems found beyond those listed (a request with thousands of bad values gets a bounded reply). */
  readonly omitted: number;
  constructor(problems: FieldProblem[], options?: ErrorOptions & { omitted?: number }) {
    const listed = problems.slice(0, 5).map((p) => `${p.field || '(body)'}: ${p.message}`);
    const more = problems.length + (options?.omitted ?? 0) - listed.length;
    super(`Invalid input: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`, options);
    this.problems = problems;
    this.omitted = options?.omitted ?? 0;
  }
}

/** No such resource. */
export class NotFoundError extends NewswireError {
  override name = 'NotFoundError';
}

/** The HTTP method is not supported on this path; carries the allowed methods. */
export class MethodNotAllowedError extends NewswireError {
  override name = 'MethodNotAllowedError';
  constructor(readonly allowed: string[]) {
    super(`Method not allowed; use ${allowed.join(', ')}`);
  }
}

/** No API key, or a key nobody issued. */
export class UnauthorizedError extends NewswireError {
  override name = 'UnauthorizedError';
}

/** The key is known but revoked. */
export class ForbiddenError extends NewswireError {
  override name = 'ForbiddenError';
}

/** An If-Match / If-None-Match precondition did not hold. */
export class PreconditionFailedError extends NewswireError {
  override name = 'PreconditionFailedError';
  constructor(
    message: string,
    readonly currentEtag?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A concurrent write changed the article between read and write. */
export class ConflictError extends NewswireError {
  override name = 'ConflictError';
}

/** The body, or what it becomes once stored, is larger than Newswire accepts. */
export class PayloadTooLargeError extends NewswireError {
  override name = 'PayloadTooLargeError';
  constructor(
    readonly limitBytes: number,
    message = `Request body exceeds ${limitBytes} bytes`,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The content is valid but cannot be stored within a storage limit (DynamoDB's 400 KB item). */
export class ContentTooLargeError extends NewswireError {
  override name = 'ContentTooLargeError';
  constructor(
    message: string,
    readonly sizes: { limitBytes: number; actualBytes: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The body is not JSON. */
export class UnsupportedMediaTypeError extends NewswireError {
  override name = 'UnsupportedMediaTypeError';
}

/** DynamoDB throttled us; the client should retry later. */
export class TooManyRequestsError extends NewswireError {
  override name = 'TooManyRequestsError';
  constructor(
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super('Too many requests; retry later', options);
  }
}

/** The store cannot be reached or failed; the client should retry later. */
export class StoreUnavailableError extends NewswireError {
  override name = 'StoreUnavailableError';
  constructor(
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super('The article store is unavailable; retry later', options);
  }
}

/** A WebSub hub refused a publish ping, or did not answer in time; the ping is retried. */
export class HubError extends NewswireError {
  override name = 'HubError';
  constructor(
    message: string,
    /** The hub's HTTP status, when it answered. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
