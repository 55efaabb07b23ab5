// The Business Central API v2.0 surface under /api/v2.0: reads of every entity set with OData query
// options and server-driven paging, sales order writes, $count, $metadata and the service
// document. Responses carry `OData-Version: 4.0` and `application/json; odata.metadata=minimal`.
import express from 'express';
import type { Request, Response } from 'express';
import { BcError, recordNotFound } from './errors.js';
import { checkIfMatch } from './etag.js';
import {
  ENTITY_SETS,
  SALES_ORDER_LINES_SET,
  companyType,
  type EntitySetDef,
  type EntityTypeDef,
  type EntitySetName,
} from './entity-sets.js';
import { metadataXml } from './metadata.js';
import { countRows, type RowSource } from './odata/collection-query.js';
import type { Row } from './odata/evaluate.js';
import { parseQueryOptions, type FilterRules, type QueryOptions } from './odata/query-options.js';
import { noteRows, origin, queryParams, sendCollection as sendRows, sendCount, sendJson } from './odata/respond.js';
import { findOrderLine, linesSource, orderLinesSource } from './order-lines.js';
import { contextUrl, entityJson, type Json } from './representation.js';
import { parseResourcePath, type Resource } from './resource-path.js';
import { checkSalesOrderDeletable, parseNewSalesOrder, parseSalesOrderChanges } from './sales-orders.js';
import type { ErpStore } from './store.js';
import type { BcSalesOrder } from '../seed/types.js';

export interface ApiOptions {
  store: ErpStore;
  /** Server-driven page size; a client's `Prefer: odata.maxpagesize` may only lower it. */
  pageSize: number;
  now: () => Date;
  /** How strictly $filter follows Business Central's limits (query-options.ts). */
  filterRules?: FilterRules;
}

type EntitySetResource = Extract<Resource, { kind: 'entitySet' }>;

function methodNotAllowed(method: string, segment: string, edmKind: string, allowed: string[]): BcError {
  return new BcError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${method}' requests for '${segment}' of EdmType '${edmKind}' are not allowed within Microsoft Dynamics 365 Business Central OData web services.`,
    { Allow: allowed.join(', ') },
  );
}

function requireMethod(req: Request, allowed: string[], segment: string, edmKind: string): void {
  if (!allowed.includes(req.method)) throw methodNotAllowed(req.method, segment, edmKind, allowed);
}

function singleRowSource(row: Row): RowSource<Row> {
  return { all: () => [row], ordinal: () => 1, indexed: new Set<string>(), lookup: () => [] };
}

export function createApiRouter(options: ApiOptions): express.Router {
  const { store, pageSize, now } = options;
  const rules: FilterRules = options.filterRules ?? { businessCentral: true };
  const router = express.Router();
  router.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));

  function sendCollection(
    req: Request,
    res: Response,
    source: RowSource<Row>,
    type: EntityTypeDef,
    contextPath: string,
    params: URLSearchParams,
    query: QueryOptions,
  ): void {
    sendRows(req, res, {
      source,
      type,
      context: contextUrl(origin(req), contextPath, query.select, false),
      params,
      query,
      pageSize,
      project: (row) => entityJson(store, row, type, query.select, query.expand),
    });
  }

  function sendEntity(
    req: Request,
    res: Response,
    status: number,
    row: Row,
    type: EntityTypeDef,
    contextPath: string,
    query: Pick<QueryOptions, 'select' | 'expand'>,
  ): void {
    res.set('ETag', store.etags.etag(row));
    sendJson(res, status, {
      '@odata.context': contextUrl(origin(req), contextPath, query.select, true),
      ...entityJson(store, row, type, query.select, query.expand),
    });
  }

  function handleCompanies(req: Request, res: Response, key: string | null): void {
    requireMethod(req, ['GET'], 'companies', key === null ? 'EntityCollection' : 'Entity');
    const params = queryParams(req);
    const company = store.company as unknown as Row;
    if (key === null) {
      const query = parseQueryOptions(params, companyType, 'collection');
      sendCollection(req, res, singleRowSource(company), companyType, 'companies', params, query);
      return;
    }
    if (key !== store.company.id.toLowerCase()) throw recordNotFound('Company', `Id='${key}'`);
    sendEntity(req, res, 200, company, companyType, 'companies', parseQueryOptions(params, companyType, 'entity'));
  }

  function handleEntitySet(req: Request, res: Response, resource: EntitySetResource): void {
    if (resource.companyId !== store.company.id.toLowerCase()) {
      throw new BcError(
        404,
        'Internal_CompanyNotFound',
        `Cannot process the request because the company '${resource.companyId}' cannot be found.`,
      );
    }
    const { set } = resource;
    if (set === SALES_ORDER_LINES_SET) {
      handleOrderLines(req, res, resource);
      return;
    }
    const table = store.table(set.name as EntitySetName);
    const companyPath = `companies(${store.company.id})`;
    const params = queryParams(req);
    const writable = set.name === 'salesOrders';

    if (resource.count) {
      requireMethod(req, ['GET'], '$count', 'Primitive');
      if (resource.navigation) {
        const parent = findRow(set, resource.key!);
        const lines = (parent[resource.navigation.name] as Row[] | undefined) ?? [];
        const counted = countRows(
          linesSource(lines),
          parseQueryOptions(params, resource.navigation.def.target, 'count', rules),
        );
        noteRows(res, 0, counted.scanned);
        sendCount(res, counted.count);
      } else {
        const counted = countRows(
          table as unknown as RowSource<Row>,
          parseQueryOptions(params, set.type, 'count', rules),
        );
        noteRows(res, 0, counted.scanned);
        sendCount(res, counted.count);
      }
      return;
    }

    if (resource.key === null) {
      if (req.method === 'POST' && writable) {
        const order = store.createSalesOrder(parseNewSalesOrder(store, req.body, now().toISOString().slice(0, 10)));
        const deepInserted = Array.isArray((req.body as Json).salesOrderLines);
        res.set('Location', `${origin(req)}/api/v2.0/${companyPath}/salesOrders(${order.id})`);
        const expand = deepInserted
          ? [{ navigation: 'salesOrderLines', def: set.type.navigation.salesOrderLines!, select: null }]
          : [];
        sendEntity(req, res, 201, order as unknown as Row, set.type, `${companyPath}/salesOrders`, {
          select: null,
          expand,
        });
        return;
      }
      requireMethod(req, writable ? ['GET', 'POST'] : ['GET'], set.name, 'EntityCollection');
      const query = parseQueryOptions(params, set.type, 'collection', rules);
      sendCollection(
        req,
        res,
        table as unknown as RowSource<Row>,
        set.type,
        `${companyPath}/${set.name}`,
        params,
        query,
      );
      return;
    }

    const row = findRow(set, resource.key);
    const nav = resource.navigation;
    if (!nav) {
      requireMethod(req, writable ? ['GET', 'PATCH', 'DELETE'] : ['GET'], set.name, 'Entity');
      if (req.method === 'PATCH') {
        checkIfMatch(req, store.etags.etag(row));
        const changes = parseSalesOrderChanges(req.body);
        const order = store.updateSalesOrder(row as unknown as BcSalesOrder, changes);
        sendEntity(req, res, 200, order as unknown as Row, set.type, `${companyPath}/salesOrders`, {
          select: null,
          expand: [],
        });
        return;
      }
      if (req.method === 'DELETE') {
        checkIfMatch(req, store.etags.etag(row));
        checkSalesOrderDeletable(row as unknown as BcSalesOrder);
        store.deleteSalesOrder(row as unknown as BcSalesOrder);
        res.status(204).set('OData-Version', '4.0').end();
        return;
      }
      sendEntity(
        req,
        res,
        200,
        row,
        set.type,
        `${companyPath}/${set.name}`,
        parseQueryOptions(params, set.type, 'entity'),
      );
      return;
    }

    const navPath = `${companyPath}/${set.name}(${String(row.id)})/${nav.name}`;
    const target = nav.def.target;
    if (nav.def.kind === 'sameId') {
      requireMethod(req, ['GET'], nav.name, 'Entity');
      const related = store.table(nav.def.set as EntitySetName).get(String(row.id)) as Row | undefined;
      if (!related) throw recordNotFound(target.caption, `Id='${String(row.id)}'`);
      sendEntity(req, res, 200, related, target, navPath, parseQueryOptions(params, target, 'entity'));
      return;
    }
    const lines = (row[nav.name] as Row[] | undefined) ?? [];
    if (nav.key !== null) {
      requireMethod(req, ['GET'], nav.name, 'Entity');
      const line = lines.find((candidate) => String(candidate.id).toLowerCase() === nav.key);
      if (!line) throw recordNotFound(target.caption, `Id='${nav.key}'`);
      sendEntity(req, res, 200, line, target, navPath, parseQueryOptions(params, target, 'entity'));
      return;
    }
    requireMethod(req, ['GET'], nav.name, 'EntityCollection');
    sendCollection(
      req,
      res,
      linesSource(lines),
      target,
      navPath,
      params,
      parseQueryOptions(params, target, 'collection', rules),
    );
  }

  /** The top-level salesOrderLines (read only here): the lines of the one order its filter names. */
  function handleOrderLines(req: Request, res: Response, resource: EntitySetResource): void {
    const { set } = resource;
    const type = set.type;
    const companyPath = `companies(${store.company.id})`;
    const params = queryParams(req);
    if (resource.key !== null) {
      requireMethod(req, ['GET'], set.name, 'Entity');
      const line = findOrderLine(store, resource.key);
      sendEntity(req, res, 200, line, type, `${companyPath}/${set.name}`, parseQueryOptions(params, type, 'entity'));
      return;
    }
    requireMethod(req, ['GET'], set.name, resource.count ? 'Primitive' : 'EntityCollection');
    const query = parseQueryOptions(params, type, resource.count ? 'count' : 'collection', rules);
    const source = orderLinesSource(store, query.filter?.ast ?? null);
    if (resource.count) {
      const counted = countRows(source, query);
      noteRows(res, 0, counted.scanned);
      sendCount(res, counted.count);
      return;
    }
    sendCollection(req, res, source, type, `${companyPath}/${set.name}`, params, query);
  }

  function findRow(set: EntitySetDef, key: string): Row {
    const row = store.table(set.name as EntitySetName).get(key) as Row | undefined;
    if (!row) throw recordNotFound(set.type.caption, `Id='${key}'`);
    return row;
  }

  router.use((req, res) => {
    const resource = parseResourcePath(req.path);
    switch (resource.kind) {
      case 'serviceDocument':
        requireMethod(req, ['GET'], 'serviceDocument', 'ServiceDocument');
        sendJson(res, 200, {
          '@odata.context': `${origin(req)}/api/v2.0/$metadata`,
          value: ['companies', ...ENTITY_SETS.keys(), SALES_ORDER_LINES_SET.name].map((name) => ({
            name,
            kind: 'EntitySet',
            url: name,
          })),
        });
        return;
      case 'metadata':
        requireMethod(req, ['GET'], '$metadata', 'Metadata');
        res.status(200).set('OData-Version', '4.0').type('application/xml').send(metadataXml());
        return;
      case 'companies':
        handleCompanies(req, res, resource.key);
        return;
      case 'entitySet':
        handleEntitySet(req, res, resource);
        return;
    }
  });

  return router;
}
