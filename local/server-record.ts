import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './cli-error.ts';

/** The repository this command belongs to: where `npm start` runs, whichever folder the command is run from. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The data folder: NEWSWIRE_DATA_DIR, else `.newswire`. A relative one is
 * taken from the repository's root, as `npm start` (which runs there) takes
 * it, so every command finds the same folder from any folder of the repository.
 */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(PROJECT_ROOT, env.NEWSWIRE_DATA_DIR || '.newswire');
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * A path as messages show it: relative to the current folder when both are
 * inside the repository (`../.newswire/dev-key` from `docs/`), else absolute.
 */
export function shownPath(path: string): string {
  if (!inside(PROJECT_ROOT, path) || !inside(PROJECT_ROOT, process.cwd())) return path;
  return relative(process.cwd(), path) || '.';
}

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
  /** The dev API key of a server that keeps no data folder (`--in-memory`), which has no `dev-key` file. */
  devKey?: string;
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
      `${shownPath(path)} is not readable JSON; stop any running "newswire serve", delete the file and start again`,
    );
  }
  const { url, dynamodbEndpoint, tableName, pid, startedAt, devKey } = record;
  if (
    typeof url !== 'string' ||
    typeof dynamodbEndpoint !== 'string' ||
    typeof tableName !== 'string' ||
    typeof pid !== 'number'
  ) {
    throw new CliError(`${shownPath(path)} is incomplete; delete it and restart the server (npm start)`);
  }
  if (!isRunning(pid)) {
    throw new CliError(
      `${shownPath(path)} names a server (pid ${pid}, ${url}) that is no longer running; start it with "npm start" (or delete the file)`,
    );
  }
  return {
    url,
    dynamodbEndpoint,
    tableName,
    pid,
    startedAt: startedAt ?? '',
    ...(typeof devKey === 'string' && { devKey }),
  };
}

/** A Newswire's write API and the key to use on it. */
export interface ApiTarget {
  /** Base URL of the Newswire, e.g. http://127.0.0.1:3000 */
  url: string;
  key: string;
}

/** The dev API key of the server recorded in `dataDir`: from its record (in memory), else its `dev-key` file. */
export function devKeyOf(dataDir: string, server: ServerRecord | undefined): string | undefined {
  if (server?.devKey !== undefined) return server.devKey;
  const keyFile = join(dataDir, 'dev-key');
  return existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() || undefined : undefined;
}

/**
 * Where a command writes: --url, else the running local server; --key, else
 * NEWSWIRE_API_KEY, else the local server's dev key. A CliError names what is
 * missing.
 */
export function apiTarget(
  values: { url?: string | undefined; key?: string | undefined },
  dataDir: string,
): ApiTarget & { local: boolean } {
  const server = values.url === undefined ? findRunningServer(dataDir) : undefined;
  const url = (values.url ?? server?.url)?.replace(/\/+$/, '');
  if (url === undefined) {
    throw new CliError(
      `no local Newswire is running (no ${shownPath(serverRecordPath(dataDir))}); start one with "npm start", or pass --url`,
    );
  }
  const key = values.key ?? (process.env.NEWSWIRE_API_KEY || undefined) ?? devKeyOf(dataDir, server);
  if (key === undefined) {
    throw new CliError(
      `no API key: pass --key, set NEWSWIRE_API_KEY, or run "npm start" to create ${shownPath(join(dataDir, 'dev-key'))}`,
    );
  }
  return { url, key, local: values.url === undefined };
}
