// `kafka-console-consumer`: prints each record of a topic, one line each, until stopped.
import { Consumer } from './consumer';
import type { ConsumerRecord } from './partition-cursor';

/** `consoleConsumer`'s options, as `kafka-console-consumer`'s flags and properties. */
export interface ConsoleConsumerOptions {
  /** Start where the log starts, not at its end, if the group committed nothing (`--from-beginning`). */
  readonly fromBeginning?: boolean;
  /** The consumer group (`--group`); default a fresh `console-consumer-<n>` that commits nothing. */
  readonly group?: string;
  /** Stop after this many records (`--max-messages`). Default: none. */
  readonly maxMessages?: number;
  /** `print.timestamp`, `print.partition`, `print.offset`, `print.key`: fields before the value. */
  readonly printTimestamp?: boolean;
  readonly printPartition?: boolean;
  readonly printOffset?: boolean;
  readonly printKey?: boolean;
}

/** How long one poll waits for records: what `stop()` may wait for the last one to end. */
const POLL_MS = 250;
const MAX_POLL_RECORDS = 500;

/**
 * Kafka's `kafka-console-consumer` as an object: it prints each record's value with one
 * `console.log`, polling for new records until `stop()` or `maxMessages`.
 */
export class ConsoleConsumer {
  /** The consumer group it reads as. */
  readonly group: string;
  /** Resolves once it has joined its group and taken its positions: records appended later are printed. */
  readonly ready: Promise<void>;
  /**
   * Resolves with the number of records printed once it stops (`maxMessages` reached, or
   * `stop()`), after printing `Processed a total of N messages`; rejects if it fails.
   */
  readonly done: Promise<number>;
  private stopping = false;
  private processed = 0;
  private readonly consumer: Consumer;
  private readonly maxMessages: number;

  constructor(
    log: string,
    readonly topic: string,
    private readonly options: ConsoleConsumerOptions = {},
  ) {
    const { maxMessages = Infinity, group } = options;
    if (maxMessages !== Infinity && !(Number.isInteger(maxMessages) && maxMessages >= 1))
      throw new RangeError(`tabstream: maxMessages ${maxMessages}: a whole number ≥ 1`);
    if (group !== undefined && (typeof group !== 'string' || group === ''))
      throw new TypeError('tabstream: group must be a non-empty string');
    this.maxMessages = maxMessages;
    this.group = group ?? freshGroup();
    this.consumer = new Consumer({
      log,
      groupId: this.group,
      autoOffsetReset: options.fromBeginning ? 'earliest' : 'latest',
      // Kafka's console consumer commits nothing for the group it makes up.
      enableAutoCommit: group !== undefined,
    });
    let positioned!: () => void;
    const ready = new Promise<void>((resolve) => (positioned = resolve));
    this.done = this.run(positioned);
    // Settled by `done` too, if it stops (or fails) before taking its positions.
    this.ready = Promise.race([ready, this.done.then(() => {})]);
    this.ready.catch(() => {}); // reported below
    this.done.catch((error: unknown) =>
      console.error(`tabstream: the console consumer of ${topic} stopped:`, error),
    );
  }

  /** Stops polling; resolves with the number of records printed (see `done`). */
  stop(): Promise<number> {
    this.stopping = true;
    return this.done;
  }

  private async run(positioned: () => void): Promise<number> {
    try {
      await this.consumer.subscribe(this.topic);
      for (const tp of this.consumer.assignment()) await this.consumer.position(tp);
      positioned();
      while (!this.stopping && this.processed < this.maxMessages) {
        const records = await this.consumer.poll({
          maxRecords: Math.min(MAX_POLL_RECORDS, this.maxMessages - this.processed),
          timeoutMs: POLL_MS,
        });
        // Printed even if stopped meanwhile: the group's positions are past them.
        for (const record of records) console.log(this.format(record));
        this.processed += records.length;
      }
    } finally {
      await this.consumer.close();
    }
    console.log(`Processed a total of ${this.processed} messages`);
    return this.processed;
  }

  /** A record as Kafka's DefaultMessageFormatter writes it: the fields asked for, tab-separated. */
  private format(record: ConsumerRecord): string {
    const { printTimestamp, printPartition, printOffset, printKey } = this.options;
    const fields = [
      ...(printTimestamp ? [`CreateTime:${record.timestamp}`] : []),
      ...(printPartition ? [`Partition:${record.partition}`] : []),
      ...(printOffset ? [`Offset:${record.offset}`] : []),
      ...(printKey ? [String(record.key)] : []),
      valueText(record.value),
    ];
    return fields.join('\t');
  }
}

/** A console producer's record is its line; any other record (a click, say) prints as JSON. */
function valueText(value: ConsumerRecord['value']): string {
  const keys = Object.keys(value);
  const line = value['value'];
  return keys.length === 1 && typeof line === 'string' ? line : JSON.stringify(value);
}

/** Kafka's console consumer makes up `console-consumer-<random number below 100000>`. */
function freshGroup(): string {
  return `console-consumer-${crypto.getRandomValues(new Uint32Array(1))[0]! % 100000}`;
}
