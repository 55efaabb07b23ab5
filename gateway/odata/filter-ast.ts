// The syntax tree of a `$filter` expression (filter-parser.ts builds it, filter-translate.ts turns it
// into the graph's RowFilter). Positions are 1-based character offsets into the decoded option
// value, so every later error can still point at the place in the caller's text.

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'contains' | 'startswith' | 'endswith';

/**
 * A literal as written. `text` is what the translator sends on (the graph reads values as strings
 * typed by the field): strings unescaped, numbers, dates and date-times as they were written.
 */
export type Literal =
  | { readonly type: 'string'; readonly text: string }
  | { readonly type: 'int'; readonly text: string }
  | { readonly type: 'decimal'; readonly text: string }
  | { readonly type: 'boolean'; readonly text: 'true' | 'false' }
  | { readonly type: 'null'; readonly text: 'null' }
  | { readonly type: 'date'; readonly text: string }
  | { readonly type: 'dateTimeOffset'; readonly text: string };

export type LiteralType = Literal['type'];

export type FilterExpr =
  | { readonly kind: 'or' | 'and'; readonly left: FilterExpr; readonly right: FilterExpr; readonly position: number }
  | { readonly kind: 'not'; readonly operand: FilterExpr; readonly position: number }
  | {
      readonly kind: 'compare';
      readonly operator: ComparisonOperator;
      readonly left: FilterExpr;
      readonly right: FilterExpr;
      readonly position: number;
    }
  | {
      readonly kind: 'in';
      readonly operand: FilterExpr;
      readonly values: readonly LiteralExpr[];
      readonly position: number;
    }
  | {
      readonly kind: 'call';
      readonly name: StringFunction;
      readonly args: readonly [FilterExpr, FilterExpr];
      readonly position: number;
    }
  | { readonly kind: 'property'; readonly name: string; readonly position: number }
  | LiteralExpr;

export interface LiteralExpr {
  readonly kind: 'literal';
  readonly literal: Literal;
  readonly position: number;
}
