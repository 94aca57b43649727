/**
 * What the README walkthrough tests share: a fresh `newswire serve` started as
 * `npm start` would start it (on a free port, in a temporary data folder, on
 * the test run's DynamoDB Local), and a bash session standing in for the
 * reader's terminal, into which README blocks are pasted.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dynamoEndpoint } from './dynamo.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the README's commands say the server listens and keeps its data. */
export const README_URL = 'http://127.0.0.1:3000';
export const README_DATA = '.newswire/';

/** A `newswire serve` child process. */
export interface ReadmeServer {
  process: ChildProcessWithoutNullStreams;
  url: string;
  dataDir: string;
  /** Everything it has printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with `probe`'s first defined value; fails after `ms` or if the server exits first. */
  waitFor<T>(what: string, probe: () => T | undefined, ms?: number): Promise<T>;
  /** Stops it with SIGTERM, as Ctrl+C would, and waits for it to exit. */
  stop(): Promise<void>;
  /** A README block as this server needs it: its URL and data folder instead of the README's defaults. */
  localise(code: string): string;
}

/** Starts `newswire serve --port 0` and waits until it has written server.json and its banner. */
export async function startReadmeServer(name: string, env: NodeJS.ProcessEnv = {}): Promise<ReadmeServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `newswire-${name}-`));
  const child = spawn(process.execPath, ['local/bin.js', 'serve', '--port', '0'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NEWSWIRE_DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: dynamoEndpoint(),
      TABLE_NAME: `${name}-${randomUUID()}`,
      ...env,
    },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const server: ReadmeServer = {
    process: child,
    url: '',
    dataDir,
    output: () => output,
    async waitFor(what, probe, ms = 120_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`${what} did not happen; server said:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
    localise: (code) => code.replaceAll(README_URL, server.url).replaceAll(README_DATA, `${dataDir}/`),
  };
  const record = join(dataDir, 'server.json');
  server.url = await server.waitFor('server.json', () =>
    existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as { url: string }).url : undefined,
  );
  await server.waitFor('the banner', () => (output.includes('Press Ctrl+C') ? true : undefined));
  return server;
}

/** One bash session, as a terminal the reader pastes into: none of the test run's own DynamoDB set-up. */
export class Terminal {
  private readonly bash: ChildProcessWithoutNullStreams;
  private out = '';
  private err = '';

  constructor(private readonly server: ReadmeServer) {
    const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, NEWSWIRE_DEBUG: _debug, ...env } = process.env;
    this.bash = spawn('bash', [], { cwd: ROOT, env: { ...env, NEWSWIRE_DATA_DIR: server.dataDir } });
    this.bash.stdout.on('data', (chunk: Buffer) => {
      this.out += chunk.toString();
    });
    this.bash.stderr.on('data', (chunk: Buffer) => {
      this.err += chunk.toString();
    });
  }

  /** Pastes a block; resolves with what it printed and the exit status of its last command. */
  async paste(code: string): Promise<{ status: number; stdout: string; stderr: string }> {
    const marker = `__done_${randomUUID()}__`;
    this.out = '';
    this.err = '';
    this.bash.stdin.write(`${code}\nprintf '\\n${marker} %s\\n' "$?"\n`);
    const found = await this.server.waitFor(
      `the block to finish:\n${code}\n${this.out}${this.err}`,
      () => new RegExp(`\\n${marker} (\\d+)\\n`).exec(this.out) ?? undefined,
    );
    return { status: Number(found[1]), stdout: this.out.slice(0, found.index), stderr: this.err };
  }

  close(): void {
    this.bash.stdin.end();
  }
}
