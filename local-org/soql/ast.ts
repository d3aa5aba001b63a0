import type { LikeSegment } from './lexer.ts';

/** A field reference as written: `Name`, `Profile.Name`, `User.Profile.Name`. */
export interface FieldRef {
  path: string[];
  /** Offset of the first segment in the query text, for error carets. */
  offset: number;
}

export type DateLiteralName =
  | 'TODAY'
  | 'YESTERDAY'
  | 'TOMORROW'
  | 'LAST_WEEK'
  | 'THIS_WEEK'
  | 'NEXT_WEEK'
  | 'LAST_MONTH'
  | 'THIS_MONTH'
  | 'NEXT_MONTH'
  | 'LAST_YEAR'
  | 'THIS_YEAR'
  | 'NEXT_YEAR'
  | 'LAST_N_DAYS'
  | 'NEXT_N_DAYS';

export type Literal =
  | { kind: 'string'; value: string; like: LikeSegment[]; offset: number }
  | { kind: 'number'; value: number; text: string; offset: number }
  | { kind: 'boolean'; value: boolean; offset: number }
  | { kind: 'null'; offset: number }
  | { kind: 'date'; value: string; offset: number }
  | { kind: 'datetime'; epochMs: number; text: string; offset: number }
  | { kind: 'dateLiteral'; name: DateLiteralName; n?: number; offset: number };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldRef; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] }
  | { kind: 'inQuery'; field: FieldRef; negated: boolean; query: SoqlQuery }
  | { kind: 'like'; field: FieldRef; pattern: Literal & { kind: 'string' } };

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';

export type SelectItem =
  | { kind: 'field'; field: FieldRef }
  | { kind: 'aggregate'; fn: AggregateFunction; field: FieldRef; alias?: string; offset: number };

export interface OrderItem {
  field: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  /** The text this query was parsed from, so later errors can point into it. */
  text: string;
  /** `SELECT COUNT() ...`: only the number of rows is returned. */
  countOnly: boolean;
  select: SelectItem[];
  from: { name: string; offset: number };
  where?: Condition;
  groupBy: FieldRef[];
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}
