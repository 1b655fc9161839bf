import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/sql/functions';
import { compileScalar, SqlRuntimeError } from '../../src/sql/scalar';
import { call, col, fn, lit, local } from './sql-runtime-helpers';

// Expected values are the examples of Spark's SQL function reference unless said otherwise.

describe('FUNCTIONS', () => {
  it('names every function with its arity', () => {
    expect(FUNCTIONS.get('substr')).toMatchObject({ min: 2, max: 3 });
    expect(FUNCTIONS.get('coalesce')!.max).toBe(Infinity);
    expect(FUNCTIONS.has('no_such_function')).toBe(false);
  });

  it('refuses wrong arities and unknown names when compiling', () => {
    expect(() => compileScalar(call('lower'))).toThrow(/WRONG_NUM_ARGS/);
    expect(() => compileScalar(call('nope', lit(1)))).toThrow(/UNRESOLVED_ROUTINE/);
  });
});

describe('string functions', () => {
  it('concat and concat_ws', () => {
    expect(fn('concat', 'Spark', 'SQL')).toBe('SparkSQL');
    expect(fn('concat', 'Spark', null)).toBeNull();
    expect(fn('concat_ws', ' ', 'Spark', 'SQL')).toBe('Spark SQL');
    expect(fn('concat_ws', 's')).toBe('');
    expect(fn('concat_ws', '/', 'a', null, 'b')).toBe('a/b');
    expect(fn('concat_ws', null, 'a')).toBeNull();
  });

  it('lower, upper, length in characters', () => {
    expect(fn('lower', 'SparkSql')).toBe('sparksql');
    expect(fn('upper', 'SparkSql')).toBe('SPARKSQL');
    expect(fn('length', 'Spark SQL ')).toBe(10);
    expect(fn('length', '😀a')).toBe(2);
    expect(fn('length', null)).toBeNull();
  });

  it('substr: 1-based, 0 as 1, negative from the end', () => {
    expect(fn('substr', 'Spark SQL', 5)).toBe('k SQL');
    expect(fn('substr', 'Spark SQL', -3)).toBe('SQL');
    expect(fn('substr', 'Spark SQL', 5, 1)).toBe('k');
    expect(fn('substring', 'Spark SQL', 0, 2)).toBe('Sp');
    expect(fn('substr', 'abc', -5, 3)).toBe('a');
    expect(fn('substr', 'abc', 2, -1)).toBe('');
    expect(fn('substr', 'a😀b', 2, 1)).toBe('😀');
    expect(fn('left', 'Spark SQL', 3)).toBe('Spa');
    expect(fn('right', 'Spark SQL', 3)).toBe('SQL');
    expect(fn('left', 'Spark', 0)).toBe('');
  });

  it('split_part: negative from the end, out of range empty, 0 refused', () => {
    expect(fn('split_part', '11.12.13', '.', 3)).toBe('13');
    expect(fn('split_part', '11.12.13', '.', -1)).toBe('13');
    expect(fn('split_part', '11.12.13', '.', 4)).toBe('');
    expect(fn('split_part', '11.12.13', '', 1)).toBe('11.12.13');
    expect(() => fn('split_part', '11.12.13', '.', 0)).toThrow(/INVALID_INDEX_OF_ZERO/);
  });

  it('regexp_extract and regexp_replace with Java regexes', () => {
    expect(fn('regexp_extract', '100-200', '(\\d+)-(\\d+)', 1)).toBe('100');
    expect(fn('regexp_extract', '100-200', '(\\d+)-(\\d+)', 2)).toBe('200');
    expect(fn('regexp_extract', '100-200', '(\\d+)-(\\d+)')).toBe('100');
    expect(fn('regexp_extract', '100-200', '(\\d+)-(\\d+)', 0)).toBe('100-200');
    expect(fn('regexp_extract', 'foo', '(\\d+)', 1)).toBe('');
    expect(fn('regexp_extract', 'ab', '(a)|(b)', 2)).toBe('');
    expect(fn('regexp_extract', 'ABC', '(?i)b', 0)).toBe('B');
    expect(() => fn('regexp_extract', '1', '(\\d)', 2)).toThrow(/REGEX_GROUP_INDEX/);
    expect(fn('regexp_replace', '100-200', '(\\d+)', 'num')).toBe('num-num');
    expect(fn('regexp_replace', '100-200', '(\\d+)-(\\d+)', '$2-$1')).toBe('200-100');
    expect(fn('regexp_replace', 'a.b', '\\Q.\\E', '\\$')).toBe('a$b');
    expect(() => fn('regexp_extract', 'a', 'a++', 0)).toThrow(SqlRuntimeError);
  });

  it('split by a regex, with a limit', () => {
    expect(fn('split', 'oneAtwoBthreeC', '[ABC]')).toEqual(['one', 'two', 'three', '']);
    expect(fn('split', 'oneAtwoBthreeC', '[ABC]', -1)).toEqual(['one', 'two', 'three', '']);
    expect(fn('split', 'oneAtwoBthreeC', '[ABC]', 2)).toEqual(['one', 'twoBthreeC']);
    expect(fn('split', 'abc', '')).toEqual(['a', 'b', 'c']);
  });

  it('compiles a literal pattern once, and a pattern from the row as it changes', () => {
    const f = compileScalar(call('regexp_extract', col(0), col(1), lit(0)));
    expect(f(['a1', '\\d'])).toBe('1');
    expect(f(['a1', '[a-z]'])).toBe('a');
  });

  it('starts_with, ends_with, contains, instr, locate', () => {
    expect(fn('starts_with', 'Spark SQL', 'Spark')).toBe(true);
    expect(fn('startswith', 'Spark SQL', 'SQL')).toBe(false);
    expect(fn('ends_with', 'Spark SQL', 'SQL')).toBe(true);
    expect(fn('endswith', 'Spark SQL', null)).toBeNull();
    expect(fn('contains', 'Spark SQL', 'k S')).toBe(true);
    expect(fn('instr', 'SparkSQL', 'SQL')).toBe(6);
    expect(fn('instr', 'SparkSQL', 'x')).toBe(0);
    expect(fn('locate', 'bar', 'foobarbar')).toBe(4);
    expect(fn('locate', 'bar', 'foobarbar', 5)).toBe(7);
  });

  it('trim family, replace, pads, reverse', () => {
    expect(fn('trim', '    SparkSQL   ')).toBe('SparkSQL');
    expect(fn('ltrim', '    SparkSQL   ')).toBe('SparkSQL   ');
    expect(fn('rtrim', '    SparkSQL   ')).toBe('    SparkSQL');
    expect(fn('trim', '\tx\t')).toBe('\tx\t');
    expect(fn('btrim', 'SSparkSQLS', 'SL')).toBe('parkSQ');
    expect(fn('replace', 'ABCabc', 'abc', 'DEF')).toBe('ABCDEF');
    expect(fn('replace', 'ABCabc', 'abc')).toBe('ABC');
    expect(fn('lpad', 'hi', 5, '??')).toBe('???hi');
    expect(fn('lpad', 'hi', 1, '??')).toBe('h');
    expect(fn('lpad', 'hi', 5)).toBe('   hi');
    expect(fn('rpad', 'hi', 5, '??')).toBe('hi???');
    expect(fn('rpad', 'hi', 1, '??')).toBe('h');
    expect(fn('reverse', 'Spark SQL')).toBe('LQS krapS');
  });
});

describe('math functions', () => {
  it('round is HALF_UP on the decimal form', () => {
    expect(fn('round', 2.5, 0)).toBe(3);
    expect(fn('round', -2.5)).toBe(-3);
    expect(fn('round', 2.675, 2)).toBe(2.68);
    expect(fn('round', 1.005, 2)).toBe(1.01);
    expect(fn('round', 1234, -2)).toBe(1200);
    expect(fn('round', -0.4)).toBe(0);
    expect(Object.is(fn('round', -0.4), -0)).toBe(false);
    expect(fn('round', 1e-7, 7)).toBe(1e-7);
  });

  it('abs, floor, ceil, sqrt, pow, exp, sign', () => {
    expect(fn('abs', -1)).toBe(1);
    expect(fn('floor', -0.1)).toBe(-1);
    expect(fn('ceil', -0.1) === 0).toBe(true);
    expect(fn('ceiling', 5.1)).toBe(6);
    expect(fn('sqrt', 4)).toBe(2);
    expect(fn('sqrt', -1)).toBeNaN();
    expect(fn('pow', 2, 3)).toBe(8);
    expect(fn('power', 2, null)).toBeNull();
    expect(fn('exp', 0)).toBe(1);
    expect(fn('try_divide', 1, 0)).toBeNull();
    expect(fn('try_divide', 3, 2)).toBe(1.5);
    expect(fn('sign', -40)).toBe(-1);
  });

  it('logarithms are null at and below zero', () => {
    expect(fn('ln', 1)).toBe(0);
    expect(fn('log10', 10)).toBe(1);
    expect(fn('log2', 2)).toBe(1);
    expect(fn('log', 10, 100)).toBe(2);
    expect(fn('ln', 0)).toBeNull();
    expect(fn('log10', -1)).toBeNull();
  });

  it('greatest and least skip nulls', () => {
    expect(fn('greatest', 10, 9, 2, 4, 3)).toBe(10);
    expect(fn('least', 10, 9, 2, 4, 3)).toBe(2);
    expect(fn('greatest', null, 1, null)).toBe(1);
    expect(fn('least', null, null)).toBeNull();
    expect(fn('greatest', 'a', 'b')).toBe('b');
  });
});

describe('conditional functions', () => {
  it('coalesce, nullif, ifnull/nvl, nvl2, if', () => {
    expect(fn('coalesce', null, 1, null)).toBe(1);
    expect(fn('coalesce', null, null)).toBeNull();
    expect(fn('nullif', 2, 2)).toBeNull();
    expect(fn('nullif', 2, 3)).toBe(2);
    expect(fn('ifnull', null, 'a')).toBe('a');
    expect(fn('nvl', 'b', 'a')).toBe('b');
    expect(fn('nvl2', null, 2, 1)).toBe(1);
    expect(fn('nvl2', 0, 2, 1)).toBe(2);
    expect(fn('if', true, 1, 2)).toBe(1);
    expect(fn('if', null, 1, 2)).toBe(2);
  });

  it('coalesce does not evaluate after the first non-null', () => {
    expect(compileScalar(call('coalesce', lit(1), call('div', lit(1), lit(0))))([])).toBe(1);
  });
});

describe('time functions (local time zone)', () => {
  const t = local(2015, 3, 5, 9, 32, 5, 359);

  it('date_trunc by unit and alias; unknown unit is null', () => {
    expect(fn('date_trunc', 'YEAR', t)).toBe(local(2015, 1, 1));
    expect(fn('date_trunc', 'yyyy', t)).toBe(local(2015, 1, 1));
    expect(fn('date_trunc', 'quarter', t)).toBe(local(2015, 1, 1));
    expect(fn('date_trunc', 'MM', t)).toBe(local(2015, 3, 1));
    expect(fn('date_trunc', 'week', t)).toBe(local(2015, 3, 2));
    expect(fn('date_trunc', 'DD', t)).toBe(local(2015, 3, 5));
    expect(fn('date_trunc', 'HOUR', t)).toBe(local(2015, 3, 5, 9));
    expect(fn('date_trunc', 'minute', t)).toBe(local(2015, 3, 5, 9, 32));
    expect(fn('date_trunc', 'second', t)).toBe(local(2015, 3, 5, 9, 32, 5));
    expect(fn('date_trunc', 'MILLISECOND', t)).toBe(t);
    expect(fn('date_trunc', 'fortnight', t)).toBeNull();
    expect(fn('date_trunc', 'day', null)).toBeNull();
  });

  it('fields of a timestamp', () => {
    expect(fn('year', t)).toBe(2015);
    expect(fn('quarter', local(2016, 8, 31))).toBe(3);
    expect(fn('month', t)).toBe(3);
    expect(fn('day', t)).toBe(5);
    expect(fn('dayofmonth', t)).toBe(5);
    expect(fn('dayofweek', local(2009, 7, 30))).toBe(5);
    expect(fn('dayofweek', '2009-07-30')).toBe(5);
    expect(() => fn('dayofweek', 'Thursday')).toThrow(/CAST_INVALID_INPUT/);
    expect(fn('dayofyear', local(2016, 4, 9))).toBe(100);
    expect(fn('weekofyear', local(2008, 2, 20))).toBe(8);
    expect(fn('weekofyear', local(2021, 1, 1))).toBe(53);
    expect(fn('hour', t)).toBe(9);
    expect(fn('minute', t)).toBe(32);
    expect(fn('second', t)).toBe(5);
  });

  it('extract by field name; seconds keep their fraction', () => {
    expect(fn('extract', 'YEAR', t)).toBe(2015);
    expect(fn('extract', 'dow', local(2009, 7, 30))).toBe(5);
    expect(fn('extract', 'doy', local(2016, 4, 9))).toBe(100);
    expect(fn('extract', 'week', local(2008, 2, 20))).toBe(8);
    expect(fn('extract', 'quarter', t)).toBe(1);
    expect(fn('extract', 'second', t)).toBe(5.359);
    expect(() => fn('extract', 'eon', t)).toThrow(/INVALID_EXTRACT_FIELD/);
  });

  it('to_timestamp: ISO-ish by default, with a pattern, ANSI errors', () => {
    expect(fn('to_timestamp', '2016-12-31 00:12:00')).toBe(local(2016, 12, 31, 0, 12));
    expect(fn('to_timestamp', '2016-12-31', 'yyyy-MM-dd')).toBe(local(2016, 12, 31));
    expect(fn('to_timestamp', '31/12/2016 10:05:01.250', 'dd/MM/yyyy HH:mm:ss.SSS')).toBe(
      local(2016, 12, 31, 10, 5, 1, 250),
    );
    expect(fn('to_timestamp', 'Dec 5, 2016 3:04 PM', 'MMM d, yyyy h:mm a')).toBe(
      local(2016, 12, 5, 15, 4),
    );
    expect(() => fn('to_timestamp', 'nope')).toThrow(/CAST_INVALID_INPUT/);
    expect(() => fn('to_timestamp', '2016-13-01', 'yyyy-MM-dd')).toThrow(/CANNOT_PARSE_TIMESTAMP/);
    expect(fn('try_to_timestamp', 'nope')).toBeNull();
    expect(fn('to_date', '2009-07-30 04:17:52')).toBe(local(2009, 7, 30));
  });

  it('unix seconds and millis', () => {
    expect(fn('from_unixtime', 0, 'yyyy-MM-dd HH:mm:ss')).toBe(
      fn('date_format', 0, 'yyyy-MM-dd HH:mm:ss'),
    );
    expect(fn('from_unixtime', local(2016, 4, 8) / 1000)).toBe('2016-04-08 00:00:00');
    expect(fn('unix_timestamp', '2016-04-08', 'yyyy-MM-dd')).toBe(local(2016, 4, 8) / 1000);
    expect(fn('unix_timestamp', local(2016, 4, 8, 0, 0, 1, 500))).toBe(
      local(2016, 4, 8) / 1000 + 1,
    );
    expect(fn('timestamp_millis', 1230219000123)).toBe(1230219000123);
    expect(fn('unix_millis', 1230219000123)).toBe(1230219000123);
  });

  it('date_format with common patterns', () => {
    const d = local(2016, 4, 8, 13, 5, 9, 7);
    expect(fn('date_format', d, 'y')).toBe('2016');
    expect(fn('date_format', d, 'yyyy-MM-dd HH:mm:ss.SSS')).toBe('2016-04-08 13:05:09.007');
    expect(fn('date_format', d, "EEEE, MMMM d 'at' h a")).toBe('Friday, April 8 at 1 PM');
    expect(fn('date_format', d, 'EEE MMM yy')).toBe('Fri Apr 16');
    expect(() => fn('date_format', d, 'QQ')).toThrow(/INVALID_DATETIME_PATTERN/);
  });

  it('now and current_timestamp are one time for the whole expression', () => {
    const f = compileScalar(call('now'));
    const first = f([]);
    expect(typeof first).toBe('number');
    expect(f([])).toBe(first);
  });
});
