// The suite's judge: when two answers agree, and that it says where they do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { difference, sameValue } from './compare.mjs';

const answer = (columns, rows) => ({ columns, rows });
const query = (more = {}) => ({
  name: 'q',
  sql: 'SELECT page, count(*) AS n FROM clicks',
  ...more,
});

test('numbers agree within the relative tolerance, and not beyond', () => {
  assert.ok(sameValue(0.1 + 0.2, 0.3, 1e-9));
  assert.ok(!sameValue(100, 100.001, 1e-9));
  assert.ok(sameValue(100, 100.001, 1e-4));
  assert.ok(!sameValue(0, 1e-300, 1e-9), 'zero is matched exactly');
});

test('values of other types must be equal, and of the same type', () => {
  assert.ok(!sameValue('120', 120, 1e-9));
  assert.ok(!sameValue(null, 0, 1e-9));
  assert.ok(!sameValue(false, null, 1e-9));
  assert.ok(sameValue({ start: 1, end: 2 }, { end: 2, start: 1 }, 1e-9));
  assert.ok(!sameValue({ start: 1 }, { start: 1, end: null }, 1e-9));
});

test('rows are a multiset unless the query is ordered', () => {
  const spark = answer(
    ['page', 'n'],
    [
      ['/a', 2],
      ['/b', 1],
      ['/b', 1],
    ],
  );
  const shuffled = answer(
    ['page', 'n'],
    [
      ['/b', 1],
      ['/a', 2],
      ['/b', 1],
    ],
  );
  assert.equal(difference(query(), spark, shuffled), null);
  assert.match(difference(query({ ordered: true }), spark, shuffled), /^row 1 differs/);
  const once = answer(
    ['page', 'n'],
    [
      ['/a', 2],
      ['/b', 1],
      ['/c', 1],
    ],
  );
  assert.match(difference(query(), spark, once), /^sorted row 3 differs/);
});

test('the counts of rows and columns, and the names the query gives, must agree', () => {
  const spark = answer(['page', 'n'], [['/a', 2]]);
  assert.match(difference(query(), spark, answer(['page'], [['/a']])), /^columns differ/);
  assert.match(difference(query(), spark, answer(['page', 'n'], [])), /^row counts differ/);
  assert.match(
    difference(query(), spark, answer(['page', 'count'], [['/a', 2]])),
    /^column 2 is named otherwise/,
  );
  // Names Spark makes up (`count(1)`) are tabstream's to choose.
  const made = answer(['page', 'count(1)'], [['/a', 2]]);
  assert.equal(difference(query(), made, answer(['page', 'count(*)'], [['/a', 2]])), null);
});

test('a query Spark rejects must be rejected, not crashed on nor answered', () => {
  const rejected = { error: '[DIVIDE_BY_ZERO] Division by zero.' };
  assert.equal(
    difference(query(), rejected, { error: 'line 1, column 8: division by zero' }),
    null,
  );
  assert.match(difference(query(), rejected, answer(['x'], [[null]])), /^Spark rejects it/);
  assert.match(
    difference(query(), rejected, { error: 'x is undefined', crash: 'TypeError' }),
    /^tabstream crashed \(TypeError\)/,
  );
  assert.match(difference(query(), answer(['x'], []), rejected), /^tabstream rejects it/);
});
