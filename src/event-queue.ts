import { reportOnce } from './diagnostics';
// Straight from the file, not ./log's index: the script tag's part must not carry the log.
import type { LogEvent } from './log';
import { HandOver, writeSpill } from './log/spill-format';
import { randomId } from './random-id';
import type { TrackedEvent } from './tracker';

/** The topic of each type of event. */
export const TOPICS = { click: 'clicks', pageview: 'pageviews', custom: 'events' } as const;

/** Where events go once the pipeline has started. */
export interface EventSink {
  send(topic: string, event: LogEvent, key: string): void;
}

/** Events kept in memory while the pipeline loads: beyond this many, the oldest are dropped. */
const MAX_QUEUED = 10000;

/**
 * The tracker's events on their way to the log: held in memory until the pipeline starts (in
 * idle time), then handed to it, each once, in order; handed to localStorage instead if the
 * page goes first, as a producer's spill, so the next page of the site appends them.
 */
export class EventQueue {
  #queued: { topic: string; event: TrackedEvent }[] = [];
  #sink: EventSink | null = null;
  readonly #producerId = randomId();
  readonly #handedOver = new HandOver();
  #spills = 0;

  constructor(private readonly log: string) {}

  send(event: TrackedEvent): void {
    const topic = TOPICS[event.type];
    // A tab's events share a key, so they stay in order in one partition.
    if (this.#sink) this.#sink.send(topic, event as unknown as LogEvent, event.tabId);
    else if (this.#queued.push({ topic, event }) > MAX_QUEUED) {
      this.#queued.shift();
      reportOnce(
        'events dropped',
        `tabstream has not started, and holds ${MAX_QUEUED} events at most`,
      );
    }
  }

  /** Forgets the events queued (the visitor opted out before they reached the log). */
  discard(): void {
    this.#queued = [];
  }

  /** From now on events go to `sink`, those queued first. */
  handTo(sink: EventSink): void {
    this.#sink = sink;
    for (const { topic, event } of this.#queued)
      sink.send(topic, event as unknown as LogEvent, event.tabId);
    this.#queued = [];
  }

  /** Writes the queued events to localStorage, synchronously, and forgets them. */
  spill(): void {
    if (this.#queued.length === 0) return;
    const byTopic = new Map<string, TrackedEvent[]>();
    for (const { topic, event } of this.#queued) {
      const events = byTopic.get(topic);
      if (events) events.push(event);
      else byTopic.set(topic, [event]);
    }
    const unassigned = [...byTopic].map(([topic, events]) =>
      this.#handedOver.number(
        topic,
        events.map((event) => ({
          value: event as unknown as LogEvent,
          key: event.tabId,
          timestamp: event.ts,
        })),
      ),
    );
    try {
      writeSpill(
        localStorage,
        this.log,
        { producerId: this.#producerId, batches: [], unassigned },
        this.#spills++,
      );
      this.#handedOver.written(unassigned);
      this.#queued = [];
    } catch (error) {
      reportOnce('events could not be kept for the next page', error);
    }
  }
}
