import { ensureTopic, openLog, type LogDB } from '../../src/log';

let n = 0;

/** A fresh log with topic `topic` of `partitions` partitions. */
export async function freshLog(topic = 'clicks', partitions = 4): Promise<LogDB> {
  const db = await openLog(`unit-${process.pid}-${n++}`);
  await ensureTopic(db, { name: topic, partitions });
  return db;
}

/** localStorage's contract over a Map: what the producer spills to, in Node. */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}
