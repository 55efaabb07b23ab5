// The company and warehouse one adapter serves, found once: Tryton keeps several companies in one
// database and per-company values (credit limits, receivables, list prices, payment terms) read as
// null without a company in the context. The company is the configured one or the user's current
// company; the warehouse the configured one or the database's only one. Discovered like Business
// Central's company id: single flight, a failure is not remembered.
import { invalidResponse, transportError } from './errors.js';
import type { TrytonCall, TrytonClient, TrytonContext } from './client.js';
import { untilDeadline } from '../deadline.js';

export interface TrytonCompany {
  readonly id: number;
  /** The company's own party (not a customer). */
  readonly party: number;
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
    try {
      this.#company = await untilDeadline(this.#pending, call.deadline.signal);
    } catch (error) {
      // This caller's deadline passed while the shared discovery went on.
      throw transportError(error, call.deadline, call.operation);
    }
    return this.#company;
  }

  async #discover(call: TrytonCall): Promise<TrytonCompany> {
    const setup: TrytonCall = { ...call, operation: 'company discovery' };
    let id = this.configured.company;
    if (id === undefined) {
      const preferences = await this.client.preferences(setup);
      const current = preferences['company'];
      if (typeof current !== 'number')
        throw invalidResponse(setup.operation, 'the Tryton user has no current company (set ERP_TRYTON_COMPANY)');
      id = current;
    }
    const context: TrytonContext = { company: id };
    const [company] = await this.client.searchRead(setup, 'company.company', {
      domain: [['id', '=', id]],
      fields: ['currency.code', 'party'],
      context,
    });
    const currency = (company?.['currency.'] as { code?: unknown } | null | undefined)?.code;
    const party = company?.['party'];
    if (typeof currency !== 'string' || typeof party !== 'number')
      throw invalidResponse(setup.operation, `company ${id} is not readable or has no currency`);
    let warehouse = this.configured.warehouse;
    if (warehouse === undefined) {
      const warehouses = await this.client.searchRead(setup, 'stock.location', {
        domain: [['type', '=', 'warehouse']],
        fields: ['id'],
        limit: 2,
        context,
      });
      if (warehouses.length !== 1) {
        throw invalidResponse(
          setup.operation,
          `the database has ${warehouses.length === 0 ? 'no' : 'several'} warehouses (set ERP_TRYTON_WAREHOUSE)`,
        );
      }
      warehouse = warehouses[0]!['id'] as number;
    }
    return { id, party, currency, warehouse, context };
  }
}
