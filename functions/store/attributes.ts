import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Plain values to DynamoDB attribute values and back: strings, numbers,
 * booleans, null, lists and maps — what this table's items hold. (The SDK's
 * util-dynamodb does the same and more, at a size every cold start pays.)
 */
export type Attributes = Record<string, AttributeValue>;

/** One plain value as an attribute value; undefined for undefined (left out of maps). */
function toAttribute(value: unknown): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be stored as a DynamoDB number`);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Uint8Array) return { B: value };
  if (Array.isArray(value)) {
    return { L: value.map((item) => toAttribute(item) ?? { NULL: true }) };
  }
  if (typeof value === 'object') return { M: toAttributes(value) };
  throw new TypeError(`a ${typeof value} cannot be stored in DynamoDB`);
}

/** A plain record as an item's attributes; undefined fields are left out. */
export function toAttributes(record: object): Attributes {
  const item: Attributes = {};
  for (const [name, value] of Object.entries(record)) {
    const attribute = toAttribute(value);
    if (attribute !== undefined) item[name] = attribute;
  }
  return item;
}

/** One attribute value as a plain value (sets as arrays, binary as bytes). */
function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromAttribute);
  if (value.M !== undefined) return fromAttributes(value.M);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return value.B;
  if (value.BS !== undefined) return [...value.BS];
  return undefined;
}

/** An item's attributes as a plain record. */
export function fromAttributes(item: Attributes): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) record[name] = fromAttribute(value);
  return record;
}
