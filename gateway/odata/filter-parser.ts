// A recursive-descent parser for the `$filter` subset Salesforce Connect sends (OData 4.0 URL
// Conventions §5.1.1; shared/reference/salesforce-connect-odata.md). Written here because no npm
// parser handles Salesforce's forms: odata-v4-parser and @odata/parser reject the wrapped
// `contains(Name,'Acme') eq true` search form, and @balena/odata-parser rejects v4 date-time
// literals (and $search / $skiptoken around it).
//
// Grammar (whitespace = spaces and tabs, after the query string is decoded; keywords are
// lowercase, as in OData):
//
//   filter      = orExpr EOF
//   orExpr      = andExpr *( "or" andExpr )
//   andExpr     = notExpr *( "and" notExpr )
//   notExpr     = "not" notExpr / compareExpr
//   compareExpr = primary [ compareOp primary / "in" "(" literal *( "," literal ) ")" ]
//   compareOp   = "eq" / "ne" / "gt" / "ge" / "lt" / "le"
//   primary     = "(" orExpr ")" / function / literal / property
//   function    = ( "contains" / "startswith" / "endswith" ) "(" orExpr "," orExpr ")"
//   property    = identifier                       ; a property of the entity set
//   literal     = string / integer / decimal / "true" / "false" / "null" / date / dateTimeOffset
//   string      = "'" *( "''" / any character but "'" ) "'"
//   integer     = [ "-" ] 1*DIGIT
//   decimal     = [ "-" ] 1*DIGIT [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
//   date        = YYYY "-" MM "-" DD
//   dateTimeOffset = date "T" hh ":" mm [ ":" ss [ "." 1*12DIGIT ] ] ( "Z" / ( "+" / "-" ) hh ":" mm )
//
// One deliberate difference from OData's precedence table: `not` takes a whole comparison, so
// `not Name eq 'x'` reads as `not (Name eq 'x')`. Under the strict table it is `(not Name) eq 'x'`,
// which is ill-typed; every well-typed filter means the same under both readings.
//
// Everything else valid in OData (arithmetic, `has`, other functions, lambda operators, paths,
// parameter aliases, typed literals) is refused with 501 and what was not understood; text that is
// not OData at all is refused with 400. Both name the 1-based character position.
import type { ComparisonOperator, FilterExpr, LiteralExpr, StringFunction } from './filter-ast.js';
import { Lexer, type Token } from './filter-lexer.js';
import type { OdataError } from './errors.js';

const COMPARISON_OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const STRING_FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);
const ARITHMETIC_OPERATORS = new Set(['add', 'sub', 'mul', 'div', 'divby', 'mod']);
// OData 4.0/4.01 canonical functions (URL Conventions §5.1.1.4-§5.1.1.11): valid OData we do not
// implement (501), as opposed to a misspelt name (400).
const OTHER_ODATA_FUNCTIONS = new Set([
  'concat',
  'indexof',
  'length',
  'substring',
  'tolower',
  'toupper',
  'trim',
  'matchesPattern',
  'hassubset',
  'hassubsequence',
  'date',
  'day',
  'fractionalseconds',
  'hour',
  'maxdatetime',
  'mindatetime',
  'minute',
  'month',
  'now',
  'second',
  'time',
  'totaloffsetminutes',
  'totalseconds',
  'year',
  'ceiling',
  'floor',
  'round',
  'cast',
  'isof',
  'case',
  'geo.distance',
  'geo.intersects',
  'geo.length',
]);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'has', ...COMPARISON_OPERATORS, ...ARITHMETIC_OPERATORS]);
/** Deeper nesting than any generated filter; keeps a hostile one from exhausting the stack. */
const MAX_DEPTH = 100;
/** Values of one `in` list (the translator sends them in groups the graph accepts). */
export const MAX_IN_VALUES = 1000;

export function parseFilter(text: string): FilterExpr {
  return new FilterParser(text).parse();
}

class FilterParser {
  private readonly lexer: Lexer;
  /** Tokens read so far: lexed on demand, so the first error in the text is the one reported. */
  private readonly tokens: Token[] = [];
  private index = 0;
  private depth = 0;

  constructor(text: string) {
    this.lexer = new Lexer(text, '$filter');
  }

  parse(): FilterExpr {
    if (this.peek().type === 'eof') throw this.error('expected an expression', this.peek().position);
    const expr = this.orExpr();
    const token = this.peek();
    if (token.type !== 'eof') throw this.unexpected(token, 'expected "and", "or" or the end of the filter');
    return expr;
  }

  private orExpr(): FilterExpr {
    this.enter();
    let left = this.andExpr();
    while (this.isWord('or')) {
      const position = this.take().position;
      left = { kind: 'or', left, right: this.andExpr(), position };
    }
    this.depth--;
    return left;
  }

  private andExpr(): FilterExpr {
    let left = this.notExpr();
    while (this.isWord('and')) {
      const position = this.take().position;
      left = { kind: 'and', left, right: this.notExpr(), position };
    }
    return left;
  }

  private notExpr(): FilterExpr {
    if (this.isWord('not')) {
      const position = this.take().position;
      this.enter();
      const operand = this.notExpr();
      this.depth--;
      return { kind: 'not', operand, position };
    }
    return this.compareExpr();
  }

  private compareExpr(): FilterExpr {
    const left = this.primary();
    const token = this.peek();
    if (token.type !== 'ident') return left;
    if (COMPARISON_OPERATORS.has(token.text)) {
      this.take();
      const right = this.primary();
      const after = this.peek();
      if (after.type === 'ident' && COMPARISON_OPERATORS.has(after.text)) {
        throw this.error(`"${after.text}" cannot follow a comparison without parentheses`, after.position);
      }
      return { kind: 'compare', operator: token.text as ComparisonOperator, left, right, position: token.position };
    }
    if (token.text === 'in') {
      this.take();
      return { kind: 'in', operand: left, values: this.literalList(), position: token.position };
    }
    if (ARITHMETIC_OPERATORS.has(token.text))
      throw this.lexer.unsupported(`the arithmetic operator "${token.text}"`, token.position);
    if (token.text === 'has') throw this.lexer.unsupported('the "has" operator', token.position);
    return left;
  }

  private literalList(): LiteralExpr[] {
    this.expect('(', 'expected "(" after "in"');
    const values: LiteralExpr[] = [];
    for (;;) {
      const token = this.take();
      if (token.type !== 'literal') throw this.unexpected(token, 'expected a literal value in the "in" list');
      values.push({ kind: 'literal', literal: token.literal, position: token.position });
      if (values.length > MAX_IN_VALUES)
        throw this.error(`more than ${MAX_IN_VALUES} values in an "in" list`, token.position);
      const separator = this.take();
      if (separator.type === ')') return values;
      if (separator.type !== ',') throw this.unexpected(separator, 'expected "," or ")" in the "in" list');
    }
  }

  private primary(): FilterExpr {
    const token = this.take();
    switch (token.type) {
      case '(': {
        const inner = this.orExpr();
        this.expect(')', 'expected ")"');
        return inner;
      }
      case 'literal':
        return { kind: 'literal', literal: token.literal, position: token.position };
      case 'ident':
        return this.identifier(token);
      default:
        throw this.unexpected(token, 'expected a property, a literal, a function or "("');
    }
  }

  private identifier(token: Extract<Token, { type: 'ident' }>): FilterExpr {
    const { text: name, position } = token;
    if (this.peek().type === '(') {
      if (STRING_FUNCTIONS.has(name)) return this.stringFunction(name as StringFunction, position);
      if (OTHER_ODATA_FUNCTIONS.has(name)) throw this.lexer.unsupported(`the function ${name}()`, position);
      if (name === 'any' || name === 'all') throw this.lexer.unsupported(`the lambda operator ${name}()`, position);
      if (!KEYWORDS.has(name)) throw this.error(`unknown function ${name}()`, position);
    }
    if (KEYWORDS.has(name))
      throw this.error(`expected a property, a literal, a function or "(" but found the operator "${name}"`, position);
    if (this.peek().type === '/')
      throw this.lexer.unsupported('a navigation path or lambda operator ("/")', this.peek().position);
    if (name.includes('.')) throw this.lexer.unsupported(`the qualified name "${name}"`, position);
    return { kind: 'property', name, position };
  }

  private stringFunction(name: StringFunction, position: number): FilterExpr {
    this.take(); // (
    const first = this.orExpr();
    this.expect(',', `expected "," between the two arguments of ${name}()`);
    const second = this.orExpr();
    this.expect(')', `expected ")" after the arguments of ${name}()`);
    return { kind: 'call', name, args: [first, second], position };
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw this.error(`nested more than ${MAX_DEPTH} levels deep`, this.peek().position);
  }

  private peek(): Token {
    while (this.tokens.length <= this.index) this.tokens.push(this.lexer.next());
    return this.tokens[this.index]!;
  }

  private take(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.type === 'ident' && token.text === word;
  }

  private expect(type: Token['type'], message: string): Token {
    const token = this.take();
    if (token.type !== type) throw this.unexpected(token, message);
    return token;
  }

  private unexpected(token: Token, message: string): OdataError {
    return this.error(token.type === 'eof' ? `${message}, but the filter ends` : message, token.position);
  }

  private error(message: string, position: number): OdataError {
    return this.lexer.syntaxError(message, position);
  }
}
