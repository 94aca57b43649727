import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error.ts';

/** Where a running local Newswire listens, as `newswire serve` records it in its data folder. */
export interface ServerRecord {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The DynamoDB it uses. */
  dynamodbEndpoint: string;
  tableName: string;
  /** Process id of the server. */
  pid: number;
  startedAt: string;
}

/** The record's file in a data folder: `.newswire/server.json`. */
export function serverRecordPath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

/** Records where the server listens (read by `ingest` and `keys`). */
export function writeServerRecord(dataDir: string, record: ServerRecord): void {
  writeFileSync(serverRecordPath(dataDir), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the record, if it is this process's. */
export function removeServerRecord(dataDir: string, pid = process.pid): void {
  const path = serverRecordPath(dataDir);
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServerRecord>;
    if (record.pid === pid) rmSync(path, { force: true });
  } catch {
    // No record, or not ours to remove.
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The running local server recorded in `dataDir`, or undefined when none was
 * started there. A record left by a server that is no longer running is an
 * error that says so, rather than a silent fallback.
 */
export function findRunningServer(dataDir: string): ServerRecord | undefined {
  const path = serverRecordPath(dataDir);
  if (!existsSync(path)) return undefined;
  let record: Partial<ServerRecord>;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServerRecord>;
  } catch {
    throw new CliError(
      `${path} is not readable JSON; stop any running "newswire serve", delete the file and start again`,
    );
  }
  const { url, dynamodbEndpoint, tableName, pid, startedAt } = record;
  if (
    typeof url !== 'string' ||
    typeof dynamodbEndpoint !== 'string' ||
    typeof tableName !== 'string' ||
    typeof pid !== 'number'
  ) {
    throw new CliError(`${path} is incomplete; delete it and restart the server (npm start)`);
  }
  if (!isRunning(pid)) {
    throw new CliError(
      `${path} names a server (pid ${pid}, ${url}) that is no longer running; start it with "npm start" (or delete the file)`,
    );
  }
  return { url, dynamodbEndpoint, tableName, pid, startedAt: startedAt ?? '' };
}

/** A Newswire's write API and the key to use on it. */
export interface ApiTarget {
  /** Base URL of the Newswire, e.g. http://127.0.0.1:3000 */
  url: string;
  key: string;
}

/**
 * Where a command writes: --url, else the running local server; --key, else
 * NEWSWIRE_API_KEY, else the local server's dev key. A CliError names what is
 * missing.
 */
export function apiTarget(
  values: { url?: string | undefined; key?: string | undefined },
  dataDir: string,
): ApiTarget {
  const url = (values.url ?? findRunningServer(dataDir)?.url)?.replace(/\/+$/, '');
  if (url === undefined) {
    throw new CliError(
      `no local Newswire is running (no ${serverRecordPath(dataDir)}); start one with "npm start", or pass --url`,
    );
  }
  const keyFile = join(dataDir, 'dev-key');
  const key =
    values.key ??
    (process.env.NEWSWIRE_API_KEY || undefined) ??
    (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (key === undefined) {
    throw new CliError(
      `no API key: pass --key, set NEWSWIRE_API_KEY, or run "npm start" to create ${keyFile}`,
    );
  }
  return { url, key };
}
