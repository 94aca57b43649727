import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * An item's size as DynamoDB counts it, for its 400 KB item limit and for
 * the capacity units every read and write consumes. The rules are those of
 * "DynamoDB item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * each attribute is its name's UTF-8 bytes plus its value —
 *
 * - a string: its UTF-8 bytes;
 * - a number: 1 byte per two significant digits (leading and trailing zeroes
 *   trimmed) plus 1 byte ("approximately", the page says);
 * - a binary: its raw bytes (not the base64 sent over the wire);
 * - null or Boolean: 1 byte;
 * - a list or map: 3 bytes, plus each element's size and 1 byte per element
 *   (a map's elements count their names as attributes do);
 * - a set: its elements' sizes (the page gives sets no overhead).
 */
export function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

/** Bytes of one attribute value, without its name. */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return value.L.reduce((sum, element) => sum + 1 + valueSize(element), 3);
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce(
      (sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueSize(element),
      3,
    );
  }
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  return 0;
}

/** 1 byte per two significant digits, plus 1 (zero counts as one digit). */
function numberSize(text: string): number {
  const mantissa = text.replace(/^[-+]/, '').split(/e/i)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(Math.max(digits, 1) / 2) + 1;
}
