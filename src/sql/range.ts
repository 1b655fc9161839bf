import { defineTableFunction, TableFunctionError, type TableFunctionArg } from './table-functions';

/** Rows a `range(…)` may make: they are made on the page, before the query runs. */
const MAX_ROWS = 10_000_000;

interface RangeArgs {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/**
 * Spark's `range(end)`, `range(start, end)` and `range(start, end, step)`: one column `id`, from
 * `start` (0) up to `end` excluded, by `step` (1; negative counts down).
 */
defineTableFunction<RangeArgs>('range', {
  columns: ['id'],
  bind(args) {
    if (args.length < 1 || args.length > 3)
      throw new TableFunctionError(`takes 1 to 3 arguments (end; start, end; start, end, step)`);
    const [a, b, c] = args.map(whole);
    const [start, end, step] = b === undefined ? [0, a!, 1] : [a!, b, c ?? 1];
    if (step === 0) throw new TableFunctionError('the step must not be 0', 2);
    if (Math.max(0, Math.ceil((end - start) / step)) > MAX_ROWS)
      throw new TableFunctionError(`makes more than ${MAX_ROWS} rows`);
    return { start, end, step };
  },
  run(_context, { start, end, step }) {
    const rows: unknown[][] = [];
    for (let id = start; step > 0 ? id < end : id > end; id += step) rows.push([id]);
    return Promise.resolve(rows);
  },
});

function whole(arg: TableFunctionArg, index: number): number {
  if (arg.name !== null) throw new TableFunctionError('takes no named arguments', index);
  if (typeof arg.value !== 'number' || !Number.isSafeInteger(arg.value))
    throw new TableFunctionError('takes whole numbers', index);
  return arg.value;
}
