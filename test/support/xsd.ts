import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The sitemap schemas as published (see test/fixtures/sitemaps/README.md). */
export const SITEMAP_SCHEMAS = {
  sitemap: fileURLToPath(new URL('../fixtures/sitemaps/sitemap.xsd', import.meta.url)),
  index: fileURLToPath(new URL('../fixtures/sitemaps/siteindex.xsd', import.meta.url)),
  news: fileURLToPath(new URL('../fixtures/sitemaps/news-sitemap.xsd', import.meta.url)),
} as const;

/**
 * Validates a document against an XML Schema with libxml2's xmllint
 * (Debian's libxml2-utils, which .ci/run installs). Returns xmllint's
 * complaints, or undefined when the document is valid.
 */
export function xsdErrors(xml: string, schema: string): string | undefined {
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], {
    input: xml,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined) {
    throw new Error(
      `xmllint is not installed (Debian: apt-get install libxml2-utils): ${result.error.message}`,
    );
  }
  return result.status === 0 ? undefined : result.stderr.trim();
}
