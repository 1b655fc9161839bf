/**
 * A growing little-endian byte buffer: what chunks of format 2 are written with. Positions are
 * absolute from the chunk's first byte, so `align` aligns typed arrays within the chunk.
 */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** A whole number in [0, 2^53) as LEB128: 7 bits a byte, most bytes 1 or 2. */
  varint(value: number): void {
    this.reserve(8);
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Writes `text` as its UTF-8 byte count (a varint), then its UTF-8 bytes. */
  text(text: string): void {
    const bytes = encoder.encode(text);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  /** Pads with zeros to a multiple of `n`. */
  align(n: number): void {
    const padded = Math.ceil(this.length / n) * n;
    this.reserve(padded - this.length);
    this.length = padded;
  }

  /** The bytes written, in a buffer of their own. */
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Reads what a ByteWriter wrote; every read checks it stays within the chunk. */
export class ByteReader {
  readonly view: DataView;

  constructor(
    readonly buffer: ArrayBuffer,
    public offset: number,
  ) {
    this.view = new DataView(buffer);
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }

  varint(): number {
    let value = 0;
    for (let scale = 1; ; scale *= 0x80) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      if (scale > 2 ** 46) throw new Error('varint too long');
    }
  }

  /** The next `n` bytes, as a view into the chunk. */
  bytes(n: number): Uint8Array {
    this.need(n);
    const bytes = new Uint8Array(this.buffer, this.offset, n);
    this.offset += n;
    return bytes;
  }

  /** Reads what `ByteWriter.text` wrote. */
  text(): string {
    return decoder.decode(this.bytes(this.varint()));
  }

  align(n: number): void {
    this.offset = Math.ceil(this.offset / n) * n;
  }

  /** Throws unless every byte was read: trailing bytes mean the layout was misread. */
  end(): void {
    if (this.offset !== this.buffer.byteLength) throw new Error('trailing bytes');
  }

  private need(n: number): void {
    if (!(n >= 0) || this.offset + n > this.buffer.byteLength) throw new Error('past the end');
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
