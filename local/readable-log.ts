/** Keys every Powertools record carries that a person at a terminal does not need to read. */
const HIDDEN = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'requestId',
  'route',
  'function',
  'userAgent',
]);

function clock(timestamp: unknown): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : new Date();
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toTimeString().slice(0, 8);
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]*$/.test(text) ? text : JSON.stringify(text);
}

/**
 * One log record as one line for a terminal: `12:00:01 GET /europe/rss.xml 200 4 ms`,
 * with a write's article, version and status or a refusal's problem type after it.
 */
export function readableLine(record: Record<string, unknown>): string {
  const time = clock(record.timestamp);
  const level = String(record.level ?? 'INFO');
  if (typeof record.method === 'string' && typeof record.status === 'number') {
    const parts = [time, record.method, String(record.path ?? ''), String(record.status)];
    if (typeof record.latencyMs === 'number') parts.push(`${record.latencyMs} ms`);
    if (typeof record.articleId === 'string') {
      parts.push(` ${record.articleId} v${String(record.version)} ${String(record.articleStatus)}`);
    }
    if (typeof record.problem === 'string') parts.push(` ${record.problem}`);
    return parts.join(' ');
  }
  const context = Object.entries(record)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${show(value)}`);
  return [time, level === 'INFO' ? '' : level, String(record.message ?? ''), ...context]
    .filter((part) => part !== '')
    .join(' ');
}
