// Spark's JavaWordCount: the words of a text file, counted on the executors.
import type { EngineContext } from '../engine';

/**
 * Spark's `bin/run-example JavaWordCount <file>` over a same-origin URL: lines split on spaces,
 * `(word, 1)` pairs, `reduceByKey`; prints `word: count` per word and resolves with the pairs.
 * - must throw naming its usage when `url` is not a string.
 */
export async function wordCount(
  context: EngineContext,
  url: unknown,
): Promise<[word: string, count: number][]> {
  if (typeof url !== 'string')
    throw new TypeError('tabstream: usage: WordCount <url of a text file>');
  const counts = await context
    .textFile(url)
    .flatMap((line: string) => line.split(' '))
    .map((word: string): [string, number] => [word, 1])
    .reduceByKey((a: number, b: number) => a + b)
    .collect();
  for (const [word, count] of counts) console.log(`${word}: ${count}`);
  return counts;
}
