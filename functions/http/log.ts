import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { optionalEnv, optionalEnvOf } from '../env.ts';

/** Log levels LOG_LEVEL accepts (any case); `silent` turns logging off. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = Exclude<(typeof LOG_LEVELS)[number], 'silent'>;
type PowertoolsLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

/**
 * `NEWSWIRE_LOG_FORMAT=text` (set by the local runtime) prints each record as
 * one readable line instead of JSON; everything else about logging is the same.
 */
export const LOG_FORMAT_VARIABLE = 'NEWSWIRE_LOG_FORMAT';

/** Turns a log record into the one line printed for it. */
export type LineFormat = (record: Record<string, unknown>) => string;

/**
 * The line format of `NEWSWIRE_LOG_FORMAT=text`, given by the local runtime
 * (local/log-format.ts) so that the Lambda bundles, which print JSON, carry none of it.
 */
let textFormat: LineFormat | undefined;

/** Sets the format NEWSWIRE_LOG_FORMAT=text prints; call before anything logs. */
export function useTextFormat(format: LineFormat): void {
  textFormat = format;
}

/** Powertools' Logger with its JSON printing replaced by one line per record. */
class TextLogger extends Logger {
  constructor(
    options: ConstructorParameters<typeof Logger>[0],
    private readonly format: LineFormat,
  ) {
    super(options);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const line = `${this.format(log.getAttributes())}\n`;
    // Powertools numbers its levels TRACE 6 … WARN 16 … SILENT 28.
    if (logLevel >= 16) process.stderr.write(line);
    else process.stdout.write(line);
  }
}

/** LOG_LEVEL (default `info`); an unknown level is refused, naming the levels. */
export function logLevel(): (typeof LOG_LEVELS)[number] {
  return optionalEnvOf('LOG_LEVEL', LOG_LEVELS) ?? 'info';
}

let instance: Logger | undefined;

/** True when LOG_LEVEL is debug: callers skip building what only a debug line would show. */
export function debugEnabled(): boolean {
  return logger().getLevelName() === 'DEBUG';
}

/**
 * The process's Powertools Logger: one JSON object per line for CloudWatch
 * (level, message, timestamp, service, and in Lambda the function's request
 * id and cold start), at LOG_LEVEL. Built on first use, so the local runtime
 * can choose the format before any handler logs.
 */
export function logger(): Logger {
  if (instance === undefined) {
    const options = { serviceName: 'newswire', logLevel: logLevel().toUpperCase() as PowertoolsLevel };
    instance =
      optionalEnv(LOG_FORMAT_VARIABLE) === 'text' && textFormat !== undefined
        ? new TextLogger(options, textFormat)
        : new Logger(options);
  }
  return instance;
}

/**
 * Logs one record with context attributes. Errors are logged by name and
 * message only (see describeError): no stack traces, no request bodies, no keys.
 */
export function log(level: Level, message: string, context: Record<string, unknown> = {}): void {
  logger()[level](message, context);
}

/** Describes an error for a log line without its stack. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? { cause: `${error.cause.name}: ${error.cause.message}` } : {};
  return { error: `${error.name}: ${error.message}`, ...cause };
}
