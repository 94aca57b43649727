import { readFileSync } from 'node:fs';

/** The repository's README, as a newcomer reads it. */
export const README_URL = new URL('../../README.md', import.meta.url);

/** A fenced code block of the README, with the prose that follows it up to the next block. */
export interface ReadmeBlock {
  lang: string;
  code: string;
  /** Text between this block and the next fence (the promise the README makes about it). */
  after: string;
}

/** The README's text. */
export function readme(): string {
  return readFileSync(README_URL, 'utf8');
}

/** One `## ` section of the README (subsections included), by its heading. */
export function readmeSection(heading: string): string {
  const text = readme();
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** The fenced code blocks of a text, in order. */
export function codeBlocks(text: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```\n/gm;
  const matches = [...text.matchAll(fence)];
  for (const [i, m] of matches.entries()) {
    const end = (m.index ?? 0) + m[0].length;
    const next = matches[i + 1]?.index ?? text.length;
    blocks.push({ lang: m[1] ?? '', code: m[2] ?? '', after: text.slice(end, next) });
  }
  return blocks;
}
