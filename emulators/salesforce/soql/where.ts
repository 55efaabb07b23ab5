// The parser gives WHERE as a right-nested list — `{ left, operator, right }` with openParen and
// closeParen counters on the conditions and `{ left: null | { openParen }, operator: 'NOT' }` for
// negations — not as a precedence tree (shared/reference). We flatten it back into the token
// sequence it came from and parse that with the usual precedence: NOT binds tightest, then AND,
// then OR; parentheses group.
import type { Condition, ConditionWithValueQuery, NegationCondition, WhereClause } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors.js';

export type BoolExpr<T> =
  | { readonly kind: 'and'; readonly items: readonly BoolExpr<T>[] }
  | { readonly kind: 'or'; readonly items: readonly BoolExpr<T>[] }
  | { readonly kind: 'not'; readonly item: BoolExpr<T> }
  | { readonly kind: 'leaf'; readonly leaf: T };

/** A condition from the parser that compares something (a field or a function) with a value. */
export type LeafCondition = Exclude<ConditionWithValueQuery, NegationCondition>;

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { leaf: LeafCondition };

function isComparison(left: Condition | ConditionWithValueQuery | null): left is LeafCondition {
  return left !== null && ('field' in left || 'fn' in left);
}

function tokenize(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left: ConditionWithValueQuery | null = node.left;
    const operator = 'operator' in node ? node.operator : undefined;
    if (!isComparison(left)) {
      // A negation marker; it may open parentheses before the NOT: `(NOT A = 1)`.
      for (let i = 0; i < (left?.openParen ?? 0); i++) tokens.push('(');
      tokens.push('NOT');
    } else {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push('(');
      tokens.push({ leaf: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push(')');
      if (operator) tokens.push(operator);
    }
    node = 'right' in node ? node.right : undefined;
  }
  return tokens;
}

export function buildWhereTree(where: WhereClause): BoolExpr<LeafCondition> {
  const tokens = tokenize(where);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (): never => {
    throw malformedQuery('unexpected token in WHERE clause: unbalanced parentheses or a dangling AND/OR/NOT');
  };

  function parseOr(): BoolExpr<LeafCondition> {
    const items = [parseAnd()];
    while (peek() === 'OR') {
      pos += 1;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  function parseAnd(): BoolExpr<LeafCondition> {
    const items = [parseUnary()];
    while (peek() === 'AND') {
      pos += 1;
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  function parseUnary(): BoolExpr<LeafCondition> {
    if (peek() === 'NOT') {
      pos += 1;
      return { kind: 'not', item: parseUnary() };
    }
    const token = peek();
    if (token === '(') {
      pos += 1;
      const inner = parseOr();
      if (peek() !== ')') fail();
      pos += 1;
      return inner;
    }
    if (token === undefined || typeof token === 'string') return fail();
    pos += 1;
    return { kind: 'leaf', leaf: token.leaf };
  }

  const tree = parseOr();
  if (pos !== tokens.length) fail();
  return tree;
}
