import { keyId } from './partitioner';

/**
 * Values combined by key, keys being equal as `keyId` says (a composite key by its JSON text):
 * what every combine by key builds, on both sides of a shuffle and on the driver.
 */
export class ByKey<C> {
  private readonly entries = new Map<unknown, [unknown, C]>();

  constructor(
    private readonly create: (value: unknown) => C,
    private readonly merge: (combined: C, value: unknown) => C,
  ) {}

  add(key: unknown, value: unknown): void {
    const id = keyId(key);
    const entry = this.entries.get(id);
    if (entry) entry[1] = this.merge(entry[1], value);
    else this.entries.set(id, [key, this.create(value)]);
  }

  /** The `[key, combined]` pairs, in the order their keys first came. */
  pairs(): MapIterator<[unknown, C]> {
    return this.entries.values();
  }
}
