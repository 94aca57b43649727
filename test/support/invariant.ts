import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Article } from '../../functions/core/article.ts';
import { entriesOf } from '../../functions/core/articles.ts';
import type { SiteConfig } from '../../functions/core/config.ts';
import { keys } from '../../functions/store/keys.ts';

type Item = Record<string, AttributeValue>;

/** Every item of a table (tests only: a full Scan). */
export async function scanTable(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** The feed entry an article calls for, as `pk|sk|version`, written by the rule the store follows. */
export function expectedEntries(article: Article, config: SiteConfig): string[] {
  return entriesOf(article, config).feeds.map((scope) => {
    const key = keys.feedEntry(scope, article);
    return `${key.pk}|${key.sk}|${article.version}`;
  });
}

/**
 * The feed-membership invariant, checked on the whole table: for every
 * article, its feed entries are exactly those its memberships call for (none
 * for a withdrawn one), each at the article's current version, and no entry
 * exists that no article calls for. Returns how many articles it checked.
 */
export async function assertFeedInvariant(
  client: DynamoDBClient,
  tableName: string,
  config: SiteConfig,
): Promise<number> {
  const items = await scanTable(client, tableName);
  const articles = items
    .filter((item) => item.sk?.S === keys.currentSort)
    .map((item) => JSON.parse(gunzipSync(item.doc?.B ?? new Uint8Array()).toString('utf8')) as Article);
  const expected = articles.flatMap((article) => expectedEntries(article, config)).sort();
  const actual = items
    .filter((item) => item.pk?.S?.startsWith(keys.feedPrefix))
    .map((item) => `${item.pk?.S}|${item.sk?.S}|${item.v?.N}`)
    .sort();
  const has = { expected: new Set(expected), actual: new Set(actual) };
  const missing = expected.filter((e) => !has.actual.has(e));
  const extra = actual.filter((e) => !has.expected.has(e));
  assert.deepEqual(
    { missing, extra },
    { missing: [], extra: [] },
    'feed entries are exactly what the articles call for',
  );
  return articles.length;
}
