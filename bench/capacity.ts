/**
 * Read and write units computed from the items DynamoDB is sent and returns,
 * by DynamoDB's documented rules, beside what DynamoDB Local reports for the
 * same calls. DynamoDB Local's report cannot be taken as the bill: it charges
 * a whole TransactWriteItems about one item's units, and reads as a
 * provisioned table would.
 *
 * The rules, from "DynamoDB read and write operations"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html),
 * "Amazon DynamoDB Transactions: How it works", section "Capacity management
 * for transactions" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html)
 * and the on-demand pricing page's units (https://aws.amazon.com/dynamodb/pricing/on-demand/):
 *
 * - Reads are counted in 4 KB units: a strongly consistent read of up to 4 KB
 *   is one read request unit, an eventually consistent one half, a
 *   transactional one two. Sizes round up to the next 4 KB.
 * - GetItem rounds its item's size up; BatchGetItem rounds each item up
 *   separately, then adds; Query and Scan add the sizes of every item they
 *   read and round the sum up once. A projection does not make an item
 *   smaller: the units follow the whole item's size.
 * - Reading an item that does not exist still costs one unit (half, eventually
 *   consistent).
 * - Writes are counted in 1 KB units, rounded up per item: PutItem and
 *   UpdateItem by the larger of the item before and after, DeleteItem by the
 *   deleted item; one unit when there was no item. BatchWriteItem rounds each
 *   item separately.
 * - A transaction reads or writes every item twice (prepare and commit): two
 *   units per 4 KB read, two per 1 KB written.
 *
 * Item sizes follow functions/store/item-size.ts (the store's own limit check).
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemInput,
  type BatchGetItemOutput,
  type BatchWriteItemInput,
  type ConsumedCapacity,
  DeleteItemCommand,
  type DeleteItemInput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemInput,
  type GetItemOutput,
  PutItemCommand,
  type PutItemInput,
  QueryCommand,
  type QueryInput,
  type QueryOutput,
  type ScanInput,
  TransactWriteItemsCommand,
  type TransactWriteItemsInput,
  type UpdateItemInput,
  type UpdateItemOutput,
} from '@aws-sdk/client-dynamodb';
import { itemSize } from '../functions/store/item-size.ts';
import { tableDefinition } from '../functions/store/table.ts';

type Item = Record<string, AttributeValue>;

/** Bytes of one read unit. */
export const READ_UNIT_BYTES = 4 * 1024;
/** Bytes of one write unit. */
export const WRITE_UNIT_BYTES = 1024;

/** How a read is made: eventually consistent (DynamoDB's default), strongly consistent or in a transaction. */
export type ReadMode = 'eventual' | 'strong' | 'transactional';

/** Read units of one read of `bytes`: one item, or the sum a Query or Scan read (0 = nothing there). */
export function readUnits(bytes: number, mode: ReadMode): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
  if (mode === 'eventual') return units / 2;
  return mode === 'transactional' ? 2 * units : units;
}

/** Read units of a BatchGetItem: each item rounded up on its own (0 = a key with no item). */
export function batchGetUnits(sizes: readonly number[], mode: ReadMode): number {
  return sizes.reduce((sum, bytes) => sum + readUnits(bytes, mode), 0);
}

/** Read units of a Query or Scan: the sizes of every item read, added, then rounded up once. */
export function queryUnits(sizes: readonly number[], mode: ReadMode): number {
  return readUnits(
    sizes.reduce((sum, bytes) => sum + bytes, 0),
    mode,
  );
}

/** Write units of one put, update or delete; `bytes` = the larger of the item before and after (0 = none). */
export function writeUnits(bytes: number, transactional = false): number {
  const units = Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
  return transactional ? 2 * units : units;
}

/** One DynamoDB call: what was computed for it and what DynamoDB Local reported. */
export interface CountedCall {
  operation: string;
  /** Items read or written. */
  items: number;
  /** Their sizes added (each item's whole size, as DynamoDB counts it). */
  bytes: number;
  readUnits: number;
  writeUnits: number;
  local: { readUnits: number; writeUnits: number };
  /** False when an item's whole size was not known (a projected read of an item this client never wrote): then a lower bound. */
  exact: boolean;
}

/** The calls of one request or write, and their sums. */
export interface CapacityCount {
  what: string;
  calls: CountedCall[];
  readUnits: number;
  writeUnits: number;
  local: { readUnits: number; writeUnits: number };
  exact: boolean;
}

const KEY_NAMES = (tableDefinition('any').KeySchema ?? []).map((k) => k.AttributeName ?? '');
const HASH_KEY = KEY_NAMES[0] ?? 'pk';

/** A key's identity as text: table, then each key attribute's value. */
function keyOf(table: string, item: Item): string | undefined {
  const values = KEY_NAMES.map((name) => item[name]?.S ?? item[name]?.N);
  return values.some((v) => v === undefined) ? undefined : [table, ...values].join('\u0000');
}

/** Units DynamoDB Local reported for one call, split into reads and writes by the kind of call. */
function localUnits(
  operation: string,
  reported: ConsumedCapacity[],
): { readUnits: number; writeUnits: number } {
  let readUnits = 0;
  let writeUnits = 0;
  for (const c of reported) {
    readUnits += c.ReadCapacityUnits ?? 0;
    writeUnits += c.WriteCapacityUnits ?? 0;
    // DynamoDB Local reports only the total: it is of the kind the call is.
    if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined) {
      if (WRITES.has(operation)) writeUnits += c.CapacityUnits ?? 0;
      else readUnits += c.CapacityUnits ?? 0;
    }
  }
  return { readUnits, writeUnits };
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/**
 * Counts the capacity of every call `client` sends, from the items it sends
 * and receives. It keeps the size of every item the client wrote or read in
 * full, since a write is charged by the larger of the item before and after,
 * and a projected read by the whole item. A middleware on the benchmark's own
 * client: the store and the functions are unchanged, so the hot path pays
 * nothing for it. It also asks DynamoDB for its own count
 * (`ReturnConsumedCapacity`), and for the item after an UpdateItem, whose
 * answer the store does not read.
 */
export function countCapacity(client: DynamoDBClient): { take(what: string): CapacityCount } {
  const sizes = new Map<string, number>();
  let calls: CountedCall[] = [];

  /** The whole size of an item read: measured when it came whole, else as last seen. */
  const sizeRead = (table: string, item: Item, projected: boolean, key?: Item) => {
    const id = keyOf(table, key === undefined ? item : { ...key, ...item });
    if (!projected) {
      const size = itemSize(item);
      if (id !== undefined) sizes.set(id, size);
      return { size, exact: true };
    }
    const known = id === undefined ? undefined : sizes.get(id);
    return known === undefined ? { size: itemSize(item), exact: false } : { size: known, exact: true };
  };
  const before = (table: string, key: Item) => sizes.get(keyOf(table, key) ?? '') ?? 0;

  const count = (operation: string, input: unknown, output: unknown) => {
    const reported = (output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
      .ConsumedCapacity;
    const call: CountedCall = {
      operation,
      items: 0,
      bytes: 0,
      readUnits: 0,
      writeUnits: 0,
      local: localUnits(operation, reported === undefined ? [] : [reported].flat()),
      exact: true,
    };
    const mode = (consistent: boolean | undefined): ReadMode => (consistent === true ? 'strong' : 'eventual');
    const read = (table: string, item: Item, projected: boolean, key?: Item) => {
      const { size, exact } = sizeRead(table, item, projected, key);
      call.items++;
      call.bytes += size;
      call.exact &&= exact;
      return size;
    };
    const write = (table: string, key: Item, after: Item | undefined, transactional: boolean) => {
      const old = before(table, key);
      const size = after === undefined ? 0 : itemSize(after);
      const id = keyOf(table, key);
      if (id !== undefined) {
        if (after === undefined) sizes.delete(id);
        else sizes.set(id, size);
      }
      call.items++;
      call.bytes += Math.max(old, size);
      call.writeUnits += writeUnits(Math.max(old, size), transactional);
    };
    switch (operation) {
      case 'GetItem': {
        const i = input as GetItemInput;
        const { Item: item } = output as GetItemOutput;
        const size =
          item === undefined ? 0 : read(i.TableName ?? '', item, i.ProjectionExpression !== undefined, i.Key);
        call.readUnits = readUnits(size, mode(i.ConsistentRead));
        break;
      }
      case 'BatchGetItem': {
        const o = output as BatchGetItemOutput;
        for (const [table, request] of Object.entries((input as BatchGetItemInput).RequestItems ?? {})) {
          const unprocessed = new Set((o.UnprocessedKeys?.[table]?.Keys ?? []).map((k) => keyOf(table, k)));
          const found = o.Responses?.[table] ?? [];
          for (const key of request.Keys ?? []) {
            if (unprocessed.has(keyOf(table, key))) continue;
            const item = found.find((i) =>
              KEY_NAMES.every((n) => i[n] === undefined || sameValue(i[n], key[n])),
            );
            const size =
              item === undefined ? 0 : read(table, item, request.ProjectionExpression !== undefined, key);
            call.readUnits += readUnits(size, mode(request.ConsistentRead));
          }
        }
        break;
      }
      case 'Query':
      case 'Scan': {
        const i = input as QueryInput & ScanInput;
        const partition = operation === 'Query' ? partitionOf(i) : undefined;
        // Items read but filtered out are not seen: then the figure is a lower bound.
        if (i.FilterExpression !== undefined) call.exact = false;
        const total = ((output as QueryOutput).Items ?? []).reduce(
          (sum, item) => sum + read(i.TableName ?? '', item, i.ProjectionExpression !== undefined, partition),
          0,
        );
        call.readUnits = readUnits(total, mode(i.ConsistentRead));
        break;
      }
      case 'PutItem': {
        const i = input as PutItemInput;
        write(i.TableName ?? '', i.Item ?? {}, i.Item, false);
        break;
      }
      case 'UpdateItem': {
        const i = input as UpdateItemInput;
        write(i.TableName ?? '', i.Key ?? {}, (output as UpdateItemOutput).Attributes, false);
        break;
      }
      case 'DeleteItem': {
        const i = input as DeleteItemInput;
        write(i.TableName ?? '', i.Key ?? {}, undefined, false);
        break;
      }
      case 'BatchWriteItem':
        for (const [table, requests] of Object.entries((input as BatchWriteItemInput).RequestItems ?? {})) {
          for (const { PutRequest: put, DeleteRequest: remove } of requests) {
            if (put?.Item !== undefined) write(table, put.Item, put.Item, false);
            else if (remove?.Key !== undefined) write(table, remove.Key, undefined, false);
          }
        }
        break;
      case 'TransactWriteItems':
        for (const { Put: put, Delete: remove } of (input as TransactWriteItemsInput).TransactItems ?? []) {
          if (put?.Item !== undefined) write(put.TableName ?? '', put.Item, put.Item, true);
          else if (remove?.Key !== undefined) write(remove.TableName ?? '', remove.Key, undefined, true);
          else throw new Error('countCapacity counts only Put and Delete in a transaction');
        }
        break;
      default:
        return; // table management: no capacity
    }
    calls.push(call);
  };

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string; ReturnValues?: string };
      const operation = String(context.commandName).replace(/Command$/, '');
      input.ReturnConsumedCapacity = 'TOTAL';
      if (operation === 'UpdateItem') input.ReturnValues ??= 'ALL_NEW';
      const result = await next(args);
      count(operation, input, result.output);
      return result;
    },
    { step: 'initialize', name: 'newswireBenchCapacity' },
  );
  return {
    take(what) {
      const taken = calls;
      calls = [];
      const sum = (f: (c: CountedCall) => number) => taken.reduce((s, c) => s + f(c), 0);
      return {
        what,
        calls: taken,
        readUnits: sum((c) => c.readUnits),
        writeUnits: sum((c) => c.writeUnits),
        local: { readUnits: sum((c) => c.local.readUnits), writeUnits: sum((c) => c.local.writeUnits) },
        exact: taken.every((c) => c.exact),
      };
    },
  };
}

function sameValue(a: AttributeValue, b: AttributeValue | undefined): boolean {
  return b !== undefined && (a.S ?? a.N) === (b.S ?? b.N);
}

/** The partition a Query reads (`pk = :value` in its key condition), so that projected items can be named. */
function partitionOf(input: QueryInput): Item | undefined {
  const match = /([#\w]+)\s*=\s*(:\w+)/.exec(input.KeyConditionExpression ?? '');
  if (match === null) return undefined;
  const name = match[1]!.startsWith('#') ? input.ExpressionAttributeNames?.[match[1]!] : match[1];
  const value = input.ExpressionAttributeValues?.[match[2]!];
  return name === HASH_KEY && value !== undefined ? { [HASH_KEY]: value } : undefined;
}

/** One call made both ways: the computed units and DynamoDB Local's, for the same items. */
export interface LocalComparison {
  call: string;
  computed: number;
  local: number;
}

/**
 * Makes the calls whose units DynamoDB Local reports as DynamoDB would —
 * PutItem, GetItem (strongly and eventually consistent), DeleteItem at the 1 KB
 * and 4 KB boundaries, with numbers, binaries, lists and maps; a BatchGetItem
 * and a Query — and those it does not: transactions (it reports one item's
 * units for a whole TransactWriteItems) and a BatchGetItem key with no item
 * (it reports nothing; the counter charges it as the GetItem of nothing the
 * documentation says each batch item is). On `tableName`, through a client
 * counted by countCapacity. Returns each call's two figures.
 */
export async function compareWithLocal(
  client: DynamoDBClient,
  counter: { take(what: string): CapacityCount },
  tableName: string,
): Promise<{ singleItem: LocalComparison[]; differences: LocalComparison[] }> {
  const key = (pk: string, sk = 'ITEM'): Item => ({ pk: { S: pk }, sk: { S: sk } });
  /** An item of exactly `bytes`, padded with a string attribute. */
  const sized = (pk: string, bytes: number, extra: Item = {}, sk = 'ITEM'): Item => {
    const base = { ...key(pk, sk), ...extra };
    return { ...base, pad: { S: 'x'.repeat(bytes - itemSize(base) - 3) } };
  };
  const rows = { singleItem: [] as LocalComparison[], differences: [] as LocalComparison[] };
  const record = (list: LocalComparison[], call: string, kind: 'read' | 'write') => {
    const counted = counter.take(call);
    list.push({
      call,
      computed: kind === 'read' ? counted.readUnits : counted.writeUnits,
      local: kind === 'read' ? counted.local.readUnits : counted.local.writeUnits,
    });
  };
  const typed: Item = {
    n: { N: '1234567890.5' },
    b: { B: new Uint8Array(300) },
    l: { L: [{ S: 'ab' }, { N: '7' }, { BOOL: true }] },
    m: { M: { a: { S: 'x' }, z: { NULL: true } } },
  };
  counter.take('');
  for (const bytes of [1024, 1025, 4096, 4097, 8193]) {
    for (const [label, extra] of [
      ['strings', {}],
      ['every type', typed],
    ] as const) {
      const pk = `compare-${bytes}-${label}`;
      await client.send(new PutItemCommand({ TableName: tableName, Item: sized(pk, bytes, extra) }));
      record(rows.singleItem, `PutItem, ${bytes} bytes (${label})`, 'write');
    }
    const pk = `compare-${bytes}-strings`;
    await client.send(new GetItemCommand({ TableName: tableName, Key: key(pk), ConsistentRead: true }));
    record(rows.singleItem, `GetItem, ${bytes} bytes, strongly consistent`, 'read');
    await client.send(new GetItemCommand({ TableName: tableName, Key: key(pk) }));
    record(rows.singleItem, `GetItem, ${bytes} bytes, eventually consistent`, 'read');
  }
  await client.send(new GetItemCommand({ TableName: tableName, Key: key('compare-none') }));
  record(rows.singleItem, 'GetItem of no item, eventually consistent', 'read');
  await client.send(new PutItemCommand({ TableName: tableName, Item: sized('compare-8193-strings', 200) }));
  record(rows.singleItem, 'PutItem, 200 bytes over 8,193', 'write');
  await client.send(new DeleteItemCommand({ TableName: tableName, Key: key('compare-4097-strings') }));
  record(rows.singleItem, 'DeleteItem, 4,097 bytes', 'write');
  await client.send(
    new BatchGetItemCommand({
      RequestItems: {
        [tableName]: { Keys: ['compare-1024-strings', 'compare-4097-every type'].map((p) => key(p)) },
      },
    }),
  );
  record(rows.singleItem, 'BatchGetItem of 1,024 and 4,097 bytes', 'read');
  await client.send(
    new BatchGetItemCommand({
      RequestItems: { [tableName]: { Keys: [key('compare-1024-strings'), key('compare-none')] } },
    }),
  );
  record(rows.differences, 'BatchGetItem of 1,024 bytes and a key with no item', 'read');
  for (let i = 0; i < 10; i++) {
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: sized('compare-query', 1500, {}, `i${i}`) }),
    );
  }
  counter.take('');
  await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'compare-query' } },
    }),
  );
  record(rows.singleItem, 'Query of 10 items of 1,500 bytes', 'read');
  for (const count of [1, 5, 13]) {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: Array.from({ length: count }, (_, i) => ({
          Put: { TableName: tableName, Item: sized('compare-transaction', 900, {}, `${count}-${i}`) },
        })),
      }),
    );
    record(rows.differences, `TransactWriteItems of ${count} × 900 bytes`, 'write');
  }
  return rows;
}
