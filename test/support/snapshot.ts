import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SNAPSHOT_DIR = fileURLToPath(new URL('../unit/__snapshots__/', import.meta.url));

/**
 * Compares `actual` with test/unit/__snapshots__/<name>.<ext>, a plain file a
 * reviewer can read (and a feed validator can open) as it is.
 *
 * Locally, a missing snapshot is written and the test passes; `UPDATE_SNAPSHOTS=1`
 * rewrites every snapshot a run touches. In CI (`CI` set) nothing is ever
 * written: a missing snapshot or an update request fails the test, so a
 * forgotten snapshot file cannot turn the check into a no-op.
 */
export function matchSnapshot(name: string, ext: string, actual: string): void {
  const file = `${SNAPSHOT_DIR}${name}.${ext}`;
  const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  const update = process.env.UPDATE_SNAPSHOTS === '1';
  const exists = existsSync(file);
  if (inCi && (update || !exists)) {
    assert.fail(
      update
        ? `UPDATE_SNAPSHOTS is set in CI; snapshots are only written locally (${file})`
        : `snapshot ${file} is missing; run the tests locally to write it, review it and commit it`,
    );
  }
  if (update || !exists) {
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    writeFileSync(file, actual, 'utf8');
    return;
  }
  const expected = readFileSync(file, 'utf8');
  assert.equal(
    actual,
    expected,
    `${name}.${ext} differs from its snapshot; rerun with UPDATE_SNAPSHOTS=1 if intended`,
  );
}
