import { describe, expect, it } from 'vitest';
import { resultToCSV, resultToJSON } from '../../src/ui/sql/export';
import { HISTORY_KEY, QueryHistory } from '../../src/ui/sql/history';
import { isoTime, isTimestampColumn, valueText } from '../../src/ui/sql/values';

/** A Storage of a Map, as localStorage is to the history; `full` makes every write throw. */
class MapStorage {
  readonly items = new Map<string, string>();
  full = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
}

describe("the SQL tab's CSV", () => {
  it('quotes per RFC 4180, keeps NULL and the empty string apart, and leaves numbers be', () => {
    const csv = resultToCSV({
      columns: ['name', 'n', 'json'],
      rows: [
        ['a,b', -1, { x: [1, 2] }],
        ['say "hi"', 2.5, null],
        ['two\r\nlines', null, true],
        ['', 0, 'x'],
      ],
    });
    expect(csv).toBe(
      'name,n,json\r\n' +
        '"a,b",-1,"{""x"":[1,2]}"\r\n' +
        '"say ""hi""",2.5,\r\n' +
        '"two\r\nlines",,true\r\n' +
        '"",0,x\r\n',
    );
  });

  it('defuses text a spreadsheet would run as a formula, in headers too', () => {
    expect(resultToCSV({ columns: ['=sum(1)'], rows: [['@cmd'], ['+1'], [-3]] })).toBe(
      "'=sum(1)\r\n'@cmd\r\n'+1\r\n-3\r\n",
    );
  });

  it('writes JSON as tabstream.sql answers, duplicate column names and all', () => {
    const result = { columns: ['count(1)', 'count(1)'], rows: [[1, null]] };
    expect(JSON.parse(resultToJSON(result))).toEqual(result);
  });
});

describe("the SQL tab's values", () => {
  it('reads timestamps by a name ending in timestamp', () => {
    expect(isTimestampColumn('_timestamp')).toBe(true);
    expect(isTimestampColumn('last_timestamp')).toBe(true);
    expect(isTimestampColumn('current_timestamp()')).toBe(true);
    expect(isTimestampColumn('timestamps_seen')).toBe(false);
    expect(isTimestampColumn('ts')).toBe(false);
  });

  it('writes values as text, and an ISO time only of a time a Date holds', () => {
    expect([valueText('x'), valueText(1.5), valueText(false), valueText([1, 'a'])]).toEqual([
      'x',
      '1.5',
      'false',
      '[1,"a"]',
    ]);
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect([isoTime(8.64e15 + 1), isoTime(NaN), isoTime('0')]).toEqual([null, null, null]);
  });
});

describe("the SQL tab's history", () => {
  it('keeps each query once, newest first, under its own key, and reads it back', () => {
    const storage = new MapStorage();
    const history = new QueryHistory(storage);
    for (const query of ['SELECT 1', '  SELECT 2\n', 'SELECT 1', '   ']) history.add(query);
    expect(history.queries).toEqual(['SELECT 1', 'SELECT 2']);
    expect([...storage.items.keys()]).toEqual([HISTORY_KEY]);
    expect(new QueryHistory(storage).queries).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('keeps the last 50, skips damaged entries, and lives on in memory when storage fails', () => {
    const storage = new MapStorage();
    storage.setItem(HISTORY_KEY, JSON.stringify(['SELECT 1', 7, null, 'SELECT 2']));
    expect(new QueryHistory(storage).queries).toEqual(['SELECT 1', 'SELECT 2']);
    storage.setItem(HISTORY_KEY, '{not json');
    const history = new QueryHistory(storage);
    expect(history.queries).toEqual([]);
    for (let i = 0; i < 60; i++) history.add(`SELECT ${i}`);
    expect(history.queries.length).toBe(50);
    expect(history.queries[0]).toBe('SELECT 59');
    storage.full = true;
    history.add('SELECT full');
    expect(history.queries[0]).toBe('SELECT full');
  });
});
