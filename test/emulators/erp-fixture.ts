// A small, hand-made Business Central dataset for the ERP emulator's tests, plus helpers to start
// the emulator on a random port and call it with plain fetch (the way any client would).
import {
  loadErpEmulatorConfig,
  startErpEmulator,
  type RunningErpEmulator,
  type WebhookSettings,
} from '../../emulators/erp/index.js';
import type {
  BcCustomer,
  BcItem,
  BcSalesInvoice,
  BcSalesOrder,
  BcSalesShipment,
  ErpDataset,
} from '../../emulators/seed/types.js';

export const COMPANY_ID = '5d115c9c-44e3-ea11-bb43-000d3a2feca1';
export const SCOPE = 'https://api.businesscentral.dynamics.com/.default';

const guid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const customerId = (n: number) => guid('c0000000', n);
export const itemId = (n: number) => guid('10000000', n);

function customer(n: number, displayName: string, extra: Partial<BcCustomer> = {}): BcCustomer {
  return {
    id: customerId(n),
    number: `C0000${n}`,
    displayName,
    type: 'Company',
    addressLine1: `${n} Market Square`,
    addressLine2: '',
    city: 'Atlanta',
    state: 'GA',
    country: 'US',
    postalCode: '31772',
    phoneNumber: '',
    email: `ap@c${n}.example`,
    website: '',
    taxLiable: true,
    currencyCode: 'USD',
    paymentTermsId: guid('a0000000', 1),
    blocked: ' ',
    balanceDue: 0,
    creditLimit: 10_000 * n,
    lastModifiedDateTime: `2026-10-0${n}T08:00:00.000Z`,
    ...extra,
  };
}

function item(n: number, number: string, displayName: string, unitPrice: number, extra: Partial<BcItem> = {}): BcItem {
  return {
    id: itemId(n),
    number,
    displayName,
    type: 'Inventory',
    itemCategoryCode: 'PARTS',
    blocked: false,
    baseUnitOfMeasureCode: 'PCS',
    unitPrice,
    unitCost: unitPrice / 2,
    inventory: 100 * n,
    lastModifiedDateTime: '2026-09-01T00:00:00.000Z',
    ...extra,
  };
}

export const customers: BcCustomer[] = [
  customer(1, 'Adatum Corporation'),
  customer(2, "O'Brien Tools", { currencyCode: 'EUR', taxLiable: false, city: 'Dublin', country: 'IE' }),
  customer(3, 'Blocked All Co', { blocked: 'All' }),
  customer(4, 'Ship Hold Ltd', { blocked: 'Ship' }),
  customer(5, 'Zeta Machining', { city: 'Boston', state: 'MA' }),
];

export const items: BcItem[] = [
  item(1, '1000-A', 'Bearing 1000', 10.5),
  item(2, '2000-B', 'Gearbox 2000', 199.99),
  item(3, '9999-X', 'Discontinued pump', 50, { blocked: true }),
];

function order(
  n: number,
  c: BcCustomer,
  lines: Array<[BcItem, number]>,
  extra: Partial<BcSalesOrder> = {},
): BcSalesOrder {
  const id = guid('50000000', n);
  const salesOrderLines = lines.map(([it, quantity], i) => ({
    id: guid(`5${n}000000`, i + 1),
    documentId: id,
    sequence: (i + 1) * 10_000,
    itemId: it.id,
    lineType: 'Item' as const,
    lineObjectNumber: it.number,
    description: it.displayName,
    unitOfMeasureCode: 'PCS',
    quantity,
    unitPrice: it.unitPrice,
    discountPercent: 0,
    amountExcludingTax: Math.round(quantity * it.unitPrice * 100) / 100,
    netAmount: Math.round(quantity * it.unitPrice * 100) / 100,
    shippedQuantity: 0,
    invoicedQuantity: 0,
    shipmentDate: '2026-11-30',
  }));
  const net = salesOrderLines.reduce((sum, line) => sum + line.amountExcludingTax, 0);
  return {
    id,
    number: `SO-10000${n}`,
    externalDocumentNumber: `PO-${n}`,
    orderDate: `2026-11-0${n}`,
    requestedDeliveryDate: '2026-11-30',
    customerId: c.id,
    customerNumber: c.number,
    customerName: c.displayName,
    currencyCode: c.currencyCode,
    status: 'Open',
    fullyShipped: false,
    totalAmountExcludingTax: net,
    totalTaxAmount: 0,
    totalAmountIncludingTax: net,
    lastModifiedDateTime: `2026-11-0${n}T09:00:00.000Z`,
    salesOrderLines,
    ...extra,
  };
}

export const salesOrders: BcSalesOrder[] = [
  order(1, customers[0]!, [
    [items[0]!, 10],
    [items[1]!, 2],
    [items[0]!, 5],
  ]),
  order(2, customers[1]!, [[items[1]!, 1]], { externalDocumentNumber: 'SFQ-0Q0000000000001AAA' }),
  order(3, customers[0]!, [], { status: 'Draft' }),
];

export const salesShipments: BcSalesShipment[] = [
  {
    id: guid('60000000', 1),
    number: 'SS-100001',
    orderNumber: 'SO-100001',
    customerNumber: 'C00001',
    customerName: 'Adatum Corporation',
    shipmentDate: '2026-11-10',
    shippingAgentCode: 'UPS',
    packageTrackingNo: '1Z999AA10123456784',
    lastModifiedDateTime: '2026-11-10T12:00:00.000Z',
    salesShipmentLines: [
      {
        id: guid('61000000', 1),
        documentId: guid('60000000', 1),
        sequence: 10_000,
        lineObjectNumber: '1000-A',
        description: 'Bearing 1000',
        unitOfMeasureCode: 'PCS',
        quantity: 10,
        lotNumbers: ['LOT-2026-000001', 'LOT-2026-000002'],
      },
    ],
  },
];

const INVOICE_STATUSES = ['Open', 'Paid', 'Open', 'Draft', 'Canceled'] as const;

/** 30 invoices over the 5 customers: deterministic, varied statuses, dates and amounts. */
export const salesInvoices: BcSalesInvoice[] = Array.from({ length: 30 }, (_, k) => {
  const i = k + 1;
  const c = customers[k % 5]!;
  const total = Math.round(i * 100.25 * 100) / 100;
  const status = INVOICE_STATUSES[k % 5]!;
  const day = String(i).padStart(2, '0');
  return {
    id: guid('70000000', i),
    number: `SI-1000${day}`,
    externalDocumentNumber: i % 7 === 0 ? '' : `PO-${i}`,
    invoiceDate: `2026-10-${day}`,
    postingDate: `2026-10-${day}`,
    dueDate: i <= 15 ? `2026-11-${day}` : `2026-12-${day}`,
    customerNumber: c.number,
    customerName: c.displayName,
    orderNumber: i <= 3 ? `SO-10000${i}` : '',
    currencyCode: c.currencyCode,
    status,
    totalAmountExcludingTax: total,
    totalTaxAmount: 0,
    totalAmountIncludingTax: total,
    remainingAmount: status === 'Open' ? total : 0,
    lastModifiedDateTime: `2026-10-${day}T${String(k % 24).padStart(2, '0')}:00:00.000Z`,
  };
});

export function fixtureDataset(): ErpDataset {
  return {
    company: { id: COMPANY_ID, name: 'CRONUS USA, Inc.', displayName: 'CRONUS USA, Inc.' },
    paymentTerms: [
      {
        id: guid('a0000000', 1),
        code: '30 DAYS',
        displayName: 'Net 30 days',
        dueDateCalculation: '30D',
        discountDateCalculation: '',
        discountPercent: 0,
      },
      {
        id: guid('a0000000', 2),
        code: '1M(8D)',
        displayName: '1 Month/2% 8 days',
        dueDateCalculation: '1M',
        discountDateCalculation: '8D',
        discountPercent: 2,
      },
    ],
    customers,
    customerFinancialDetails: customers.map((c) => ({
      id: c.id,
      number: c.number,
      balance: c.balanceDue,
      totalSalesExcludingTax: 1000,
      overdueAmount: 0,
    })),
    items,
    salesOrders,
    salesShipments,
    salesInvoices,
  };
}

export interface ErpTestClient {
  running: RunningErpEmulator;
  /** `${apiUrl}/companies(<id>)` */
  company: string;
  token: string;
  /** A fresh token (after moving the emulator's clock past the old one's expiry). */
  reauthorize(): Promise<void>;
  /** GET (or another method) with the bearer token; `path` is relative to the company unless absolute. */
  call(path: string, init?: RequestInit): Promise<Response>;
  json<T = Record<string, unknown>>(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: T; headers: Headers }>;
}

export async function requestToken(running: RunningErpEmulator): Promise<string> {
  const config = loadErpEmulatorConfig({});
  const response = await fetch(running.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.credentials.clientId,
      client_secret: config.credentials.clientSecret,
      scope: SCOPE,
    }),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function startFixtureEmulator(
  options: {
    pageSize?: number;
    dataset?: ErpDataset;
    now?: () => Date;
    strictFilters?: boolean;
    webhooks?: Partial<WebhookSettings>;
  } = {},
): Promise<ErpTestClient> {
  const defaults = loadErpEmulatorConfig({});
  const config = {
    ...defaults,
    port: 0,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.strictFilters !== undefined && { strictFilters: options.strictFilters }),
    ...(options.webhooks && { webhooks: { ...defaults.webhooks, ...options.webhooks } }),
  };
  const running = await startErpEmulator(config, {
    dataset: options.dataset ?? fixtureDataset(),
    ...(options.now ? { now: options.now } : {}),
  });
  let token = await requestToken(running);
  const company = running.companyUrl;
  const call = (path: string, init: RequestInit = {}) => {
    const url = /^https?:/.test(path) ? path : `${company}${path}`;
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
  return {
    running,
    company,
    get token() {
      return token;
    },
    async reauthorize() {
      token = await requestToken(running);
    },
    call,
    async json<T>(path: string, init?: RequestInit) {
      const response = await call(path, init);
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
    },
  };
}

/** Encodes a $filter (or any option value) for a URL; spaces as %20, quotes kept. */
export const q = (value: string) => encodeURIComponent(value);
