// OData v4 `$filter` parser: tokenizer + recursive descent → AST. Only syntax lives here; names and
// types are checked against an entity type in evaluate.ts.
//
// Grammar (OData v4 URL conventions §5.1.1, the subset Business Central's API accepts):
//
//   filter     := orExpr EOF
//   orExpr     := andExpr ( 'or' andExpr )*
//   andExpr    := notExpr ( 'and' notExpr )*
//   notExpr    := 'not' notExpr | primary
//   primary    := '(' orExpr ')'
//               | function '(' operand ',' operand ')'          function: contains | startswith | endswith
//               | operand ( compareOp operand )?                a lone operand must be boolean-typed
//   compareOp  := 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
//   operand    := propertyName | literal | caseFunction '(' operand ')'     caseFunction: tolower | toupper
//   literal    := string | number | 'true' | 'false' | 'null' | date | dateTimeOffset | guid
//   string     := "'" ( any character except "'" | "''" )* "'"      ('' is one quote: 'O''Brien')
//   number     := '-'? digits ( '.' digits )? ( [eE] [+-]? digits )?
//   date       := YYYY-MM-DD
//   dateTimeOffset := YYYY-MM-DD 'T' hh:mm(:ss(.fraction)?)? ( 'Z' | [+-]hh:mm )
//   guid       := 8-4-4-4-12 hexadecimal digits, unquoted
//
// Business Central evaluates `tolower`/`toupper` by dropping case sensitivity; calling them inside
// another function (`contains(tolower(p),'x')`) is a nested call, which BC accepts only from
// $schemaversion=2.1 on (query-options.ts checks; hasNestedCall below finds them).
//
// Precedence, loosest first: or < and < not < comparison. Keywords are lower-case, as in OData.
// Positions in error messages are 0-based character offsets into the $filter text, the way
// Microsoft.OData.Core reports them ("Expression expected at position 17 in '...'").

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'contains' | 'startswith' | 'endswith';
export type CaseFunction = 'tolower' | 'toupper';

export type Literal =
  | { kind: 'literal'; type: 'string'; value: string; position: number }
  | { kind: 'literal'; type: 'number'; value: number; integer: boolean; position: number }
  | { kind: 'literal'; type: 'boolean'; value: boolean; position: number }
  | { kind: 'literal'; type: 'null'; value: null; position: number }
  | { kind: 'literal'; type: 'date'; value: string; position: number }
  | { kind: 'literal'; type: 'datetime'; value: string; position: number }
  | { kind: 'literal'; type: 'guid'; value: string; position: number };

export type Operand =
  | { kind: 'property'; name: string; position: number }
  | { kind: 'call'; name: CaseFunction; arg: Operand; position: number }
  | Literal;

export type FilterNode =
  | { kind: 'or' | 'and'; left: FilterNode; right: FilterNode; position: number }
  | { kind: 'not'; operand: FilterNode; position: number }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand; position: number }
  | { kind: 'function'; name: StringFunction; args: [Operand, Operand]; position: number }
  | { kind: 'value'; operand: Operand; position: number };

export class FilterSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly position: number,
    readonly text: string,
  ) {
    super(`${detail} at position ${position} in '${text}'.`);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { kind: '(' | ')' | ','; position: number }
  | { kind: 'word'; text: string; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'end'; position: number };

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);
const CASE_FUNCTIONS = new Set<string>(['tolower', 'toupper']);
const WORD_CHAR = /[A-Za-z0-9_.:+-]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, position: i });
      i += 1;
    } else if (ch === "'") {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError('Unterminated string literal', start, text);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ kind: 'string', value, position: start });
    } else if (WORD_CHAR.test(ch)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i]!)) i += 1;
      tokens.push({ kind: 'word', text: text.slice(start, i), position: start });
    } else {
      throw new FilterSyntaxError(`Syntax error: character '${ch}' is not valid`, i, text);
    }
  }
  tokens.push({ kind: 'end', position: text.length });
  return tokens;
}

function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }
  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
  private fail(detail: string, position: number): never {
    throw new FilterSyntaxError(detail, position, this.text);
  }
  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text === word;
  }
  private expect(kind: '(' | ')' | ',', detail: string): void {
    const token = this.peek();
    if (token.kind !== kind) this.fail(detail, token.position);
    this.next();
  }

  parse(): FilterNode {
    if (this.peek().kind === 'end') this.fail('Expression expected', 0);
    const node = this.orExpr();
    const rest = this.peek();
    if (rest.kind !== 'end') {
      this.fail(
        `Syntax error: unexpected '${tokenText(rest)}', an operator or the end of the expression was expected`,
        rest.position,
      );
    }
    return node;
  }

  private orExpr(): FilterNode {
    let left = this.andExpr();
    while (this.isKeyword('or')) {
      const position = this.next().position;
      left = { kind: 'or', left, right: this.andExpr(), position };
    }
    return left;
  }

  private andExpr(): FilterNode {
    let left = this.notExpr();
    while (this.isKeyword('and')) {
      const position = this.next().position;
      left = { kind: 'and', left, right: this.notExpr(), position };
    }
    return left;
  }

  private notExpr(): FilterNode {
    if (this.isKeyword('not')) {
      const position = this.next().position;
      return { kind: 'not', operand: this.notExpr(), position };
    }
    return this.primary();
  }

  private primary(): FilterNode {
    const token = this.peek();
    if (token.kind === '(') {
      this.next();
      const inner = this.orExpr();
      this.expect(')', "')' or an operator expected");
      return inner;
    }
    if (token.kind === 'word' && this.tokens[this.index + 1]?.kind === '(' && !CASE_FUNCTIONS.has(token.text)) {
      if (!FUNCTIONS.has(token.text)) this.fail(`Unknown function '${token.text}'`, token.position);
      this.next();
      this.next();
      const first = this.operand();
      this.expect(',', "',' expected");
      const second = this.operand();
      this.expect(')', "')' expected");
      return { kind: 'function', name: token.text as StringFunction, args: [first, second], position: token.position };
    }
    const left = this.operand();
    const op = this.peek();
    if (op.kind === 'word' && COMPARE_OPS.has(op.text)) {
      this.next();
      const right = this.operand();
      return { kind: 'compare', op: op.text as CompareOp, left, right, position: op.position };
    }
    return { kind: 'value', operand: left, position: left.position };
  }

  private operand(): Operand {
    const token = this.next();
    const position = token.position;
    if (token.kind === 'word' && this.peek().kind === '(') {
      if (!CASE_FUNCTIONS.has(token.text)) this.fail(`Unknown function '${token.text}'`, position);
      this.next();
      const arg = this.operand();
      this.expect(')', "')' expected");
      return { kind: 'call', name: token.text as CaseFunction, arg, position };
    }
    if (token.kind === 'string') return { kind: 'literal', type: 'string', value: token.value, position };
    if (token.kind !== 'word') this.fail('Expression expected', position);
    const text = token.text;
    if (text === 'true' || text === 'false')
      return { kind: 'literal', type: 'boolean', value: text === 'true', position };
    if (text === 'null') return { kind: 'literal', type: 'null', value: null, position };
    if (NUMBER.test(text)) {
      return { kind: 'literal', type: 'number', value: Number(text), integer: /^-?\d+$/.test(text), position };
    }
    const date = DATE.exec(text);
    if (date) {
      if (!isValidDate(Number(date[1]), Number(date[2]), Number(date[3])))
        this.fail(`'${text}' is not a valid date`, position);
      return { kind: 'literal', type: 'date', value: text, position };
    }
    const dateTime = DATETIME.exec(text);
    if (dateTime) {
      if (
        !isValidDate(Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3])) ||
        Number.isNaN(Date.parse(text))
      ) {
        this.fail(`'${text}' is not a valid date-time`, position);
      }
      return { kind: 'literal', type: 'datetime', value: text, position };
    }
    if (GUID.test(text)) return { kind: 'literal', type: 'guid', value: text.toLowerCase(), position };
    if (COMPARE_OPS.has(text) || text === 'and' || text === 'or' || text === 'not')
      this.fail('Expression expected', position);
    if (IDENTIFIER.test(text)) return { kind: 'property', name: text, position };
    return this.fail(`Syntax error: '${text}' is not a property name or a literal`, position);
  }
}

function tokenText(token: Token): string {
  switch (token.kind) {
    case 'word':
      return token.text;
    case 'string':
      return `'${token.value.replaceAll("'", "''")}'`;
    case 'end':
      return '';
    default:
      return token.kind;
  }
}

/** Whether a function is called inside another one's arguments (BC: $schemaversion=2.1 and later). */
export function hasNestedCall(node: FilterNode): boolean {
  const callInside = (operand: Operand): boolean => operand.kind === 'call';
  const nestedIn = (operand: Operand): boolean =>
    operand.kind === 'call' && (callInside(operand.arg) || nestedIn(operand.arg));
  switch (node.kind) {
    case 'or':
    case 'and':
      return hasNestedCall(node.left) || hasNestedCall(node.right);
    case 'not':
      return hasNestedCall(node.operand);
    case 'function':
      return node.args.some(callInside);
    case 'compare':
      return nestedIn(node.left) || nestedIn(node.right);
    case 'value':
      return nestedIn(node.operand);
  }
}

/** The properties a filter reads (through function calls too). */
export function propertiesOf(node: FilterNode, out = new Set<string>()): Set<string> {
  const operand = (o: Operand): void => {
    if (o.kind === 'property') out.add(o.name);
    else if (o.kind === 'call') operand(o.arg);
  };
  switch (node.kind) {
    case 'or':
    case 'and':
      propertiesOf(node.left, out);
      propertiesOf(node.right, out);
      break;
    case 'not':
      propertiesOf(node.operand, out);
      break;
    case 'function':
      node.args.forEach(operand);
      break;
    case 'compare':
      operand(node.left);
      operand(node.right);
      break;
    case 'value':
      operand(node.operand);
      break;
  }
  return out;
}

/**
 * The first `or` whose two sides read different properties, if any: Business Central refuses it
 * ("The 'OR' operator is not supported on distinct fields on an OData filter",
 * webservices/odata-known-limitations), having no AL field filter for it.
 */
export function crossPropertyOr(node: FilterNode): FilterNode | null {
  switch (node.kind) {
    case 'or':
      if (propertiesOf(node).size > 1) return node;
      return null;
    case 'and':
      return crossPropertyOr(node.left) ?? crossPropertyOr(node.right);
    case 'not':
      return crossPropertyOr(node.operand);
    default:
      return null;
  }
}

/**
 * The first `not` over a contains/startswith/endswith call, if any. Business Central turns a
 * filter into AL field filters, and AL has a wildcard for "contains" but no negation of one, so
 * "does not contain" has no AL approximation: "If there's no AL approximation, an error is
 * reported" (webservices/use-filter-expressions-in-odata-uris). The documented operators list no
 * `not` at all; a `not` of a comparison has one (`<>`, the opposite bound) and is evaluated.
 */
export function negatedFunction(node: FilterNode, negated = false): FilterNode | null {
  switch (node.kind) {
    case 'or':
    case 'and':
      return negatedFunction(node.left, negated) ?? negatedFunction(node.right, negated);
    case 'not':
      return negatedFunction(node.operand, true);
    case 'function':
      return negated ? node : null;
    default:
      return null;
  }
}

/** Parses a `$filter` expression; throws FilterSyntaxError naming the position of the problem. */
export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text), text).parse();
}
