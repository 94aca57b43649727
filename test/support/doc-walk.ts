/**
 * Runs the shell blocks of the documentation as a reader pastes them (see
 * docs.ts for the convention): `sh` blocks in order in one bash terminal per
 * page, with `set -e -o pipefail`, so that any command that fails — a curl
 * error status with `-f`, a pipeline whose first command failed — stops the
 * page with its exit status; `sh server` blocks in the terminal that runs
 * Newswire (the one before is stopped with Ctrl+C first, as a reader would);
 * `sh background` blocks in a terminal of their own for the rest of the page.
 *
 * Every terminal gets the walk's PORT, NEWSWIRE_DATA_DIR and HUB_PORT, none
 * of them the defaults, and none of the test run's own settings. The
 * Newswire terminal alone also gets the run's DynamoDB Local and a table of
 * its own (one DynamoDB Local per test run), which `npm start` honours.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/dynamodb-local.ts';
import { type DocBlock, isShell, ROOT, SKIPPED } from './docs.ts';
import { dynamoEndpoint } from './dynamo.ts';

/** How long one block, or a server's start, may take on a loaded machine. */
const BLOCK_MS = 180_000;

/** What a block printed. */
export interface BlockResult {
  file: string;
  block: DocBlock;
  stdout: string;
  stderr: string;
}

/** A shell block not run, and why. */
export interface Skip {
  file: string;
  line: number;
  reason: string;
}

/** A check made right after each block of `file` whose code contains `block` (or, trimmed, matches it). */
export interface Expectation {
  file: string;
  block: string | RegExp;
  check(result: BlockResult, walk: DocWalk): Promise<void> | void;
}

/** Polls `probe` until it gives a value; fails after `ms`, or when `dead()` says the wait is hopeless. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  dead: () => string | undefined = () => undefined,
  ms = BLOCK_MS,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    const reason = dead();
    if (reason !== undefined) throw new Error(`${what} did not happen: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A long-running program in a terminal of its own. */
export class Background {
  private readonly child: ChildProcessWithoutNullStreams;
  private text = '';
  private readonly exited: Promise<number>;

  constructor(
    readonly code: string,
    env: NodeJS.ProcessEnv,
  ) {
    // A process group of its own, so that Ctrl+C (SIGINT to the group) reaches npm, tsx and node alike.
    this.child = spawn('bash', ['-c', `set -e -o pipefail\n${code}`], { cwd: ROOT, env, detached: true });
    const collect = (chunk: Buffer) => {
      this.text += chunk.toString();
    };
    this.child.stdout.on('data', collect);
    this.child.stderr.on('data', collect);
    // 'close': every process of the terminal that held its output has ended (npm may end before node).
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => resolve(code ?? (signal === null ? 0 : 128))),
    );
  }

  /** Everything it printed so far. */
  output(): string {
    return this.text;
  }

  /** Why it is no longer running, or undefined while it runs. */
  ended(): string | undefined {
    const code = this.child.exitCode ?? (this.child.signalCode === null ? null : this.child.signalCode);
    return code === null ? undefined : `it exited (${code}); it printed:\n${this.text}`;
  }

  /** Ctrl+C, then waits until everything in it has exited (SIGKILL after 30 s); resolves with the exit code (128 when a signal ended it). */
  async stop(): Promise<number> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      process.kill(-this.child.pid, 'SIGINT');
      const timer = setTimeout(() => {
        if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
      }, 30_000);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }
}

/** One bash terminal, into which a page's blocks are pasted, with `set -e -o pipefail`. */
class Terminal {
  private readonly bash: ChildProcessWithoutNullStreams;
  private out = '';
  private err = '';

  constructor(env: NodeJS.ProcessEnv) {
    this.bash = spawn('bash', [], { cwd: ROOT, env });
    this.bash.stdout.on('data', (chunk: Buffer) => {
      this.out += chunk.toString();
    });
    this.bash.stderr.on('data', (chunk: Buffer) => {
      this.err += chunk.toString();
    });
    this.bash.stdin.write('set -e -o pipefail\n');
  }

  /** Pastes a block; resolves with what it printed, or fails with the exit status of the command that failed. */
  async paste(code: string): Promise<{ stdout: string; stderr: string }> {
    const marker = `__done_${randomUUID()}__`;
    this.out = '';
    this.err = '';
    this.bash.stdin.write(`${code}\nprintf '\\n${marker}\\n'\n`);
    const found = await waitFor(
      'the block to finish',
      () => new RegExp(`\\n${marker}\\n`).exec(this.out) ?? undefined,
      () =>
        this.bash.exitCode === null
          ? undefined
          : `a command failed with exit status ${this.bash.exitCode}\n--- stdout\n${this.out}--- stderr\n${this.err}`,
    );
    return { stdout: this.out.slice(0, found.index), stderr: this.err };
  }

  close(): void {
    if (this.bash.exitCode === null) this.bash.kill('SIGKILL');
  }
}

/** A reader's session through the documentation: one Newswire at a time, on a port and data folder of its own. */
export class DocWalk {
  /** The terminal running Newswire, once a `sh server` block has started it. */
  server: Background | undefined;
  /** Background terminals of the page being walked. */
  backgrounds: Background[] = [];
  /** Shell blocks not run, with their reason. */
  readonly skipped: Skip[] = [];

  private constructor(
    readonly port: number,
    readonly hubPort: number,
    readonly dataDir: string,
    private readonly tableName: string,
  ) {}

  /** A walk on free ports (never 3000 or 9999) and in a fresh temporary data folder. */
  static async create(): Promise<DocWalk> {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'newswire-docs-')), 'data');
    return new DocWalk(await freePort(), await freePort(), dataDir, `docs-${randomUUID()}`);
  }

  /** What every terminal of the walk gets: the reader's environment, not the test run's. */
  terminalEnv(): NodeJS.ProcessEnv {
    const {
      DYNAMODB_ENDPOINT: _endpoint,
      TABLE_NAME: _table,
      NEWSWIRE_DEBUG: _debug,
      NEWSWIRE_URL: _url,
      NEWSWIRE_API_KEY: _key,
      LOG_LEVEL: _level,
      ...env
    } = process.env;
    return {
      ...env,
      PORT: String(this.port),
      HUB_PORT: String(this.hubPort),
      NEWSWIRE_DATA_DIR: this.dataDir,
    };
  }

  /** The running Newswire's address, from the record it keeps in its data folder. */
  url(): string {
    const record = join(this.dataDir, 'server.json');
    return (JSON.parse(readFileSync(record, 'utf8')) as { url: string }).url;
  }

  /** Runs a page's blocks in order, then the expectations on each; fails on the first that fails. */
  async walk(file: string, blocks: DocBlock[], expectations: Expectation[] = []): Promise<BlockResult[]> {
    const results: BlockResult[] = [];
    const terminal = new Terminal(this.terminalEnv());
    try {
      for (const block of blocks.filter(isShell)) {
        const where = `${file}:${block.line}`;
        const result = await this.run(file, block, terminal).catch((error: Error) => {
          throw new Error(`${where}: ${error.message}\n--- the block\n${block.code}`);
        });
        if (result === undefined) continue;
        results.push(result);
        for (const expectation of expectations) {
          const { block: wanted } = expectation;
          const found =
            typeof wanted === 'string' ? block.code.includes(wanted) : wanted.test(block.code.trim());
          if (expectation.file === file && found) {
            await expectation.check(result, this);
          }
        }
      }
      for (const background of this.backgrounds) {
        const ended = background.ended();
        if (ended !== undefined) throw new Error(`${file}: a background terminal stopped: ${ended}`);
      }
      return results;
    } finally {
      terminal.close();
      for (const background of this.backgrounds) await background.stop();
      this.backgrounds = [];
    }
  }

  private async run(file: string, block: DocBlock, terminal: Terminal): Promise<BlockResult | undefined> {
    if (block.marker === '') {
      return { file, block, ...(await terminal.paste(block.code)) };
    }
    if (block.marker === 'server') {
      await this.startServer(file, block);
      return { file, block, stdout: this.server?.output() ?? '', stderr: '' };
    }
    if (block.marker === 'background') {
      const background = new Background(block.code, this.terminalEnv());
      this.backgrounds.push(background);
      return { file, block, stdout: '', stderr: '' };
    }
    const reason = SKIPPED[block.marker];
    if (reason === undefined) {
      throw new Error(
        `unknown marker "${block.marker}": use sh, sh server, sh background or one of ${Object.keys(SKIPPED).join(', ')}`,
      );
    }
    this.skipped.push({ file, line: block.line, reason });
    return undefined;
  }

  /** Stops the Newswire running (Ctrl+C), then starts the block's and waits for its banner. */
  private async startServer(file: string, block: DocBlock): Promise<void> {
    await this.stopServer();
    let code = block.code;
    if (/^npm install && /m.test(code)) {
      code = code.replace(/^npm install && /m, '');
      this.skipped.push({ file, line: block.line, reason: `"npm install &&": ${SKIPPED.install}` });
    }
    const server = new Background(code, {
      ...this.terminalEnv(),
      DYNAMODB_ENDPOINT: dynamoEndpoint(),
      TABLE_NAME: this.tableName,
    });
    this.server = server;
    await waitFor(
      'Newswire to start',
      () =>
        server.output().includes('Press Ctrl+C') && existsSync(join(this.dataDir, 'server.json'))
          ? true
          : undefined,
      () => server.ended(),
    );
  }

  /**
   * Stops Newswire as Ctrl+C does, and waits until its processes have all exited; fails unless
   * it said it stopped. (npm ends at once on Ctrl+C, by the signal; node finishes stopping after.)
   */
  async stopServer(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const code = await server.stop();
    if (!/^Newswire stopped/m.test(server.output())) {
      throw new Error(`Newswire did not stop cleanly (exit ${code}):\n${server.output()}`);
    }
  }
}
