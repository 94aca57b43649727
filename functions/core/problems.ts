/**
 * Every problem type the API answers with (RFC 9457 `type`), one per status.
 * Each type URI is `{baseUrl}/problems/{type}`, a page on the site that
 * explains what the problem means and how to fix the request.
 */

/** One problem type: what it is called, and the status it goes with. */
export interface ProblemType {
  /** The last segment of the type URI: `invalid-request`. */
  type: string;
  status: number;
  title: string;
}

/** What a problem type's page says: what went wrong, and what to do about it. */
export interface ProblemProse {
  /** What went wrong, in a sentence or two. */
  meaning: string;
  /** What to do about it. */
  fix: string;
}

/** The catalogue, by status. */
export const PROBLEM_TYPES: readonly ProblemType[] = [
  { type: 'invalid-request', status: 400, title: 'Invalid request' },
  { type: 'unauthorized', status: 401, title: 'Unauthorized' },
  { type: 'forbidden', status: 403, title: 'Forbidden' },
  { type: 'not-found', status: 404, title: 'Not found' },
  { type: 'method-not-allowed', status: 405, title: 'Method not allowed' },
  { type: 'conflict', status: 409, title: 'Conflict' },
  { type: 'precondition-failed', status: 412, title: 'Precondition failed' },
  { type: 'payload-too-large', status: 413, title: 'Payload too large' },
  { type: 'unsupported-media-type', status: 415, title: 'Unsupported media type' },
  { type: 'too-many-requests', status: 429, title: 'Too many requests' },
  { type: 'internal-error', status: 500, title: 'Internal error' },
  { type: 'service-unavailable', status: 503, title: 'Service unavailable' },
];

/**
 * What each problem type's page says, by type: apart from the catalogue so that
 * functions that only answer with problems (feeds) leave the prose out.
 */
export const PROBLEM_PROSE: Readonly<Record<string, ProblemProse>> = {
  'invalid-request': {
    meaning:
      'The request broke one or more rules: the body is not valid JSON, a field is missing or has the wrong form, or a query parameter (such as a feed’s `after` cursor) is not one Newswire issued. The `errors` array lists every problem, each with the `field` it concerns (empty for the body as a whole) and a `message`.',
    fix: 'Correct each listed field and send the request again. A JSON syntax error names its line and column. Every field’s rules are in the API reference at `/api/` (the `ArticleInput` schema).',
  },
  unauthorized: {
    meaning:
      'The write API needs an API key, and the request had none, or had one that Newswire never issued.',
    fix: 'Send the key as `Authorization: Bearer nw_…`, exactly as `newswire keys create` printed it. Keys are shown once; if it is lost, create a new one and revoke the old.',
  },
  forbidden: {
    meaning: 'The API key is known but has been revoked.',
    fix: 'Ask for a new key (`newswire keys create --name NAME`) and use it instead.',
  },
  'not-found': {
    meaning:
      'Nothing lives at this address: an article id that was never written, or an edition, section or file that the site does not have.',
    fix: 'Check the id or path. Feeds are `/{edition}/rss.xml`, `atom.xml` or `feed.json`, and `/{edition}/{section}/…`; `/opml.xml` lists them all.',
  },
  'method-not-allowed': {
    meaning: 'This address does not accept the HTTP method used.',
    fix: 'Use one of the methods in the response’s `Allow` header: feeds and pages take GET and HEAD; `/api/articles/{id}` takes GET, PUT and DELETE.',
  },
  conflict: {
    meaning: 'Another write changed the article at the same moment, several times in a row.',
    fix: 'Read the article again (GET) and repeat the write; send `If-Match` with the ETag you read to be sure you replace what you saw.',
  },
  'precondition-failed': {
    meaning:
      'The request was conditional and the condition did not hold: `If-Match` named a version that is no longer current (or the article does not exist), or `If-None-Match: *` asked to create an article that already exists.',
    fix: 'GET the article, look at its current `ETag`, and decide whether your change still applies; then send it with `If-Match: "v<version>"`. ETags are quoted strings: send `If-Match: "v3"`, not `If-Match: v3`.',
  },
  'payload-too-large': {
    meaning:
      'The request body is larger than the write API accepts (512 KB; an article body may hold 200 KB), or the article, once stored compressed, would be larger than the 400 KB DynamoDB allows one item. The `detail` says which limit.',
    fix: 'Shorten the article or move large media out of the body and link to it. This is permanent: sending the same article again will not help.',
  },
  'unsupported-media-type': {
    meaning: 'The write API takes JSON, and the request said it was something else.',
    fix: 'Send the article with `Content-Type: application/json`.',
  },
  'too-many-requests': {
    meaning: 'Newswire’s database is throttling writes for a moment.',
    fix: 'Wait for the number of seconds in the `Retry-After` header, then retry.',
  },
  'internal-error': {
    meaning: 'Something failed on Newswire’s side. It is not caused by the request, and it has been logged.',
    fix: 'Retry later; if it persists, give the operators the time of the request.',
  },
  'service-unavailable': {
    meaning: 'Newswire cannot reach its article store just now. Nothing was written.',
    fix: 'Wait for the number of seconds in the `Retry-After` header, then retry the same request.',
  },
};

/** The problem type answered with a status (internal-error for a status without its own). */
export function problemForStatus(status: number): ProblemType {
  return (
    PROBLEM_TYPES.find((p) => p.status === status) ??
    (PROBLEM_TYPES.find((p) => p.status === 500) as ProblemType)
  );
}

/** A problem type by its URI segment, with what its page says, if there is one. */
export function findProblemType(type: string): (ProblemType & ProblemProse) | undefined {
  const problem = PROBLEM_TYPES.find((p) => p.type === type);
  return problem === undefined ? undefined : { ...problem, ...proseOf(problem) };
}

/** What a problem type's page says. */
export function proseOf(problem: ProblemType): ProblemProse {
  return PROBLEM_PROSE[problem.type] ?? { meaning: problem.title, fix: '' };
}

/** Absolute URI of a problem type: its explanation page on the site. */
export function problemTypeUrl(baseUrl: string, type: string): string {
  return `${baseUrl}/problems/${type}`;
}
