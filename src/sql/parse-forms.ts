import type { Expr, Frame, FrameBound, OrderItem, Pos, WindowSpec } from './ast';
import { TokenCursor } from './parse-cursor';
import { castType } from './cast';
import { intervalTextMs, isUnit, SIGNED_NUMBER, unitMs } from './parse-literals';

/** A call node without DISTINCT, `*`, FILTER or OVER. */
export function callOf(name: string, args: Expr[], pos: Pos): Expr {
  return { kind: 'call', name, args, distinct: false, star: false, filter: null, over: null, pos };
}

/**
 * The expressions that have a syntax of their own, each parsed from its first keyword on:
 * CASE, CAST and `::type`, EXTRACT, INTERVAL, and a window's `OVER (…)`; also ORDER BY's
 * items, which a window shares with a query.
 */
export abstract class FormParser extends TokenCursor {
  abstract parseExpr(): Expr;

  protected parseCase(): Expr {
    const pos = this.next().pos;
    if (this.isWord('ELSE') || this.isWord('END')) this.failExpected('WHEN');
    const operand = this.isWord('WHEN') ? null : this.parseExpr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.parseExpr();
      this.expectWord('THEN');
      whens.push({ when, then: this.parseExpr() });
    }
    if (whens.length === 0) this.failExpected();
    const otherwise = this.acceptWord('ELSE') ? this.parseExpr() : null;
    this.expectWord('END');
    return { kind: 'case', operand, whens, else: otherwise, pos };
  }

  protected parseCast(): Expr {
    const pos = this.next().pos;
    this.expectOp('(');
    const arg = this.parseExpr();
    this.expectWord('AS');
    const type = this.parseType();
    this.expectOp(')');
    return { kind: 'cast', arg, type, pos };
  }

  /** A type name as `castType` maps it; the `(p, s)` or `(n)` after it is dropped. */
  protected parseType(): string {
    const token = this.tok;
    if (token.kind !== 'word') return this.failExpected('a type');
    const type = castType(token.value) ?? this.fail(`the type "${token.value}" is not supported`);
    this.next();
    if (this.acceptOp('(')) {
      this.parseList(() =>
        this.tok.kind === 'number' ? this.next() : this.failExpected('a number'),
      );
      this.expectOp(')');
    }
    return type;
  }

  /** `EXTRACT(hour FROM x)`: the call `extract('hour', x)`. */
  protected parseExtract(): Expr {
    const pos = this.next().pos;
    this.expectOp('(');
    const field = this.tok;
    if (field.kind !== 'word' && field.kind !== 'string') this.failExpected('a field, e.g. HOUR');
    this.next();
    this.expectWord('FROM');
    const source = this.parseExpr();
    this.expectOp(')');
    const name: Expr = { kind: 'literal', value: field.value.toLowerCase(), pos: field.pos };
    return callOf('extract', [name, source], pos);
  }

  /**
   * `INTERVAL '5 minutes'`, `INTERVAL '1' HOUR`, `INTERVAL 5 MINUTES`, `INTERVAL 1 DAY 2 HOURS`:
   * a duration in ms; `text` is the interval as written.
   * - must say months and years are not supported (they have no length in ms)
   */
  protected parseInterval(): Expr & { kind: 'interval' } {
    const start = this.next();
    let ms = 0;
    do {
      const sign = this.isOp('-') || this.isOp('+') ? this.next().value : '';
      const amount = this.tok;
      if (amount.kind !== 'string' && amount.kind !== 'number')
        this.failExpected("an interval, e.g. '5 minutes'");
      this.next();
      if (amount.kind === 'string' && !sign && !this.isUnitNext()) {
        const parsed = intervalTextMs(amount.value);
        ms += typeof parsed === 'string' ? this.fail(parsed, amount.pos) : parsed;
        break;
      }
      if (!SIGNED_NUMBER.test(amount.value.trim()))
        this.fail(`invalid interval '${amount.value}': expected a number`, amount.pos);
      if (!this.isUnitNext()) this.failExpected('an interval unit, e.g. MINUTES');
      const unit = this.next();
      const perUnit = unitMs(unit.value);
      ms +=
        typeof perUnit === 'string'
          ? this.fail(perUnit, unit.pos)
          : (sign === '-' ? -1 : 1) * Number(amount.value.trim()) * perUnit;
      if (this.isWord('TO')) this.fail('an interval "… TO …" is not supported');
    } while (this.tok.kind === 'number' || this.tok.kind === 'string');
    const text = this.text.slice(start.pos.offset, this.tokens[this.index - 1]!.end);
    return { kind: 'interval', ms, text, pos: start.pos };
  }

  private isUnitNext(): boolean {
    return this.tok.kind === 'word' && isUnit(this.tok.value);
  }

  /** `OVER (PARTITION BY … ORDER BY … frame)`; a named window (`OVER w`) is not supported. */
  protected parseOver(): WindowSpec {
    this.next();
    if (!this.isOp('(')) this.fail('a named window (OVER name) is not supported');
    this.next();
    let partitionBy: Expr[] = [];
    let orderBy: OrderItem[] = [];
    if (this.acceptWord('PARTITION', 'PARTITION BY')) {
      this.expectWord('BY');
      partitionBy = this.parseList(() => this.parseExpr());
    }
    if (this.acceptWord('ORDER', 'ORDER BY')) {
      this.expectWord('BY');
      orderBy = this.parseOrderItems();
    }
    const frame = this.isWord('ROWS') || this.isWord('RANGE') ? this.parseFrame() : null;
    if (!frame) {
      this.alsoExpected('ROWS');
      this.alsoExpected('RANGE');
    }
    this.expectOp(')');
    return { partitionBy, orderBy, frame };
  }

  /** `ROWS|RANGE BETWEEN start AND end`, or one bound: `BETWEEN bound AND CURRENT ROW`. */
  private parseFrame(): Frame {
    const unit = this.next().upper === 'ROWS' ? 'rows' : 'range';
    if (!this.acceptWord('BETWEEN'))
      return { unit, start: this.parseFrameBound(unit), end: { kind: 'current-row' } };
    const start = this.parseFrameBound(unit);
    this.expectWord('AND');
    return { unit, start, end: this.parseFrameBound(unit) };
  }

  /** `UNBOUNDED PRECEDING`, `CURRENT ROW`, `n PRECEDING|FOLLOWING` (RANGE: an INTERVAL in ms). */
  private parseFrameBound(unit: Frame['unit']): FrameBound {
    if (this.acceptWord('UNBOUNDED')) {
      if (this.acceptWord('PRECEDING')) return { kind: 'unbounded-preceding' };
      this.expectWord('FOLLOWING');
      return { kind: 'unbounded-following' };
    }
    if (this.acceptWord('CURRENT', 'CURRENT ROW')) {
      this.expectWord('ROW');
      return { kind: 'current-row' };
    }
    let offset: number;
    if (this.isWord('INTERVAL')) {
      const interval = this.parseInterval();
      if (unit === 'rows')
        this.fail('a ROWS frame counts rows: an INTERVAL needs RANGE', interval.pos);
      offset = interval.ms;
    } else if (this.tok.kind === 'number') {
      const token = this.next();
      offset = Number(token.value);
      if (unit === 'rows' && !Number.isInteger(offset))
        this.fail('a ROWS frame counts whole rows', token.pos);
    } else return this.failExpected('UNBOUNDED, CURRENT ROW or a number');
    if (this.acceptWord('PRECEDING')) return { kind: 'preceding', offset };
    this.expectWord('FOLLOWING');
    return { kind: 'following', offset };
  }

  /** ORDER BY's items (the keywords already taken): `expr [ASC|DESC] [NULLS FIRST|LAST]`. */
  protected parseOrderItems(): OrderItem[] {
    return this.parseList(() => {
      const expr = this.parseExpr();
      let descending = false;
      if (this.acceptWord('DESC')) descending = true;
      else this.acceptWord('ASC');
      let nulls: OrderItem['nulls'] = null;
      if (this.acceptWord('NULLS', 'NULLS FIRST|LAST')) {
        if (this.acceptWord('FIRST')) nulls = 'first';
        else nulls = (this.expectWord('LAST'), 'last');
      }
      return { expr, descending, nulls };
    });
  }
}
