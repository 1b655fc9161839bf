// What a log holds in IndexedDB, counted value by value: the bytes of suite `storage`.
import { openDB, type IDBPDatabase } from 'idb';

/** Values read per request while counting. */
const PAGE = 5000;

/** Bytes of one stored value: binary data by its byteLength, the rest as its JSON text. */
export function valueBytes(value: unknown): number {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  let binary = 0;
  const json = JSON.stringify(value, (_key, field: unknown) => {
    if (field instanceof ArrayBuffer || ArrayBuffer.isView(field)) {
      binary += field.byteLength;
      return null;
    }
    return field;
  });
  return (json?.length ?? 0) + binary;
}

/** Bytes and values of one object store. */
export interface StoreBytes {
  readonly database: string;
  readonly store: string;
  readonly values: number;
  readonly bytes: number;
}

/**
 * Every object store of every database of the origin named `log` or `log:…` (the log and its
 * coordination database, which holds the streaming job's checkpoints), counted by valueBytes.
 */
export async function logBytes(log: string): Promise<StoreBytes[]> {
  const names = (await indexedDB.databases())
    .map((info) => info.name ?? '')
    .filter((name) => name === log || name.startsWith(`${log}:`))
    .sort();
  const out: StoreBytes[] = [];
  for (const name of names) {
    const db = await openDB(name);
    try {
      for (const store of db.objectStoreNames) out.push(await storeBytes(db, name, store));
    } finally {
      db.close();
    }
  }
  return out;
}

async function storeBytes(db: IDBPDatabase, database: string, store: string): Promise<StoreBytes> {
  let values = 0;
  let bytes = 0;
  let after: IDBValidKey | null = null;
  for (;;) {
    const tx = db.transaction(store);
    const range: IDBKeyRange | null = after === null ? null : IDBKeyRange.lowerBound(after, true);
    const [keys, page]: [IDBValidKey[], unknown[]] = await Promise.all([
      tx.store.getAllKeys(range, PAGE),
      tx.store.getAll(range, PAGE),
    ]);
    for (const value of page) bytes += valueBytes(value);
    values += page.length;
    if (keys.length < PAGE) return { database, store, values, bytes };
    after = keys[keys.length - 1]!;
  }
}

/** The sum of `stores`' bytes. */
export function totalBytes(stores: readonly StoreBytes[]): number {
  return stores.reduce((sum, store) => sum + store.bytes, 0);
}
