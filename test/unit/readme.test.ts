/** The README works on a fresh clone: its files exist, its links stay inside, its commands are complete. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { codeBlocks, readme } from '../support/readme.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Folders made at run time, never part of a clone. */
const RUNTIME = new Set(['node_modules', '.git', '.newswire', 'test-artifacts', 'cdk.out']);
const TOP = readdirSync(ROOT).filter((name) => !RUNTIME.has(name));

describe('README', () => {
  const text = readme();

  test('every link points inside the repository, at something that exists', () => {
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
    for (const link of links.filter((l) => !/^(https?:|#|mailto:)/.test(l))) {
      assert.ok(!link.split('/').includes('..') && !link.startsWith('/'), `${link} leaves the repository`);
      assert.ok(existsSync(`${ROOT}${link.split('#')[0]}`), `${link} does not exist`);
    }
  });

  test('every repository file or folder it names exists', () => {
    const named = new Set<string>();
    const path = /(?<![\w./{-])((?:\.?[\w-]+\/)+[\w.-]*)/g;
    for (const m of text.matchAll(path)) {
      const candidate = (m[1] ?? '').replace(/[.,:;]+$/, '');
      if (TOP.includes(candidate.split('/')[0] ?? '')) named.add(candidate);
    }
    assert.ok(
      named.has('examples/article.json') &&
        named.has('examples/articles.jsonl') &&
        named.has('docs/deploy.md'),
    );
    for (const file of named)
      assert.ok(existsSync(`${ROOT}${file}`), `README names ${file}, which does not exist`);
  });

  test('its shell commands are complete: no "…" to fill in, and npm options after --', () => {
    for (const block of codeBlocks(text).filter((b) => b.lang === 'sh')) {
      assert.ok(!block.code.includes('…'), `a command to paste holds "…":\n${block.code}`);
    }
    assert.doesNotMatch(text, /npm start --(?!\s)/, 'npm passes options to the script only after "--"');
  });

  test('the publishing example is published when it is pasted, not at a fixed time', () => {
    const publish = codeBlocks(text).find((b) => b.lang === 'sh' && b.code.includes('-X PUT'));
    assert.ok(publish);
    assert.match(publish.code, /^NOW=\$\(date -u \+%Y-%m-%dT%H:%M:%SZ\)$/m);
    assert.match(publish.code, /"publishedAt": "'"\$NOW"'"/);
  });
});
