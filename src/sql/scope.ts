import type { Plan } from './logical';

/** A slot of a relation's rows, as names resolve to it. */
export interface Column {
  readonly name: string;
  /** The table or alias it comes from, for `t.name`; null for a derived name. */
  readonly qualifier: string | null;
  /** Not found by an unqualified name nor by `*` (the right side's column of a `USING` join). */
  readonly hidden?: boolean;
  /** The slot of `GROUP BY window(…)`: a `window(…)` call names it. */
  readonly timeWindow?: boolean;
  /** The scan and its slot it reads, to mark as used when an expression names it. */
  readonly origin?: { readonly scan: Extract<Plan, { kind: 'scan' }>; readonly slot: number };
}

/** A relation being analyzed: its plan, and its slots' columns. */
export interface Rel {
  readonly plan: Plan;
  readonly columns: readonly Column[];
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Where a name (1 part) or a qualified name (2 parts) is in `columns`; -2 if ambiguous. */
export function lookup(columns: readonly Column[], qualifier: string | null, name: string): number {
  let found = -1;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    if (!same(c.name, name)) continue;
    if (qualifier === null ? c.hidden : !c.qualifier || !same(c.qualifier, qualifier)) continue;
    if (found !== -1) return -2;
    found = i;
  }
  return found;
}

/** True if some column is qualified by `name`. */
export const isQualifier = (columns: readonly Column[], name: string): boolean =>
  columns.some((c) => c.qualifier !== null && same(c.qualifier, name));

/** Marks a slot's column as read, so its scan reads it. */
export function use(column: Column): void {
  column.origin?.scan.used.add(column.origin.slot);
}

/** The same columns, now known by `qualifier` (a derived table's or a CTE's alias). */
export const requalify = (
  columns: readonly Column[],
  qualifier: string | null,
  names?: readonly string[],
): Column[] => columns.map((c, i) => ({ name: names?.[i] ?? c.name, qualifier }));
