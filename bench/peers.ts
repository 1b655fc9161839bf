// The peers of suite `engine`, each counting clicks by page from the same events in memory as
// JS objects: what each returns is the count by page, as a Map. Each is given only the column it
// needs (`page`), as tabstream reads only that column from the log.
import * as duckdb from '@duckdb/duckdb-wasm';
import {
  makeData,
  makeVector,
  Table,
  TimestampMillisecond,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { from } from 'arquero';
import type { LeanClick } from './clicks';

/** A plain single-threaded Map, counting where the objects are. */
export function countPlain(events: readonly LeanClick[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.page, (counts.get(event.page) ?? 0) + 1);
  return counts;
}

/** Arquero: load the page column (`from`), then `groupby('page').count()`. */
export function countArquero(events: readonly LeanClick[]): Map<string, number> {
  const counted = from(events, ['page']).groupby('page').count();
  const pages = counted.array('page');
  const counts = counted.array('count');
  return new Map(Array.from(pages, (page, i) => [page as string, counts[i] as number]));
}

/** Rows per Arrow table inserted into DuckDB at once. */
const INSERT_ROWS = 1_000_000;

/**
 * DuckDB-WASM, its wasm and worker served from node_modules by bench/run.mjs under /duckdb/, no
 * extension loaded or installed: nothing leaves the machine.
 */
export class DuckPeer {
  private constructor(
    private readonly db: duckdb.AsyncDuckDB,
    private readonly worker: Worker,
    private readonly conn: duckdb.AsyncDuckDBConnection,
    private readonly wasmURL: string,
    /** Which DuckDB, and which of its builds: for the notes of the run. */
    readonly description: string,
  ) {}

  /** Starts DuckDB: worker, wasm, database in memory, connection. */
  static async start(): Promise<DuckPeer> {
    const dist = new URL('/duckdb/', location.href).href;
    const bundle = await duckdb.selectBundle({
      mvp: {
        mainModule: `${dist}duckdb-mvp.wasm`,
        mainWorker: `${dist}duckdb-browser-mvp.worker.js`,
      },
      eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: `${dist}duckdb-browser-eh.worker.js` },
    });
    // DuckDB compiles its wasm with instantiateStreaming, which wants the type application/wasm;
    // the bench's static server has no type for .wasm, so hand it a Blob of the right type.
    const response = await fetch(bundle.mainModule);
    if (!response.ok) throw new Error(`DuckDB wasm: ${response.status} ${bundle.mainModule}`);
    const wasm = new Blob([await response.arrayBuffer()], { type: 'application/wasm' });
    const wasmURL = URL.createObjectURL(wasm);
    const worker = new Worker(bundle.mainWorker!);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(wasmURL);
    await db.open({ path: ':memory:' });
    const conn = await db.connect();
    await conn.query('SET autoinstall_known_extensions = false');
    await conn.query('SET autoload_known_extensions = false');
    const build = bundle.mainModule.slice(bundle.mainModule.lastIndexOf('/') + 1);
    const description = `DuckDB ${await db.getVersion()} (${build})`;
    return new DuckPeer(db, worker, conn, wasmURL, description);
  }

  /** Load (objects → Arrow tables of INSERT_ROWS → `insertArrowTable`), then `GROUP BY page`. */
  async count(events: readonly LeanClick[]): Promise<Map<string, number>> {
    await this.load('clicks', events, { page: { strings: (event) => event.page } });
    const { rows } = await this.query('SELECT page, count(*) AS n FROM clicks GROUP BY page');
    return new Map(rows as [string, number][]);
  }

  /** Drops what `count` loaded, so the next count loads into an empty database. */
  async reset(): Promise<void> {
    await this.drop('clicks');
  }

  /**
   * Loads `events` into a new table `table` of `columns`, each taken from every event: objects →
   * Arrow tables of INSERT_ROWS (strings dictionary-encoded, as Arrow's `vectorFromArray` does) →
   * `insertArrowTable`.
   */
  async load<Event>(
    table: string,
    events: readonly Event[],
    columns: Readonly<Record<string, DuckColumn<Event>>>,
  ): Promise<void> {
    for (let start = 0; start < events.length; start += INSERT_ROWS) {
      const slice = events.slice(start, start + INSERT_ROWS);
      const vectors = Object.fromEntries(
        Object.entries(columns).map(([name, column]) => [name, arrowVector(slice, column)]),
      );
      await this.conn.insertArrowTable(new Table(vectors), { name: table, create: start === 0 });
    }
  }

  /** Runs `sql`: its rows as arrays in its columns' order, 64-bit integers as numbers. */
  async query(sql: string): Promise<{ columns: string[]; rows: unknown[][] }> {
    const result = await this.conn.query(sql);
    const columns = result.schema.fields.map((field) => field.name);
    const children = columns.map((_, i) => result.getChildAt(i)!);
    const rows = Array.from({ length: result.numRows }, (_, row) =>
      children.map((child) => plainValue(child.get(row))),
    );
    return { columns, rows };
  }

  async drop(table: string): Promise<void> {
    await this.conn.query(`DROP TABLE IF EXISTS ${table}`);
  }

  async close(): Promise<void> {
    await this.conn.close();
    await this.db.terminate();
    this.worker.terminate();
    URL.revokeObjectURL(this.wasmURL);
  }
}

/** A column for DuckPeer.load, from each event: a string, or a timestamp in ms (a TIMESTAMP). */
export type DuckColumn<Event> =
  | { readonly strings: (event: Event) => string | null }
  | { readonly timestamps: (event: Event) => number };

function arrowVector<Event>(events: readonly Event[], column: DuckColumn<Event>): Vector {
  if ('strings' in column) return vectorFromArray(events.map(column.strings));
  const data = BigInt64Array.from(events, (event) => BigInt(column.timestamps(event)));
  const type = new TimestampMillisecond();
  return makeVector(makeData({ type, length: events.length, data }));
}

/** DuckDB's BIGINT (count(*)) and HUGEINT as numbers, as tabstream answers them. */
function plainValue(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}
