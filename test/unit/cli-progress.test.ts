import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArticleFile } from '../../local/ingest.ts';
import { createProgress } from '../../local/progress.ts';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 60, write: (text: string) => writes.push(text) };
}

describe('ingest progress', () => {
  test('piped: one plain n/total line per article, notes unnumbered', () => {
    const out = stream(false);
    const progress = createProgress(12, out);
    progress.note('✗ line 3 is not valid JSON');
    progress.step('✓ a created', true);
    progress.step('✗ b (line 2): 400 headline is required');
    progress.done();
    assert.deepEqual(out.writes, [
      '✗ line 3 is not valid JSON\n',
      ' 1/12 ✓ a created\n',
      ' 2/12 ✗ b (line 2): 400 headline is required\n',
    ]);
  });

  test('on a terminal: a bar redrawn in place, failures printed above it, successes only move it', () => {
    const out = stream(true);
    const progress = createProgress(4, out);
    progress.step('✓ a created', true);
    progress.step('✗ b (line 2): 400');
    progress.done();
    const screen = out.writes.join('');
    assert.equal(out.writes.length, 3);
    assert.match(out.writes[0] ?? '', /^\r\x1b\[2K\[#+-+\] 1\/4$/);
    assert.match(out.writes[1] ?? '', /^\r\x1b\[2K✗ b \(line 2\): 400\n\[#+-+\] 2\/4$/);
    assert.equal(out.writes[2], '\r\x1b[2K');
    assert.doesNotMatch(screen, /✓ a created/);
    const bar = /\[([#-]+)\] 2\/4/.exec(screen)?.[1] ?? '';
    assert.equal(bar.replace(/-/g, '').length * 2, bar.length, 'half full at 2/4');
  });
});

describe('ingest files', () => {
  test('JSON Lines: bad lines are reported with their numbers and the rest is kept', () => {
    const parsed = parseArticleFile(
      '{"id":"a","headline":"A"}\n\n{"id": b}\n[1]\n{"headline":"x"}\n{"id":"c"}\n',
      'f',
    );
    assert.deepEqual(
      parsed.items.map((i) => [i.where, i.id, i.article]),
      [
        ['line 1', 'a', { headline: 'A' }],
        ['line 6', 'c', {}],
      ],
    );
    assert.deepEqual(parsed.problems, [
      {
        where: 'line 3',
        message: 'is not valid JSON: column 8: expected a value, found "b" (text must be in double quotes)',
      },
      { where: 'line 4', message: 'is not a JSON object' },
      { where: 'line 5', message: 'has no "id" (a string)' },
    ]);
  });

  test('a JSON array is read whole; its entries are numbered as items', () => {
    const parsed = parseArticleFile(' [{"id":"a"}, 3]', 'f');
    assert.deepEqual(
      parsed.items.map((i) => i.where),
      ['item 1'],
    );
    assert.deepEqual(parsed.problems, [{ where: 'item 2', message: 'is not a JSON object' }]);
    assert.throws(() => parseArticleFile('[\n{"id":"a"}\n{"id":"b"}]', 'batch.json'), {
      name: 'CliError',
      message:
        'batch.json is not valid JSON: line 3, column 1: expected "," or "]" after the array element, found "{"',
    });
  });
});
