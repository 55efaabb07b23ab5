// The writes that make ERP data change, beside sales order entry (api.ts): PATCH customers({id})
// with If-Match (customer-updates.ts), and the bound action
// salesOrders({id})/Microsoft.NAV.shipAndInvoice (posting.ts), answered 204 No Content as Business
// Central answers it. Business Central's API has no release, reopen, cancel or ship-only action on
// sales orders: releasing is done in the client (the activity simulator does it), cancelling is
// DELETE salesOrders({id}), and a partial delivery is posted in the client.
import express from 'express';
import type { Request, Response } from 'express';
import { parseCustomerChanges } from './customer-updates.js';
import { BcError, recordNotFound, segmentNotFound } from './errors.js';
import { ENTITY_SETS } from './entity-sets.js';
import { checkIfMatch } from './etag.js';
import { contextUrl, entityJson } from './representation.js';
import { parseResourcePath } from './resource-path.js';
import type { ErpStore } from './store.js';

const ACTION = /^(.*)\/Microsoft\.NAV\.([A-Za-z]+)$/;
const SALES_ORDER_ACTIONS = new Set(['shipAndInvoice']);

function requireCompany(store: ErpStore, companyId: string): void {
  if (companyId !== store.company.id.toLowerCase()) {
    throw new BcError(
      404,
      'Internal_CompanyNotFound',
      `Cannot process the request because the company '${companyId}' cannot be found.`,
    );
  }
}

export function createWriteRouter(options: { store: ErpStore }): express.Router {
  const { store } = options;
  const router = express.Router();
  router.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));

  router.use((req: Request, res: Response, next) => {
    const action = ACTION.exec(req.path);
    if (action) {
      handleAction(req, res, action[1]!, action[2]!);
      return;
    }
    if (req.method !== 'PATCH') {
      next();
      return;
    }
    let resource;
    try {
      resource = parseResourcePath(req.path);
    } catch {
      next();
      return;
    }
    if (
      resource.kind !== 'entitySet' ||
      resource.set.name !== 'customers' ||
      resource.key === null ||
      resource.navigation ||
      resource.count
    ) {
      next();
      return;
    }
    requireCompany(store, resource.companyId);
    const customer = store.table('customers').get(resource.key);
    if (!customer) throw recordNotFound(resource.set.type.caption, `Id='${resource.key}'`);
    checkIfMatch(req, store.etags.etag(customer));
    const updated = store.updateCustomer(customer, parseCustomerChanges(store, req.body));
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res
      .status(200)
      .set('OData-Version', '4.0')
      .set('Content-Type', 'application/json; odata.metadata=minimal')
      .set('ETag', store.etags.etag(updated))
      .send(
        JSON.stringify({
          '@odata.context': contextUrl(origin, `companies(${store.company.id})/customers`, null, true),
          ...entityJson(store, updated as unknown as Record<string, unknown>, resource.set.type, null),
        }),
      );
  });

  function handleAction(req: Request, res: Response, target: string, name: string): void {
    const resource = parseResourcePath(target);
    if (
      resource.kind !== 'entitySet' ||
      resource.set.name !== 'salesOrders' ||
      resource.key === null ||
      resource.navigation ||
      resource.count ||
      !SALES_ORDER_ACTIONS.has(name)
    ) {
      throw segmentNotFound(`Microsoft.NAV.${name}`);
    }
    requireCompany(store, resource.companyId);
    if (req.method !== 'POST') {
      throw new BcError(
        405,
        'BadRequest_MethodNotAllowed',
        `'${req.method}' requests for 'Microsoft.NAV.${name}' of EdmType 'Action' are not allowed within Microsoft Dynamics 365 Business Central OData web services.`,
        { Allow: 'POST' },
      );
    }
    const order = store.table('salesOrders').get(resource.key);
    if (!order) throw recordNotFound(ENTITY_SETS.get('salesOrders')!.type.caption, `Id='${resource.key}'`);
    store.postSalesOrder(order);
    res.status(204).set('OData-Version', '4.0').end();
  }

  return router;
}
