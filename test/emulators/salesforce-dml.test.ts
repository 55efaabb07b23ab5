// Writes and metadata through jsforce: describe, create/retrieve/update/delete, the validation
// errors a real org answers, platform-computed fields, upsert by external id (201/200/300/404),
// sObject Collections with allOrNone, and /composite with references between subrequests.
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

type Rec = Record<string, unknown>;
const account = () => conn.sobject('Account');
const retrieve = async (type: string, id: string) => (await conn.sobject(type).retrieve(id)) as unknown as Rec;

describe('describe', () => {
  it('describes every object with fields covering the dataset, in Salesforce describe shape', async () => {
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name).sort()).toEqual([
      'Account',
      'Case',
      'Contact',
      'Opportunity',
      'Product2',
      'Quote',
      'QuoteLineItem',
      'User',
    ]);
    for (const name of Object.keys(org.dataset).filter((k) => /^[A-Z]/.test(k))) {
      const d = await conn.describe(name);
      const seeded = (org.dataset as unknown as Record<string, Rec[]>)[name]![0]!;
      expect(d.fields.map((f) => f.name)).toEqual(expect.arrayContaining(Object.keys(seeded)));
    }
  });

  it('reports types, constraints, references and child relationships', async () => {
    const d = await conn.describe('Account');
    expect(d).toMatchObject({ name: 'Account', label: 'Account', keyPrefix: '001', createable: true, queryable: true });
    const field = (name: string) => d.fields.find((f) => f.name === name)!;
    expect(field('Id')).toMatchObject({ type: 'id', nillable: false, createable: false, updateable: false });
    expect(field('Name')).toMatchObject({
      type: 'string',
      length: 255,
      nillable: false,
      createable: true,
      nameField: true,
    });
    expect(field('OwnerId')).toMatchObject({ type: 'reference', referenceTo: ['User'], relationshipName: 'Owner' });
    expect(field('ERP_Customer_Id__c')).toMatchObject({
      type: 'string',
      externalId: true,
      unique: true,
      custom: true,
      length: 20,
    });
    expect(field('AnnualRevenue')).toMatchObject({ type: 'currency', soapType: 'xsd:double' });
    expect(field('NumberOfEmployees').type).toBe('int');
    expect(field('Website').type).toBe('url');
    expect(field('Phone').type).toBe('phone');
    expect(field('Description').type).toBe('textarea');
    expect(field('CreatedDate')).toMatchObject({ type: 'datetime', createable: false });
    expect(field('Industry').type).toBe('picklist');
    expect((field('Industry').picklistValues ?? []).map((p) => p.value)).toContain('Machinery');
    expect(d.childRelationships.map((r) => `${r.relationshipName}:${r.childSObject}.${r.field}`).sort()).toEqual([
      'Cases:Case.AccountId',
      'Contacts:Contact.AccountId',
      'Opportunities:Opportunity.AccountId',
      'Quotes:Quote.AccountId',
    ]);
    const contact = await conn.describe('Contact');
    expect(contact.fields.find((f) => f.name === 'Email')!.type).toBe('email');
    expect(contact.fields.find((f) => f.name === 'Name')).toMatchObject({ createable: false, updateable: false });
    expect((await conn.describe('Opportunity')).fields.find((f) => f.name === 'CloseDate')!.type).toBe('date');
    expect((await conn.describe('QuoteLineItem')).fields.find((f) => f.name === 'Quantity')!.type).toBe('double');
    expect((await conn.describe('Quote')).childRelationships.map((r) => r.relationshipName)).toEqual([
      'QuoteLineItems',
    ]);
  });

  it('answers 404 NOT_FOUND for unknown objects', async () => {
    const err = await rejection(conn.describe('Invoice'));
    expect([err.errorCode, err.message]).toEqual(['NOT_FOUND', 'The requested resource does not exist']);
  });
});

describe('single records', () => {
  it('creates (201), retrieves by 15 or 18 characters, updates and deletes', async () => {
    const created = await account().create({ Name: 'New Co', Industry: 'Energy', NumberOfEmployees: '12' });
    expect(created).toEqual({ id: expect.stringMatching(/^001[0-9A-Za-z]{15}$/), success: true, errors: [] });
    const id = created.id!;
    const record = await retrieve('Account', id.slice(0, 15));
    expect(record).toMatchObject({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` },
      Id: id,
      Name: 'New Co',
      NumberOfEmployees: 12,
      OwnerId: org.users.integration.Id,
      IsDeleted: false,
      CreatedDate: '2025-01-15T12:00:00.000+0000',
    });

    expect(await account().update({ Id: id.slice(0, 15), Phone: '555-0199', Industry: null })).toEqual({
      id: id.slice(0, 15),
      success: true,
      errors: [],
    });
    const updated = await conn.sobject('Account').retrieve(id, { fields: ['Phone', 'Industry'] });
    expect(updated).toEqual({ attributes: expect.anything(), Phone: '555-0199', Industry: null, Id: id });

    expect(await account().destroy(id)).toEqual({ id, success: true, errors: [] });
    expect((await rejection(retrieve('Account', id))).errorCode).toBe('ENTITY_IS_DELETED');
    expect((await rejection(account().update({ Id: id, Phone: '1' }))).errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('answers NOT_FOUND and MALFORMED_ID for bad ids', async () => {
    const missing = await rejection(retrieve('Account', '001fx0000000zzzAAA'.slice(0, 15)));
    expect([missing.errorCode, missing.message]).toEqual(['NOT_FOUND', 'The requested resource does not exist']);
    expect((await rejection(retrieve('Account', 'garbage'))).errorCode).toBe('NOT_FOUND');
    const wrongType = await rejection(retrieve('Account', org.contacts[0]!.Id));
    expect([wrongType.errorCode, wrongType.message]).toEqual([
      'MALFORMED_ID',
      `Account ID: id value of incorrect type: ${org.contacts[0]!.Id}`,
    ]);
    expect(
      (await rejection(conn.sobject('Account').retrieve(org.accounts.acme.Id, { fields: ['Nope'] }))).errorCode,
    ).toBe('INVALID_FIELD');
  });

  it('answers the validation errors of a real org', async () => {
    const code = async (p: Promise<unknown>) => {
      const err = await rejection(p);
      return [err.errorCode, err.message, (err.data as { fields?: string[] } | undefined)?.fields];
    };
    expect(await code(account().create({ Industry: 'Energy' }))).toEqual([
      'REQUIRED_FIELD_MISSING',
      'Required fields are missing: [Name]',
      ['Name'],
    ]);
    expect(await code(account().create({ Name: 'x', Foo__c: 1 }))).toEqual([
      'INVALID_FIELD',
      "No such column 'Foo__c' on sobject of type Account",
      [],
    ]);
    expect(await code(account().create({ Name: 'x', CreatedDate: '2024-01-01T00:00:00Z' }))).toEqual([
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Unable to create/update fields: CreatedDate. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      ['CreatedDate'],
    ]);
    expect((await code(conn.sobject('Contact').create({ LastName: 'x', Name: 'x y' })))[0]).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
    expect((await code(conn.sobject('Case').create({ Subject: 'x', CaseNumber: '1' })))[0]).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
    expect(await code(conn.sobject('Contact').create({ LastName: 'x', AccountId: 'nope' }))).toEqual([
      'MALFORMED_ID',
      'Account ID: id value of incorrect type: nope',
      ['AccountId'],
    ]);
    expect(await code(conn.sobject('Contact').create({ LastName: 'x', AccountId: '001fx00000000zz' }))).toEqual([
      'INVALID_CROSS_REFERENCE_KEY',
      'invalid cross reference id',
      ['AccountId'],
    ]);
    expect((await code(account().create({ Name: 'dup', ERP_Customer_Id__c: 'C00001' })))[0]).toBe('DUPLICATE_VALUE');
    expect((await code(account().create({ Name: 'x', AnnualRevenue: 'lots' })))[0]).toBe('JSON_PARSER_ERROR');
    expect((await code(conn.sobject('Contact').create({ LastName: 'x', Email: 'not-an-email' })))[0]).toBe(
      'INVALID_EMAIL_ADDRESS',
    );
    expect((await code(account().create({ Name: 'x'.repeat(256) })))[0]).toBe('STRING_TOO_LONG');
    expect((await code(account().update({ Id: org.accounts.beta.Id, Name: null })))[0]).toBe('REQUIRED_FIELD_MISSING');
    expect((await code(conn.sobject('User').create({ LastName: 'x' })))[0]).toBe('INVALID_TYPE_FOR_OPERATION');
  });

  it('computes platform fields: names, auto-numbers, closed flags, line and quote totals', async () => {
    const contact = await conn
      .sobject('Contact')
      .create({ FirstName: 'Hal', LastName: 'Hill', AccountId: org.accounts.gamma.Id.slice(0, 15) });
    expect(await retrieve('Contact', contact.id!)).toMatchObject({
      Name: 'Hal Hill',
      AccountId: org.accounts.gamma.Id,
    });
    await conn.sobject('Contact').update({ Id: contact.id!, FirstName: 'Hank' });
    expect((await retrieve('Contact', contact.id!)).Name).toBe('Hank Hill');

    const kase = await conn.sobject('Case').create({ Subject: 'Noise', AccountId: org.accounts.beta.Id });
    expect(await retrieve('Case', kase.id!)).toMatchObject({
      CaseNumber: '00001004',
      Status: 'New',
      Priority: 'Medium',
      IsClosed: false,
      ClosedDate: null,
    });
    await conn.sobject('Case').update({ Id: kase.id!, Status: 'Closed' });
    expect(await retrieve('Case', kase.id!)).toMatchObject({
      IsClosed: true,
      ClosedDate: '2025-01-15T12:00:00.000+0000',
    });

    const deal = org.opportunities[1]!;
    await conn.sobject('Opportunity').update({ Id: deal.Id, StageName: 'Closed Lost' });
    expect(await retrieve('Opportunity', deal.Id)).toMatchObject({ IsClosed: true, IsWon: false, Probability: 0 });

    const quote = org.quotes[0]!; // TotalPrice 245, GrandTotal 260 (15 on top of the lines)
    const line = await conn
      .sobject('QuoteLineItem')
      .create({ QuoteId: quote.Id, Product2Id: org.products.pump.Id, Quantity: 3, UnitPrice: 10, Discount: 50 });
    expect(await retrieve('QuoteLineItem', line.id!)).toMatchObject({ TotalPrice: 15, LineNumber: '00000003' });
    expect(await retrieve('Quote', quote.Id)).toMatchObject({ TotalPrice: 260, GrandTotal: 275 });
    await conn.sobject('QuoteLineItem').destroy(line.id!);
    expect(await retrieve('Quote', quote.Id)).toMatchObject({ TotalPrice: 245, GrandTotal: 260 });
    const newQuote = await conn.sobject('Quote').create({ Name: 'From deal', OpportunityId: org.opportunities[2]!.Id });
    expect(await retrieve('Quote', newQuote.id!)).toMatchObject({
      QuoteNumber: '00000004',
      AccountId: org.accounts.beta.Id,
      Status: 'Draft',
      TotalPrice: 0,
    });
  });

  it('query hides deleted records and queryAll shows them; deleting an account deletes its contacts', async () => {
    const acc = await account().create({ Name: 'Doomed Inc' });
    const c1 = await conn.sobject('Contact').create({ LastName: 'Doomed', AccountId: acc.id! });
    await account().destroy(acc.id!);
    const soql = `SELECT Id, IsDeleted, (SELECT Id, IsDeleted FROM Contacts) FROM Account WHERE Id = '${acc.id!}'`;
    expect((await conn.query(soql)).totalSize).toBe(0);
    const all = await conn.query<Rec>(soql, { scanAll: true });
    expect(all.records).toEqual([
      expect.objectContaining({
        Id: acc.id,
        IsDeleted: true,
        Contacts: expect.objectContaining({ records: [expect.objectContaining({ Id: c1.id, IsDeleted: true })] }),
      }),
    ]);
    expect((await conn.query(`SELECT Id FROM Contact WHERE Id = '${c1.id!}'`)).totalSize).toBe(0);
    expect((await conn.query(`SELECT Id FROM Contact WHERE Id = '${c1.id!}'`, { scanAll: true })).totalSize).toBe(1);
  });
});

describe('upsert by external id', () => {
  it('creates (201, created: true) then updates (200, created: false)', async () => {
    const first = await account().upsert({ ERP_Customer_Id__c: 'C09999', Name: 'Upserted' }, 'ERP_Customer_Id__c');
    expect(first).toEqual({ id: expect.stringMatching(/^001/), success: true, errors: [], created: true });
    const second = await account().upsert({ ERP_Customer_Id__c: 'c09999', Phone: '555-0101' }, 'ERP_Customer_Id__c');
    expect(second).toEqual({ id: (first as { id: string }).id, success: true, errors: [], created: false });
    expect(await retrieve('Account', (first as { id: string }).id)).toMatchObject({
      Name: 'Upserted',
      Phone: '555-0101',
      ERP_Customer_Id__c: 'C09999',
    });
  });

  it('answers 300 with the matching records when the value is not unique', async () => {
    const [q1, , q3] = org.quotes;
    await conn.sobject('Quote').update({ Id: q3!.Id, ERP_Order_Number__c: 'SO-1' });
    const err = await rejection(
      conn.sobject('Quote').upsert({ ERP_Order_Number__c: 'SO-1', Status: 'Approved' }, 'ERP_Order_Number__c'),
    );
    expect(err.errorCode).toBe('MULTIPLE_CHOICES');
    expect(err.data).toEqual([q1!.Id, q3!.Id].map((id) => `/services/data/v62.0/sobjects/Quote/${id}`));
    await conn.sobject('Quote').update({ Id: q3!.Id, ERP_Order_Number__c: null });
  });

  it('answers 404 NOT_FOUND when the field is not an external id', async () => {
    const err = await rejection(account().upsert({ Name: 'x', Phone: '1' }, 'Phone'));
    expect([err.errorCode, err.message]).toEqual([
      'NOT_FOUND',
      'Provided external ID field does not exist or is not accessible: Phone',
    ]);
  });

  it('upserts collections, reporting created per record and duplicates per item', async () => {
    await conn.sobject('Quote').update({ Id: org.quotes[2]!.Id, ERP_Order_Number__c: 'SO-2' });
    const results = await conn.sobject('Quote').upsert(
      [
        { ERP_Order_Number__c: 'SO-1', ERP_Sync_Status__c: 'Pending' },
        { ERP_Order_Number__c: 'SO-2', ERP_Sync_Status__c: 'Pending' },
        { ERP_Order_Number__c: 'SO-77', Name: 'New from ERP', AccountId: org.accounts.acme.Id },
      ],
      'ERP_Order_Number__c',
    );
    expect(results).toEqual([
      { id: org.quotes[0]!.Id, success: true, errors: [], created: false },
      {
        success: false,
        errors: [
          {
            statusCode: 'DUPLICATE_EXTERNAL_ID',
            message: expect.stringContaining('more than one record found'),
            fields: ['ERP_Order_Number__c'],
          },
        ],
      },
      { id: expect.stringMatching(/^0Q0/), success: true, errors: [], created: true },
    ]);
  });
});

describe('sObject Collections', () => {
  it('retrieves many ids in request order with null for missing ones', async () => {
    const ids = [org.contacts[2]!.Id, '003fx0000000zzz', org.contacts[0]!.Id.slice(0, 15)];
    const records = (await conn
      .sobject('Contact')
      .retrieve(ids, { fields: ['LastName', 'AccountId'] })) as unknown as (Rec | null)[];
    expect(records.map((r) => r && [r.LastName, r.AccountId])).toEqual([
      ['Carter', org.accounts.acme.Id],
      null,
      ['Archer', org.accounts.acme.Id],
    ]);
    // Without fields, jsforce describes the object first and asks for every field.
    const all = (await conn.sobject('Account').retrieve([org.accounts.beta.Id])) as unknown as Rec[];
    expect(all[0]).toMatchObject({ Name: 'Beta Industries', ERP_Customer_Id__c: 'C00002' });
    const tooMany = Array.from({ length: 2001 }, () => org.accounts.beta.Id);
    expect((await rejection(conn.sobject('Account').retrieve(tooMany, { fields: ['Name'] }))).errorCode).toBe(
      'EXCEEDED_ID_LIMIT',
    );
  });

  it('updates with allOrNone false: the failing record fails alone', async () => {
    const [a, b, c] = [org.accounts.acme, org.accounts.beta, org.accounts.obrien];
    const results = await account().update([
      { Id: a.Id, Description: 'partial 1' },
      { Id: b.Id, Name: null },
      { Id: c.Id, Description: 'partial 3' },
    ]);
    expect(results).toEqual([
      { id: a.Id, success: true, errors: [] },
      {
        id: b.Id,
        success: false,
        errors: [
          { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] },
        ],
      },
      { id: c.Id, success: true, errors: [] },
    ]);
    expect((await retrieve('Account', c.Id)).Description).toBe('partial 3');
  });

  it('updates with allOrNone true: one failure rolls every record back', async () => {
    const [a, b, c] = [org.accounts.acme, org.accounts.beta, org.accounts.obrien];
    const results = await account().update(
      [
        { Id: a.Id, Description: 'all 1' },
        { Id: b.Id, Email__c: 'x' },
        { Id: c.Id, Description: 'all 3' },
      ],
      { allOrNone: true },
    );
    const rolledBack = {
      statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
      fields: [],
    };
    expect(results).toEqual([
      { id: a.Id, success: false, errors: [rolledBack] },
      { id: b.Id, success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_FIELD' })] },
      { id: c.Id, success: false, errors: [rolledBack] },
    ]);
    expect((await retrieve('Account', a.Id)).Description).not.toBe('all 1');
    expect((await retrieve('Account', c.Id)).Description).toBe('partial 3');
  });

  it('creates and deletes collections', async () => {
    const created = await conn
      .sobject('Contact')
      .create([
        { LastName: 'One', AccountId: org.accounts.epsilon.Id },
        { FirstName: 'No last name' },
        { LastName: 'Three', AccountId: org.accounts.epsilon.Id },
      ]);
    expect(created.map((r) => r.success)).toEqual([true, false, true]);
    const ids = created.filter((r) => r.success).map((r) => (r as { id: string }).id);
    const deleted = await conn.sobject('Contact').destroy([...ids, ids[0]!, 'bogus']);
    expect(
      deleted.map((r) => [
        r.success,
        r.success ? undefined : (r.errors[0] as unknown as { statusCode: string }).statusCode,
      ]),
    ).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'ENTITY_IS_DELETED'],
      [false, 'MALFORMED_ID'],
    ]);
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ LastName: `n${i}` }));
    expect((await rejection(conn.sobject('Contact').create(tooMany))).errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});

describe('/composite', () => {
  interface CompositeResponse {
    compositeResponse: {
      body: unknown;
      httpHeaders: Record<string, string>;
      httpStatusCode: number;
      referenceId: string;
    }[];
  }
  const composite = (body: object) => conn.requestPost<CompositeResponse>('/composite', body);

  it('runs subrequests in order with @{ref} references', async () => {
    const result = await composite({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'newAccount',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'newContact',
          body: { LastName: 'Ref', AccountId: '@{newAccount.id}' },
        },
        {
          method: 'GET',
          url: "/services/data/v62.0/query?q=SELECT+Name,(SELECT+LastName+FROM+Contacts)+FROM+Account+WHERE+Id='@{newAccount.id}'",
          referenceId: 'check',
        },
        {
          method: 'PATCH',
          url: '/services/data/v62.0/sobjects/Contact/@{newContact.id}',
          referenceId: 'rename',
          body: { FirstName: '@{check.records[0].Name}' },
        },
      ],
    });
    const [acc, contact, check, rename] = result.compositeResponse;
    expect([acc!.httpStatusCode, contact!.httpStatusCode, check!.httpStatusCode, rename!.httpStatusCode]).toEqual([
      201, 201, 200, 204,
    ]);
    const accountId = (acc!.body as { id: string }).id;
    expect(acc!.httpHeaders).toEqual({ Location: `/services/data/v62.0/sobjects/Account/${accountId}` });
    expect(check!.body).toMatchObject({
      totalSize: 1,
      records: [{ Name: 'Composite Co', Contacts: { totalSize: 1 } }],
    });
    expect(rename!.body).toBeNull();
    expect(await retrieve('Contact', (contact!.body as { id: string }).id)).toMatchObject({
      Name: 'Composite Co Ref',
      AccountId: accountId,
    });
  });

  it('allOrNone: a failing subrequest rolls everything back and halts the rest', async () => {
    const result = await composite({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'a', body: { Name: 'Never Co' } },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'b',
          body: { AccountId: '@{a.id}' },
        },
        { method: 'GET', url: '/services/data/v62.0/sobjects/Account/describe', referenceId: 'c' },
      ],
    });
    expect(
      result.compositeResponse.map((r) => [
        r.referenceId,
        r.httpStatusCode,
        (r.body as { errorCode: string }[])[0]!.errorCode,
      ]),
    ).toEqual([
      ['a', 400, 'PROCESSING_HALTED'],
      ['b', 400, 'REQUIRED_FIELD_MISSING'],
      ['c', 400, 'PROCESSING_HALTED'],
    ]);
    expect((await conn.query("SELECT Id FROM Account WHERE Name = 'Never Co'")).totalSize).toBe(0);
  });

  it('without allOrNone: only subrequests referencing a failed one are halted', async () => {
    const result = await composite({
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'bad',
          body: { FirstName: 'no last name' },
        },
        {
          method: 'PATCH',
          url: '/services/data/v62.0/sobjects/Contact/@{bad.id}',
          referenceId: 'dependent',
          body: { Title: 'x' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'independent',
          body: { Name: 'Independent Co' },
        },
      ],
    });
    expect(result.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
    expect((result.compositeResponse[1]!.body as { errorCode: string }[])[0]!.errorCode).toBe('PROCESSING_HALTED');
  });

  it('rejects more than 25 subrequests', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: '/services/data/v62.0/limits',
      referenceId: `r${i}`,
    }));
    expect((await rejection(composite({ compositeRequest }))).errorCode).toBe('LIMIT_EXCEEDED');
  });
});
