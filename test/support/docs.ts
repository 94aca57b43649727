/**
 * The repository's user documentation as a newcomer reads it: README.md and
 * the pages of docs/, and the fenced code blocks in them.
 *
 * Convention for shell blocks (the walkthrough test runs them):
 * - ```sh           a command to paste into a terminal at the repository root; run.
 * - ```sh server    the terminal that runs Newswire (`npm start`); started in the background.
 * - ```sh background another long-running program in a terminal of its own; started in the background.
 * - ```sh <reason>  not run, for a reason listed in SKIPPED (AWS, the test suite itself, …).
 * - ```text, ```console, ```json, … output and examples to read, never run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Why a shell block is not run by the walkthrough test, by its marker. */
export const SKIPPED: Readonly<Record<string, string>> = {
  aws: 'needs an AWS account and credentials (deploy, operations on a deployed stack)',
  'npm-test': 'runs the test suite, which is what runs this test',
  install:
    'installs packages: the suite runs from an installed checkout, and reinstalling would rewrite node_modules under the other test files running beside it',
  bench: 'runs the benchmark, minutes of CPU (test/e2e/bench-smoke.test.ts runs it in its quick mode)',
};

/** A fenced code block, with its line and the prose that follows it up to the next block. */
export interface DocBlock {
  /** The first word of the info string: sh, text, json, … */
  lang: string;
  /** The rest of the info string: server, background, or a reason to skip (see SKIPPED). */
  marker: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Text between this block and the next fence (what the page promises about it). */
  after: string;
}

/** README.md, then every page of docs/, as paths relative to the repository root. */
export function docFiles(): string[] {
  const pages = readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith('.md'))
    .sort();
  return ['README.md', ...pages.map((name) => `docs/${name}`)];
}

/** A documentation file's text, by its path relative to the repository root. */
export function docText(file: string): string {
  return readFileSync(`${ROOT}${file}`, 'utf8');
}

/** One `## ` section of a text (subsections included), by its heading. */
export function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no "## ${heading}" section`);
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** The fenced code blocks of a text, in order (fences may be indented, as inside a list). */
export function codeBlocks(text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const fence = /^( *)```([^\n`]*)\n([\s\S]*?)^\1```[ \t]*$/gm;
  const matches = [...text.matchAll(fence)];
  for (const [i, m] of matches.entries()) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const next = matches[i + 1]?.index ?? text.length;
    const [lang = '', ...rest] = (m[2] ?? '').trim().split(/\s+/);
    const indent = m[1] ?? '';
    const code = (m[3] ?? '')
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
    blocks.push({
      lang,
      marker: rest.join(' '),
      code,
      line: text.slice(0, start).split('\n').length,
      after: text.slice(end, next),
    });
  }
  return blocks;
}

/** Whether a block is a shell block (whatever its marker). */
export function isShell(block: DocBlock): boolean {
  return ['sh', 'bash', 'shell'].includes(block.lang);
}
