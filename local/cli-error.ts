import { type ParseArgsConfig, parseArgs } from 'node:util';

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

/** parseArgs, strict, with a bad option or argument as a usage error (exit code 2). */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw usageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
}

/** Where things failed, for one line: the first ten, then how many more. */
export function someOf(places: readonly string[]): string {
  const shown = places.slice(0, 10);
  const more = places.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}
