import { LOG_FORMAT_VARIABLE, useTextFormat } from '../functions/http/log.ts';
import { readableLine } from './readable-log.ts';

/**
 * Logs as the local runtime shows them: one readable line per record unless
 * NEWSWIRE_LOG_FORMAT says `json` (the default here is `text`). Call before
 * any handler logs.
 */
export function useLocalLogFormat(): void {
  process.env[LOG_FORMAT_VARIABLE] ??= 'text';
  useTextFormat(readableLine);
}
