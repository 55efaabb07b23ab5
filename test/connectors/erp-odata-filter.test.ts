// The $filter builder: user input only ever becomes a quoted (or validated unquoted) literal.
import { describe, expect, it } from 'vitest';
import {
  and,
  anyOf,
  date,
  eq,
  guid,
  literal,
  ODataFilter,
  type FilterProperty,
} from '../../connectors/erp/business-central/odata-filter.js';

describe('OData $filter builder', () => {
  it("quotes strings and doubles embedded single quotes (O'Brien)", () => {
    expect(literal("O'Brien")).toBe("'O''Brien'");
    expect(eq('number', "O'Brien").toString()).toBe("number eq 'O''Brien'");
    expect(literal('')).toBe("''");
    expect(literal("''")).toBe("''''''");
  });

  it('keeps an injection attempt inside one literal', () => {
    const attack = "C1' or number ne '";
    const text = eq('number', attack).toString();
    expect(text).toBe("number eq 'C1'' or number ne '''");
    // Reading the literal back the way the ABNF does yields exactly the input: one operand, no `or`.
    const match = /^number eq '((?:[^']|'')*)'$/.exec(text);
    expect(match?.[1]?.replaceAll("''", "'")).toBe(attack);
  });

  it('strings stay strings even when they look like numbers, booleans, GUIDs or null', () => {
    expect(literal('42')).toBe("'42'");
    expect(literal('true')).toBe("'true'");
    expect(literal('null')).toBe("'null'");
    expect(literal('3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe("'3f2504e0-4f89-11d3-9a0c-0305e82c3301'");
  });

  it('formats numbers, booleans, GUIDs and dates unquoted, and refuses malformed ones', () => {
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('-1.5');
    expect(literal(true)).toBe('true');
    expect(literal(false)).toBe('false');
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(literal(guid('3F2504E0-4F89-11D3-9A0C-0305E82C3301'))).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(() => guid("3f2504e0-4f89-11d3-9a0c-0305e82c3301' or id ne '")).toThrow(TypeError);
    expect(() => guid('not-a-guid')).toThrow(TypeError);
    expect(literal(date('2024-02-29'))).toBe('2024-02-29');
    expect(() => date('2023-02-29')).toThrow(TypeError);
    expect(() => date("2024-01-01' or 1 eq 1")).toThrow(TypeError);
  });

  it('anyOf builds a parenthesized disjunction that composes under and', () => {
    expect(anyOf('number', ['C1', 'C2']).toString()).toBe("(number eq 'C1' or number eq 'C2')");
    expect(anyOf('number', ['C1']).toString()).toBe("(number eq 'C1')");
    expect(and(anyOf('customerNumber', ['A', "B'"]), eq('status', 'Open')).toString()).toBe(
      "(customerNumber eq 'A' or customerNumber eq 'B''') and status eq 'Open'",
    );
    expect(and(eq('number', 'X')).toString()).toBe("number eq 'X'");
    expect(() => anyOf('number', [])).toThrow(RangeError);
    expect(() => and()).toThrow(RangeError);
  });

  it('takes property names only from the allow-list', () => {
    expect(() => eq('number eq 1 or number' as FilterProperty, 'x')).toThrow(TypeError);
    expect(() => anyOf('website' as FilterProperty, ['x'])).toThrow(TypeError);
  });

  it('a filter cannot be made from a raw string', () => {
    expect(() => new ODataFilter(Symbol('odata-filter-builder') as never, '1 eq 1')).toThrow(TypeError);
  });
});
