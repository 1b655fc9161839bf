/**
 * CRC-32 (IEEE 802.3, as zlib and Kafka's v0/v1 record batches), slicing by 8 bytes a step: it
 * runs on every chunk appended and read, so it is worth its 8 KiB of tables.
 */
const TABLES = makeTables();

/** The CRC-32 of `bytes`; `crc32(new TextEncoder().encode('123456789'))` is 0xcbf43926. */
export function crc32(bytes: Uint8Array): number {
  const t = TABLES;
  let crc = ~0;
  let i = 0;
  // Byte by byte up to a 4-byte boundary, then 8 bytes a step read as two little-endian words.
  for (; i < bytes.length && (bytes.byteOffset + i) & 3; i++) {
    crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  }
  const words = new Uint32Array(
    bytes.buffer,
    bytes.byteOffset + i,
    ((bytes.length - i) >>> 3) << 1,
  );
  for (let w = 0; w < words.length; w += 2) {
    const a = words[w]! ^ crc;
    const b = words[w + 1]!;
    crc =
      t[0x700 + (a & 0xff)]! ^
      t[0x600 + ((a >>> 8) & 0xff)]! ^
      t[0x500 + ((a >>> 16) & 0xff)]! ^
      t[0x400 + (a >>> 24)]! ^
      t[0x300 + (b & 0xff)]! ^
      t[0x200 + ((b >>> 8) & 0xff)]! ^
      t[0x100 + ((b >>> 16) & 0xff)]! ^
      t[b >>> 24]!;
  }
  for (i += words.length << 2; i < bytes.length; i++) {
    crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}

/** Table k (at k × 256) gives the CRC of a byte followed by k zero bytes. */
function makeTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++)
      t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  }
  return t;
}
