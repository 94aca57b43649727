import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { buildBundle } from '../../infra/bundle/build.ts';
import { FUNCTION_SPECS } from '../../infra/constructs/functions.ts';

/** Largest acceptable bundle of the write function (it carries the validator and the HTML sanitiser). */
const WRITE_BUDGET_BYTES = 1.5 * 1024 * 1024;
/**
 * Largest acceptable read bundle (feeds, pages), as a multiple of a handler that only does one
 * DynamoDB Query, bundled the same way (issue 11). Powertools' logger and metrics alone take
 * about a tenth of the floor (see docs/performance.md, Cold starts).
 */
const READ_BUDGET_FLOOR_RATIO = 1.3;
/**
 * The pages function's budget: besides the fronts it renders every story's page (with its
 * structured data and social tags) and every sitemap, about 23 KiB of code that the feeds
 * function does not carry; its stylesheet, script and pictures are files beside the bundle.
 */
const PAGES_BUDGET_FLOOR_RATIO = 1.35;
/**
 * The private feeds function's budget: it renders every feed as the feeds function does, and
 * adds the subscriber-token check, the wrong-token limiter and the notes of each fetch (with
 * DynamoDB's UpdateItem and PutItem commands), about 6 KiB that public readers' cold starts do
 * not pay for, since the feeds function does not carry them.
 */
const PRIVATE_BUDGET_FLOOR_RATIO = 1.35;
/** What draws pictures (the repository ships them as files): no deployed function may carry it. */
const DRAWING = /seed-pictures\/|(^|\/)png\.ts$|sample-photos|landscape/;
/** What a read function never needs: config validation, HTML sanitising, XML parsing. */
const WRITE_ONLY_PACKAGES = ['zod', 'sanitize-html', 'htmlparser2', 'postcss', 'saxes', 'sax'];

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** The packages a bundle holds code from. */
function packagesIn(metafile: Metafile): Set<string> {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      if (name !== undefined && bytesInOutput > 0) found.add(name);
    }
  }
  return found;
}

describe('function bundles (esbuild, as cdk deploy builds them)', () => {
  let outdir = '';
  let floorBytes = 0;
  const bundle = async (entry: string, name: string) => {
    const outfile = join(outdir, name, 'index.mjs');
    const { metafile, bytes } = await buildBundle(entry, outfile);
    return { outfile, metafile, size: bytes };
  };

  before(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'newswire-bundles-'));
    floorBytes = (await bundle('test/support/query-floor.ts', 'floor')).size;
  });
  after(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  for (const spec of FUNCTION_SPECS) {
    const reads = spec.name !== 'articles';
    it(`${spec.entry} stays within its budget and loads as an ES module`, async (t) => {
      const { outfile, metafile, size } = await bundle(spec.entry, spec.name);
      const gzipped = gzipSync(await readFile(outfile)).length;
      const map = (await stat(`${outfile}.map`)).size;
      t.diagnostic(
        `${spec.name}: ${kib(size)} minified (${(size / floorBytes).toFixed(2)}× the Query-only floor of ${kib(floorBytes)}), ${kib(gzipped)} gzipped, source map ${kib(map)}`,
      );
      const drawing = Object.keys(metafile.inputs).filter((input) => DRAWING.test(input));
      assert.deepEqual(drawing, [], `${spec.name} carries code that draws pictures`);
      if (reads) {
        const ratio =
          spec.name === 'pages'
            ? PAGES_BUDGET_FLOOR_RATIO
            : spec.name === 'private'
              ? PRIVATE_BUDGET_FLOOR_RATIO
              : READ_BUDGET_FLOOR_RATIO;
        const budget = ratio * floorBytes;
        assert.ok(size <= budget, `${spec.name} is ${kib(size)}, over ${ratio}× the floor`);
        const packages = packagesIn(metafile);
        for (const name of WRITE_ONLY_PACKAGES) {
          assert.ok(!packages.has(name), `${spec.name} bundles ${name}, which only writes need`);
        }
      } else {
        assert.ok(size < WRITE_BUDGET_BYTES, `${spec.name} is ${kib(size)}, over ${kib(WRITE_BUDGET_BYTES)}`);
      }

      // Loading it catches what only shows in Lambda: CommonJS dependencies that need `require`
      // inside the ES module, or code that reads the environment too early.
      process.env.TABLE_NAME ??= 'bundle-size-test';
      process.env.AWS_REGION ??= 'us-east-1';
      const loaded = (await import(pathToFileURL(outfile).href)) as { handler?: unknown };
      assert.equal(typeof loaded.handler, 'function', `${spec.entry} exports handler`);
    });
  }
});
