// The company and warehouse one adapter serves, found once: Tryton keeps several companies in one
// database and per-company values (credit limits, receivables, list prices, payment terms) read as
// null without a company in the context. The company is the configured one or the user's current
// company; the warehouse the configured one or the database's only one. Discovered like Business
// Central's company id: single flight, a failure is not remembered.
import { invalidResponse } from './errors.js';
import type { TrytonCall, TrytonClient, TrytonContext } from './client.js';
import { untilDeadline } from '../deadline.js';

export interface TrytonCompany {
  readonly id: number;
  /** ISO code of its currency. */
  readonly currency: string;
  readonly warehouse: number;
  /** The context every model call carries. */
  readonly context: TrytonContext;
}

export class CompanyLookup {
  #company: TrytonCompany | null = null;
  #pending: Promise<TrytonCompany> | null = null;

  constructor(
    private readonly client: TrytonClient,
    private readonly configured: { readonly company?: number; readonly warehouse?: number },
  ) {}

  async get(call: TrytonCall): Promise<TrytonCompany> {
    if (this.#company) return this.#company;
    this.#pending ??= this.#discover(call).finally(() => {
      this.#pending = null;
    });
    const company = await untilDeadline(this.#pending, call.deadline.signal);
    this.#company = company;
    return company;
  }

  async #discover(call: TrytonCall): Promise<TrytonCompany> {
    const setup: TrytonCall = { ...call, operation: 'company discovery' };
    let id = this.configured.company;
    if (id === undefined) {
      const preferences = await this.client.preferences(setup);
      const current = preferences['company'];
      if (typeof current !== 'number') throw invalidResponse(setup.operation, 'the Tryton user has no current company (set ERP_TRYTON_COMPANY)');
      id = current;
    }
    const context: TrytonContext = { company: id };
    const [company] = await this.client.searchRead(setup, 'company.company', {
      domain: [['id', '=', id]],
      fields: ['currency.code'],
      context,
    });
    const currency = (company?.['currency.'] as { code?: unknown } | null | undefined)?.code;
    if (typeof currency !== 'string') throw invalidResponse(setup.operation, `company ${id} is not readable or has no currency`);
    let warehouse = this.configured.warehouse;
    if (warehouse === undefined) {
      const warehouses = await this.client.searchRead(setup, 'stock.location', { domain: [['type', '=', 'warehouse']], fields: ['id'], limit: 2, context });
      if (warehouses.length !== 1) {
        throw invalidResponse(setup.operation, `the database has ${warehouses.length === 0 ? 'no' : 'several'} warehouses (set ERP_TRYTON_WAREHOUSE)`);
      }
      warehouse = warehouses[0]!['id'] as number;
    }
    return { id, currency, warehouse, context };
  }
}
