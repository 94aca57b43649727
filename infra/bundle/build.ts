import { cp, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions, STATIC_FOLDER } from '../bundling.ts';
import { PROJECT_ROOT } from '../constructs/functions.ts';

/**
 * Bundles one function entry (a path from the project root) to `outfile` as
 * `cdk deploy` bundles it, static files beside it, for the bundle-size test
 * and the benchmark.
 */
export async function buildBundle(
  entry: string,
  outfile: string,
): Promise<{ metafile: Metafile; bytes: number }> {
  const { metafile } = await build({
    ...esbuildOptions(),
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile,
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'silent',
    metafile: true,
  });
  await cp(join(PROJECT_ROOT, STATIC_FOLDER), join(dirname(outfile), 'static'), { recursive: true });
  return { metafile, bytes: (await stat(outfile)).size };
}
