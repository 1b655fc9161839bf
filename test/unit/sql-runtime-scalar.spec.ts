import { describe, expect, it } from 'vitest';
import type { Bound } from '../../src/sql/bound';
import { compileScalar, isTrue, SqlRuntimeError } from '../../src/sql/scalar';
import { call, col, evaluate, lit } from './sql-runtime-helpers';

const op = (name: string, a: unknown, b?: unknown): unknown =>
  evaluate(b === undefined ? call(name, lit(a)) : call(name, lit(a), lit(b)));

describe('compileScalar: columns, literals, fields', () => {
  it('reads slots, literals and struct fields', () => {
    expect(evaluate(col(1), ['a', 'b'])).toBe('b');
    expect(evaluate(col(5), ['a'])).toBeNull();
    expect(evaluate(lit(3))).toBe(3);
    const window = { start: 1000, end: 2000 };
    expect(evaluate(['field', col(0), 'end'], [window])).toBe(2000);
    expect(evaluate(['field', col(0), 'missing'], [window])).toBeNull();
    expect(evaluate(['field', col(0), 'toString'], [window])).toBeNull();
    expect(evaluate(['field', col(0), 'end'], [null])).toBeNull();
  });
});

describe('arithmetic as Spark (ANSI)', () => {
  it('adds, subtracts, multiplies; null in, null out', () => {
    expect(op('add', 2, 3)).toBe(5);
    expect(op('sub', 2, 3)).toBe(-1);
    expect(op('mul', 2, 3)).toBe(6);
    expect(op('add', null, 3)).toBeNull();
    expect(op('mul', 2, null)).toBeNull();
    expect(op('neg', 4)).toBe(-4);
    expect(op('neg', null)).toBeNull();
  });

  it('/ always gives a double, div truncates, % has the dividend sign', () => {
    expect(op('div', 5, 2)).toBe(2.5);
    expect(op('intdiv', 5, 2)).toBe(2);
    expect(op('intdiv', -5, 2)).toBe(-2);
    expect(op('mod', 5, 3)).toBe(2);
    expect(op('mod', -5, 3)).toBe(-2);
    expect(op('mod', 5, -3)).toBe(2);
  });

  it('refuses a zero divisor with DIVIDE_BY_ZERO, null divisor is null', () => {
    for (const name of ['div', 'intdiv', 'mod']) {
      expect(() => op(name, 1, 0)).toThrow(SqlRuntimeError);
      expect(() => op(name, 1, 0)).toThrow(/^\[DIVIDE_BY_ZERO\]/);
    }
    expect(op('div', 1, null)).toBeNull();
    expect(op('div', null, 0)).toBeNull();
  });

  it('casts numeric strings, refuses malformed ones', () => {
    expect(op('add', '1.5', 1)).toBe(2.5);
    expect(() => op('add', 'abc', 1)).toThrow(/^\[CAST_INVALID_INPUT\]/);
  });

  it('concatenates, null if either is null', () => {
    expect(op('concat', 'a', 1)).toBe('a1');
    expect(op('concat', 'a', null)).toBeNull();
  });
});

describe('comparisons and three-valued logic', () => {
  it('compare with null gives null; <=> is null-safe', () => {
    expect(op('eq', 1, 1)).toBe(true);
    expect(op('lt', 1, 2)).toBe(true);
    expect(op('ge', 'b', 'a')).toBe(true);
    expect(op('ne', 1, 1)).toBe(false);
    expect(op('eq', null, 1)).toBeNull();
    expect(op('lt', 1, null)).toBeNull();
    expect(evaluate(call('eqns', lit(null), lit(null)))).toBe(true);
    expect(evaluate(call('eqns', lit(1), lit(null)))).toBe(false);
    expect(evaluate(call('eqns', lit(1), lit(1)))).toBe(true);
  });

  it('= compares structs by fields and numbers with numeric strings', () => {
    expect(op('eq', { start: 1, end: 2 }, { start: 1, end: 2 })).toBe(true);
    expect(op('ne', { start: 1, end: 2 }, { start: 1, end: 3 })).toBe(true);
    expect(op('eq', 1, '1')).toBe(true);
    expect(op('eq', true, 'true')).toBe(true);
    expect(op('eq', 'false', true)).toBe(false);
    expect(() => op('eq', 1, 'one')).toThrow(/CAST_INVALID_INPUT/);
    expect(op('eq', 'a', 'b')).toBe(false);
    expect(op('ne', 'a', 'a')).toBe(false);
    expect(op('eq', false, false)).toBe(true);
  });

  it('NaN equals NaN and is above every number, as Spark', () => {
    expect(op('eq', NaN, NaN)).toBe(true);
    expect(op('ne', NaN, NaN)).toBe(false);
    expect(op('eq', NaN, 1)).toBe(false);
    expect(op('eq', 1, NaN)).toBe(false);
    expect(op('gt', NaN, Infinity)).toBe(true);
  });

  it('and/or/not with null as Spark', () => {
    const table: [unknown, unknown, unknown, unknown][] = [
      // a, b, a AND b, a OR b
      [true, true, true, true],
      [true, false, false, true],
      [true, null, null, true],
      [false, null, false, null],
      [null, false, false, null],
      [null, true, null, true],
      [null, null, null, null],
      [false, false, false, false],
    ];
    for (const [a, b, and, or] of table) {
      expect(op('and', a, b), `${String(a)} and ${String(b)}`).toBe(and);
      expect(op('or', a, b), `${String(a)} or ${String(b)}`).toBe(or);
    }
    expect(op('not', true)).toBe(false);
    expect(op('not', null)).toBeNull();
    expect(op('isnull', null)).toBe(true);
    expect(op('isnotnull', null)).toBe(false);
  });

  it('does not evaluate the right side after a deciding left side', () => {
    const failing = call('div', lit(1), lit(0));
    expect(evaluate(call('and', lit(false), failing))).toBe(false);
    expect(evaluate(call('or', lit(true), failing))).toBe(true);
    expect(() => evaluate(call('and', lit(true), failing))).toThrow(/DIVIDE_BY_ZERO/);
  });

  it('isTrue keeps only true', () => {
    expect([true, false, null, 1, 'true'].map(isTrue)).toEqual([true, false, false, false, false]);
  });
});

describe('CASE and IN', () => {
  it('CASE takes the first true branch; null conditions are not true', () => {
    const expr: Bound = [
      'case',
      [
        [call('gt', col(0), lit(10)), lit('big')],
        [call('gt', col(0), lit(5)), lit('medium')],
      ],
      lit('small'),
    ];
    const f = compileScalar(expr);
    expect([f([20]), f([7]), f([1]), f([null])]).toEqual(['big', 'medium', 'small', 'small']);
  });

  it('IN has three values', () => {
    const inList = (x: unknown, ...items: unknown[]): unknown =>
      evaluate(['in', lit(x), items.map(lit)]);
    expect(inList(1, 1, 2)).toBe(true);
    expect(inList(3, 1, 2)).toBe(false);
    expect(inList(3, 1, null)).toBeNull();
    expect(inList(1, 1, null)).toBe(true);
    expect(inList(null, 1, 2)).toBeNull();
    expect(inList('a', 'a', 'b')).toBe(true);
    expect(inList(2, '2', '3')).toBe(true);
    // Items that are expressions, not literals.
    expect(evaluate(['in', col(0), [col(1), lit(9)]], [4, 4])).toBe(true);
  });
});

describe('LIKE and ILIKE', () => {
  const like = (s: unknown, p: unknown, escape = '\\', ci = false): unknown =>
    evaluate(['like', lit(s), lit(p), escape, ci]);

  it('matches % and _, anchored, across lines', () => {
    expect(like('Spark', 'Sp%')).toBe(true);
    expect(like('Spark', '%ark')).toBe(true);
    expect(like('Spark', '%par%')).toBe(true);
    expect(like('Spark', 'S_ark')).toBe(true);
    expect(like('Spark', 'S_rk')).toBe(false);
    expect(like('Spark', 'spark')).toBe(false);
    expect(like('a\nb', 'a%b')).toBe(true);
    expect(like('a.b', 'a_b')).toBe(true);
    expect(like('axb', 'a.b')).toBe(false);
    expect(like('', '%')).toBe(true);
    expect(like('😀', '_')).toBe(true);
  });

  it('escapes % and _ (Spark docs examples), refuses other escapes', () => {
    expect(like('abcSpark_13sd', '%Spark\\_%')).toBe(true);
    expect(like('abcSpark_13sd', '%Spark/_%')).toBe(false);
    expect(like('abcSpark_13sd', '%Spark/_%', '/')).toBe(true);
    expect(like('abcSpark%13sd', '%Spark\\%%')).toBe(true);
    expect(like('abcSparkx13sd', '%Spark\\%%')).toBe(false);
    expect(() => like('abc', 'a\\bc')).toThrow(SqlRuntimeError);
  });

  it('ILIKE ignores case; null in, null out', () => {
    expect(like('Spark', 'spark', '\\', true)).toBe(true);
    expect(like('SPARK SQL', '%sql', '\\', true)).toBe(true);
    expect(like(null, 'a')).toBeNull();
    expect(like('a', null)).toBeNull();
  });

  it('takes a pattern from the row', () => {
    const f = compileScalar(['like', col(0), col(1), '\\', false]);
    expect([f(['abc', 'a%']), f(['abc', 'b%']), f(['bcd', 'b%'])]).toEqual([true, false, true]);
  });
});

describe('CAST (ANSI)', () => {
  const cast = (v: unknown, type: string, from?: string): unknown =>
    evaluate(from ? ['cast', lit(v), type, from] : ['cast', lit(v), type]);

  it('to int and bigint: strings must be integral, doubles truncate', () => {
    expect(cast('12', 'int')).toBe(12);
    expect(cast(' -7 ', 'int')).toBe(-7);
    expect(cast(3.9, 'int')).toBe(3);
    expect(cast(-3.9, 'int')).toBe(-3);
    expect(cast(true, 'int')).toBe(1);
    expect(() => cast('abc', 'int')).toThrow(/^\[CAST_INVALID_INPUT\]/);
    expect(() => cast('1.5', 'int')).toThrow(/^\[CAST_INVALID_INPUT\]/);
    expect(() => cast('3000000000', 'int')).toThrow(/^\[CAST_INVALID_INPUT\]/);
    expect(cast('3000000000', 'bigint')).toBe(3000000000);
    expect(() => cast(1e10, 'int')).toThrow(/^\[CAST_OVERFLOW\]/);
    expect(cast(null, 'int')).toBeNull();
  });

  it('to double and boolean', () => {
    expect(cast('1.5', 'double')).toBe(1.5);
    expect(cast('1e3', 'double')).toBe(1000);
    expect(cast('NaN', 'double')).toBeNaN();
    expect(() => cast('0x10', 'double')).toThrow(/CAST_INVALID_INPUT/);
    expect(cast('true', 'boolean')).toBe(true);
    expect(cast('N', 'boolean')).toBe(false);
    expect(cast(0, 'boolean')).toBe(false);
    expect(() => cast('maybe', 'boolean')).toThrow(/CAST_INVALID_INPUT/);
  });

  it('to string: integers without .0, Java E notation, timestamps as Spark prints them', () => {
    expect(cast(1, 'string')).toBe('1');
    expect(cast(2.5, 'string')).toBe('2.5');
    expect(cast(12500000.5, 'string')).toBe('1.25000005E7');
    expect(cast(1.5e7, 'string')).toBe('15000000'); // an int's print: JS cannot tell 1.5E7 the double
    expect(cast(1e-4, 'string')).toBe('1.0E-4');
    expect(cast(true, 'string')).toBe('true');
    const ts = new Date(2024, 0, 2, 3, 4, 5).getTime();
    expect(cast(ts, 'string', 'timestamp')).toBe('2024-01-02 03:04:05');
    expect(cast(ts + 120, 'string', 'timestamp')).toBe('2024-01-02 03:04:05.120');
    expect(cast(new Date(2024, 0, 2).getTime(), 'string', 'date')).toBe('2024-01-02');
  });

  it('to timestamp and date', () => {
    expect(cast('2024-01-02 03:04:05', 'timestamp')).toBe(new Date(2024, 0, 2, 3, 4, 5).getTime());
    expect(cast('2024-01-02T03:04:05.5', 'timestamp')).toBe(
      new Date(2024, 0, 2, 3, 4, 5, 500).getTime(),
    );
    expect(cast('2024-01-02T03:04:05Z', 'timestamp')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(() => cast('2024-02-30', 'date')).toThrow(/CAST_INVALID_INPUT/);
    expect(() => cast('2024-02-30', 'timestamp')).toThrow(/CAST_INVALID_INPUT/);
    expect(cast('2024-01-02 03:04:05', 'date')).toBe(new Date(2024, 0, 2).getTime());
    expect(cast(1700000000, 'timestamp', 'bigint')).toBe(1700000000000);
    expect(cast(new Date(2024, 0, 2, 3).getTime(), 'date', 'timestamp')).toBe(
      new Date(2024, 0, 2).getTime(),
    );
    expect(cast(new Date(2024, 0, 2, 3).getTime() + 5000, 'bigint', 'timestamp')).toBe(
      new Date(2024, 0, 2, 3).getTime() / 1000 + 5,
    );
  });
});
