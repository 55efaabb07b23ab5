// One entity by key, `Invoices('X')`: the row query filtered on the key, one row. Not found, and out
// of the caller's scope (a partner asking for another partner's invoice), are the same 404: the
// ERP subgraph leaves rows outside a partner's customers out, as if they did not exist.
import { readableProperties } from './access.js';
import { notFound } from './errors.js';
import { jsonResponse, type OdataRequest, type OdataResponse } from './exchange.js';
import { pageOf } from './execute.js';
import { and } from './filter-translate.js';
import type { ModelProperty } from './model.js';
import { parseEntitySelect } from './query-options.js';
import { rowQueryRequest, type RowFilter } from './row-query.js';
import { serializeEntity } from './serialize.js';

function keyText(key: ReadonlyMap<ModelProperty, string>): string {
  return [...key]
    .map(
      ([property, value]) =>
        `${property.name}=${property.type === 'Edm.String' ? `'${value.replaceAll("'", "''")}'` : value}`,
    )
    .join(',');
}

export async function serveEntity(
  request: OdataRequest,
  key: ReadonlyMap<ModelProperty, string>,
): Promise<OdataResponse> {
  const { set, identity } = request;
  const select = parseEntitySelect(request.options, set);
  const readable = readableProperties(identity, set);
  const asked = new Set((select ?? set.properties).map((property) => property.name));
  const properties = set.properties.filter((property) => property.isKey || asked.has(property.name));
  const selected = properties.filter((property) => readable.has(property.name));
  const where = and([...key].map(([property, value]): RowFilter => ({ field: property.field!, op: 'EQ', value })));
  const operation = rowQueryRequest(
    set,
    selected,
    { where: where as RowFilter, search: null, orderBy: [], first: 1, skip: 0 },
    { count: false, rows: true },
  );
  const { page } = pageOf(await request.execute(operation, request.context), request.context.correlationId);
  const node = page.nodes[0];
  if (node === undefined) throw notFound(`${set.name}(${keyText(key)}) does not exist.`);
  const context = `${request.serviceRoot}$metadata#${set.name}${select ? `(${properties.map((property) => property.name).join(',')})` : ''}/$entity`;
  return jsonResponse(
    {
      '@odata.context': context,
      ...serializeEntity(node, properties, readable, { ieee754Compatible: request.ieee754Compatible }),
    },
    request.ieee754Compatible,
  );
}
