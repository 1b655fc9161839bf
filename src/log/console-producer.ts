// `kafka-console-producer`: each line a record whose value is the line.
import { Producer, type ProducerConfig, type RecordMetadata } from './producer';
import { SerializationError } from './record-check';

/** `consoleProducer`'s options: Kafka's `parse.key` and `key.separator`, and the producer's. */
export interface ConsoleProducerOptions extends Omit<ProducerConfig, 'log'> {
  /** Read each line as `key` + `keySeparator` + `value` (Kafka's `parse.key`). Default false. */
  readonly parseKey?: boolean;
  /** What parts a line's key from its value (Kafka's `key.separator`). Default a tab. */
  readonly keySeparator?: string;
}

/**
 * Kafka's `kafka-console-producer` as an object: `send(line)` per line typed, `close()` at the
 * end of input.
 */
export class ConsoleProducer {
  private readonly producer: Producer;
  private readonly parseKey: boolean;
  private readonly keySeparator: string;
  private lines = 0;

  constructor(
    log: string,
    readonly topic: string,
    { parseKey = false, keySeparator = '\t', ...config }: ConsoleProducerOptions = {},
  ) {
    if (typeof keySeparator !== 'string' || keySeparator === '')
      throw new TypeError('tabstream: keySeparator must be a non-empty string');
    this.producer = new Producer({ ...config, log });
    this.parseKey = parseKey;
    this.keySeparator = keySeparator;
  }

  /**
   * Appends one record whose value is `{ value: line }` (its key the part before the separator,
   * with `parseKey`); resolves with where it landed.
   * - must take any text, the empty line included, as it is;
   * - must reject a line that is not a string (SerializationError), a `parseKey` line without
   *   the separator (naming the line, as Kafka does), too long a line (RecordTooLargeError).
   */
  send(line: string): Promise<RecordMetadata> {
    this.lines++;
    if (typeof line !== 'string') {
      return Promise.reject(
        new SerializationError(
          `tabstream: a console producer sends lines of text, not ${typeof line}`,
        ),
      );
    }
    let key: string | null = null;
    let value = line;
    if (this.parseKey) {
      const at = line.indexOf(this.keySeparator);
      if (at < 0) {
        return Promise.reject(
          new Error(`tabstream: no key separator found on line number ${this.lines}: '${line}'`),
        );
      }
      key = line.slice(0, at);
      value = line.slice(at + this.keySeparator.length);
    }
    return this.producer.send(this.topic, { value }, key);
  }

  /** Appends every line sent, then closes the producer. */
  close(): Promise<void> {
    return this.producer.close();
  }
}
