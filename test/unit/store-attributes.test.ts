import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { fromAttributes, toAttributes } from '../../functions/store/attributes.ts';

/** Records of every shape the table holds: keys, Top Stories, API keys, articles stored before `doc`. */
const RECORDS: Record<string, unknown>[] = [
  { pk: 'ARTICLE#a', sk: 'CURRENT' },
  { ':pk': 'FEED#europe#*', ':bound': '2026-11-27T00:00:00.000Z#~' },
  { edition: 'europe', articles: ['a', 'b'], version: 3, updatedAt: '2026-11-27T00:00:00.000Z' },
  { edition: 'asia', articles: [], version: 1 },
  { keyId: 'k1', name: 'CMS', hash: 'abc', createdAt: '2026-01-01T00:00:00.000Z' },
  {
    id: 'old',
    version: 2,
    headline: 'Lund & Marsh',
    topics: ['China', 'Russia'],
    byline: [{ name: 'Ana Ortiz', title: 'Analyst' }, { name: 'Lee Min' }],
    image: { url: 'https://example.com/a.jpg', width: 1200, height: 800, thumbnail: { url: 'x' } },
    withdrawn: false,
    note: null,
    ratio: 0.5,
  },
];

describe('DynamoDB attribute values', () => {
  test('every record the table holds converts as the SDK’s util-dynamodb converts it, both ways', () => {
    for (const record of RECORDS) {
      assert.deepEqual(toAttributes(record), marshall(record), JSON.stringify(record));
      assert.deepEqual(fromAttributes(marshall(record)), unmarshall(marshall(record)));
      assert.deepEqual(fromAttributes(toAttributes(record)), record);
    }
  });

  test('undefined fields are left out; numbers that DynamoDB cannot hold are refused', () => {
    assert.deepEqual(toAttributes({ keyId: 'k', revokedAt: undefined }), { keyId: { S: 'k' } });
    assert.throws(() => toAttributes({ n: Number.NaN }), /cannot be stored/);
  });
});
