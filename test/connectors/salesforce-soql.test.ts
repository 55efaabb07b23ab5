// Unit tests of the connector's id normalisation and SOQL escaping (no server): every generated
// statement must parse, and every value must come back out of the parse exactly as it went in.
import { parseQuery, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
import { describe, expect, it } from 'vitest';
import { normalizeSalesforceId } from '../../connectors/salesforce/ids.js';
import { accountsByErpNumbersSoql, countAccountsSoql, listAccountsSoql } from '../../connectors/salesforce/queries.js';
import { SoqlInputError, soqlIdList, soqlLikeContains, soqlString } from '../../connectors/salesforce/soql.js';
import { salesforceId18 } from '../../emulators/seed/salesforce-id.js';

/** Decodes a SOQL string literal per "Quoted String Escape Sequences" (the test's own reading). */
function unquote(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  const named: Record<string, string> = {
    n: '\n',
    r: '\r',
    t: '\t',
    b: '\b',
    f: '\f',
    '"': '"',
    "'": "'",
    '\\': '\\',
    '%': '\\%',
    _: '\\_',
  };
  return literal.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, esc: string) => {
    if (esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    const out = named[esc];
    if (out === undefined) throw new Error(`bad escape \\${esc}`);
    return out;
  });
}

function conditions(query: Query): { field?: string; operator: string; value: unknown }[] {
  const out: { field?: string; operator: string; value: unknown }[] = [];
  const walk = (where: WhereClause | undefined) => {
    if (!where) return;
    if (where.left && 'operator' in where.left) out.push(where.left as never);
    walk('right' in where ? where.right : undefined);
  };
  walk(query.where);
  return out;
}

const NASTY = [
  "O'Brien",
  "x' OR Name != '",
  'back\\slash',
  'trailing\\',
  "\\'",
  'quote"double',
  '50% _off_',
  'line\nbreak\r\ttab\b\f',
  'ctrl\u0001char',
  "') OR (Id != '",
  'ünïcødé 漢字',
  'line\u2028separator\u2029paragraph\u0085next line\u009fC1\u007fdelete',
  'lone \ud800 high, lone \udc00 low, a pair 😀',
];

describe('normalizeSalesforceId', () => {
  it('matches the documented example and the emulator seed algorithm', () => {
    expect(normalizeSalesforceId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(normalizeSalesforceId('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    for (const id15 of ['0018d0000000001', '005ZZZZZZZZZZZZ', '0Q0abcdeABCDE12', '500aAaAaAaAaAaA']) {
      expect(normalizeSalesforceId(id15)).toBe(salesforceId18(id15));
    }
  });

  it('rejects malformed ids and wrong checksums', () => {
    for (const bad of [
      '',
      '001',
      '001A0000006Vm9',
      '001A0000006Vm9rI',
      '001A0000006Vm9rIAD',
      '001A0000006Vm9riac',
      "001' OR Name != '",
      '001A0000006Vm9!',
      '001A0000006Vm9rIAC ',
      ' 001A0000006Vm9r',
    ]) {
      expect(normalizeSalesforceId(bad)).toBeNull();
    }
    expect(normalizeSalesforceId(42 as unknown as string)).toBeNull();
  });

  it('checks the key prefix when asked', () => {
    expect(normalizeSalesforceId('001A0000006Vm9r', '001')).toBe('001A0000006Vm9rIAC');
    expect(normalizeSalesforceId('001A0000006Vm9r', '0Q0')).toBeNull();
  });
});

describe('SOQL literals', () => {
  it.each(NASTY)('soqlString round-trips %j through the parser', (value) => {
    const query = parseQuery(`SELECT Id FROM Account WHERE Name = ${soqlString(value)}`);
    const [only, ...rest] = conditions(query);
    expect(rest).toEqual([]);
    expect(only?.operator).toBe('=');
    expect(unquote(only?.value as string)).toBe(value);
  });

  it.each(NASTY)('soqlLikeContains escapes %j including %% and _', (value) => {
    const query = parseQuery(`SELECT Id FROM Account WHERE Name LIKE ${soqlLikeContains(value)}`);
    const [only, ...rest] = conditions(query);
    expect(rest).toEqual([]);
    expect(only?.operator).toBe('LIKE');
    const pattern = unquote(only?.value as string);
    // Wildcards only at the ends; the value's own % and _ stay escaped.
    expect(pattern.startsWith('%') && pattern.endsWith('%')).toBe(true);
    expect(pattern.slice(1, -1).replace(/\\([%_])/g, '$1')).toBe(value);
    expect(pattern.slice(1, -1)).not.toMatch(/(^|[^\\])[%_]/);
  });

  it('escapes exactly the documented sequences', () => {
    expect(soqlString('a\'b\\c"d\n\r\t\b\f')).toBe("'a\\'b\\\\c\\\"d\\n\\r\\t\\b\\f'");
    // Separators, C1 controls and lone surrogates as \uXXXX; a well-formed pair and other text as they are.
    expect(soqlString('\u2028\u2029\u0085\ud800x\udc00😀é')).toBe("'\\u2028\\u2029\\u0085\\ud800x\\udc00😀é'");
    expect(soqlLikeContains('5%_x')).toBe("'%5\\%\\_x%'");
    expect(soqlString('50%_')).toBe("'50%_'");
  });

  it('soqlIdList re-validates every id', () => {
    expect(soqlIdList(['001A0000006Vm9r'])).toBe("('001A0000006Vm9rIAC')");
    expect(() => soqlIdList(['001A0000006Vm9r', "001' OR Name != '"])).toThrow(SoqlInputError);
    expect(() => soqlIdList([])).toThrow(SoqlInputError);
  });
});

describe('statements', () => {
  it('every account statement parses with hostile values and keeps one condition per value', () => {
    for (const value of NASTY) {
      const list = parseQuery(
        listAccountsSoql({
          first: 10,
          after: { name: value, id: '001A0000006Vm9r' },
          filter: { nameContains: value, industry: value, type: value },
        }),
      );
      expect(list.limit).toBe(11);
      const values = conditions(list).map((c) => c.value);
      expect(values).toHaveLength(6); // LIKE, Industry, Type, Name >, Name =, Id >
      expect(values.slice(1, 5).map((v) => unquote(v as string))).toEqual([value, value, value, value]);
      expect(() => parseQuery(countAccountsSoql({ nameContains: value }))).not.toThrow();
      const byErp = parseQuery(accountsByErpNumbersSoql([value, 'C00001']));
      expect((conditions(byErp)[0]?.value as string[]).map(unquote)).toEqual([value, 'C00001']);
    }
  });

  it('refuses a malformed keyset id instead of building SOQL', () => {
    expect(() => listAccountsSoql({ first: 5, after: { name: 'A', id: "001' OR Id != '" } })).toThrow(SoqlInputError);
  });
});
