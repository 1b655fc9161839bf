import type { Pos } from './ast';
import { tokenize, type Token } from './lexer';
import { didYouMean, SqlError } from './sql-error';

const END = 'the end of the statement';

/** Spark SQL's words for syntax that has no node in ast.ts: an error names them as such. */
const NOT_SUPPORTED = new Set(
  (
    'ALTER ANALYZE ANTI CACHE CLUSTER CREATE CUBE DELETE DISTRIBUTE DROP EXCEPT INSERT ' +
    'INTERSECT LATERAL MERGE MINUS NATURAL PIVOT QUALIFY REFRESH ROLLUP SEMI SET SORT ' +
    'TABLESAMPLE TRUNCATE UNCACHE UNPIVOT UPDATE USE VALUES WINDOW'
  ).split(' '),
);

/**
 * The parser's place in the tokens, and its errors. The `accept…` calls that miss remember what
 * they looked for at this place, so that an error lists what could have come instead:
 * `expected FROM, WHERE … or the end of the statement, found "t"`.
 */
export class TokenCursor {
  protected readonly tokens: Token[];
  protected index = 0;
  /** What was looked for at `index` and not found (cleared when a token is taken). */
  private expecting: string[] = [];
  /** A select item's or table's alias written without AS: it may be a misspelt keyword. */
  protected bareAlias = -1;

  constructor(protected readonly text: string) {
    this.tokens = tokenize(text);
  }

  protected get tok(): Token {
    return this.tokens[this.index]!;
  }

  protected peek(ahead = 1): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const token = this.tok;
    if (token.kind !== 'end') this.index++;
    this.expecting = [];
    return token;
  }

  protected isWord(keyword: string, token = this.tok): boolean {
    return token.kind === 'word' && token.upper === keyword;
  }

  protected isOp(op: string, token = this.tok): boolean {
    return token.kind === 'op' && token.value === op;
  }

  /** Takes the keyword if it is next; `label` is how an error names it (e.g. "GROUP BY"). */
  protected acceptWord(keyword: string, label = keyword): Token | null {
    if (this.isWord(keyword)) return this.next();
    this.expecting.push(label);
    return null;
  }

  protected acceptOp(op: string): Token | null {
    if (this.isOp(op)) return this.next();
    this.expecting.push(`"${op}"`);
    return null;
  }

  protected expectWord(keyword: string, label = keyword): Token {
    return this.acceptWord(keyword, label) ?? this.failExpected();
  }

  protected expectOp(op: string): Token {
    return this.acceptOp(op) ?? this.failExpected();
  }

  /** One or more, separated by commas. */
  protected parseList<T>(item: () => T): T[] {
    const items = [item()];
    while (this.acceptOp(',')) items.push(item());
    return items;
  }

  /** Notes what else could have come here, for the error a later miss throws. */
  protected alsoExpected(label: string): void {
    this.expecting.push(label);
  }

  protected fail(reason: string, pos: Pos = this.tok.pos): never {
    throw new SqlError(reason, this.text, pos);
  }

  /** What the token says in an error: its text as written, or the end. */
  protected describe(token: Token = this.tok): string {
    if (token.kind === 'end') return END;
    const written = this.text.slice(token.pos.offset, token.end);
    return token.kind === 'string' ? `the string ${written}` : `"${written}"`;
  }

  /**
   * Throws `expected A, B or C, found "x"`, naming the alternatives remembered here, or says
   * that the word found is Spark syntax that is not supported here (`"INTERSECT" is not
   * supported`). A word near one of the keywords expected is taken as that keyword misspelt,
   * and so is a bare alias just before (`SELECT page FORM clicks`): the error points at it.
   */
  protected failExpected(what?: string, atEnd = false): never {
    if (this.tok.kind === 'word' && NOT_SUPPORTED.has(this.tok.upper))
      this.fail(`"${this.tok.upper}" is not supported`);
    const expected = [...new Set(what ? [what] : this.expecting)];
    if (atEnd) expected.push(END);
    const keywords = expected.filter((label) => /^[A-Z]/.test(label));
    const alias = this.bareAlias === this.index - 1 ? this.tokens[this.bareAlias]! : null;
    const typo = alias && misspelt(alias, keywords);
    if (alias && typo) {
      const rest = atEnd ? ` or ${END}` : '';
      this.fail(`expected ${typo}${rest}, found ${this.describe(alias)}`, alias.pos);
    }
    const near = misspelt(this.tok, keywords);
    const list = near ? [near, ...(atEnd ? [END] : [])] : expected;
    const said =
      list.length <= 1
        ? (list[0] ?? 'something else')
        : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
    this.fail(`expected ${said}, found ${this.describe()}`);
  }
}

/** The keyword a word is a typo of; short words are too near too many keywords to tell. */
function misspelt(token: Token, labels: readonly string[]): string | null {
  if (token.kind !== 'word' || token.value.length < 4) return null;
  const first = (label: string) => label.split(' ')[0]!;
  const keyword = didYouMean(token.value, labels.map(first));
  return labels.find((label) => first(label) === keyword) ?? null;
}
