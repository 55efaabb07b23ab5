// The bridge's view of who may read what (gateway/odata/access.ts) against the gateway's own check
// (schema/access.ts forbiddenFields, which refuses a whole operation): for every role and entity set,
// the operation the bridge builds passes it, and would not had it selected everything.
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readableProperties } from '../../gateway/odata/access.js';
import { buildEntityModel } from '../../gateway/odata/model.js';
import { rowQueryRequest } from '../../gateway/odata/row-query.js';
import { ROLES } from '../../lib/identity.js';
import { accessPolicyOf, forbiddenFields } from '../../schema/access.js';
import { identity, SUPERGRAPH_SDL } from './support/fake-graph.js';

const model = buildEntityModel(SUPERGRAPH_SDL);
const policy = accessPolicyOf(SUPERGRAPH_SDL);
const ARGS = { where: null, search: null, orderBy: [], first: 26, skip: 0 };

describe('OData access view and the gateway access rules agree', () => {
  it.each(ROLES)('%s: every operation the bridge builds selects only what the role may read', (role) => {
    const who = identity(role, ['C00001']);
    for (const set of model.sets) {
      const readable = readableProperties(who, set);
      const request = rowQueryRequest(
        set,
        set.properties.filter((p) => readable.has(p.name)),
        ARGS,
        { count: true, rows: true },
      );
      expect(
        forbiddenFields(policy, parse(request.query), request.operationName, who.scopes),
        `${role} ${set.name}`,
      ).toEqual([]);
    }
  });

  it('a partner may not read the credit internals nor the block behind the hold reason; selecting them would be refused whole', () => {
    const partner = identity('partner', ['C00001']);
    const customers = model.set('Customers')!;
    const hidden = customers.properties
      .filter((p) => !readableProperties(partner, customers).has(p.name))
      .map((p) => p.name);
    expect(hidden).toEqual([
      'Blocked',
      'CreditLimit',
      'Balance',
      'OpenOrderExposure',
      'Available',
      'Overdue',
      'HoldReason',
    ]);
    const everything = rowQueryRequest(customers, customers.properties, ARGS, { count: false, rows: true });
    expect(forbiddenFields(policy, parse(everything.query), everything.operationName, partner.scopes)).toEqual(
      expect.arrayContaining(['Customer.blocked', 'Credit.limit', 'Credit.holdReason']),
    );
    for (const role of ['sales', 'service', 'finance', 'integration'] as const) {
      expect(readableProperties(identity(role), customers).size, role).toBe(customers.properties.length);
    }
  });
});
