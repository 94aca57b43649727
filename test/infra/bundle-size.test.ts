import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESBUILD } from '../../infra/bundling.ts';
import { FUNCTION_SPECS, PROJECT_ROOT } from '../../infra/constructs/functions.ts';

/** Largest acceptable minified bundle: bigger bundles cost cold-start time on every scale-out. */
const BUDGET_BYTES = 1.5 * 1024 * 1024;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

describe('function bundles (esbuild, as cdk deploy builds them)', () => {
  let outdir = '';
  before(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'newswire-bundles-'));
  });
  after(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  for (const spec of FUNCTION_SPECS) {
    it(`${spec.entry} stays under ${kib(BUDGET_BYTES)} and loads as an ES module`, async (t) => {
      const outfile = join(outdir, spec.name, 'index.mjs');
      await build({
        entryPoints: [join(PROJECT_ROOT, spec.entry)],
        outfile,
        bundle: true,
        absWorkingDir: PROJECT_ROOT,
        logLevel: 'silent',
        target: ESBUILD.target,
        platform: ESBUILD.platform,
        format: ESBUILD.format,
        minify: ESBUILD.minify,
        sourcemap: ESBUILD.sourcemap,
        sourcesContent: ESBUILD.sourcesContent,
        mainFields: [...ESBUILD.mainFields],
        banner: { js: ESBUILD.banner },
      });
      const size = (await stat(outfile)).size;
      const gzipped = gzipSync(await readFile(outfile)).length;
      const map = (await stat(`${outfile}.map`)).size;
      t.diagnostic(`${spec.name}: ${kib(size)} minified, ${kib(gzipped)} gzipped, source map ${kib(map)}`);
      assert.ok(size < BUDGET_BYTES, `${spec.name} is ${kib(size)}, over the ${kib(BUDGET_BYTES)} budget`);

      // Loading it catches what only shows in Lambda: CommonJS dependencies that need `require`
      // inside the ES module, or code that reads the environment too early.
      process.env.TABLE_NAME ??= 'bundle-size-test';
      process.env.AWS_REGION ??= 'us-east-1';
      const loaded = (await import(pathToFileURL(outfile).href)) as { handler?: unknown };
      assert.equal(typeof loaded.handler, 'function', `${spec.entry} exports handler`);
    });
  }
});
