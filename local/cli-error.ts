import { parseArgs } from 'node:util';

/**
 * An expected failure of a `newswire` command: printed as one line on stderr
 * (`newswire: <message>`), never with a stack trace, and the process exits
 * with `exitCode` (1 = the command failed, 2 = it was called wrongly).
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The one-line failure for a file a command could not read (`-` is standard input). */
export function cannotRead(path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'EACCES'
          ? 'permission denied'
          : (error as Error).message;
  return new CliError(`cannot read ${path}: ${reason}`);
}

/** A usage mistake (unknown option, missing argument): exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

/** One option of a command: a flag, or an option that takes a value (`value` names it in messages). */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  /** What the value is, for "--url needs a value (URL)": e.g. `URL`, `NAME`. */
  value?: string;
}

type OptionValues<T extends Record<string, CliOption>> = {
  [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean;
};

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours) between two words. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate a mistyped word most likely meant: the closest within a
 * third of its length (at least one edit), or one it is the start of.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  let best: { candidate: string; edits: number } | undefined;
  for (const candidate of candidates) {
    const edits = distance(typed, candidate.toLowerCase());
    if (best === undefined || edits < best.edits) best = { candidate, edits };
  }
  if (best !== undefined && best.edits <= Math.max(1, Math.floor(typed.length / 3))) return best.candidate;
  return typed.length >= 2 ? candidates.find((c) => c.startsWith(typed)) : undefined;
}

/** Ends a problem's sentence: `; did you mean "x"?` when a word is close to a candidate, else `.`. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match === undefined ? '.' : `; did you mean "${match}"?`;
}

/** The pointer that ends every usage error: ` See "newswire ingest --help" for its options.` */
export function seeHelp(command: string): string {
  return command === ''
    ? ' See "newswire --help" for the commands.'
    : ` See "newswire ${command} --help" for its options.`;
}

/**
 * Parses a command's arguments. Every mistake is a usage error (exit code 2)
 * in one line that names the option, suggests the closest known one and
 * points to the command's --help: an unknown option, a missing or ambiguous
 * value, a value given to a flag, or an argument the command does not take.
 */
export function parseCommandLine<T extends Record<string, CliOption>>(
  command: string,
  args: string[],
  options: T,
  positionals = false,
): { values: OptionValues<T>; positionals: string[] } {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short !== undefined && { short: o.short }) },
    ]),
  );
  const help = seeHelp(command);
  const { tokens } = parseArgs({
    args,
    options: config,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const values: Record<string, string | boolean> = {};
  const rest: string[] = [];
  const names = Object.keys(options).map((n) => `--${n}`);
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!positionals) {
        throw usageError(`"newswire ${command}" takes no argument "${token.value}".${help}`);
      }
      rest.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option === undefined) {
      throw usageError(`unknown option "${token.rawName}"${didYouMean(`--${token.name}`, names)}${help}`);
    }
    const shown = `--${token.name}`;
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw usageError(`${shown} takes no value.${help}`);
      values[token.name] = true;
      continue;
    }
    // A value that looks like an option was most likely the next option, not this one's value.
    if (
      token.value === undefined ||
      (!token.inlineValue && token.value.startsWith('-') && token.value !== '-')
    ) {
      throw usageError(`${shown} needs a value: ${shown} ${option.value ?? 'VALUE'}.${help}`);
    }
    values[token.name] = token.value;
  }
  return { values: values as OptionValues<T>, positionals: rest };
}

/** Where things failed, for one line: the first ten, then how many more. */
export function someOf(places: readonly string[]): string {
  const shown = places.slice(0, 10);
  const more = places.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

/** What a network failure's error codes mean, in a few words. */
const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
};

/**
 * Why a request never got an answer, in a few words ("connection refused"),
 * or undefined when the error is not a network failure. Looks through the
 * error's causes and, for Node's dual-stack connects, its AggregateError.
 */
export function networkReason(error: unknown, seen = 0): string | undefined {
  if (typeof error !== 'object' || error === null || seen > 5) return undefined;
  const { code, name, cause, errors } = error as {
    code?: unknown;
    name?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && NETWORK_ERRORS[code] !== undefined) return NETWORK_ERRORS[code];
  if (name === 'TimeoutError') return 'no answer in time';
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const reason = networkReason(inner, seen + 1);
      if (reason !== undefined) return reason;
    }
  }
  return networkReason(cause, seen + 1);
}
