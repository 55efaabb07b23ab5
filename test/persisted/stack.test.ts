// End to end over HTTP, on the in-process stack with development tokens: the first-party manifest
// answers by hash, APQ works for everyone else, and a partner runs the partner view but nothing
// ad hoc (dev partner P-NORTHWIND sees C00001..C00010).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../gateway/persisted-operations/index.js';
import { startStack, type InProcessStack } from '../../stack/in-process.js';

const MANIFEST = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../clients/__generated__/persisted-documents.json'), 'utf8'),
) as Record<string, string>;

/** The manifest key (codegen's `sha256:<hex>`, what the console sends) of an operation. */
function manifestHash(operationName: string): string {
  const entry = Object.entries(MANIFEST).find(([, document]) =>
    new RegExp(`^(query|mutation) ${operationName}\\b`).test(document),
  );
  if (!entry) throw new Error(`${operationName} is not in the manifest`);
  return entry[0];
}

interface Body {
  readonly query?: string;
  readonly hash?: string;
  readonly variables?: Record<string, unknown>;
}

let stack: InProcessStack;
let sales: string;
let partner: string;

async function post(token: string, { query, hash, variables }: Body) {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query,
      variables,
      ...(hash !== undefined && { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    }),
  });
  const body = (await response.json()) as {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: response.status, ...body, code: body.errors?.[0]?.extensions?.code };
}

beforeAll(async () => {
  stack = await startStack({ seedAccounts: 30 });
  sales = await stack.token({ role: 'sales' });
  partner = await stack.token({ role: 'partner', partnerId: 'P-NORTHWIND' });
});
afterAll(() => stack?.close());

describe('persisted operations at the gateway', () => {
  it('runs a manifest operation by hash without registering it', async () => {
    const { status, data, errors } = await post(sales, {
      hash: manifestHash('Customer360'),
      variables: { erp: 'C00001' },
    });
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    expect(data?.accountByErpNumber?.name).toEqual(expect.any(String));
    expect(data?.accountByErpNumber?.credit).toBeTruthy();
  });

  it('speaks APQ: unknown hash → PERSISTED_QUERY_NOT_FOUND, register, then the hash alone', async () => {
    const query = `query ApqProbe { accountByErpNumber(erpCustomerNumber: "C00002") { erpCustomerNumber name } }`;
    const hash = sha256Hex(query);
    expect((await post(sales, { hash })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(sales, { query, hash });
    expect(registered.errors).toBeUndefined();
    expect(registered.data?.accountByErpNumber?.erpCustomerNumber).toBe('C00002');
    const again = await post(sales, { hash });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(registered.data);
  });

  it('refuses a wrong hash/query pair', async () => {
    const { status, code, data } = await post(sales, {
      query: '{ accounts(first: 1) { nodes { id } } }',
      hash: sha256Hex('{ something else }'),
    });
    expect(status).toBe(400);
    expect(code).toBe('BAD_REQUEST');
    expect(data).toBeUndefined();
  });

  it('a partner runs the partner view by its manifest hash, for its own customer', async () => {
    const { status, data, errors } = await post(partner, {
      hash: manifestHash('PartnerView'),
      variables: { erp: 'C00001' },
    });
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    expect(data?.accountByErpNumber?.erpCustomerNumber).toBe('C00001');
  });

  it('a partner cannot run an ad-hoc operation: 403 PERSISTED_QUERY_REQUIRED', async () => {
    const { status, code, data } = await post(partner, {
      query: '{ accountByErpNumber(erpCustomerNumber: "C00001") { name } }',
    });
    expect(status).toBe(403);
    expect(code).toBe('PERSISTED_QUERY_REQUIRED');
    expect(data).toBeUndefined();
  });

  it('a partner cannot register one by APQ either', async () => {
    const query = '{ accountByErpNumber(erpCustomerNumber: "C00001") { id } }';
    expect((await post(partner, { query, hash: sha256Hex(query) })).code).toBe('PERSISTED_QUERY_REQUIRED');
    expect((await post(partner, { hash: sha256Hex(query) })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
