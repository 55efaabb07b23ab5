// Small stand-ins for the two subgraphs, built from the real SDL files with stub resolvers, so the
// gateway's behaviour (headers, timeouts, masking, readiness) is tested without backends.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, parse } from 'graphql';
import { listen, type RunningServer } from '../../../lib/http-server.js';

const SCHEMA_DIR = new URL('../../../schema/', import.meta.url);
const sdl = (name: string) => parse(readFileSync(new URL(`${name}.graphql`, SCHEMA_DIR), 'utf8'));

export const SECRET = 'SELECT Id FROM Account WHERE Password__c = hunter2';

export type StubMode =
  /** Answers normally. */
  | 'ok'
  /** Accepts the request and never answers (until the stub closes). */
  | 'hang'
  /** Resolvers throw an internal error with a secret message. */
  | 'throw'
  /** Resolvers report their backend down: a public code, plus an extension that must not leak. */
  | 'backend-down'
  /** Answers HTTP 502 with an HTML page, like a broken proxy in front of it. */
  | 'bad-gateway'
  /** Takes the request and drops the connection without an answer, like a process dying mid-request. */
  | 'drop';

export interface StubSubgraph extends RunningServer {
  readonly graphqlUrl: string;
  mode: StubMode;
  /** What its /readyz answers: ready and degraded with 200, unavailable with 503 (subgraphs/shared/backend-readiness.ts). */
  readiness: 'ready' | 'degraded' | 'unavailable';
  /** GET /readyz requests received. */
  readonly readinessRequests: number;
  /** x-correlation-id of every GraphQL request received. */
  readonly correlationIds: (string | undefined)[];
  /** x-c360-identity (the forwarded identity) of every GraphQL request received. */
  readonly identityHeaders: (string | undefined)[];
}

const ACCOUNT = {
  id: '001000000000001AAA',
  erpCustomerNumber: 'C00001',
  name: 'Acme Gears',
  industry: 'Manufacturing',
  owner: { id: '005000000000001AAA', name: 'Sam Seller' },
  contacts: [{ id: '003000000000001AAA', name: 'Ada Buyer', lastName: 'Buyer', email: 'ada@example.com' }],
  opportunities: [],
  quotes: [],
  cases: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const money = (amount: string) => ({ amount, currency: 'EUR' });
const CREDIT = {
  limit: money('50000.00'),
  balance: money('12000.00'),
  openOrderExposure: money('3000.00'),
  available: money('35000.00'),
  overdue: money('0.00'),
  onHold: false,
  holdReason: null,
  paymentTerms: { code: '30D', name: 'Net 30 days', dueDateCalculation: '30D' },
  currency: 'EUR',
};

type Resolvers = Parameters<typeof buildSubgraphSchema>[0] extends infer T
  ? T extends { resolvers?: infer R }
    ? R
    : never
  : never;

function resolvers(name: 'salesforce' | 'erp', stub: { mode: StubMode }): Resolvers {
  const guard = () => {
    if (stub.mode === 'throw') throw new Error(`backend exploded: ${SECRET}`);
    if (stub.mode === 'backend-down') {
      throw new GraphQLError('The ERP did not answer.', {
        extensions: { code: 'ERP_UNAVAILABLE', backendPayload: SECRET },
      });
    }
  };
  if (name === 'salesforce') {
    return {
      Query: {
        accountByErpNumber: (_: unknown, args: { erpCustomerNumber: string }) => {
          guard();
          return args.erpCustomerNumber === ACCOUNT.erpCustomerNumber ? ACCOUNT : null;
        },
        accounts: () => {
          guard();
          const nodes = [
            ACCOUNT,
            { ...ACCOUNT, id: '001000000000002AAA', erpCustomerNumber: 'C00002', name: 'Bolt Works' },
          ];
          return { nodes, edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: nodes.length };
        },
      },
      Account: {
        __resolveReference: () => {
          guard();
          return ACCOUNT;
        },
      },
    } as Resolvers;
  }
  return {
    Account: {
      __resolveReference: (reference: { erpCustomerNumber: string }) => ({
        erpCustomerNumber: reference.erpCustomerNumber,
        openInvoices: [],
        orders: [],
        shipments: [],
      }),
      credit: () => {
        guard();
        return CREDIT;
      },
    },
  } as Resolvers;
}

export async function startStubSubgraph(name: 'salesforce' | 'erp'): Promise<StubSubgraph> {
  const state = {
    mode: 'ok' as StubMode,
    readiness: 'ready' as StubSubgraph['readiness'],
    readinessRequests: 0,
    correlationIds: [] as (string | undefined)[],
    identityHeaders: [] as (string | undefined)[],
  };
  const hanging = new Set<() => void>();
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: sdl(name), resolvers: resolvers(name, state) }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const app = express();
  app.get('/readyz', (_req, res) => {
    state.readinessRequests += 1;
    res.status(state.readiness === 'unavailable' ? 503 : 200).json({ status: state.readiness, backend: name });
  });
  app.use(
    '/graphql',
    (req, res, next) => {
      state.correlationIds.push(req.header('x-correlation-id'));
      state.identityHeaders.push(req.header('x-c360-identity'));
      if (state.mode === 'bad-gateway') {
        res.status(502).type('html').send('<html><body>502 Bad Gateway</body></html>');
      } else if (state.mode === 'hang') {
        hanging.add(() => res.destroy());
      } else if (state.mode === 'drop') {
        req.on('end', () => res.destroy());
        req.resume();
      } else {
        next();
      }
    },
    express.json(),
    expressMiddleware(apollo),
  );
  const server = await listen(app, {
    host: '127.0.0.1',
    port: 0,
    onClose: async () => {
      await apollo.stop();
    },
  });
  return Object.assign(state, {
    url: server.url,
    port: server.port,
    graphqlUrl: `${server.url}/graphql`,
    close: async () => {
      for (const release of hanging) release();
      await server.close();
    },
  });
}

/** Composes the real SDL files into a supergraph file whose recorded URLs lead nowhere, so tests prove the gateway uses its config's URLs. */
let composedFile: string | undefined;
export function composeSupergraphFile(): string {
  if (composedFile) return composedFile;
  const result = composeServices([
    { name: 'salesforce', typeDefs: sdl('salesforce'), url: 'http://composed.invalid/salesforce' },
    { name: 'erp', typeDefs: sdl('erp'), url: 'http://composed.invalid/erp' },
  ]);
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((error) => error.message).join('; ')}`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'c360-gateway-test-')), 'supergraph.graphql');
  writeFileSync(file, result.supergraphSdl);
  composedFile = file;
  return file;
}
