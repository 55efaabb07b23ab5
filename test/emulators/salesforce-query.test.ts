// SOQL as the Salesforce emulator evaluates it, driven through jsforce itself: every WHERE operator,
// AND/OR/NOT precedence and parentheses, null semantics, date literals, ORDER BY with nulls,
// LIMIT/OFFSET, parent paths, child subqueries, COUNT(), aggregates, semi-joins and the error
// codes of bad queries.
import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixtureDataset, rejection, startEmulator, type RunningFixture } from './salesforce-fixture.js';

const org = fixtureDataset();
let fx: RunningFixture;
let conn: jsforce.Connection;

beforeAll(async () => {
  fx = await startEmulator({ dataset: org.dataset, now: () => NOW });
  conn = fx.connection();
});
afterAll(async () => {
  expect(fx.unexpected).toEqual([]);
  await fx.close();
});

type Row = Record<string, unknown> & { attributes: { type: string; url: string } };

async function rows(soql: string): Promise<Row[]> {
  const result = await conn.query<Row>(soql);
  return result.records;
}

async function names(where: string, object = 'Account', field = 'Name'): Promise<string[]> {
  const records = await rows(`SELECT ${field} FROM ${object} WHERE ${where} ORDER BY ${field}`);
  return records.map((r) => r[field] as string);
}

describe('WHERE operators', () => {
  it('= and != compare text case-insensitively; != keeps nulls', async () => {
    expect(await names("Name = 'acme CORP'")).toEqual(['Acme Corp']);
    expect(await names("Industry != 'machinery'")).toEqual([
      'Beta Industries',
      'Epsilon 100% Steel_Works',
      'Gamma Gears',
      "O'Brien Tools",
    ]);
  });

  it('< <= > >= on numbers leave out nulls', async () => {
    expect(await names('AnnualRevenue > 1200000')).toEqual(['Acme Corp', 'Epsilon 100% Steel_Works', "O'Brien Tools"]);
    expect(await names('AnnualRevenue >= 1200000')).toEqual([
      'Acme Corp',
      'Beta Industries',
      'Epsilon 100% Steel_Works',
      "O'Brien Tools",
    ]);
    expect(await names('AnnualRevenue < 1200000')).toEqual(['delta dynamics']);
    expect(await names('AnnualRevenue <= 1200000')).toEqual(['Beta Industries', 'delta dynamics']);
  });

  it('< and > on text compare case-insensitively', async () => {
    expect(await names("Name < 'c'")).toEqual(['Acme Corp', 'Beta Industries']);
    expect(await names("Name >= 'O'")).toEqual(["O'Brien Tools"]);
  });

  it('IN and NOT IN (NOT IN keeps nulls)', async () => {
    expect(await names("Industry IN ('machinery', 'Automotive')")).toEqual([
      'Acme Corp',
      'delta dynamics',
      "O'Brien Tools",
    ]);
    expect(await names("Industry NOT IN ('Machinery', 'Electronics')")).toEqual([
      'Epsilon 100% Steel_Works',
      'Gamma Gears',
      "O'Brien Tools",
    ]);
    expect(await names('NumberOfEmployees IN (12, 40)')).toEqual(['Beta Industries', 'Gamma Gears']);
  });

  it('LIKE with % and _ wildcards, case-insensitive, and escaped \\% \\_', async () => {
    expect(await names("Name LIKE 'a%'")).toEqual(['Acme Corp']);
    expect(await names("Name LIKE '_ETA%'")).toEqual(['Beta Industries']);
    expect(await names("Name LIKE '%100\\% Steel\\_Works'")).toEqual(['Epsilon 100% Steel_Works']);
    expect(await names("Name LIKE '%1000\\%%'")).toEqual([]);
    expect(await names("Name LIKE 'O\\'Brien%'")).toEqual(["O'Brien Tools"]);
    expect(await names("Name LIKE '%S'")).toEqual([
      'Beta Industries',
      'delta dynamics',
      'Epsilon 100% Steel_Works',
      'Gamma Gears',
      "O'Brien Tools",
    ]);
  });

  it('quoted strings with escapes', async () => {
    expect(await names("Name = 'O\\'Brien Tools'")).toEqual(["O'Brien Tools"]);
    expect(await names("LastName = 'O\\'Hara'", 'Contact', 'LastName')).toEqual(["O'Hara"]);
  });

  it('= null and != null', async () => {
    expect(await names('Industry = null')).toEqual(['Gamma Gears']);
    expect(await names('Industry != null')).toHaveLength(5);
    expect(await names('Email = null', 'Contact', 'LastName')).toEqual(['Baker']);
  });

  it('booleans', async () => {
    expect(await names('IsWon = true', 'Opportunity')).toEqual(['Acme pumps']);
    expect(await names('IsClosed = FALSE', 'Opportunity')).toEqual(['Acme retrofit', 'Beta bearings']);
  });

  it('date and date-time literals', async () => {
    expect(await names('CloseDate = 2025-01-15', 'Opportunity')).toEqual(['Acme pumps']);
    expect(await names('CloseDate < 2025-01-01', 'Opportunity')).toEqual(['Beta bearings']);
    expect(await names('CreatedDate > 2024-12-31T00:00:00Z')).toEqual(['delta dynamics']);
    expect(await names('CreatedDate >= 2024-12-20T08:00:00.000+0000')).toEqual(['delta dynamics', 'Gamma Gears']);
  });

  it('date literals relative to today (TODAY, LAST_N_DAYS:n, LAST_MONTH, THIS_YEAR)', async () => {
    expect(await names('CloseDate = TODAY', 'Opportunity')).toEqual(['Acme pumps']);
    expect(await names('CloseDate = LAST_N_DAYS:7', 'Opportunity')).toEqual(['Acme pumps', 'Acme retrofit']);
    expect(await names('CloseDate = LAST_MONTH', 'Opportunity')).toEqual(['Beta bearings']);
    expect(await names('CloseDate < THIS_MONTH', 'Opportunity')).toEqual(['Beta bearings']);
    expect(await names('CreatedDate = THIS_YEAR')).toEqual(['delta dynamics']);
    expect(await names('CreatedDate = LAST_N_DAYS:30')).toEqual(['delta dynamics', 'Gamma Gears']);
    expect(await names('CreatedDate = YESTERDAY')).toEqual(['delta dynamics']);
  });

  it('ids: 15- and 18-character literals, on Id and reference fields', async () => {
    const { acme, beta } = org.accounts;
    expect(await names(`Id = '${acme.Id.slice(0, 15)}'`)).toEqual(['Acme Corp']);
    expect(await names(`Id IN ('${acme.Id}', '${beta.Id.slice(0, 15)}')`)).toEqual(['Acme Corp', 'Beta Industries']);
    expect(await names(`OwnerId = '${org.users.sara.Id.slice(0, 15)}'`)).toEqual([
      'Acme Corp',
      'Epsilon 100% Steel_Works',
      'Gamma Gears',
    ]);
    expect(await names(`AccountId = '${beta.Id.slice(0, 15)}'`, 'Contact', 'LastName')).toEqual(['Diaz']);
  });

  it('parent paths in WHERE', async () => {
    expect(await names("Account.Name = 'Acme Corp'", 'Contact', 'LastName')).toEqual(['Archer', 'Baker', 'Carter']);
    expect(await names("Account.Owner.Name = 'Sara Sales'", 'Contact', 'LastName')).toEqual([
      'Archer',
      'Baker',
      'Carter',
    ]);
    expect(await names("Quote.Account.ERP_Customer_Id__c = 'C00001'", 'QuoteLineItem', 'LineNumber')).toEqual([
      '00000001',
      '00000002',
    ]);
  });

  it('semi-joins: Id IN / NOT IN (SELECT ...)', async () => {
    expect(await names('Id IN (SELECT AccountId FROM Contact WHERE Email = null)')).toEqual(['Acme Corp']);
    expect(await names('Id NOT IN (SELECT AccountId FROM Contact)')).toEqual([
      'Epsilon 100% Steel_Works',
      'Gamma Gears',
    ]);
  });
});

describe('AND / OR / NOT precedence', () => {
  // Machinery: Acme (250 employees), delta (null). Other: O'Brien (75). > 100 employees: Acme, Epsilon.
  it('AND binds tighter than OR', async () => {
    expect(await names("Industry = 'Machinery' OR Type = 'Other' AND NumberOfEmployees > 100")).toEqual([
      'Acme Corp',
      'delta dynamics',
    ]);
    expect(await names("Type = 'Other' AND NumberOfEmployees > 100 OR Industry = 'Machinery'")).toEqual([
      'Acme Corp',
      'delta dynamics',
    ]);
  });

  it('parentheses override it', async () => {
    expect(await names("(Industry = 'Machinery' OR Type = 'Other') AND NumberOfEmployees > 100")).toEqual([
      'Acme Corp',
    ]);
    expect(
      await names("(Industry = 'Machinery' OR Type = 'Other') AND (NumberOfEmployees > 100 OR Name LIKE 'O%')"),
    ).toEqual(['Acme Corp', "O'Brien Tools"]);
  });

  it('NOT applies to the next condition or parenthesised group', async () => {
    expect(await names("NOT Industry = 'Machinery' AND NumberOfEmployees > 100")).toEqual(['Epsilon 100% Steel_Works']);
    expect(await names("NOT (Industry = 'Machinery' OR NumberOfEmployees > 100)")).toEqual([
      'Beta Industries',
      'Gamma Gears',
      "O'Brien Tools",
    ]);
    expect(await names("(NOT Industry = 'Machinery') AND Type = 'Customer - Direct'")).toEqual([
      'Epsilon 100% Steel_Works',
    ]);
    expect(
      await names("Type = 'Customer - Direct' AND NOT (Industry = 'Chemicals' OR AnnualRevenue < 1000000)"),
    ).toEqual(['Acme Corp']);
  });

  it('nested parentheses', async () => {
    expect(
      await names(
        "((Industry = 'Machinery' AND (Type = 'Prospect' OR NumberOfEmployees > 100)) OR Name = 'Gamma Gears')",
      ),
    ).toEqual(['Acme Corp', 'Gamma Gears']);
  });
});

describe('ORDER BY, LIMIT, OFFSET', () => {
  const order = async (clause: string) =>
    (await rows(`SELECT Name FROM Account ORDER BY ${clause}`)).map((r) => r.Name);

  it('sorts text case-insensitively', async () => {
    expect(await order('Name')).toEqual([
      'Acme Corp',
      'Beta Industries',
      'delta dynamics',
      'Epsilon 100% Steel_Works',
      'Gamma Gears',
      "O'Brien Tools",
    ]);
    expect(await order('Name DESC')).toEqual(
      [
        'Acme Corp',
        'Beta Industries',
        'delta dynamics',
        'Epsilon 100% Steel_Works',
        'Gamma Gears',
        "O'Brien Tools",
      ].reverse(),
    );
  });

  it('puts nulls first ascending and last descending unless NULLS FIRST/LAST says otherwise', async () => {
    expect((await order('Industry, Name'))[0]).toBe('Gamma Gears');
    expect((await order('Industry DESC, Name')).at(-1)).toBe('Gamma Gears');
    expect((await order('Industry NULLS LAST, Name')).at(-1)).toBe('Gamma Gears');
    expect((await order('Industry DESC NULLS FIRST, Name'))[0]).toBe('Gamma Gears');
  });

  it('sorts by several fields', async () => {
    expect(await order('Industry ASC NULLS LAST, AnnualRevenue DESC')).toEqual([
      "O'Brien Tools", // Automotive
      'Epsilon 100% Steel_Works', // Chemicals
      'Beta Industries', // Electronics
      'Acme Corp', // Machinery, 5M
      'delta dynamics', // Machinery, 800k
      'Gamma Gears', // no industry
    ]);
  });

  it('sorts by parent fields', async () => {
    const records = await rows('SELECT LastName FROM Contact ORDER BY Account.Name DESC, LastName LIMIT 4');
    expect(records.map((r) => r.LastName)).toEqual(["O'Hara", 'Evans', 'Fox', 'Diaz']);
  });

  it('LIMIT and OFFSET', async () => {
    expect(await order('Name LIMIT 2 OFFSET 1')).toEqual(['Beta Industries', 'delta dynamics']);
    expect(await order('Name LIMIT 0')).toEqual([]);
    expect(await order('Name OFFSET 5')).toEqual(["O'Brien Tools"]);
    const result = await conn.query('SELECT Id FROM Account LIMIT 2');
    expect(result.totalSize).toBe(2);
  });

  it('rejects an OFFSET above 2,000', async () => {
    const err = await rejection(conn.query('SELECT Id FROM Account OFFSET 2001'));
    expect(err.errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });
});

describe('response shape', () => {
  it('answers canonical names with attributes, whatever the case in the query', async () => {
    const [record] = await rows("select id, NAME, annualrevenue from ACCOUNT where name = 'acme corp'");
    const { acme } = org.accounts;
    expect(record).toEqual({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${acme.Id}` },
      Id: acme.Id,
      Name: 'Acme Corp',
      AnnualRevenue: 5_000_000,
    });
  });

  it('formats date-times as Salesforce does', async () => {
    const [record] = await rows("SELECT CreatedDate, LastModifiedDate FROM Account WHERE Name = 'Acme Corp'");
    expect(record!.CreatedDate).toBe('2024-01-10T08:00:00.000+0000');
  });

  it('nests parent relationships with their own attributes, null when empty, two levels deep', async () => {
    const [contact] = await rows(
      "SELECT Name, Account.Name, Account.Owner.Name FROM Contact WHERE LastName = 'Archer'",
    );
    const { acme } = org.accounts;
    expect(contact).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${org.contacts[0]!.Id}` },
      Name: 'Ann Archer',
      Account: {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${acme.Id}` },
        Name: 'Acme Corp',
        Owner: {
          attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${org.users.sara.Id}` },
          Name: 'Sara Sales',
        },
      },
    });
    const [kase] = await rows("SELECT Subject, Contact.Name, Contact.Email FROM Case WHERE CaseNumber = '00001002'");
    expect(kase!.Contact).toBeNull();
    const lines = await rows(
      'SELECT LineNumber, Quote.Account.Name, Product2.ProductCode FROM QuoteLineItem ORDER BY LineNumber',
    );
    expect(
      lines.map((l) => [
        (l.Quote as { Account: { Name: string } }).Account.Name,
        (l.Product2 as { ProductCode: string }).ProductCode,
      ]),
    ).toEqual([
      ['Acme Corp', '1000-A'],
      ['Acme Corp', '2000-B'],
    ]);
  });

  it('nests child subqueries as { totalSize, done, records }, or null without children', async () => {
    const records = await rows(
      "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName DESC), (SELECT Subject FROM Cases WHERE Status != 'Closed') FROM Account WHERE Name IN ('Acme Corp', 'Gamma Gears') ORDER BY Name",
    );
    expect(records[0]!.Contacts).toEqual({
      totalSize: 3,
      done: true,
      records: ['Carter', 'Baker', 'Archer'].map((LastName) => ({
        attributes: expect.objectContaining({ type: 'Contact' }),
        LastName,
      })),
    });
    expect((records[0]!.Cases as { records: { Subject: string }[] }).records.map((c) => c.Subject)).toEqual([
      'Pump leaking',
    ]);
    expect(records[1]!.Contacts).toBeNull();
    expect(records[1]!.Cases).toBeNull();
  });

  it('supports every relationship the integration reads', async () => {
    const [acme] = await rows(
      "SELECT Id, (SELECT Id FROM Opportunities), (SELECT Id FROM Quotes), (SELECT Id FROM Cases), (SELECT Id FROM Contacts LIMIT 1) FROM Account WHERE Name = 'Acme Corp'",
    );
    expect(
      [acme!.Opportunities, acme!.Quotes, acme!.Cases, acme!.Contacts].map(
        (c) => (c as { totalSize: number }).totalSize,
      ),
    ).toEqual([2, 2, 2, 1]);
    const [quote] = await rows(
      "SELECT Name, (SELECT LineNumber, TotalPrice, Product2.Name FROM QuoteLineItems ORDER BY LineNumber) FROM Quote WHERE Name = 'Acme Q1'",
    );
    expect(
      (quote!.QuoteLineItems as { records: Row[] }).records.map((l) => [
        l.LineNumber,
        l.TotalPrice,
        (l.Product2 as { Name: string }).Name,
      ]),
    ).toEqual([
      ['00000001', 200, 'Hydraulic Pump'],
      ['00000002', 45, 'Bearing'],
    ]);
    const [deal] = await rows("SELECT Name, (SELECT Name FROM Quotes) FROM Opportunity WHERE Name = 'Acme pumps'");
    expect((deal!.Quotes as { records: Row[] }).records.map((q) => q.Name)).toEqual(['Acme Q1']);
  });

  it('COUNT() answers totalSize only', async () => {
    const result = await conn.query("SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme Corp'");
    expect(result.totalSize).toBe(3);
    expect(result.records).toEqual([]);
  });

  it('aggregates with GROUP BY answer AggregateResult rows', async () => {
    const records = await rows(
      'SELECT Industry, COUNT(Id) n, SUM(AnnualRevenue) FROM Account GROUP BY Industry ORDER BY Industry NULLS LAST',
    );
    expect(records.map((r) => [r.Industry, r.n, r.expr0])).toEqual([
      ['Automotive', 1, 3_000_000],
      ['Chemicals', 1, 2_500_000],
      ['Electronics', 1, 1_200_000],
      ['Machinery', 2, 5_800_000],
      [null, 1, null],
    ]);
    expect(records[0]!.attributes).toEqual({ type: 'AggregateResult' });
  });

  it('FIELDS(ALL) selects every field', async () => {
    const [record] = await rows("SELECT FIELDS(ALL) FROM Account WHERE Name = 'Acme Corp' LIMIT 1");
    expect(record).toMatchObject({
      Name: 'Acme Corp',
      ERP_Customer_Id__c: 'C00001',
      IsDeleted: false,
      BillingCity: 'Springfield',
    });
  });
});

describe('bad queries', () => {
  it('MALFORMED_QUERY for text the parser rejects', async () => {
    for (const soql of [
      'SELEC Id FROM Account',
      'SELECT Id FROM Account WHERE',
      "SELECT Id FROM Account WHERE Name = 'x' AND",
    ]) {
      const err = await rejection(conn.query(soql));
      expect(err.errorCode).toBe('MALFORMED_QUERY');
    }
    const err = await rejection(conn.query('SELECT COUNT(), Name FROM Account'));
    expect(err.errorCode).toBe('MALFORMED_QUERY');
  });

  it('INVALID_FIELD for unknown columns, with Salesforce wording', async () => {
    const err = await rejection(conn.query('SELECT Id, Foo FROM Account'));
    expect(err.errorCode).toBe('INVALID_FIELD');
    expect(err.message).toBe(
      "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expect((await rejection(conn.query("SELECT Id FROM Account WHERE Bar__c = 'x'"))).errorCode).toBe('INVALID_FIELD');
    expect((await rejection(conn.query('SELECT Id FROM Account ORDER BY Nope'))).errorCode).toBe('INVALID_FIELD');
    expect((await rejection(conn.query('SELECT Id, (SELECT Nope FROM Contacts) FROM Account'))).errorCode).toBe(
      'INVALID_FIELD',
    );
    const rel = await rejection(conn.query('SELECT Boss.Name FROM Contact'));
    expect(rel.errorCode).toBe('INVALID_FIELD');
    expect(rel.message).toContain("Didn't understand relationship 'Boss'");
  });

  it('INVALID_FIELD for literals of the wrong type', async () => {
    const numeric = await rejection(conn.query("SELECT Id FROM Account WHERE AnnualRevenue = '5'"));
    expect(numeric.errorCode).toBe('INVALID_FIELD');
    expect(numeric.message).toBe(
      "value of filter criterion for field 'AnnualRevenue' must be of type double and should not be enclosed in quotes",
    );
    const text = await rejection(conn.query('SELECT Id FROM Account WHERE Name = 5'));
    expect(text.message).toBe(
      "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
    );
    expect((await rejection(conn.query("SELECT Id FROM Opportunity WHERE CloseDate > '2024-01-01'"))).errorCode).toBe(
      'INVALID_FIELD',
    );
    expect((await rejection(conn.query('SELECT Id FROM Opportunity WHERE IsWon = 1'))).errorCode).toBe('INVALID_FIELD');
  });

  it('INVALID_QUERY_FILTER_OPERATOR for malformed ids', async () => {
    const err = await rejection(conn.query("SELECT Id FROM Account WHERE Id = 'bogus'"));
    expect(err.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(err.message).toBe('invalid ID field: bogus');
  });

  it('INVALID_TYPE for unknown objects and child relationships', async () => {
    const err = await rejection(conn.query('SELECT Id FROM Foo'));
    expect(err.errorCode).toBe('INVALID_TYPE');
    expect(err.message).toBe("sObject type 'Foo' is not supported.");
    const child = await rejection(conn.query('SELECT Id, (SELECT Id FROM Invoices) FROM Account'));
    expect(child.errorCode).toBe('INVALID_TYPE');
  });
});
