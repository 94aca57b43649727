import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  countsIdentity,
  PUBLIC_COUNT_FLOOR,
  roundCount,
  shownCount,
} from '../../functions/core/public-counts.ts';

describe('subscriber counts as the public pages show them', () => {
  test('rounded to two significant figures, never finer than tens', () => {
    const cases: [number, number][] = [
      [20, 20],
      [24, 20],
      [25, 30],
      [47, 50],
      [99, 100],
      [462, 460],
      [1234, 1200],
      [1250, 1300],
      [12_345, 12_000],
      [999_999, 1_000_000],
    ];
    assert.deepEqual(
      cases.map(([n]) => [n, roundCount(n)]),
      cases,
    );
  });

  test('nothing under the floor, even if a published item held it', () => {
    const counts = {
      day: '2026-12-05',
      publishedAt: '',
      feeds: { europe: PUBLIC_COUNT_FLOOR - 1, asia: 21 },
    };
    assert.equal(shownCount(counts, { kind: 'edition', edition: 'europe' }), undefined);
    assert.equal(shownCount(counts, { kind: 'edition', edition: 'asia' }), 20);
    assert.equal(shownCount(undefined, { kind: 'edition', edition: 'asia' }), undefined);
    assert.deepEqual(countsIdentity(counts), ['[readers 2026-12-05]', 'asia=20']);
  });

  test('the ETag part changes when a figure shown changes, not when an unseen digit does', () => {
    const at = (n: number) => countsIdentity({ day: 'd', publishedAt: '', feeds: { europe: n } });
    assert.deepEqual(at(1234), at(1236));
    assert.notDeepEqual(at(1234), at(1260));
  });
});
