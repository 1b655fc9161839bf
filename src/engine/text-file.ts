const NEWLINE = 0x0a;
const READ_SIZE = 1 << 20;

/**
 * Reads the lines of a file split `[start, end)`, as Hadoop's line reader does, so that splits
 * read every line once: a split reads the lines that start in `(start, end]` (`[0, end]` for
 * the first), reading on past its end to finish the last; the line holding byte `start` belongs
 * to the split before. Lines lose their `\n` (and `\r\n`).
 */
export async function* readLines(blob: Blob, start: number, end: number): AsyncGenerator<string[]> {
  if (end <= start) return; // an empty split (more partitions than bytes) reads nothing
  const decoder = new TextDecoder();
  let position = start === 0 ? 0 : await lineStartAfter(blob, start);
  let carry = new Uint8Array(0);
  while (position < blob.size) {
    const bytes = concat(carry, await read(blob, position, position + READ_SIZE));
    const lines: string[] = [];
    let lineStart = 0;
    let newline = bytes.indexOf(NEWLINE);
    while (newline !== -1 && position - carry.length + lineStart <= end) {
      lines.push(trimCr(decoder.decode(bytes.subarray(lineStart, newline))));
      lineStart = newline + 1;
      newline = bytes.indexOf(NEWLINE, lineStart);
    }
    const absolute = position - carry.length + lineStart;
    position += bytes.length - carry.length;
    carry = bytes.slice(lineStart);
    if (lines.length) yield lines;
    if (absolute > end) return;
  }
  if (carry.length) yield [trimCr(decoder.decode(carry))];
}

/** The position after the first newline at or after `from`, or the end of the file. */
async function lineStartAfter(blob: Blob, from: number): Promise<number> {
  for (let position = from; position < blob.size; position += READ_SIZE) {
    const bytes = await read(blob, position, position + READ_SIZE);
    const newline = bytes.indexOf(NEWLINE);
    if (newline !== -1) return position + newline + 1;
  }
  return blob.size;
}

async function read(blob: Blob, from: number, until: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(from, until).arrayBuffer());
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const trimCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** Splits a file of `size` bytes into `n` byte ranges of about equal size. */
export function fileSplits(size: number, n: number): [number, number][] {
  return Array.from({ length: n }, (_, i) => [
    Math.floor((i * size) / n),
    Math.floor(((i + 1) * size) / n),
  ]);
}
