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

/** A usage mistake (unknown option, missing argument): exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}
