// Tokens of OData expressions ($filter and key predicates), following the literal forms of OData 4.0
// URL Conventions §5.1.1 and the ABNF (odata-abnf-construction-rules): strings with '' escaping,
// integers, decimals (with an optional exponent), booleans, null, dates and date-times with a
// time-zone offset. Positions are 1-based offsets into the decoded text.
import type { Literal } from './filter-ast.js';
import { badRequest, notImplemented, type OdataError } from './errors.js';

export type Token =
  | { readonly type: 'ident'; readonly text: string; readonly position: number }
  | { readonly type: 'literal'; readonly literal: Literal; readonly position: number }
  | { readonly type: '(' | ')' | ',' | '=' | '/'; readonly position: number }
  | { readonly type: 'eof'; readonly position: number };

const WHITESPACE = new Set([' ', '\t']);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.]/;
const DIGIT = /[0-9]/;

// YYYY-MM-DD, then optionally THH:MM[:SS[.fraction]] with Z or ±HH:MM. A space in place of the
// offset's `+` is accepted: a client that leaves `+01:00` unencoded has its `+` decoded as a space
// (the query string treats `+` as a space, query-string.ts), and nothing else can follow a time.
const DATE_OR_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,12})?)?(Z|z|[+\- ]\d{2}:\d{2})?)?/;
const NUMBER = /^\d+(\.\d+)?([eE][+-]?\d+)?/;

/** Where a lexer or parser error points: `… at position 12` with a short excerpt of the text there. */
export function at(text: string, position: number): string {
  const rest = text.slice(position - 1, position + 19);
  return position > text.length ? `at position ${position} (end of input)` : `at position ${position} (near "${rest}")`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export class Lexer {
  private offset = 0;

  constructor(
    private readonly text: string,
    /** Names the option in messages, e.g. `$filter`. */
    private readonly option: string,
  ) {}

  syntaxError(message: string, position: number): OdataError {
    return badRequest(`${this.option}: ${message} ${at(this.text, position)}.`, this.option);
  }

  unsupported(message: string, position: number): OdataError {
    return notImplemented(`${this.option}: ${message} ${at(this.text, position)} is not supported.`, this.option);
  }

  /** All tokens, ending with `eof`. */
  tokenize(): Token[] {
    const tokens: Token[] = [];
    for (;;) {
      const token = this.next();
      tokens.push(token);
      if (token.type === 'eof') return tokens;
    }
  }

  /** The next token; `eof` (again and again) at the end. */
  next(): Token {
    const { text } = this;
    while (this.offset < text.length && WHITESPACE.has(text[this.offset]!)) this.offset++;
    const position = this.offset + 1;
    if (this.offset >= text.length) return { type: 'eof', position };
    const char = text[this.offset]!;
    if (char === '(' || char === ')' || char === ',' || char === '=' || char === '/') {
      this.offset++;
      return { type: char, position };
    }
    if (char === "'") return this.string(position);
    if (DIGIT.test(char)) return this.numberOrDate(position, false);
    if (char === '-' && DIGIT.test(text[this.offset + 1] ?? '')) {
      this.offset++;
      return this.numberOrDate(position, true);
    }
    if (IDENT_START.test(char)) {
      let end = this.offset + 1;
      while (end < text.length && IDENT_PART.test(text[end]!)) end++;
      const word = text.slice(this.offset, end);
      this.offset = end;
      if (word === 'true' || word === 'false')
        return { type: 'literal', literal: { type: 'boolean', text: word }, position };
      if (word === 'null') return { type: 'literal', literal: { type: 'null', text: 'null' }, position };
      // Typed literals of OData 2/3 (datetime'…', guid'…') and 4.0's enum, duration, binary and
      // geography literals: none of them is sent by Salesforce Connect's 4.0 adapter.
      if (text[end] === "'") throw this.unsupported(`the typed literal ${word}'…'`, position);
      return { type: 'ident', text: word, position };
    }
    if (char === '$' || char === '@') {
      // $it, $root, $this (lambda and path variables) and @alias parameter aliases.
      let end = this.offset + 1;
      while (end < text.length && IDENT_PART.test(text[end]!)) end++;
      throw this.unsupported(`"${text.slice(this.offset, end)}"`, position);
    }
    if (char === '-') {
      // OData's negation (`-Total`, `- (…)`) is valid and not implemented; a `-` with nothing it
      // could negate after it (`2026-`, `-)`) is no expression at all.
      const operand = text.slice(this.offset + 1).trimStart()[0];
      if (operand !== undefined && (IDENT_START.test(operand) || operand === '(' || operand === '-'))
        throw this.unsupported('arithmetic negation', position);
      throw this.syntaxError('"-" with nothing to negate after it', position);
    }
    if (char === ':') throw this.unsupported('a lambda expression', position);
    if (char === '"')
      throw this.syntaxError("strings are quoted with single quotes ('…'), not double quotes", position);
    throw this.syntaxError(`unexpected character "${char}"`, position);
  }

  private string(position: number): Token {
    const { text } = this;
    let value = '';
    let index = this.offset + 1;
    for (;;) {
      if (index >= text.length) throw this.syntaxError('unterminated string literal starting', position);
      const char = text[index]!;
      if (char === "'") {
        // '' inside a string is one quote (OData ABNF: SQUOTE-in-string).
        if (text[index + 1] === "'") {
          value += "'";
          index += 2;
          continue;
        }
        this.offset = index + 1;
        return { type: 'literal', literal: { type: 'string', text: value }, position };
      }
      value += char;
      index++;
    }
  }

  private numberOrDate(position: number, negative: boolean): Token {
    const rest = this.text.slice(this.offset);
    const date = negative ? null : DATE_OR_DATE_TIME.exec(rest);
    if (date) return this.dateToken(date, position);
    const number = NUMBER.exec(rest);
    if (!number) throw this.syntaxError('malformed number', position);
    this.offset += number[0].length;
    if (IDENT_START.test(this.text[this.offset] ?? '')) throw this.syntaxError('malformed number', position);
    const text = `${negative ? '-' : ''}${number[0]}`;
    const isInteger = number[1] === undefined && number[2] === undefined;
    return { type: 'literal', literal: { type: isInteger ? 'int' : 'decimal', text }, position };
  }

  private dateToken(match: RegExpExecArray, position: number): Token {
    const [whole, y, mo, d, h, mi, s, fraction, offset] = match;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
      throw this.syntaxError(`invalid date ${y}-${mo}-${d}`, position);
    this.offset += whole.length;
    if (IDENT_PART.test(this.text[this.offset] ?? '') || this.text[this.offset] === ':')
      throw this.syntaxError('malformed date or date-time', position);
    if (h === undefined) return { type: 'literal', literal: { type: 'date', text: `${y}-${mo}-${d}` }, position };
    if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? '0') > 59)
      throw this.syntaxError('invalid time of day', position);
    if (offset === undefined) throw this.syntaxError('a date-time needs a time-zone offset (Z or ±hh:mm)', position);
    let zone = offset === 'z' ? 'Z' : offset;
    if (zone.startsWith(' ')) zone = `+${zone.slice(1)}`;
    if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4, 6)) > 59))
      throw this.syntaxError('invalid time-zone offset', position);
    const text = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${fraction ?? ''}${zone}`;
    return { type: 'literal', literal: { type: 'dateTimeOffset', text }, position };
  }
}
