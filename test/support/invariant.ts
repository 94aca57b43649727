import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Article } from '../../functions/core/article.ts';
import { entriesOf } from '../../functions/core/articles.ts';
import type { SiteConfig } from '../../functions/core/config.ts';
import { type ItemKey, keyListing, keys, statsKeys } from '../../functions/store/keys.ts';
import { scanTable, type TableItem } from './table.ts';

/*
 * The table invariant every write must keep, checked on the table itself (a
 * consistent Scan), not through the code that wrote it:
 *
 * - every article's feed entries are exactly those its current version's
 *   memberships call for, each carrying that version: none missing, none left
 *   over from an earlier version or for a withdrawn article;
 * - no feed entry without an article (an orphan);
 * - where a published article's entry left a feed, a tombstone (`gone`, the
 *   time it left) may stand in its place: never where an entry is called for;
 * - every API key has its listing entry (the partition `keys list` queries),
 *   and every listing entry a key;
 * - an article at version n has exactly the revisions 1 … n−1 (the write that
 *   made version n also kept version n−1);
 * - nothing else is in the table but API keys and each edition's Top Stories.
 *
 * When feed entries change shape, update the functions below and nothing
 * else: `expectedFeedEntries` (the rule: the same `entriesOf` the service
 * writes with), `entryVersion` (which version an entry carries) and
 * `articleOf` (how an article item is read).
 */

/** The feed entries an article's current version calls for: one per membership, none when withdrawn. */
export function expectedFeedEntries(article: Article, config: SiteConfig): ItemKey[] {
  return entriesOf(article, config).feeds.map((scope) => keys.feedEntry(scope, article));
}

/** The article id and version a (thin) feed entry carries. */
export function entryVersion(item: TableItem): { id: string; version: number } {
  const id = item.id?.S;
  const version = Number(item.v?.N);
  if (id === undefined || !Number.isInteger(version)) throw new Error('no id or version attribute');
  return { id, version };
}

/**
 * The article an article item holds: Brotli-compressed in `br`, gzipped in
 * `doc` (items written before Brotli), or as plain attributes (before that).
 */
export function articleOf(item: TableItem): Article {
  if (item.br?.B !== undefined)
    return JSON.parse(brotliDecompressSync(item.br.B).toString('utf8')) as Article;
  if (item.doc?.B !== undefined) return JSON.parse(gunzipSync(item.doc.B).toString('utf8')) as Article;
  return unmarshall(item) as Article;
}

/** What the invariant check found. */
export interface InvariantReport {
  /** Every breach, one line each; empty when the invariant holds. */
  problems: string[];
  /** Current articles (withdrawn ones included). */
  articles: Article[];
  feedEntries: number;
  revisions: number;
}

const keyOf = (k: ItemKey) => `${k.pk} | ${k.sk}`;

/** Checks the table invariant above on every item of the table. */
export async function checkTableInvariant(
  client: DynamoDBClient,
  tableName: string,
  config: SiteConfig,
): Promise<InvariantReport> {
  const items = await scanTable(client, tableName);
  const problems: string[] = [];
  const current = new Map<string, Article>();
  const revisions = new Map<string, number[]>();
  const entries = new Map<string, TableItem>();
  const apiKeys = new Set<string>();
  const listed = new Set<string>();
  const tombstones = new Map<string, TableItem>();
  for (const item of items) {
    const pk = item.pk?.S ?? '';
    const sk = item.sk?.S ?? '';
    const id = pk.startsWith(keys.articlePrefix) ? pk.slice(keys.articlePrefix.length) : undefined;
    if (pk.startsWith(keys.apiKeyPrefix)) {
      apiKeys.add(pk.slice(keys.apiKeyPrefix.length));
      continue;
    }
    if (pk === keyListing.partition) {
      listed.add(keyListing.keyIdOf(sk));
      if (item.secretHash !== undefined)
        problems.push(`${pk} | ${sk}: a key listing holds the secret's hash`);
      continue;
    }
    if (id === undefined && pk.startsWith('TOP#') && keys.topStories(pk.slice(4)).sk === sk) continue;
    // The subscriber estimate's items (the local server counts its own requests): summaries, client sets, salts.
    if (isSubscriberItem(pk, sk)) continue;
    if (pk.startsWith(keys.feedPrefix) && item.gone !== undefined) {
      tombstones.set(keyOf({ pk, sk }), item);
      if (item.gone.S === undefined || item.id?.S === undefined)
        problems.push(`${pk} | ${sk}: a tombstone without its time or id`);
    } else if (pk.startsWith(keys.feedPrefix)) {
      entries.set(keyOf({ pk, sk }), item);
    } else if (id !== undefined && keys.article(id).pk === pk && sk === keys.article(id).sk) {
      current.set(id, articleOf(item));
    } else if (id !== undefined && keys.article(id).pk === pk && sk.startsWith(keys.revisionPrefix)) {
      const version = Number(item.version?.N);
      if (keys.revision(id, version).sk !== sk) problems.push(`${pk} | ${sk}: holds version ${version}`);
      revisions.set(id, [...(revisions.get(id) ?? []), version]);
    } else {
      problems.push(`${pk} | ${sk}: an item of no known kind`);
    }
  }
  const expected = new Map<string, Article>();
  for (const article of current.values()) {
    for (const key of expectedFeedEntries(article, config)) expected.set(keyOf(key), article);
    const kept = (revisions.get(article.id) ?? []).sort((a, b) => a - b);
    const wanted = Array.from({ length: article.version - 1 }, (_, i) => i + 1);
    if (kept.join() !== wanted.join()) {
      problems.push(`article ${article.id} v${article.version}: revisions [${kept}], expected [${wanted}]`);
    }
  }
  for (const id of revisions.keys()) {
    if (!current.has(id)) problems.push(`article ${id}: revisions without a current version`);
  }
  for (const [key, article] of expected) {
    const entry = entries.get(key);
    if (entry === undefined) {
      problems.push(`article ${article.id} v${article.version}: missing feed entry ${key}`);
      continue;
    }
    try {
      const carried = entryVersion(entry);
      if (carried.id !== article.id || carried.version !== article.version) {
        problems.push(
          `article ${article.id} v${article.version}: feed entry ${key} carries ${carried.id} v${carried.version}`,
        );
      }
    } catch (error) {
      problems.push(`feed entry ${key}: unreadable (${(error as Error).message})`);
    }
  }
  for (const [key, entry] of entries) {
    if (expected.has(key)) continue;
    const owner = current.get(entry.id?.S ?? '');
    problems.push(
      owner === undefined
        ? `feed entry ${key}: an orphan (no such article)`
        : `article ${owner.id} v${owner.version}${owner.withdrawnAt === undefined ? '' : ' (withdrawn)'}: left-over feed entry ${key}`,
    );
  }
  for (const key of tombstones.keys()) {
    const owner = expected.get(key);
    if (owner !== undefined)
      problems.push(`article ${owner.id} v${owner.version}: a tombstone where its entry ${key} should be`);
  }
  for (const keyId of apiKeys)
    if (!listed.has(keyId)) problems.push(`API key ${keyId}: not in the key listing`);
  for (const keyId of listed) if (!apiKeys.has(keyId)) problems.push(`key listing ${keyId}: no such API key`);
  const revisionCount = [...revisions.values()].reduce((n, v) => n + v.length, 0);
  return { problems, articles: [...current.values()], feedEntries: entries.size, revisions: revisionCount };
}

/** Fails with every breach listed when the table invariant does not hold; returns the report otherwise. */
export async function assertTableInvariant(
  client: DynamoDBClient,
  tableName: string,
  config: SiteConfig,
): Promise<InvariantReport> {
  const report = await checkTableInvariant(client, tableName, config);
  const shown = report.problems.slice(0, 40).join('\n  ');
  const more = report.problems.length > 40 ? `\n  … and ${report.problems.length - 40} more` : '';
  assert.deepEqual(report.problems, [], `table invariant broken:\n  ${shown}${more}`);
  return report;
}

/** The feed-membership invariant alone is part of the table invariant: one check for both names. */
export const assertFeedInvariant = assertTableInvariant;

/** An item of the subscriber estimate: a day's summary or client sets of a tally, or a day's salt. */
function isSubscriberItem(pk: string, sk: string): boolean {
  const day = /#(\d{4}-\d{2}-\d{2})$/.exec(pk)?.[1];
  if (day === undefined) return false;
  const key = statsKeys.tallyOf(sk);
  if (key !== undefined) {
    return statsKeys.statsSummary(day, key).pk === pk || statsKeys.statsSets(day, key).pk === pk;
  }
  const salt = statsKeys.salt(day);
  return salt.pk === pk && salt.sk === sk;
}
