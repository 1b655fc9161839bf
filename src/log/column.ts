// The column types of a record batch: how one field of every record is held.

/**
 * A value one field of an event may hold. (From plain JS anything else goes too, and reads
 * back as its JSON would: objects and arrays as copies, NaN and Infinity among other types as
 * null, a bigint as its decimal string.)
 */
export type FieldValue = string | number | boolean | null;

/** An event as producers send it: a flat record of named fields. */
export type LogEvent = Readonly<Record<string, FieldValue>>;

/**
 * Strings, dictionary-encoded: `ids[i]` is 0 for null, else the index in `dictionary` plus one,
 * so a reader can count by value without decoding a string per record.
 */
export interface StringColumn {
  readonly type: 'string';
  readonly dictionary: readonly string[];
  readonly ids: Uint8Array | Uint16Array | Uint32Array;
}

/** Numbers as float64; `nulls[i]` is 1 where the record's value is null. */
export interface NumberColumn {
  readonly type: 'number';
  readonly values: Float64Array;
  readonly nulls: Uint8Array | null;
}

/** Anything else (strings and numbers mixed in one field), as is. */
export interface MixedColumn {
  readonly type: 'mixed';
  readonly values: readonly FieldValue[];
}

/** One field of every record in a batch, stored column-wise. */
export type Column = StringColumn | NumberColumn | MixedColumn;
