import type {
  AggregateFunction,
  ComparisonOperator,
  Condition,
  DateLiteralName,
  FieldRef,
  Literal,
  OrderItem,
  SelectItem,
  SoqlQuery,
} from './ast.ts';
import { SoqlError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

/** Salesforce's reserved SOQL keywords: they can never be a field or object name. */
const RESERVED = new Set([
  'AND', 'ASC', 'DESC', 'EXCLUDES', 'FIRST', 'FROM', 'GROUP', 'HAVING', 'IN', 'INCLUDES', 'LAST', 'LIKE',
  'LIMIT', 'NOT', 'NULL', 'NULLS', 'OR', 'SELECT', 'WHERE', 'WITH',
]);
/** Words that end the FROM clause, so an identifier after the object name is an alias only if not one of these. */
const CLAUSE_STARTERS = new Set(['WHERE', 'WITH', 'GROUP', 'ORDER', 'LIMIT', 'OFFSET', 'FOR', 'USING', 'HAVING']);
const DATE_LITERALS = new Set<DateLiteralName>([
  'TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_WEEK', 'THIS_WEEK', 'NEXT_WEEK', 'LAST_MONTH', 'THIS_MONTH',
  'NEXT_MONTH', 'LAST_YEAR', 'THIS_YEAR', 'NEXT_YEAR',
]);
const DATE_N_LITERALS = new Set<DateLiteralName>(['LAST_N_DAYS', 'NEXT_N_DAYS']);
const AGGREGATES = new Set<AggregateFunction>(['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG']);
const COMPARISONS = new Set(['=', '!=', '<>', '<', '>', '<=', '>=']);

/** Parses one SOQL statement; throws SoqlError (MALFORMED_QUERY) on anything outside the supported grammar. */
export function parseSoql(text: string): SoqlQuery {
  if (typeof text !== 'string') throw new SoqlError('MALFORMED_QUERY', 'query must be a string');
  const parser = new Parser(text, tokenize(text));
  const query = parser.query();
  parser.expectEnd();
  return query;
}

class Parser {
  private pos = 0;
  private readonly text: string;
  private readonly tokens: Token[];

  constructor(text: string, tokens: Token[]) {
    this.text = text;
    this.tokens = tokens;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private unexpected(token: Token = this.peek()): SoqlError {
    const shown = token.kind === 'eof' ? '<EOF>' : `'${token.text}'`;
    return new SoqlError('MALFORMED_QUERY', `unexpected token: ${shown}`, { text: this.text, offset: token.offset });
  }

  private isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos++;
    return true;
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw this.unexpected();
    return this.next();
  }

  private isPunct(p: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.text === p;
  }

  private acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.pos++;
    return true;
  }

  private expectPunct(p: string): Token {
    if (!this.isPunct(p)) throw this.unexpected();
    return this.next();
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.unexpected();
  }

  private name(): Token {
    const token = this.peek();
    if (token.kind !== 'ident' || RESERVED.has(token.text.toUpperCase())) throw this.unexpected();
    return this.next();
  }

  private fieldRef(): FieldRef {
    // `Group` is reserved, yet it is also a relationship name (GroupMember.Group): followed by a dot it
    // starts a field path, as in `WHERE Group.DeveloperName = 'Q'` [F-45].
    const first = this.isKeyword('GROUP') && this.isPunct('.', 1) ? this.next() : this.name();
    const path = [first.text];
    while (this.acceptPunct('.')) path.push(this.name().text);
    return { path, offset: first.offset };
  }

  query(): SoqlQuery {
    this.expectKeyword('SELECT');
    let countOnly = false;
    const select: SelectItem[] = [];
    if (this.isKeyword('COUNT') && this.isPunct('(', 1) && this.isPunct(')', 2)) {
      this.pos += 3;
      countOnly = true;
    } else {
      do select.push(this.selectItem());
      while (this.acceptPunct(','));
    }
    this.expectKeyword('FROM');
    // `Group` is a reserved word, yet real SOQL accepts it as the object after FROM (queues are Groups).
    const fromToken = this.peek().kind === 'ident' && this.peek().text.toUpperCase() === 'GROUP' ? this.next() : this.name();
    let alias: string | undefined;
    const maybeAlias = this.peek();
    if (maybeAlias.kind === 'ident' && !RESERVED.has(maybeAlias.text.toUpperCase()) && !CLAUSE_STARTERS.has(maybeAlias.text.toUpperCase())) {
      alias = this.next().text;
    }
    if (this.acceptKeyword('USING')) {
      this.expectKeyword('SCOPE');
      this.name();
    }
    const query: SoqlQuery = {
      text: this.text,
      countOnly,
      select,
      from: { name: fromToken.text, offset: fromToken.offset },
      groupBy: [],
      orderBy: [],
    };
    if (this.acceptKeyword('WHERE')) query.where = this.condition();
    if (this.acceptKeyword('WITH')) {
      // Security modes change nothing here: the local org has a single all-powerful user.
      const mode = this.next();
      if (mode.kind !== 'ident' || !['SECURITY_ENFORCED', 'USER_MODE', 'SYSTEM_MODE'].includes(mode.text.toUpperCase())) {
        throw this.unexpected(mode);
      }
    }
    if (this.acceptKeyword('GROUP')) {
      this.expectKeyword('BY');
      do query.groupBy.push(this.fieldRef());
      while (this.acceptPunct(','));
    }
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do query.orderBy.push(this.orderItem());
      while (this.acceptPunct(','));
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.nonNegativeInteger();
    if (this.acceptKeyword('OFFSET')) query.offset = this.nonNegativeInteger();
    if (this.acceptKeyword('FOR')) {
      // FOR VIEW / REFERENCE only update "last viewed" dates; FOR UPDATE locks rows. Neither matters here.
      do {
        const what = this.next();
        if (what.kind !== 'ident' || !['VIEW', 'REFERENCE', 'UPDATE'].includes(what.text.toUpperCase())) {
          throw this.unexpected(what);
        }
      } while (this.acceptPunct(','));
    }
    if (alias !== undefined) stripAlias(query, alias);
    return query;
  }

  private selectItem(): SelectItem {
    const token = this.peek();
    if (token.kind === 'ident' && this.isPunct('(', 1)) {
      const fn = token.text.toUpperCase() as AggregateFunction;
      if (!AGGREGATES.has(fn)) throw this.unexpected(this.peek(1));
      this.pos += 2;
      if (fn === 'COUNT' && this.isPunct(')')) {
        // COUNT() mixed with other select items is not allowed.
        throw this.unexpected();
      }
      const field = this.fieldRef();
      this.expectPunct(')');
      const item: SelectItem = { kind: 'aggregate', fn, field, offset: token.offset };
      const alias = this.peek();
      if (alias.kind === 'ident' && !RESERVED.has(alias.text.toUpperCase())) item.alias = this.next().text;
      return item;
    }
    return { kind: 'field', field: this.fieldRef() };
  }

  private orderItem(): OrderItem {
    const field = this.fieldRef();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    let nullsLast = false;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else this.expectKeyword('FIRST');
    }
    return { field, descending, nullsLast };
  }

  private nonNegativeInteger(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected(token);
    return Number(token.text);
  }

  /**
   * A chain of AND or of OR — never both without parentheses, as Salesforce requires
   * ("Parentheses are required whenever you mix the operators"). NOT binds to the single
   * expression or parenthesised group after it.
   */
  condition(): Condition {
    const first = this.unary();
    const joiner = this.isKeyword('AND') ? 'AND' : this.isKeyword('OR') ? 'OR' : undefined;
    if (!joiner) return first;
    const items = [first];
    while (this.acceptKeyword(joiner)) items.push(this.unary());
    if (this.isKeyword(joiner === 'AND' ? 'OR' : 'AND')) throw this.unexpected();
    return { kind: joiner === 'AND' ? 'and' : 'or', items };
  }

  private unary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.unary() };
    if (this.acceptPunct('(')) {
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    return this.fieldExpression();
  }

  private fieldExpression(): Condition {
    const field = this.fieldRef();
    const token = this.peek();
    if (token.kind === 'punct' && COMPARISONS.has(token.text)) {
      this.pos++;
      const op = (token.text === '<>' ? '!=' : token.text) as ComparisonOperator;
      return { kind: 'compare', field, op, value: this.literal() };
    }
    if (this.acceptKeyword('LIKE')) {
      const pattern = this.literal();
      if (pattern.kind !== 'string') throw this.unexpected(this.tokens[this.pos - 1]);
      return { kind: 'like', field, pattern };
    }
    let negated = false;
    if (this.isKeyword('NOT') && this.isKeyword('IN', 1)) {
      this.pos++;
      negated = true;
    }
    if (this.acceptKeyword('IN')) {
      this.expectPunct('(');
      if (this.isKeyword('SELECT')) {
        const query = this.query();
        this.expectPunct(')');
        return { kind: 'inQuery', field, negated, query };
      }
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.acceptPunct(','));
      this.expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    throw this.unexpected();
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, like: token.like, offset: token.offset };
      case 'number':
        return { kind: 'number', value: token.value, text: token.text, offset: token.offset };
      case 'date':
        return { kind: 'date', value: token.text, offset: token.offset };
      case 'datetime':
        return { kind: 'datetime', epochMs: token.epochMs, text: token.text, offset: token.offset };
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'NULL') return { kind: 'null', offset: token.offset };
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE', offset: token.offset };
        if (DATE_LITERALS.has(word as DateLiteralName)) {
          return { kind: 'dateLiteral', name: word as DateLiteralName, offset: token.offset };
        }
        if (DATE_N_LITERALS.has(word as DateLiteralName)) {
          this.expectPunct(':');
          const n = this.nonNegativeInteger();
          return { kind: 'dateLiteral', name: word as DateLiteralName, n, offset: token.offset };
        }
        throw this.unexpected(token);
      }
      default:
        throw this.unexpected(token);
    }
  }
}

/** `SELECT u.Name FROM User u` → paths relative to the object. */
function stripAlias(query: SoqlQuery, alias: string): void {
  const lower = alias.toLowerCase();
  const strip = (ref: FieldRef): void => {
    if (ref.path.length > 1 && ref.path[0].toLowerCase() === lower) ref.path.shift();
  };
  for (const item of query.select) strip(item.field);
  for (const ref of query.groupBy) strip(ref);
  for (const item of query.orderBy) strip(item.field);
  const walk = (c: Condition | undefined): void => {
    if (!c) return;
    if (c.kind === 'and' || c.kind === 'or') c.items.forEach(walk);
    else if (c.kind === 'not') walk(c.item);
    else strip(c.field);
  };
  walk(query.where);
}
