// The Business Central client's HTTP behaviour against a scripted fake server: token caching and
// single flight, the one refresh-and-repeat on 401, error mapping, and nextLink safety. (The real
// emulator is exercised in erp-business-central.test.ts.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import { createLogger } from '../../lib/logger.js';
import { createErpConnector, type ErpPort } from '../../connectors/erp/index.js';
import { startDeadline } from '../../connectors/erp/deadline.js';
import { TokenProvider } from '../../connectors/erp/business-central/token.js';

const COMPANY = '11111111-2222-3333-4444-555555555555';
const logger = createLogger('erp-client-test', 'silent');
const ctx = { correlationId: 'corr-client-test' };

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: Seen, res: http.ServerResponse) => void;

let server: http.Server;
let base: string;
let seen: Seen[];
let api: Handler;
let tokenHandler: Handler;
let tokenCount: number;

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function issueTokens(expiresIn = 3600): Handler {
  return (_req, res) =>
    json(res, 200, { token_type: 'Bearer', expires_in: expiresIn, access_token: `token-${tokenCount}` });
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      if (req.url === '/tenant/token') {
        tokenCount += 1;
        tokenHandler(entry, res);
        return;
      }
      seen.push(entry);
      api(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  tokenCount = 0;
  tokenHandler = issueTokens();
  api = (_req, res) => json(res, 200, { value: [] });
});

function connector(overrides: { timeoutMs?: number; companyId?: string | undefined; baseUrl?: string } = {}): ErpPort {
  return createErpConnector(
    {
      kind: 'business-central',
      baseUrl: overrides.baseUrl ?? `${base}/api/v2.0`,
      ...('companyId' in overrides
        ? overrides.companyId
          ? { companyId: overrides.companyId }
          : {}
        : { companyId: COMPANY }),
      tokenUrl: `${base}/tenant/token`,
      clientId: 'client',
      clientSecret: 's3cret&=',
      scope: 'https://api.businesscentral.dynamics.com/.default',
      timeoutMs: overrides.timeoutMs ?? 2000,
    },
    logger,
  );
}

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a BackendError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe('token (OAuth 2.0 client credentials)', () => {
  it('posts the form, caches the token and shares one request among concurrent calls', async () => {
    let form: URLSearchParams | undefined;
    tokenHandler = (req, res) => {
      form = new URLSearchParams(req.body);
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      issueTokens()(req, res);
    };
    const erp = connector();
    await Promise.all([1, 2, 3, 4, 5].map((n) => erp.customersByNumbers([`C${n}`], ctx)));
    await erp.itemsByNumbers(['I1'], ctx);
    expect(tokenCount).toBe(1);
    expect(Object.fromEntries(form!)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client',
      client_secret: 's3cret&=',
      scope: 'https://api.businesscentral.dynamics.com/.default',
    });
    expect(seen).toHaveLength(6);
    for (const req of seen) {
      expect(req.headers.authorization).toBe('Bearer token-1');
      expect(req.headers.accept).toBe('application/json');
      expect(req.headers['x-correlation-id']).toBe('corr-client-test');
    }
  });

  it('fetches a new token shortly before expires_in', async () => {
    let now = 1_000_000;
    const provider = new TokenProvider(
      {
        tokenUrl: `${base}/tenant/token`,
        clientId: 'c',
        clientSecret: 's',
        scope: 'x',
        timeoutMs: 2000,
        now: () => now,
      },
      logger,
    );
    const deadline = () => startDeadline(2000);
    expect(await provider.get(deadline(), 'c1')).toBe('token-1');
    now += 3_500_000; // 3500 s of 3600: still more than the 60 s margin left
    expect(await provider.get(deadline(), 'c1')).toBe('token-1');
    now += 45_000; // 55 s left: inside the margin
    expect(await provider.get(deadline(), 'c1')).toBe('token-2');
    expect(tokenCount).toBe(2);
  });

  it('wrong client credentials → unauthorized (no retry)', async () => {
    tokenHandler = (_req, res) =>
      json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret' });
    const error = await failure(connector().customersByNumbers(['C1'], ctx));
    expect(error.failure).toBe('unauthorized');
    expect(error.details.backendCode).toBe('invalid_client');
    expect(tokenCount).toBe(1);
    expect(seen).toHaveLength(0);
  });
});

describe('401 from the API', () => {
  it('refreshes the token once and repeats the request once', async () => {
    api = (req, res) =>
      req.headers.authorization === 'Bearer token-1'
        ? json(res, 401, { error: { code: 'Authentication_InvalidCredentials', message: 'x' } })
        : json(res, 200, { value: [] });
    const result = await connector().customersByNumbers(['C1'], ctx);
    expect(result.size).toBe(0);
    expect(tokenCount).toBe(2);
    expect(seen.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('a second 401 → unauthorized, with no loop', async () => {
    api = (_req, res) => json(res, 401, { error: { code: 'Authentication_InvalidCredentials', message: 'x' } });
    const error = await failure(connector().customersByNumbers(['C1'], ctx));
    expect(error.failure).toBe('unauthorized');
    expect(error.details.status).toBe(401);
    expect(seen).toHaveLength(2);
    expect(tokenCount).toBe(2);
  });
});

describe('error mapping', () => {
  it.each([
    [400, 'rejected'],
    [404, 'rejected'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('HTTP %i → %s, BC error code in details', async (status, expected) => {
    api = (_req, res) =>
      json(res, status, { error: { code: 'BadRequest_NotFound', message: 'secret payload detail' } });
    const error = await failure(connector().customersByNumbers(['C1'], ctx));
    expect(error.failure).toBe(expected);
    expect(error.backend).toBe('erp');
    expect(error.details).toMatchObject({
      status,
      backendCode: 'BadRequest_NotFound',
      operation: 'customersByNumbers',
    });
  });

  it.each([
    [408, 'Internal_RequestTimeout', 'unavailable'],
    [423, 'Internal_LockedRecord', 'unavailable'],
    [409, 'Internal_ConcurrentWrite', 'unavailable'],
    [409, 'Request_EntityChanged', 'rejected'], // an If-Match (ETag) conflict: repeating cannot succeed
  ] as const)('transient 4xx: HTTP %i %s → %s', async (status, code, expected) => {
    api = (_req, res) => json(res, status, { error: { code, message: 'detail' } });
    const error = await failure(connector().customersByNumbers(['C1'], ctx));
    expect(error.failure).toBe(expected);
    expect(error.details).toMatchObject({ status, backendCode: code });
  });

  it('a body that is not JSON → invalid_response', async () => {
    api = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"value": [');
    expect((await failure(connector().customersByNumbers(['C1'], ctx))).failure).toBe('invalid_response');
  });

  it('rows of the wrong shape → invalid_response naming the property', async () => {
    api = (_req, res) => json(res, 200, { value: [{ number: 'C1', displayName: 'x', creditLimit: 'lots' }] });
    const error = await failure(connector().customersByNumbers(['C1'], ctx));
    expect(error.failure).toBe('invalid_response');
    expect(error.message).toContain('creditLimit');
  });

  it('connection refused → unavailable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(
      connector({ baseUrl: `http://127.0.0.1:${port}/api/v2.0` }).customersByNumbers(['C1'], ctx),
    );
    expect(error.failure).toBe('unavailable');
  });

  it("the caller's abort → timeout, promptly", async () => {
    api = () => undefined; // never answers
    const controller = new AbortController();
    const started = Date.now();
    const pending = connector({ timeoutMs: 10_000 }).customersByNumbers(['C1'], {
      correlationId: 'c',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect(error.failure).toBe('timeout');
    expect(error.message).toContain('caller aborted');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('paging and company discovery', () => {
  it('a nextLink to another host is refused without sending the token there', async () => {
    api = (_req, res) =>
      json(res, 200, { value: [], '@odata.nextLink': 'http://attacker.example/api/v2.0/customers?$skiptoken=x' });
    const error = await failure(connector().customersByNumbers(['C1'], ctx));
    expect(error.failure).toBe('invalid_response');
    expect(seen).toHaveLength(1);
  });

  it('discovers the company once (single flight) and uses it in every URL', async () => {
    api = (req, res) => {
      if (req.url.startsWith('/api/v2.0/companies?')) json(res, 200, { value: [{ id: COMPANY, name: 'CRONUS' }] });
      else json(res, 200, { value: [] });
    };
    const erp = connector({ companyId: undefined });
    await Promise.all([erp.customersByNumbers(['C1'], ctx), erp.itemsByNumbers(['I1'], ctx), erp.ping(ctx)]);
    await erp.customersByNumbers(['C2'], ctx);
    const discovery = seen.filter((r) => r.url.startsWith('/api/v2.0/companies?'));
    expect(discovery).toHaveLength(1);
    const entity = seen.filter((r) => !r.url.startsWith('/api/v2.0/companies?'));
    expect(entity).toHaveLength(3);
    for (const r of entity) expect(r.url.startsWith(`/api/v2.0/companies(${COMPANY})/`)).toBe(true);
  });

  it('no company → invalid_response; a malformed configured company id is refused at construction', async () => {
    api = (_req, res) => json(res, 200, { value: [] });
    expect((await failure(connector({ companyId: undefined }).ping(ctx))).failure).toBe('invalid_response');
    expect(() => connector({ companyId: 'x) or (1' })).toThrow(/GUID/);
  });

  it('no keys → no request at all', async () => {
    const erp = connector();
    expect((await erp.customersByNumbers([], ctx)).size).toBe(0);
    expect((await erp.ordersByCustomers(['', ''], ctx)).size).toBe(0);
    expect((await erp.paymentTermsByIds(['not-a-guid'], ctx)).size).toBe(0);
    expect(seen).toHaveLength(0);
    expect(tokenCount).toBe(0);
  });

  it('more than 100 keys are split into requests of at most 100', async () => {
    const numbers = Array.from({ length: 250 }, (_, i) => `C${i}`);
    await connector().customersByNumbers([...numbers, ...numbers], ctx);
    expect(seen).toHaveLength(3);
    const counts = seen.map((r) => (new URL(r.url, base).searchParams.get('$filter')!.match(/ eq /g) ?? []).length);
    expect(counts).toEqual([100, 100, 50]);
  });
});

describe('createSalesOrder input', () => {
  it('bad input is rejected before any request', async () => {
    const erp = connector();
    const bad = [
      { customerNumber: '', externalDocumentNumber: 'Q1', lines: [{ itemNumber: 'I', quantity: 1 }] },
      { customerNumber: 'C1', externalDocumentNumber: 'Q1', lines: [] },
      { customerNumber: 'C1', externalDocumentNumber: 'Q1', lines: [{ itemNumber: 'I', quantity: 0 }] },
      {
        customerNumber: 'C1',
        externalDocumentNumber: 'Q1',
        lines: [{ itemNumber: 'I', quantity: 1, unitPrice: '1,5' }],
      },
      {
        customerNumber: 'C1',
        externalDocumentNumber: 'Q1',
        lines: [{ itemNumber: 'I', quantity: 1, discountPercent: 101 }],
      },
      { customerNumber: 'C1', externalDocumentNumber: 'X'.repeat(36), lines: [{ itemNumber: 'I', quantity: 1 }] },
    ];
    for (const order of bad) {
      const error = await failure(erp.createSalesOrder(order, ctx));
      expect(error.failure).toBe('rejected');
    }
    expect(seen).toHaveLength(0);
  });

  it('a POST answered without lines is read back once, by id, with its lines', async () => {
    const id = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const header = {
      id,
      number: 'SO-1',
      externalDocumentNumber: 'Q1',
      customerNumber: 'C1',
      orderDate: '2025-01-02',
      requestedDeliveryDate: '0001-01-01',
      status: 'Draft',
      fullyShipped: false,
      currencyCode: 'EUR',
      totalAmountExcludingTax: 20.5,
      totalAmountIncludingTax: 24.4,
    };
    const line = {
      sequence: 10000,
      lineObjectNumber: 'I1',
      description: 'Widget',
      quantity: 2,
      unitOfMeasureCode: 'PCS',
      unitPrice: 10.25,
      discountPercent: 0,
      netAmount: 20.5,
      shippedQuantity: 0,
      invoicedQuantity: 0,
      shipmentDate: '2025-01-10',
    };
    api = (req, res) =>
      req.method === 'POST'
        ? json(res, 201, header)
        : json(res, 200, { value: [{ ...header, salesOrderLines: [line] }] });
    const order = await connector().createSalesOrder(
      {
        customerNumber: 'C1',
        externalDocumentNumber: 'Q1',
        currency: 'EUR',
        lines: [{ itemNumber: 'I1', quantity: 2, unitPrice: '10.25' }],
      },
      ctx,
    );
    expect(JSON.parse(seen[0]!.body)).toEqual({
      customerNumber: 'C1',
      externalDocumentNumber: 'Q1',
      currencyCode: 'EUR',
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'I1', quantity: 2, unitPrice: 10.25 }],
    });
    expect(seen).toHaveLength(2);
    expect(new URL(seen[1]!.url, base).searchParams.get('$filter')).toBe(`(id eq ${id})`);
    expect(order).toMatchObject({ id, status: 'draft', requestedDeliveryDate: null, totalIncludingTax: '24.40' });
    expect(order.lines).toEqual([
      {
        sequence: 10000,
        itemNumber: 'I1',
        description: 'Widget',
        quantity: 2,
        unitOfMeasure: 'PCS',
        unitPrice: '10.25',
        discountPercent: 0,
        amount: '20.50',
        shippedQuantity: 0,
        invoicedQuantity: 0,
        shipmentDate: '2025-01-10',
      },
    ]);
  });
});
