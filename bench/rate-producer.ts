// The producer of suite `streaming`'s sustained rate, in a dedicated worker of its own: sends
// synthetic clicks at a steady rate into the log. It imports only what it runs (src/log), not
// src/index, whose Lit elements need a DOM that a worker does not have.
import { Producer } from '../src/log';
import { sleep, yieldToEventLoop } from '../src/shared/sleep';
import { syntheticClicks } from './suites/figure';

export interface ProduceRequest {
  readonly log: string;
  readonly topic: string;
  readonly rate: number;
  readonly seconds: number;
}

export interface ProduceReport {
  readonly sent: number;
  /** When sending started, ended (all due were sent), and the last record was appended (Date.now()). */
  readonly startedAt: number;
  readonly sentAt: number;
  readonly appendedAt: number;
  /** The most records that were due but not yet sent at a turn of the loop: the thread's lag. */
  readonly maxBehind: number;
}

export type WorkerReply =
  | { readonly type: 'produced'; readonly report: ProduceReport }
  | { readonly type: 'error'; readonly message: string };

/** Distinct events the producer cycles through. */
const EVENT_POOL = 65_536;
const PRODUCE_TICK_MS = 5;

/** Sends `rate` events a second for `seconds`, keyed by session, then flushes. */
async function produce({ log, topic, rate, seconds }: ProduceRequest): Promise<ProduceReport> {
  const events = syntheticClicks(EVENT_POOL, 1000);
  const producer = new Producer({ log, spillOnHide: false });
  const durationMs = seconds * 1000;
  let sent = 0;
  let maxBehind = 0;
  const startedAt = Date.now();
  for (;;) {
    const elapsed = Math.min(Date.now() - startedAt, durationMs);
    const due = Math.floor((rate * elapsed) / 1000);
    maxBehind = Math.max(maxBehind, due - sent);
    // At most one tick's worth of sends per turn: a thread that falls behind must still let the
    // producer's own appends (encoding, IndexedDB callbacks) run between them, or none land.
    const until = Math.min(due, sent + Math.ceil((rate * PRODUCE_TICK_MS) / 1000));
    for (; sent < until; sent++) {
      const event = events[sent % EVENT_POOL]!;
      void producer.send(topic, event, event.sessionId);
    }
    if (sent >= Math.floor((rate * durationMs) / 1000)) break;
    if (sent < due) await yieldToEventLoop();
    else await sleep(PRODUCE_TICK_MS);
  }
  const sentAt = Date.now();
  await producer.close(); // flushes
  return { sent, startedAt, sentAt, appendedAt: Date.now(), maxBehind };
}

self.onmessage = (event: MessageEvent<ProduceRequest>) => {
  produce(event.data).then(
    (report) => self.postMessage({ type: 'produced', report } satisfies WorkerReply),
    (error: unknown) =>
      self.postMessage({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerReply),
  );
};
