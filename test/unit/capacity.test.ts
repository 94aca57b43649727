/**
 * The capacity counter the benchmark bills with (bench/capacity.ts) and the
 * item sizes the store checks its 400 KB limit with
 * (functions/store/item-size.ts), against the worked examples of DynamoDB's
 * documentation: "DynamoDB item sizes and formats" (CapacityUnitCalculations),
 * "DynamoDB read and write operations" (read-write-operations) and the
 * transactions guide's "Capacity management for transactions".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  batchGetUnits,
  queryUnits,
  READ_UNIT_BYTES,
  readUnits,
  WRITE_UNIT_BYTES,
  writeUnits,
} from '../../bench/capacity.ts';
import { toAttributes } from '../../functions/store/attributes.ts';
import { itemSize } from '../../functions/store/item-size.ts';

const KB = 1024;

describe('item sizes as DynamoDB counts them', () => {
  test('a string is its name and its UTF-8 bytes; a binary its raw bytes, not the base64 sent', () => {
    assert.equal(itemSize({ pk: { S: 'ARTICLE#a' } }), 2 + 9);
    assert.equal(itemSize({ headline: { S: 'Zürich €' } }), 8 + 11, 'ü is 2 bytes, € is 3');
    assert.equal(itemSize({ doc: { B: new Uint8Array(3000) } }), 3 + 3000);
  });

  test('a number is 1 byte per two significant digits plus 1, leading and trailing zeroes trimmed', () => {
    assert.equal(itemSize({ v: { N: '7' } }), 1 + 2);
    assert.equal(itemSize({ v: { N: '12345' } }), 1 + 4);
    assert.equal(itemSize({ v: { N: '1200' } }), 1 + 2, 'trailing zeroes trimmed: 12');
    assert.equal(itemSize({ v: { N: '0.0005' } }), 1 + 2, 'leading zeroes trimmed: 5');
    assert.equal(itemSize({ v: { N: '-123.45' } }), 1 + 4);
  });

  test('null and Boolean are 1 byte; a list or map 3 bytes plus its elements and 1 byte per element', () => {
    assert.equal(itemSize({ gone: { NULL: true }, ok: { BOOL: false } }), 4 + 1 + 2 + 1);
    assert.equal(itemSize({ l: { L: [] } }), 1 + 3, 'an empty list');
    assert.equal(itemSize({ l: { L: [{ S: 'ab' }, { S: 'c' }] } }), 1 + 3 + (1 + 2) + (1 + 1));
    assert.equal(
      itemSize({ m: { M: { a: { S: 'xy' } } } }),
      1 + 3 + 1 + (1 + 2),
      'map elements count their names',
    );
  });

  test('a Top Stories list as the store writes it', () => {
    const item = toAttributes({ pk: 'TOP#europe', sk: 'LIST', articles: ['a', 'bc'], version: 3 });
    assert.equal(itemSize(item), 2 + 10 + (2 + 4) + (8 + 3 + 2 + 3) + (7 + 2));
  });
});

describe('read units', () => {
  test('GetItem rounds its item up to 4 KB: 3.5 KB reads as 4 KB, 10 KB as 12 KB', () => {
    assert.equal(readUnits(3.5 * KB, 'strong'), 1);
    assert.equal(readUnits(10 * KB, 'strong'), 3);
  });

  test('eventually consistent is half, transactional twice: an 8 KB item is 2, 1 and 4 units', () => {
    assert.equal(readUnits(8 * KB, 'strong'), 2);
    assert.equal(readUnits(8 * KB, 'eventual'), 1);
    assert.equal(readUnits(8 * KB, 'transactional'), 4);
  });

  test('the 4 KB boundary: 4,096 bytes is one unit, 4,097 two', () => {
    assert.equal(READ_UNIT_BYTES, 4096);
    assert.equal(readUnits(4096, 'strong'), 1);
    assert.equal(readUnits(4097, 'strong'), 2);
    assert.equal(readUnits(4096, 'eventual'), 0.5);
    assert.equal(readUnits(4097, 'eventual'), 1);
  });

  test('reading an item that does not exist costs one unit, half eventually consistent', () => {
    assert.equal(readUnits(0, 'strong'), 1);
    assert.equal(readUnits(0, 'eventual'), 0.5);
  });

  test('BatchGetItem rounds each item: 1.5 KB and 6.5 KB read as 12 KB, not 8', () => {
    assert.equal(batchGetUnits([1.5 * KB, 6.5 * KB], 'strong'), 3);
    assert.equal(queryUnits([1.5 * KB, 6.5 * KB], 'strong'), 2, 'a Query of the same items rounds once');
    assert.equal(batchGetUnits([1.5 * KB, 6.5 * KB], 'eventual'), 1.5);
  });

  test('a Query sums its items, then rounds once: 10 items of 40.8 KB read as 44 KB; 1,500 of 64 bytes as 96 KB', () => {
    assert.equal(queryUnits(Array(10).fill(4.08 * KB), 'strong'), 11);
    assert.equal(queryUnits(Array(1500).fill(64), 'strong'), 24);
  });

  test('eventually consistent, a total of 80 KB is 10 units', () => {
    assert.equal(queryUnits([80 * KB], 'eventual'), 10);
  });

  test('three 500-byte items read in a transaction are 6 units', () => {
    assert.equal(batchGetUnits([500, 500, 500], 'transactional'), 6);
  });
});

describe('write units', () => {
  test('a put or delete rounds up to 1 KB: 1.6 KB is 2 units; the 1,024-byte boundary', () => {
    assert.equal(WRITE_UNIT_BYTES, 1024);
    assert.equal(writeUnits(1.6 * KB), 2);
    assert.equal(writeUnits(1024), 1);
    assert.equal(writeUnits(1025), 2);
  });

  test('BatchWriteItem rounds each item: 500 bytes and 3.5 KB write as 5 KB, not 4', () => {
    assert.equal(writeUnits(500) + writeUnits(3.5 * KB), 5);
  });

  test('a write where there was no item (a failed conditional write, a delete of nothing) is 1 unit', () => {
    assert.equal(writeUnits(0), 1);
  });

  test('a transaction writes every item twice: three 500-byte items are 6 units', () => {
    assert.equal(
      [500, 500, 500].reduce((sum, bytes) => sum + writeUnits(bytes, true), 0),
      6,
    );
    assert.equal(writeUnits(3 * KB, true), 6, 'a 3 KB item in a transaction');
  });
});
