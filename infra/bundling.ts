import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The Lambda runtime of every function: the newest Node.js LTS that this aws-cdk-lib offers. */
export const RUNTIME = Runtime.NODEJS_24_X;

/** Graviton: about 20% cheaper per GB-second than x86 and as fast for this workload. */
export const ARCHITECTURE = Architecture.ARM_64;

/** esbuild settings shared by the stack and the bundle-size test, so the test measures what deploys. */
// The banner gives CommonJS dependencies (sanitize-html and its parsers) a `require` inside the ES module.
export const ESBUILD = {
  target: 'node24',
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: "import{createRequire as __nwRequire}from'node:module';const require=__nwRequire(import.meta.url);",
} as const;

/**
 * Files a function serves beside its code (functions/static/: the pages' stylesheet, script,
 * logo, icon and favicon), copied next to the bundle, where functions/static-files.ts reads them.
 */
export const STATIC_FOLDER = 'functions/static';

/** NodejsFunction bundling props built from ESBUILD: everything bundled, AWS SDK included. */
export const BUNDLING: BundlingOptions = {
  target: ESBUILD.target,
  format: OutputFormat.ESM,
  minify: ESBUILD.minify,
  sourceMap: ESBUILD.sourcemap,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: ESBUILD.sourcesContent,
  mainFields: [...ESBUILD.mainFields],
  banner: ESBUILD.banner,
  externalModules: [],
  forceDockerBundling: false,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => [
      `cp -R "${inputDir}/${STATIC_FOLDER}" "${outputDir}/static"`,
    ],
  },
};

/** ESBUILD in the form of esbuild's own build API (see infra/bundle/build.ts). */
export function esbuildOptions() {
  return {
    bundle: true,
    target: ESBUILD.target,
    platform: ESBUILD.platform,
    format: ESBUILD.format,
    minify: ESBUILD.minify,
    sourcemap: ESBUILD.sourcemap,
    sourcesContent: ESBUILD.sourcesContent,
    mainFields: [...ESBUILD.mainFields],
    banner: { js: ESBUILD.banner },
  };
}
