// The $filter parser (gateway/odata/filter-parser.ts): every form Salesforce Connect sends (Salesforce
// Help, OData Query String Options), precedence, literals, and errors that name the position.
import { describe, expect, it } from 'vitest';
import type { FilterExpr } from '../../gateway/odata/filter-ast.js';
import { parseFilter } from '../../gateway/odata/filter-parser.js';
import { OdataError } from '../../gateway/odata/errors.js';
import { decodeQuery, rawQueryOf } from '../../gateway/odata/query-string.js';

/** A compact prefix form of the tree: (op left right), literals as type:text. */
function show(expr: FilterExpr): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${expr.kind} ${show(expr.left)} ${show(expr.right)})`;
    case 'not':
      return `(not ${show(expr.operand)})`;
    case 'compare':
      return `(${expr.operator} ${show(expr.left)} ${show(expr.right)})`;
    case 'in':
      return `(in ${show(expr.operand)} [${expr.values.map(show).join(' ')}])`;
    case 'call':
      return `(${expr.name} ${show(expr.args[0])} ${show(expr.args[1])})`;
    case 'property':
      return expr.name;
    case 'literal':
      return `${expr.literal.type}:${expr.literal.text}`;
  }
}

const parsed = (text: string) => show(parseFilter(text));

function failure(text: string): OdataError {
  try {
    parseFilter(text);
  } catch (error) {
    expect(error).toBeInstanceOf(OdataError);
    return error as OdataError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('$filter parser: comparisons and logic', () => {
  it.each([
    ["Name eq 'Acme'", '(eq Name string:Acme)'],
    ["Name ne 'Acme'", '(ne Name string:Acme)'],
    ['Total gt 100', '(gt Total int:100)'],
    ['Total ge 100.5', '(ge Total decimal:100.5)'],
    ['Total lt -3', '(lt Total int:-3)'],
    ['Total le 1.5E3', '(le Total decimal:1.5E3)'],
    ["'Acme' eq Name", '(eq string:Acme Name)'],
    ['OnHold eq true', '(eq OnHold boolean:true)'],
    ['OnHold', 'OnHold'],
  ])('%s', (text, tree) => expect(parsed(text)).toBe(tree));

  it('and binds tighter than or; both associate to the left', () => {
    expect(parsed('A eq 1 or B eq 2 and C eq 3')).toBe('(or (eq A int:1) (and (eq B int:2) (eq C int:3)))');
    expect(parsed('A eq 1 and B eq 2 and C eq 3')).toBe('(and (and (eq A int:1) (eq B int:2)) (eq C int:3))');
    expect(parsed('A eq 1 or B eq 2 or C eq 3')).toBe('(or (or (eq A int:1) (eq B int:2)) (eq C int:3))');
  });

  it('parentheses group', () => {
    expect(parsed('(A eq 1 or B eq 2) and C eq 3')).toBe('(and (or (eq A int:1) (eq B int:2)) (eq C int:3))');
    expect(parsed('((A eq 1))')).toBe('(eq A int:1)');
  });

  it('not takes a whole comparison, and nests', () => {
    expect(parsed("not Name eq 'x'")).toBe('(not (eq Name string:x))');
    expect(parsed("not (Name eq 'x' or Name eq 'y')")).toBe('(not (or (eq Name string:x) (eq Name string:y)))');
    expect(parsed("not not contains(Name,'a')")).toBe('(not (not (contains Name string:a)))');
    expect(parsed('A eq 1 and not B eq 2')).toBe('(and (eq A int:1) (not (eq B int:2)))');
  });

  it('tabs and repeated spaces are whitespace', () => {
    expect(parsed("Name\teq   'a'  and\tB eq 1")).toBe('(and (eq Name string:a) (eq B int:1))');
  });
});

describe('$filter parser: functions, in, null', () => {
  it.each([
    ["contains(Name,'Acme')", '(contains Name string:Acme)'],
    ["startswith(Name, 'Ac')", '(startswith Name string:Ac)'],
    ["endswith( Name , 'me' )", '(endswith Name string:me)'],
    ["contains(Name,'Acme') eq true", '(eq (contains Name string:Acme) boolean:true)'],
    ["contains(Name,'Acme') eq false", '(eq (contains Name string:Acme) boolean:false)'],
    ["startswith(Name,'A') ne true", '(ne (startswith Name string:A) boolean:true)'],
    ["not contains(Name,'Acme')", '(not (contains Name string:Acme))'],
    ["Status in ('OPEN','PAID')", '(in Status [string:OPEN string:PAID])'],
    ["Status in ( 'OPEN' )", '(in Status [string:OPEN])'],
    ['Sequence in (10000, 20000)', '(in Sequence [int:10000 int:20000])'],
    ['Phone eq null', '(eq Phone null:null)'],
    ['Phone ne null', '(ne Phone null:null)'],
  ])('%s', (text, tree) => expect(parsed(text)).toBe(tree));
});

describe('$filter parser: literals', () => {
  it.each([
    ["Name eq 'O''Neil'", "(eq Name string:O'Neil)"],
    ["Name eq ''''", "(eq Name string:')"],
    ["Name eq ''", '(eq Name string:)'],
    ["Name eq 'a and b or c eq d'", '(eq Name string:a and b or c eq d)'],
    ["Name eq 'Zürich (€)'", '(eq Name string:Zürich (€))'],
    ['Sequence eq 0', '(eq Sequence int:0)'],
    ['Total eq 12.50', '(eq Total decimal:12.50)'],
    ['Total eq -0.5', '(eq Total decimal:-0.5)'],
    ['Total eq 1e-2', '(eq Total decimal:1e-2)'],
    ['Stale eq false', '(eq Stale boolean:false)'],
    ['InvoiceDate eq 2024-01-31', '(eq InvoiceDate date:2024-01-31)'],
    ['InvoiceDate eq 2024-02-29', '(eq InvoiceDate date:2024-02-29)'],
    ['AsOf gt 2024-01-31T10:00:00Z', '(gt AsOf dateTimeOffset:2024-01-31T10:00:00Z)'],
    ['AsOf gt 2024-01-31T10:00Z', '(gt AsOf dateTimeOffset:2024-01-31T10:00:00Z)'],
    ['AsOf gt 2024-01-31T10:00:00.123Z', '(gt AsOf dateTimeOffset:2024-01-31T10:00:00.123Z)'],
    ['AsOf gt 2024-01-31T10:00:00+01:00', '(gt AsOf dateTimeOffset:2024-01-31T10:00:00+01:00)'],
    ['AsOf gt 2024-01-31T10:00:00-05:30', '(gt AsOf dateTimeOffset:2024-01-31T10:00:00-05:30)'],
    // `+01:00` sent unencoded arrives as ` 01:00` once `+` is decoded as a space.
    ['AsOf gt 2024-01-31T10:00:00 01:00', '(gt AsOf dateTimeOffset:2024-01-31T10:00:00+01:00)'],
  ])('%s', (text, tree) => expect(parsed(text)).toBe(tree));
});

describe('$filter parser: the requests Salesforce Connect sends', () => {
  // Real list-view and search requests of Salesforce Connect's OData 4.0 adapter.
  const examples = [
    '/Suppliers?$select=SupplierID&$count=true&$top=26',
    "/Shippers?$select=CompanyName,Phone,ShipperID&$count=true&$filter=contains(CompanyName,'Acme') eq true or contains(Phone,'Acme') eq true&$top=25",
    '/Orders?$count=true&$select=CustomerID,OrderID,RequiredDate,ShippedDate&$top=301&$skiptoken=10447',
  ];

  it.each(examples)('%s: options decode (spaces as %%20 and as +), the filter parses', (url) => {
    for (const encoded of [url.replaceAll(' ', '%20'), url.replaceAll(' ', '+'), encodeURI(url)]) {
      const { options } = decodeQuery(rawQueryOf(encoded));
      expect(options.get('$top')).toMatch(/^\d+$/);
      const filter = options.get('$filter');
      if (filter !== undefined) {
        expect(filter).toBe("contains(CompanyName,'Acme') eq true or contains(Phone,'Acme') eq true");
        expect(parsed(filter)).toBe(
          '(or (eq (contains CompanyName string:Acme) boolean:true) (eq (contains Phone string:Acme) boolean:true))',
        );
      }
    }
  });

  it('the SOQL-mapped forms: eq/ne/lt/le/gt/ge, startswith, endswith, in, eq null, dates, decimals, escaped quotes', () => {
    expect(
      parsed(
        "(CustomerNumber eq 'C00001' and InvoiceDate ge 2024-01-01 and InvoiceDate lt 2024-02-01) or (Total gt 99.95 and not (Status in ('PAID','CANCELED'))) or Name eq 'O''Brien' or OrderNumber eq null",
      ),
    ).toBe(
      "(or (or (or (and (and (eq CustomerNumber string:C00001) (ge InvoiceDate date:2024-01-01)) (lt InvoiceDate date:2024-02-01)) (and (gt Total decimal:99.95) (not (in Status [string:PAID string:CANCELED])))) (eq Name string:O'Brien)) (eq OrderNumber null:null))",
    );
  });
});

describe('$filter parser: refusals name the position', () => {
  it.each([
    ['', 400, 1],
    ['Name eq', 400, 8],
    ["Name eq 'Acme", 400, 9],
    ["Name eq 'Acme' and", 400, 19],
    ["Name eq 'Acme' Phone", 400, 16],
    ["(Name eq 'Acme'", 400, 16],
    ["Name eq 'Acme')", 400, 15],
    ["Name == 'Acme'", 400, 6],
    ['Name eq "Acme"', 400, 9],
    ['InvoiceDate eq 2024-02-30', 400, 16],
    ['InvoiceDate eq 2024-13-01', 400, 16],
    ['AsOf eq 2024-01-31T10:00:00', 400, 9],
    ['AsOf eq 2024-01-31T25:00:00Z', 400, 9],
    ['Total eq 12abc', 400, 10],
    ["Status in 'OPEN'", 400, 11],
    ["Status in ('OPEN' 'PAID')", 400, 19],
    ['Status in ()', 400, 12],
    ['Status in (Name)', 400, 12],
    ["frobnicate(Name,'x')", 400, 1],
    ["Name eq 'a' eq true", 400, 13],
    ['and eq 1', 400, 1],
    ["contains(Name 'x')", 400, 15],
    // A cut-off date or a stray minus is no expression, not the negation OData has.
    ['DueDate in (2024-01-31,2026-', 400, 28],
    ['Total eq -', 400, 10],
    ['Total eq 1 -)', 400, 12],
  ])('%j → %i at %i', (text, status, position) => {
    const error = failure(text);
    expect(error.status).toBe(status);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.target).toBe('$filter');
    expect(error.message).toContain(`position ${position}`);
  });

  it.each([
    ["tolower(Name) eq 'acme'", 1],
    ['Total add 1 gt 2', 7],
    ['Total mul 2 gt 2', 7],
    ['Lines/any(l: l/Quantity gt 1)', 6],
    ['Address/City eq 1', 8],
    ["Flags has Namespace.Color'Red'", 7],
    ['Total eq @p1', 10],
    ['$it/Total gt 1', 1],
    ["Id eq guid'0000'", 7],
    ['-Total gt 1', 1],
    ['- (Total) gt 1', 1],
    ['year(InvoiceDate) eq 2024', 1],
  ])('%j is valid OData we do not support: 501 at %i', (text, position) => {
    const error = failure(text);
    expect(error.status).toBe(501);
    expect(error.code).toBe('NOT_IMPLEMENTED');
    expect(error.message).toContain(`position ${position}`);
  });

  it('refuses nesting deeper than 100 levels instead of exhausting the stack', () => {
    const error = failure(`${'('.repeat(5000)}A eq 1${')'.repeat(5000)}`);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/nested more than 100/);
    expect(() => parseFilter(`${'not '.repeat(5000)}A eq 1`)).toThrow(/nested more than 100/);
  });

  it('refuses an in list longer than 1000 values', () => {
    const values = Array.from({ length: 1001 }, (_, i) => `'V${i}'`).join(',');
    expect(failure(`Status in (${values})`).message).toMatch(/more than 1000 values/);
  });
});
