import { randomId, reportOnce } from '../shared';
// Straight from the file, not ./log's index: the script tag's part must not carry the log.
import type { LogEvent, ProducerRecord } from '../log';
import { HandOver, writeSpill } from '../log/spill-format';
import { TOPICS, type TrackedEvent } from '../tracker';

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
 * The constructor returns an object of closures over its state (`declare`d members), which the
 * minifier shortens better than a class's: every page loads this code at once.
 */
export class EventQueue {
  declare readonly send: (event: TrackedEvent) => void;
  /** Forgets the events queued (the visitor opted out before they reached the log). */
  declare readonly discard: () => void;
  /** From now on events go to `sink`, those queued first. */
  declare readonly handTo: (sink: EventSink) => void;
  /** Writes the queued events to localStorage, synchronously, and forgets them. */
  declare readonly spill: () => void;

  constructor(log: string) {
    let queued: TrackedEvent[] = [];
    let sink: EventSink | null = null;
    let spills = 0;
    const producerId = randomId();
    const handedOver = new HandOver();
    return {
      send(event) {
        if (sink) deliver(sink, event);
        else if (queued.push(event) > MAX_QUEUED) {
          queued.shift();
          reportOnce(
            'events dropped',
            `tabstream has not started, and holds ${MAX_QUEUED} events at most`,
          );
        }
      },
      discard() {
        queued = [];
      },
      handTo(to) {
        sink = to;
        for (const event of queued) deliver(to, event);
        queued = [];
      },
      spill() {
        if (queued.length === 0) return;
        const byTopic: Record<string, ProducerRecord[]> = {};
        for (const event of queued) {
          const record = {
            value: event as unknown as LogEvent,
            key: event.tabId,
            timestamp: event.ts,
          };
          (byTopic[TOPICS[event.type]] ??= []).push(record);
        }
        const unassigned = Object.entries(byTopic).map(([topic, records]) =>
          handedOver.number(topic, records),
        );
        try {
          writeSpill(localStorage, log, { producerId, batches: [], unassigned }, spills++);
          handedOver.written(unassigned);
          queued = [];
        } catch (error) {
          reportOnce('events could not be kept for the next page', error);
        }
      },
    };
  }
}

/** Sends `event` to its topic; a tab's events share a key, so they stay in order in one partition. */
function deliver(sink: EventSink, event: TrackedEvent): void {
  sink.send(TOPICS[event.type], event as unknown as LogEvent, event.tabId);
}
