/** The README and docs/ work on a fresh clone: links and files exist, commands are complete and portable. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, test } from 'node:test';
import { codeBlocks, docFiles, docText, isShell, ROOT, SKIPPED } from '../support/docs.ts';

/** The anchors GitHub gives a Markdown file's headings (its slugger: lower case, punctuation dropped, spaces to -). */
function anchors(text: string): Set<string> {
  const prose = text.replace(/^( *)```[\s\S]*?^\1```/gm, '');
  return new Set(
    [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      (m[1] ?? '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** Folders made at run time, never part of a clone. */
const RUNTIME = new Set(['node_modules', '.git', '.newswire', 'test-artifacts', 'cdk.out', 'bench-results']);
const TOP = readdirSync(ROOT).filter((name) => !RUNTIME.has(name));
const RUN = new Set(['', 'server', 'background']);

describe('README and docs/', () => {
  const files = docFiles();

  test('the README is a front door: at most 200 lines, linking every page of docs/', () => {
    const readme = docText('README.md');
    assert.ok(readme.split('\n').length <= 200, `README.md has ${readme.split('\n').length} lines`);
    for (const page of files.filter((f) => f !== 'README.md')) {
      assert.ok(readme.includes(`](${page})`), `README.md links ${page}`);
    }
    // The first screen carries the whole path: run, publish, read.
    const first = readme.split('\n').slice(0, 40).join('\n');
    for (const step of ['npm start', 'newswire env', 'curl -fsS -X PUT', '/europe/rss.xml']) {
      assert.ok(first.includes(step), `the first 40 lines show ${step}`);
    }
  });

  for (const file of files) {
    const text = docText(file);
    const blocks = codeBlocks(text);

    test(`${file}: every link stays inside the repository, at something that exists`, () => {
      const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
      for (const link of links.filter((l) => !/^(https?:|#|mailto:)/.test(l))) {
        const target = normalize(join(dirname(file), link.split('#')[0] ?? ''));
        assert.ok(!target.startsWith('..') && !link.startsWith('/'), `${link} leaves the repository`);
        assert.ok(existsSync(join(ROOT, target)), `${file} links ${link}, which does not exist`);
        const anchor = link.split('#')[1];
        if (anchor !== undefined && target.endsWith('.md')) {
          assert.ok(anchors(docText(target)).has(anchor), `${file} links ${link}: no such heading`);
        }
      }
      for (const m of text.matchAll(/\]\(#([^)\s]+)\)/g)) {
        assert.ok(anchors(text).has(m[1] ?? ''), `${file} links #${m[1]}: no such heading`);
      }
    });

    test(`${file}: every repository file or folder it names exists`, () => {
      const path = /(?<![\w./{<-])((?:\.?[\w-]+\/)+[\w.-]*)/g;
      for (const m of text.matchAll(path)) {
        const candidate = (m[1] ?? '').replace(/[.,:;]+$/, '');
        if (!TOP.includes(candidate.split('/')[0] ?? '')) continue;
        assert.ok(existsSync(join(ROOT, candidate)), `${file} names ${candidate}, which does not exist`);
      }
    });

    test(`${file}: only for users — no team notes, no issue numbers, no files outside the repository`, () => {
      assert.doesNotMatch(text, /DESIGN\.md|STYLE\.md|\bissue #?\d+|\/work\/|the team's/i);
    });

    test(`${file}: every fence names its language, and every shell block runs or says why not`, () => {
      for (const block of blocks) {
        assert.notEqual(block.lang, '', `${file}:${block.line}: a fence without a language`);
        if (!isShell(block)) continue;
        assert.equal(block.lang, 'sh', `${file}:${block.line}: shell blocks are \`\`\`sh`);
        assert.ok(
          RUN.has(block.marker) || SKIPPED[block.marker] !== undefined,
          `${file}:${block.line}: unknown marker "${block.marker}"`,
        );
      }
    });

    test(`${file}: commands run as pasted, on any port and data folder`, () => {
      for (const block of blocks.filter((b) => isShell(b) && RUN.has(b.marker))) {
        const where = `${file}:${block.line}`;
        assert.ok(!block.code.includes('…'), `${where}: a command to paste holds "…"`);
        assert.doesNotMatch(block.code, /127\.0\.0\.1:3000|localhost:3000|:9999\b/, `${where}: a fixed port`);
        assert.doesNotMatch(block.code, /\.newswire\//, `${where}: the default data folder`);
        assert.doesNotMatch(block.code, /npm start --(?!\s)/, `${where}: npm passes options only after "--"`);
      }
      for (const block of blocks.filter(isShell)) {
        for (const curl of block.code.match(/\bcurl\b[^|;\n]*/g) ?? []) {
          assert.match(
            curl,
            /\s-[a-zA-Z]*f/,
            `${file}:${block.line}: curl without -f passes an error status: ${curl}`,
          );
        }
      }
    });
  }

  test('the publishing example is published when it is pasted, not at a fixed time', () => {
    const publish = codeBlocks(docText('docs/api.md')).find(
      (b) => b.lang === 'sh' && b.code.includes('-X PUT'),
    );
    assert.ok(publish);
    assert.match(publish.code, /^NOW=\$\(date -u \+%Y-%m-%dT%H:%M:%SZ\)$/m);
    assert.match(publish.code, /"publishedAt": "'"\$NOW"'"/);
  });
});
