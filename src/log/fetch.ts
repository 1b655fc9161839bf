import { unwrap, wrap, type IDBPObjectStore } from 'idb';
import { ChunkChecksumError, decodeChunk, type ColumnChunk } from './column-chunk';
import type { LogDB, LogTx } from './log-db';
import {
  columnName,
  columnsOf,
  KEY_COLUMN,
  TIMESTAMP_COLUMN,
  type Column,
  type RecordBatch,
  type RecordBatchHeader,
} from './record-batch';

/** Offsets `[fromOffset, untilOffset)` of one partition: what a task or a consumer reads. */
export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  readonly fromOffset: number;
  readonly untilOffset: number;
}

/**
 * Thrown by a read that meets a record batch whose stored bytes do not match their CRC-32 (or
 * that lost a chunk): it names the batch's topic, partition and base offset.
 */
export class CorruptRecordError extends Error {
  override name = 'CorruptRecordError';
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    /** How many records the batch holds (as its header says): what skipping it skips. */
    readonly records: number,
    reason: string,
  ) {
    super(`tabstream: corrupt record batch at ${topic}-${partition} offset ${offset}: ${reason}`);
  }
}

/** How a read treats record batches. */
export interface ReadOptions {
  /** Record batches (or chunks) per IndexedDB request. Default 32. */
  readonly pageSize?: number;
  /** Check each chunk's CRC-32 (Kafka's `check.crcs`). Default true. */
  readonly checkCrcs?: boolean;
  /** Called with each corrupt batch, which is then skipped; without it, the read throws. */
  readonly onCorrupt?: (error: CorruptRecordError) => void;
}

/** What of each record a reader wants: value fields ('all', or a list), timestamps, keys. */
export interface FetchOptions extends ReadOptions {
  readonly fields?: 'all' | readonly string[];
  readonly timestamps?: boolean;
  readonly keys?: boolean;
  /** Stop after the batches holding this many records of the range: read no column beyond. */
  readonly maxRecords?: number;
}

/**
 * Reads the record batches that hold a range's offsets, in offset order, with the columns asked
 * for and no others, `pageSize` batches per page (each page is one transaction, so a batch is
 * never seen half deleted by retention; a reader on the main thread yields between pages).
 * - must yield every batch holding an offset of the range, each once, whole: slice the first
 *   and last with `recordWindow`;
 * - must throw CorruptRecordError at a corrupt batch, or skip it if the reader asks to;
 * - must yield nothing for an empty range.
 */
export async function* fetchBatches(
  db: LogDB,
  range: OffsetRange,
  options: FetchOptions = {},
): AsyncGenerator<RecordBatch[]> {
  const { topic, partition, untilOffset } = range;
  const pageSize = options.pageSize ?? 32;
  let lower = await firstBaseOffset(db, range);
  if (lower === null) return;
  let open = false;
  let wanted = options.maxRecords ?? Infinity;
  for (;;) {
    const tx = db.transaction(['batches', 'columns']);
    const keys = IDBKeyRange.bound(
      [topic, partition, lower],
      [topic, partition, untilOffset],
      open,
      true,
    );
    const page = await tx.objectStore('batches').getAll(keys, pageSize);
    const headers = upTo(page, range, wanted);
    wanted -= headers.reduce((n, header) => n + windowSize(header, range), 0);
    if (headers.length === 0) return;
    const columns = wantedColumns(headers, options);
    const first = headers[0]!.baseOffset;
    const last = headers[headers.length - 1]!.baseOffset;
    const chunks = await Promise.all(
      columns.map((column) => readChunks(tx, range, column, first, last)),
    );
    yield assemble(headers, columns, chunks, options);
    if (page.length < pageSize || wanted <= 0) return;
    lower = last;
    open = true;
  }
}

/**
 * Reads one value field of a range, and nothing else: the chunks of column `value.<field>` of
 * the batches holding the range's offsets, in offset order, `pageSize` per page. Batches none of
 * whose records has the field have no chunk, and are not yielded.
 * - must throw CorruptRecordError at a corrupt chunk, or skip it if the reader asks to.
 */
export async function* fetchColumn(
  db: LogDB,
  range: OffsetRange,
  field: string,
  options: ReadOptions = {},
): AsyncGenerator<ColumnChunk[]> {
  const { topic, partition, untilOffset } = range;
  const pageSize = options.pageSize ?? 32;
  const column = columnName(field);
  let lower = await firstBaseOffset(db, range);
  if (lower === null) return;
  let open = false;
  for (;;) {
    const tx = db.transaction('columns');
    const keys = IDBKeyRange.bound(
      [topic, partition, column, lower],
      [topic, partition, column, untilOffset],
      open,
      true,
    );
    const [buffers, bufferKeys] = await getAllWithKeys(tx.store, keys, pageSize);
    const page: ColumnChunk[] = [];
    buffers.forEach((buffer, i) => {
      const where = { topic, partition, baseOffset: bufferKeys[i]![3] };
      const chunk = orReport(() => checkedChunk(buffer, where, column, options.checkCrcs), options);
      if (chunk) page.push(chunk);
    });
    if (page.length > 0) yield page;
    if (buffers.length < pageSize) return;
    lower = bufferKeys[bufferKeys.length - 1]![3];
    open = true;
  }
}

/** The indexes `[start, end)` of a batch's records that fall in `[fromOffset, untilOffset)`. */
export function recordWindow(
  batch: { readonly baseOffset: number; readonly count: number },
  range: OffsetRange,
): [number, number] {
  const start = Math.max(0, range.fromOffset - batch.baseOffset);
  const end = Math.min(batch.count, range.untilOffset - batch.baseOffset);
  return [start, Math.max(start, end)];
}

type ColumnKey = [string, number, string, number];

/** What reading chunks needs of the `columns` store, in any transaction. */
interface ColumnStore {
  getAll(range: IDBKeyRange, count?: number): Promise<ArrayBuffer[]>;
  getAllKeys(range: IDBKeyRange, count?: number): Promise<ColumnKey[]>;
}

type WithGetAllRecords = IDBObjectStore & {
  getAllRecords?: (options: {
    query: IDBKeyRange;
    count?: number;
  }) => IDBRequest<{ key: IDBValidKey; value: ArrayBuffer }[]>;
};

/**
 * The chunks of a key range and their keys, in one scan of the store where the browser has
 * `getAllRecords` (Chromium 141+), else in two (`getAll` and `getAllKeys`).
 */
async function getAllWithKeys(
  store: ColumnStore,
  range: IDBKeyRange,
  count?: number,
): Promise<[ArrayBuffer[], ColumnKey[]]> {
  const raw = unwrap(store as unknown as IDBPObjectStore) as unknown as WithGetAllRecords;
  if (!raw.getAllRecords)
    return Promise.all([store.getAll(range, count), store.getAllKeys(range, count)]);
  const records = await wrap(raw.getAllRecords({ query: range, count }));
  return [records.map((r) => r.value), records.map((r) => r.key as ColumnKey)];
}

/** The first headers of a page that hold `wanted` records of the range, or all of them. */
function upTo(
  headers: readonly RecordBatchHeader[],
  range: OffsetRange,
  wanted: number,
): readonly RecordBatchHeader[] {
  let records = 0;
  for (let i = 0; i < headers.length; i++) {
    records += windowSize(headers[i]!, range);
    if (records >= wanted) return headers.slice(0, i + 1);
  }
  return headers;
}

function windowSize(header: RecordBatchHeader, range: OffsetRange): number {
  const [start, end] = recordWindow(header, range);
  return end - start;
}

/**
 * The base offset of the batch holding `fromOffset` (the last batch starting at or before it),
 * or of the first batch after it; null when the range is empty.
 */
async function firstBaseOffset(
  db: LogDB,
  { topic, partition, fromOffset, untilOffset }: OffsetRange,
): Promise<number | null> {
  if (untilOffset <= fromOffset) return null;
  const keys = IDBKeyRange.bound([topic, partition, 0], [topic, partition, fromOffset]);
  const cursor = await db.transaction('batches').store.openKeyCursor(keys, 'prev');
  return cursor ? cursor.key[2] : fromOffset;
}

function wantedColumns(headers: readonly RecordBatchHeader[], options: FetchOptions): string[] {
  const fields = new Set<string>();
  if (options.fields === 'all' || options.fields === undefined) {
    for (const header of headers) for (const field of header.fields) fields.add(field);
  } else {
    for (const field of options.fields) fields.add(field);
  }
  const columns = [...fields].map(columnName);
  if (options.timestamps !== false) columns.push(TIMESTAMP_COLUMN);
  if (options.keys && headers.some((header) => header.keyed)) columns.push(KEY_COLUMN);
  return columns;
}

type ReadTx = LogTx<('batches' | 'columns')[], 'readonly'>;

/**
 * A column's chunks for batches `[first, last]`, by the base offset of their key: `decode`
 * then checks the one inside each chunk (outside its CRC) against its batch's.
 */
async function readChunks(
  tx: ReadTx,
  { topic, partition }: OffsetRange,
  column: string,
  first: number,
  last: number,
): Promise<Map<number, ArrayBuffer>> {
  const keys = IDBKeyRange.bound(
    [topic, partition, column, first],
    [topic, partition, column, last],
  );
  const store = tx.objectStore('columns');
  const [buffers, bufferKeys] = await getAllWithKeys(store, keys);
  return new Map(bufferKeys.map((key, i) => [key[3], buffers[i]!]));
}

function assemble(
  headers: readonly RecordBatchHeader[],
  columns: readonly string[],
  chunks: readonly Map<number, ArrayBuffer>[],
  options: FetchOptions,
): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (const header of headers) {
    const batch = orReport(() => decodeBatch(header, columns, chunks, options.checkCrcs), options);
    if (batch) batches.push(batch);
  }
  return batches;
}

/** `read()`, or null after telling `onCorrupt` of the corrupt batch it met; without it, throws. */
function orReport<T>(read: () => T, { onCorrupt }: ReadOptions): T | null {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CorruptRecordError) || !onCorrupt) throw error;
    onCorrupt(error);
    return null;
  }
}

function decodeBatch(
  header: RecordBatchHeader,
  columns: readonly string[],
  chunks: readonly Map<number, ArrayBuffer>[],
  checkCrcs: boolean | undefined,
): RecordBatch {
  let timestamps: Float64Array | undefined;
  let keys: Column | undefined;
  const values: Record<string, Column> = {};
  columns.forEach((name, i) => {
    const buffer = chunks[i]!.get(header.baseOffset);
    if (!buffer && !columnsOf(header).includes(name)) return;
    const { column } = checkedChunk(buffer, header, name, checkCrcs);
    if (name === TIMESTAMP_COLUMN)
      timestamps = column.type === 'number' ? column.values : undefined;
    else if (name === KEY_COLUMN) keys = column;
    else values[name.slice('value.'.length)] = column;
  });
  return { ...header, timestamps, keys, values };
}

/**
 * Decodes chunk `column` of the batch at `where`.
 * - must throw CorruptRecordError naming the batch if the chunk is missing, fails its CRC
 *   (unless `checkCrcs` is false), or holds another base offset, or another count than
 *   `where.count` when that is known.
 */
export function checkedChunk(
  buffer: ArrayBuffer | undefined,
  where: { topic: string; partition: number; baseOffset: number; count?: number },
  column: string,
  checkCrcs = true,
): ColumnChunk {
  const { topic, partition, baseOffset, count } = where;
  try {
    if (!buffer) throw new ChunkChecksumError('missing');
    const chunk = decodeChunk(buffer, checkCrcs);
    if (chunk.baseOffset !== baseOffset) throw new ChunkChecksumError('base offset differs');
    if (count !== undefined && chunk.count !== count) throw new ChunkChecksumError('count differs');
    return chunk;
  } catch (error) {
    if (!(error instanceof ChunkChecksumError)) throw error;
    const records = count ?? recordsIn(buffer);
    const reason = `chunk ${column}: ${error.message}`;
    throw new CorruptRecordError(topic, partition, baseOffset, records, reason);
  }
}

/** The record count a chunk claims, however damaged: what skipping it skips. */
function recordsIn(buffer: ArrayBuffer | undefined): number {
  return buffer && buffer.byteLength >= 20 ? new DataView(buffer).getUint32(16, true) : 0;
}
