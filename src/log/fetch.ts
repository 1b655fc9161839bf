import { unwrap, wrap, type IDBPObjectStore } from 'idb';
import { reportDamage } from '../shared';
import {
  ChunkChecksumError,
  chunkCount,
  decodeChunk,
  decodePackedChunk,
  type ColumnChunk,
} from './column-chunk';
import type { LogDB, LogTx, PartitionState } from './log-db';
import {
  columnName,
  KEY_COLUMN,
  recordColumnsOf,
  TIMESTAMP_COLUMN,
  type Column,
  type RecordBatch,
  type RecordBatchHeader,
} from './record-batch';
import { headerProblem, partitionStateProblem } from './schema';
import { mergedBefore, sliceBatch } from './compaction-reads';

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
    /** What is wrong. */
    readonly reason: string,
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
 * - must yield every intact batch holding an offset of the range, each once, whole: slice the
 *   first and last with `recordWindow`;
 * - must meet a corrupt batch (a damaged header or chunk), or a gap in the offsets that no
 *   stored batch holds (a lost header) above the log-start offset, as a CorruptRecordError
 *   naming its offsets, and report it as damage: throw it, or skip it if the reader asks to;
 * - must pass silently over offsets below the log-start offset: retention deleted them;
 * - must yield each record once when a compaction merges, between two pages, the batch read
 *   last with later ones: the merged batch, sliced where the read stands;
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
  /** Records before it were yielded: a batch merged since is sliced there. */
  let resume = range.fromOffset;
  let wanted = options.maxRecords ?? Infinity;
  const holes = new Holes(db.name, range);
  for (;;) {
    const tx = db.transaction(['partitions', 'batches', 'columns']);
    const keys = IDBKeyRange.bound(
      [topic, partition, lower],
      [topic, partition, untilOffset],
      open,
      true,
    );
    // Columns known before the headers are read at the same time: one round trip, not two.
    const known = knownColumns(options);
    const [page, bounds, early] = await Promise.all([
      tx.objectStore('batches').getAll(keys, pageSize),
      tx.objectStore('partitions').get([topic, partition]),
      Promise.all((known ?? []).map((column) => readChunkPage(tx, range, column, keys, pageSize))),
    ]);
    // A compaction merged the batch read last with later ones: go on from the merged batch.
    const merged = await mergedBefore(tx, topic, partition, holes.next, untilOffset, page);
    if (merged !== null) {
      [lower, open, resume] = [merged, false, holes.next];
      continue;
    }
    const last = page.length < pageSize;
    const unread = { ...range, fromOffset: Math.max(range.fromOffset, resume) };
    const entries = upTo(holes.check(page, bounds, last), unread, wanted);
    const headers = entries.filter(
      (entry): entry is RecordBatchHeader => !(entry instanceof CorruptRecordError),
    );
    wanted -= headers.reduce((n, header) => n + windowSize(header, unread), 0);
    const columns = withPackedChunks(known ?? wantedColumns(headers, options), headers);
    const [first, lastBase] = [headers[0]?.baseOffset, headers.at(-1)?.baseOffset];
    const chunks = await Promise.all(
      columns.map((column, i) =>
        first === undefined
          ? Promise.resolve(new Map<number, ArrayBuffer>())
          : readChunks(tx, range, column, first, lastBase!, early[i]),
      ),
    );
    const batches = assemble(db.name, entries, columns, chunks, options).map((batch) =>
      sliceBatch(batch, resume),
    );
    if (batches.length > 0) yield batches;
    if (last || wanted <= 0) return;
    lower = page.at(-1)!.baseOffset;
    open = true;
  }
}

/**
 * Reads one value field of a range, and nothing else: the chunks of column `value.<field>` of
 * the batches holding the range's offsets, in offset order, `pageSize` per page. Batches none of
 * whose records has the field have no chunk, and are not yielded.
 * - must meet corrupt batches and gaps as `fetchBatches` does.
 */
export async function* fetchColumn(
  db: LogDB,
  range: OffsetRange,
  field: string,
  options: ReadOptions = {},
): AsyncGenerator<ColumnChunk[]> {
  const read = { ...options, fields: [field], timestamps: false };
  for await (const page of fetchBatches(db, range, read)) {
    const chunks = page.flatMap(({ baseOffset, count, values }) =>
      values[field] ? [{ baseOffset, count, column: values[field] }] : [],
    );
    if (chunks.length > 0) yield chunks;
  }
}

/** A page's headers in offset order, with the gaps between them (and the damaged headers). */
type Entry = RecordBatchHeader | CorruptRecordError;

/**
 * Finds what a read passes over: headers that are damaged, and offsets that no stored batch
 * holds, between consecutive batches, between the log-start offset and the first, and between
 * the last and the high watermark. Checks only header fields, cheaply; chunks carry a CRC-32.
 */
class Holes {
  /** The next offset a batch must hold, for the read to have no gap. */
  private expected: number;

  get next(): number {
    return this.expected;
  }

  constructor(
    private readonly log: string,
    private readonly range: OffsetRange,
  ) {
    this.expected = range.fromOffset;
  }

  /** A page's intact headers, and the gaps before them (and after them, if `last`). */
  check(page: readonly unknown[], bounds: unknown, last: boolean): Entry[] {
    const state = partitionStateProblem(bounds) ? null : (bounds as PartitionState);
    const entries: Entry[] = [];
    page.forEach((value, i) => {
      const header = value as RecordBatchHeader;
      const next = (page[i + 1] as RecordBatchHeader | undefined)?.baseOffset;
      const problem = headerProblem(header) ?? overrun(header, next, state);
      if (problem) return this.report(header.baseOffset, `${problem}; its records are skipped`);
      this.gapUntil(header.baseOffset, state, entries);
      entries.push(header);
      this.expected = Math.max(this.expected, header.baseOffset + header.count);
    });
    if (last && state) this.gapUntil(state.highWatermark, state, entries);
    return entries;
  }

  private gapUntil(offset: number, state: PartitionState | null, into: Entry[]): void {
    // Below the log-start offset, retention deleted the records: no damage.
    const from = Math.max(this.expected, state?.logStartOffset ?? 0);
    const until = Math.min(offset, this.range.untilOffset);
    this.expected = Math.max(this.expected, until);
    if (until <= from) return;
    const { topic, partition } = this.range;
    const reason = `no record batch holds offsets ${from}–${until - 1}`;
    into.push(new CorruptRecordError(topic, partition, from, until - from, reason));
    reportDamage({
      database: this.log,
      store: 'batches',
      at: `${topic}-${partition} offsets ${from}–${until - 1}`,
      problem: 'no record batch header holds these offsets (lost or damaged); they are skipped',
    });
  }

  private report(baseOffset: unknown, problem: string): void {
    const { topic, partition } = this.range;
    const at = `${topic}-${partition} offset ${String(baseOffset)}`;
    reportDamage({ database: this.log, store: 'batches', at, problem });
  }
}

/** What is wrong with a header's count against the next batch and the high watermark, or null. */
function overrun(
  header: RecordBatchHeader,
  next: unknown,
  state: PartitionState | null,
): string | null {
  const end = header.baseOffset + header.count;
  if (typeof next === 'number' && end > next)
    return `count ${header.count} runs into the next batch, at offset ${next}`;
  if (state && end > state.highWatermark)
    return `count ${header.count} runs past the high watermark, ${state.highWatermark}`;
  return null;
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

/** The first entries of a page whose headers hold `wanted` records of the range, or all of them. */
function upTo(entries: readonly Entry[], range: OffsetRange, wanted: number): readonly Entry[] {
  let records = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry instanceof CorruptRecordError) continue;
    records += windowSize(entry, range);
    if (records >= wanted) return entries.slice(0, i + 1);
  }
  return entries;
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

type ReadTx = LogTx<('partitions' | 'batches' | 'columns')[], 'readonly'>;

/**
 * A column's chunks for batches `[first, last]`, by the base offset of their key: `decode`
 * then checks the one inside each chunk (outside its CRC) against its batch's. Those of
 * `early`, a page read before the headers were known, are not read again.
 */
async function readChunks(
  tx: ReadTx,
  { topic, partition }: OffsetRange,
  column: string,
  first: number,
  last: number,
  early?: ChunkPage,
): Promise<Map<number, ArrayBuffer>> {
  // A full early page may stop short of the last header (orphaned chunks fill it): read on.
  if (early && (!early.full || early.lastBase >= last)) return early.chunks;
  const from = early ? early.lastBase : first;
  const keys = IDBKeyRange.bound(
    [topic, partition, column, from],
    [topic, partition, column, last],
    early !== undefined,
  );
  const store = tx.objectStore('columns');
  const [buffers, bufferKeys] = await getAllWithKeys(store, keys);
  const chunks = early?.chunks ?? new Map<number, ArrayBuffer>();
  bufferKeys.forEach((key, i) => chunks.set(key[3], buffers[i]!));
  return chunks;
}

/** Up to `count` chunks of a column, read along with a page of headers. */
interface ChunkPage {
  readonly chunks: Map<number, ArrayBuffer>;
  readonly full: boolean;
  readonly lastBase: number;
}

async function readChunkPage(
  tx: ReadTx,
  { topic, partition }: OffsetRange,
  column: string,
  headerKeys: IDBKeyRange,
  count: number,
): Promise<ChunkPage> {
  const [, , lower] = headerKeys.lower as [string, number, number];
  const [, , upper] = headerKeys.upper as [string, number, number];
  const keys = IDBKeyRange.bound(
    [topic, partition, column, lower],
    [topic, partition, column, upper],
    headerKeys.lowerOpen,
    true,
  );
  const [buffers, bufferKeys] = await getAllWithKeys(tx.objectStore('columns'), keys, count);
  const chunks = new Map(bufferKeys.map((key, i) => [key[3], buffers[i]!]));
  return { chunks, full: buffers.length === count, lastBase: bufferKeys.at(-1)?.[3] ?? -1 };
}

/** The columns to read: those wanted, and `timestamp` where packed batches keep all of theirs. */
function withPackedChunks(columns: string[], headers: readonly RecordBatchHeader[]): string[] {
  const packed = headers.some((header) => header.packed);
  return packed && !columns.includes(TIMESTAMP_COLUMN) ? [...columns, TIMESTAMP_COLUMN] : columns;
}

/** The columns a read wants whatever its headers say, or null when they depend on the headers. */
function knownColumns(options: FetchOptions): string[] | null {
  if (options.fields === 'all' || options.fields === undefined) return null;
  const columns = [...new Set(options.fields)].map(columnName);
  if (options.timestamps !== false) columns.push(TIMESTAMP_COLUMN);
  if (options.keys) columns.push(KEY_COLUMN);
  return columns;
}

function assemble(
  log: string,
  entries: readonly Entry[],
  columns: readonly string[],
  chunks: readonly Map<number, ArrayBuffer>[],
  options: FetchOptions,
): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (const entry of entries) {
    const batch = orReport(() => {
      if (entry instanceof CorruptRecordError) throw entry;
      return reportingChunks(log, () => decodeBatch(entry, columns, chunks, options));
    }, options);
    if (batch) batches.push(batch);
  }
  return batches;
}

/** `read()`, reporting the damaged chunk it meets as damage to the `columns` store. */
function reportingChunks<T>(log: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CorruptRecordError) {
      reportDamage({
        database: log,
        store: 'columns',
        at: `${error.topic}-${error.partition} offset ${error.offset}`,
        problem: `${error.reason}; the batch is skipped`,
      });
    }
    throw error;
  }
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
  options: FetchOptions,
): RecordBatch {
  let timestamps: Float64Array | undefined;
  let keys: Column | undefined;
  const values: Record<string, Column> = {};
  const wantTimestamps = options.timestamps !== false;
  const has = new Set(recordColumnsOf(header));
  const packed = header.packed
    ? checkedPacked(
        chunks[columns.indexOf(TIMESTAMP_COLUMN)]!.get(header.baseOffset),
        header,
        options.checkCrcs,
      )
    : null;
  columns.forEach((name, i) => {
    if (name === TIMESTAMP_COLUMN && !wantTimestamps) return;
    const buffer = packed ? undefined : chunks[i]!.get(header.baseOffset);
    if (!buffer && !has.has(name)) return;
    const column = packed
      ? packed.get(name)!
      : checkedChunk(buffer, header, name, options.checkCrcs).column;
    if (name === TIMESTAMP_COLUMN)
      timestamps = column.type === 'number' ? column.values : undefined;
    else if (name === KEY_COLUMN) keys = column;
    else values[name.slice('value.'.length)] = column;
  });
  return { ...header, timestamps, keys, values };
}

/**
 * Column `column` of the batch at `where`, from `buffer`, its chunk as stored under that column,
 * or, for a packed batch, under `timestamp`.
 * - must throw CorruptRecordError as `checkedChunk` does.
 */
export function checkedColumn(
  buffer: ArrayBuffer | undefined,
  where: RecordBatchHeader,
  column: string,
  checkCrcs = true,
): Column | undefined {
  if (where.packed) return checkedPacked(buffer, where, checkCrcs).get(column);
  return checkedChunk(buffer, where, column, checkCrcs).column;
}

/** The columns of a packed batch by name. */
function checkedPacked(
  buffer: ArrayBuffer | undefined,
  where: RecordBatchHeader,
  checkCrcs = true,
): Map<string, Column> {
  const names = recordColumnsOf(where);
  const chunk = checked(buffer, where, TIMESTAMP_COLUMN, (bytes) =>
    decodePackedChunk(bytes, names, checkCrcs),
  );
  return new Map(names.map((name, i) => [name, chunk.columns[i]!]));
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
  return checked(buffer, where, column, (bytes) => decodeChunk(bytes, checkCrcs));
}

function checked<T extends { baseOffset: number; count: number }>(
  buffer: ArrayBuffer | undefined,
  where: { topic: string; partition: number; baseOffset: number; count?: number },
  column: string,
  decode: (buffer: ArrayBuffer) => T,
): T {
  const { topic, partition, baseOffset, count } = where;
  try {
    if (!buffer) throw new ChunkChecksumError('missing');
    const chunk = decode(buffer);
    if (chunk.baseOffset !== baseOffset) throw new ChunkChecksumError('base offset differs');
    if (count !== undefined && chunk.count !== count) throw new ChunkChecksumError('count differs');
    return chunk;
  } catch (error) {
    if (!(error instanceof ChunkChecksumError)) throw error;
    const records = count ?? chunkCount(buffer) ?? 0;
    const reason = `chunk ${column}: ${error.message}`;
    throw new CorruptRecordError(topic, partition, baseOffset, records, reason);
  }
}
