// The independent client (issue 6, "Tests"): in the test run, a typed OData client is generated from
// the live gateway's $metadata with the SAP Cloud SDK generator (pinned 4.5.1, as the reference note
// says), transpiled to JavaScript in a temporary folder, loaded, and used with @sap-cloud-sdk/odata-v4
// to list, filter, order, page and fetch by key against the live gateway. Nothing of ours is in the
// client: if it can read the service, a third party's generator understood our CSDL and our JSON.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@sap-cloud-sdk/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../stack/in-process.js';

const REPOSITORY_NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
const NORTHWIND = Array.from({ length: 10 }, (_, i) => `C${String(i + 1).padStart(5, '0')}`);

let stack: InProcessStack;
let folder: string;
let salesDestination: { url: string; headers: Record<string, string> };
let partnerDestination: { url: string; headers: Record<string, string> };
/* The generated client and the SDK as it loads them (CommonJS, untyped here: generated at run time). */
let client: any;
let sdk: any;
let BigNumber: any;

/**
 * The generated code imports @sap-cloud-sdk/odata-v4 and @sap-cloud-sdk/util, bignumber.js and
 * moment. The folder is outside the repository, so it gets a node_modules of its own with links to
 * exactly those (util is nested under odata-v4, where npm put the pinned 4.5.1).
 */
function linkDependencies(target: string): void {
  const modules = join(target, 'node_modules');
  mkdirSync(join(modules, '@sap-cloud-sdk'), { recursive: true });
  const link = (from: string, name: string) =>
    symlinkSync(join(REPOSITORY_NODE_MODULES, from), join(modules, name), 'dir');
  link('@sap-cloud-sdk/odata-v4', '@sap-cloud-sdk/odata-v4');
  link('@sap-cloud-sdk/odata-v4/node_modules/@sap-cloud-sdk/util', '@sap-cloud-sdk/util');
  link('bignumber.js', 'bignumber.js');
  link('moment', 'moment');
}

beforeAll(async () => {
  stack = await startStack({ seedAccounts: 40 });
  // The destination is the gateway; the client adds the service path (/odata/v4) it was generated with.
  const url = stack.gatewayUrl;
  salesDestination = { url, headers: { authorization: `Bearer ${await stack.token({ role: 'sales' })}` } };
  partnerDestination = {
    url,
    headers: { authorization: `Bearer ${await stack.token({ role: 'partner', partnerId: 'P-NORTHWIND' })}` },
  };

  const metadata = await fetch(`${url}/odata/v4/$metadata`, { headers: salesDestination.headers });
  expect(metadata.status).toBe(200);
  folder = mkdtempSync(join(tmpdir(), 'c360-odata-client-'));
  linkDependencies(folder);
  mkdirSync(join(folder, 'input'));
  writeFileSync(join(folder, 'input', 'Customer360.edmx'), await metadata.text());
  // The generator's default tsconfig plus: no ambient @types (it would compile every @types package
  // it finds through the linked node_modules), and no type-checking of the SDK's own declarations.
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2021',
        module: 'commonjs',
        lib: ['esnext'],
        declaration: true,
        moduleResolution: 'node',
        esModuleInterop: true,
        strict: true,
        types: [],
        skipLibCheck: true,
      },
    }),
  );
  // The service path is not in a CSDL document; the generator takes it per input file, named by its
  // path relative to the working directory.
  const input = relative(process.cwd(), join(folder, 'input', 'Customer360.edmx'))
    .split(sep)
    .join(posix.sep);
  writeFileSync(
    join(folder, 'options-per-service.json'),
    JSON.stringify({ [input]: { directoryName: 'customer360', basePath: '/odata/v4' } }),
  );
  await generate({
    input: join(folder, 'input'),
    outputDir: join(folder, 'client'),
    optionsPerService: join(folder, 'options-per-service.json'),
    transpile: true,
    tsconfig: join(folder, 'tsconfig.json'),
    overwrite: true,
    clearOutputDir: true,
  } as Parameters<typeof generate>[0]);
  expect(readdirSync(join(folder, 'client'))).toEqual(['customer360']);
  const entry = join(folder, 'client', 'customer360', 'index.js');
  const load = createRequire(entry);
  client = load(entry).customer360();
  sdk = load('@sap-cloud-sdk/odata-v4');
  BigNumber = load('bignumber.js');
}, 240_000);

afterAll(async () => {
  await stack?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function rawCount(path: string): Promise<number> {
  const res = await fetch(`${salesDestination.url}/odata/v4/${path}`, { headers: salesDestination.headers });
  return Number(await res.text());
}

describe('a client generated by the SAP Cloud SDK from our live $metadata', () => {
  it('has an API for each entity set, with the properties of $metadata', () => {
    for (const api of [
      'customersApi',
      'invoicesApi',
      'salesOrdersApi',
      'salesOrderLinesApi',
      'shipmentsApi',
      'productsApi',
    ]) {
      expect(client[api], api).toBeDefined();
    }
    expect(Object.keys(client.invoicesApi.schema)).toEqual(
      expect.arrayContaining(['NUMBER', 'CUSTOMER_NUMBER', 'TOTAL', 'INVOICE_DATE', 'STATUS']),
    );
    expect(Object.keys(client.customersApi.schema)).toEqual(
      expect.arrayContaining(['CUSTOMER_NUMBER', 'CREDIT_LIMIT', 'ON_HOLD']),
    );
  });

  it('lists, with typed values', async () => {
    const invoices = await client.invoicesApi.requestBuilder().getAll().top(5).execute(salesDestination);
    expect(invoices).toHaveLength(5);
    const [first] = invoices;
    expect(typeof first.number).toBe('string');
    expect(BigNumber.isBigNumber(first.total)).toBe(true);
    expect(first.invoiceDate.format('YYYY-MM-DD')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(typeof first.isOverdue).toBe('boolean');
  });

  it('filters (and, equals, greaterThan, contains … eq true)', async () => {
    const { schema } = client.invoicesApi;
    const filtered = await client.invoicesApi
      .requestBuilder()
      .getAll()
      .filter(sdk.and(schema.CUSTOMER_NUMBER.equals('C00002'), schema.TOTAL.greaterThan(new BigNumber(0))))
      .execute(salesDestination);
    expect(filtered.length).toBeGreaterThan(0);
    for (const invoice of filtered) {
      expect(invoice.customerNumber).toBe('C00002');
      expect(invoice.total.gt(0)).toBe(true);
    }
    const customers = await client.customersApi
      .requestBuilder()
      .getAll()
      .filter(sdk.contains(client.customersApi.schema.NAME, 'e').equals(true))
      .execute(salesDestination);
    expect(customers.length).toBeGreaterThan(0);
    for (const customer of customers) expect(customer.name.toLowerCase()).toContain('e');
  });

  it('orders by several properties', async () => {
    const { schema } = client.invoicesApi;
    const rows = await client.invoicesApi
      .requestBuilder()
      .getAll()
      .orderBy(sdk.asc(schema.CUSTOMER_NUMBER), sdk.desc(schema.TOTAL))
      .top(60)
      .execute(salesDestination);
    expect(rows).toHaveLength(60);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      expect(a.customerNumber <= b.customerNumber).toBe(true);
      if (a.customerNumber === b.customerNumber) expect(a.total.gte(b.total)).toBe(true);
    }
  });

  it('pages with top and skip, every row exactly once, and counts', async () => {
    const count = await client.invoicesApi.requestBuilder().getAll().count().execute(salesDestination);
    expect(count).toBe(await rawCount('Invoices/$count'));
    const seen: string[] = [];
    for (let skip = 0; ; skip += 25) {
      const page = await client.invoicesApi
        .requestBuilder()
        .getAll()
        .select(client.invoicesApi.schema.NUMBER)
        .top(25)
        .skip(skip)
        .execute(salesDestination);
      seen.push(...page.map((invoice: any) => invoice.number));
      if (page.length < 25) break;
    }
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
  });

  it('fetches by key, composite keys too; a missing key is a 404', async () => {
    const [line] = await client.salesOrderLinesApi.requestBuilder().getAll().top(1).execute(salesDestination);
    const again = await client.salesOrderLinesApi
      .requestBuilder()
      .getByKey(line.orderNumber, line.sequence)
      .execute(salesDestination);
    expect(again.itemNumber).toBe(line.itemNumber);
    const invoice = await client.invoicesApi.requestBuilder().getByKey('SI-100001').execute(salesDestination);
    expect(invoice.number).toBe('SI-100001');
    const customer = await client.customersApi.requestBuilder().getByKey('C00001').execute(salesDestination);
    expect(BigNumber.isBigNumber(customer.creditLimit)).toBe(true);
    const missing = await client.invoicesApi
      .requestBuilder()
      .getByKey('NO-SUCH-INVOICE')
      .execute(salesDestination)
      .then(
        () => null,
        (error: any) => error,
      );
    expect(missing).not.toBeNull();
    expect(missing.cause?.status ?? missing.cause?.response?.status ?? missing.rootCause?.response?.status).toBe(404);
  });

  it("with a partner's token, the same client sees only the partner's customers, and no credit internals", async () => {
    const invoices = await client.invoicesApi.requestBuilder().getAll().execute(partnerDestination);
    expect(invoices.length).toBeGreaterThan(0);
    for (const invoice of invoices) expect(NORTHWIND).toContain(invoice.customerNumber);
    const customer = await client.customersApi.requestBuilder().getByKey('C00001').execute(partnerDestination);
    expect(customer.creditLimit ?? null).toBeNull();
    expect(typeof customer.onHold).toBe('boolean');
  });
});
