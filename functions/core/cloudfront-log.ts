/**
 * CloudFront standard log files (legacy, and v2 in its `w3c` output format):
 * W3C extended log format, tab-separated, a `#Version:` line and a `#Fields:`
 * line naming the fields of every record, values URL-encoded (spaces as
 * `%20` and so on), `-` for an empty value. Records are read by the field
 * names the file declares, so a file with fields chosen in standard logging
 * (v2), or the two fields AWS added after the original 33, reads the same.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */

/** One request as the subscriber estimate needs it (locally, the server builds the same). */
export interface RequestRecord {
  /** When the request completed (UTC). */
  at: Date;
  /** The viewer's address: only ever hashed with the day's salt, never stored. */
  address: string;
  method: string;
  /** The path, URL-decoded once as CloudFront logs it. */
  path: string;
  /** The query string without `?`, undefined when there was none. */
  query: string | undefined;
  status: number;
  userAgent: string;
}

/** The fields a record must have for the estimate; a file without one of them is refused. */
export const REQUIRED_FIELDS = [
  'date',
  'time',
  'c-ip',
  'cs-method',
  'cs-uri-stem',
  'sc-status',
  'cs(User-Agent)',
] as const;

/** A log file that is not one: no `#Fields:` line, or one without a field the estimate needs. */
export class LogFormatError extends Error {
  override name = 'LogFormatError';
}

/** What reading a file found besides its records. */
export interface LogReadReport {
  /** Lines that are not a well-formed record (wrong number of fields, bad date, status or address). */
  malformed: number;
}

/**
 * Decodes one field as CloudFront encodes it: `-` is empty; `%XX` escapes
 * (RFC 1738, for bytes 0–32, 127 and above and the characters AWS lists)
 * are decoded as UTF-8. A stray `%` that starts no escape is kept as it is.
 */
export function decodeLogField(value: string): string {
  if (value === '-') return '';
  if (!value.includes('%')) return value;
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8 (a client sent Latin-1 bytes): keep each byte as the character of that code.
      return run.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    }
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}$/;
const ADDRESS = /^[0-9A-Fa-f.:]{2,45}$/;

/**
 * Reads the records of one log file's text, in file order. Throws
 * LogFormatError when the file declares no fields, or lacks one the
 * estimate needs; counts (in `report`) lines that are not a record.
 */
export function* readCloudFrontLog(
  text: string,
  report: LogReadReport = { malformed: 0 },
): Generator<RequestRecord> {
  let fields: Map<string, number> | undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#Fields:')) fields = fieldIndex(line.slice('#Fields:'.length));
      continue;
    }
    if (fields === undefined) throw new LogFormatError('The log has a record before its #Fields: line');
    const record = recordOf(line.split('\t'), fields);
    if (record === undefined) report.malformed++;
    else yield record;
  }
  if (fields === undefined && text.trim() !== '') throw new LogFormatError('The log has no #Fields: line');
}

function fieldIndex(declaration: string): Map<string, number> {
  const names = declaration.trim().split(/\s+/);
  const missing = REQUIRED_FIELDS.filter((f) => !names.includes(f));
  if (missing.length > 0) {
    throw new LogFormatError(`The log's #Fields: line lacks ${missing.join(', ')}`);
  }
  return new Map(names.map((name, i) => [name, i]));
}

function recordOf(values: string[], fields: Map<string, number>): RequestRecord | undefined {
  if (values.length !== fields.size) return undefined;
  const raw = (name: (typeof REQUIRED_FIELDS)[number] | 'cs-uri-query') => {
    const at = fields.get(name);
    return at === undefined ? '-' : (values[at] ?? '-');
  };
  const date = raw('date');
  const time = raw('time');
  const address = raw('c-ip');
  const status = Number(raw('sc-status'));
  if (!DATE.test(date) || !TIME.test(time) || !ADDRESS.test(address) || !Number.isInteger(status)) {
    return undefined;
  }
  const at = new Date(`${date}T${time}Z`);
  if (Number.isNaN(at.getTime())) return undefined;
  const query = raw('cs-uri-query');
  return {
    at,
    address,
    method: raw('cs-method'),
    path: decodeLogField(raw('cs-uri-stem')),
    query: query === '-' ? undefined : decodeLogField(query),
    status,
    userAgent: decodeLogField(raw('cs(User-Agent)')),
  };
}
