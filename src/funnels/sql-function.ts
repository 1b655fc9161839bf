import { defineTableFunction, TableFunctionError, type TableFunctionArg } from '../sql';
import { funnel } from './funnel';
import { parseStep } from './step-language';
import { FunnelOptionsError, planFunnel } from './steps';
import type { FunnelOptions } from './types';

/**
 * SQL's `funnel(step, step, …, [window => INTERVAL …], [by => 'tab'], [since => ms])`: one row
 * per step (see `parseStep` for a step's text); a last positional INTERVAL is the window too.
 */
defineTableFunction<FunnelOptions>('funnel', {
  columns: ['step', 'name', 'optional', 'count', 'conversion', 'from_previous', 'drop_off'],
  bind(args) {
    const options = optionsOf(args);
    try {
      planFunnel(options);
    } catch (error) {
      if (!(error instanceof FunnelOptionsError)) throw error;
      const at = error.step === null ? null : stepArgument(args, error.step);
      throw new TableFunctionError(error.message.replace(/^funnel: /, ''), at);
    }
    return options;
  },
  async run(context, options) {
    const { steps } = await funnel(context, options);
    return steps.map((s) => [
      s.step,
      s.name,
      s.optional,
      s.count,
      s.conversion,
      s.fromPrevious,
      s.dropOff,
    ]);
  },
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function optionsOf(args: readonly TableFunctionArg[]): FunnelOptions {
  const options: Mutable<FunnelOptions> = { steps: [] };
  const steps: FunnelOptions['steps'][number][] = [];
  args.forEach((arg, i) => {
    const last = i === args.length - 1;
    if (arg.name === null && arg.interval && last) options.window = arg.value as number;
    else if (arg.name === null) steps.push(stepOf(arg, i));
    else if (arg.name === 'window') options.window = windowOf(arg, i);
    else if (arg.name === 'by') options.by = byOf(arg, i);
    else if (arg.name === 'since') options.since = sinceOf(arg, i);
    else throw new TableFunctionError(`no argument named "${arg.name}" (window, by, since)`, i);
  });
  options.steps = steps;
  return options;
}

function stepOf(arg: TableFunctionArg, i: number) {
  if (typeof arg.value !== 'string')
    throw new TableFunctionError(`a step is a string ('/pricing', 'event:signup', 'a | b?')`, i);
  try {
    return parseStep(arg.value);
  } catch (error) {
    throw new TableFunctionError((error as Error).message, i);
  }
}

function windowOf(arg: TableFunctionArg, i: number): number {
  if (typeof arg.value !== 'number' || arg.value < 0)
    throw new TableFunctionError('window is an INTERVAL (or ms), 0 or more', i);
  return arg.value;
}

function byOf(arg: TableFunctionArg, i: number): 'session' | 'tab' {
  if (arg.value !== 'session' && arg.value !== 'tab')
    throw new TableFunctionError(`by is 'session' or 'tab'`, i);
  return arg.value;
}

function sinceOf(arg: TableFunctionArg, i: number): number {
  if (typeof arg.value !== 'number') throw new TableFunctionError('since is ms since the epoch', i);
  return arg.value;
}

/** The index among `args` of the n-th step (0-based). */
function stepArgument(args: readonly TableFunctionArg[], n: number): number | null {
  let seen = -1;
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.name === null && !args[i]!.interval && ++seen === n) return i;
  }
  return null;
}
