import { listTopics, openLog, partitionsOf, type LogDB } from '../log';
import type { AnyDataset, EngineContext } from '../engine';

/** The columns every topic's table has besides its records' fields: Kafka's record metadata. */
export const META_COLUMNS = ['_partition', '_offset', '_timestamp', '_key'] as const;

/** A table a query can name: a topic of the log, or a dataset registered as a temporary view. */
export type Table =
  | { readonly kind: 'topic'; readonly name: string; readonly names: readonly string[] }
  | {
      readonly kind: 'view';
      readonly name: string;
      readonly names: readonly string[];
      readonly dataset: AnyDataset;
      readonly objects: boolean;
    };

const BASE = ['v', 'ts', 'pageviewId', 'page', 'sessionId', 'tabId', 'type'];

/**
 * The fields of the tracker's events (src/tracker/events.ts), for its topics while they hold
 * no record yet: a query names `page` on a site with no click so far, and gets no rows.
 */
const TRACKER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  clicks: [
    ...BASE,
    ...['target', 'selector', 'tag', 'id', 'classes', 'role', 'label', 'x', 'y', 'clientX'],
    ...['clientY', 'vw', 'vh', 'ex', 'ey', 'button', 'modifiers', 'keyboard', 'outbound'],
    ...['download', 'rage', 'dead'],
  ],
  pageviews: [...BASE, 'kind', 'referrer', 'title', 'vw', 'vh'],
  events: [...BASE, 'name', 'props'],
  scrolls: [...BASE, 'depth', 'bottom', 'height', 'vw', 'vh'],
};

/** Record batches per partition whose field names make a topic's columns: the newest ones. */
const SAMPLED_BATCHES = 16;

/**
 * The tables of one engine context's log and views, read when a statement is analyzed.
 * - must list every topic of the log, and every view, by its name;
 * - must give a topic the fields of its newest record batches (in first-seen order), then
 *   META_COLUMNS;
 * - must name a view's columns after its records' fields (from its first record), or `value`.
 */
export async function loadTables(context: EngineContext): Promise<Map<string, Table>> {
  const tables = new Map<string, Table>();
  const db = await openLog(context.log);
  try {
    for (const topic of await listTopics(db)) {
      const seen = await fieldsOf(db, topic.name);
      const fields = seen.length ? seen : (TRACKER_FIELDS[topic.name] ?? []);
      tables.set(topic.name.toLowerCase(), {
        kind: 'topic',
        name: topic.name,
        names: [...fields, ...META_COLUMNS],
      });
    }
  } finally {
    db.close();
  }
  for (const [name, dataset] of context.tempViews)
    tables.set(name.toLowerCase(), await view(name, dataset));
  return tables;
}

async function fieldsOf(db: LogDB, topic: string): Promise<string[]> {
  const fields = new Set<string>();
  for (const { partition } of await partitionsOf(db, topic)) {
    const range = IDBKeyRange.bound([topic, partition, -Infinity], [topic, partition, Infinity]);
    let cursor = await db.transaction('batches').store.openCursor(range, 'prev');
    for (let n = 0; cursor && n < SAMPLED_BATCHES; n++, cursor = await cursor.continue())
      for (const field of cursor.value.fields) fields.add(field);
  }
  return [...fields];
}

async function view(name: string, dataset: AnyDataset): Promise<Table> {
  const [first] = (await dataset.take(1)) as unknown[];
  const objects = typeof first === 'object' && first !== null && !Array.isArray(first);
  const names = objects ? Object.keys(first) : ['value'];
  return { kind: 'view', name, names, dataset, objects };
}
