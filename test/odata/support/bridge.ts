// The OData router alone, on a free port, over the fake graph: what the unit tests send requests to.
// Callers authenticate with `Authorization: Bearer <role>` or `Bearer partner:C00001,C00002`.
import express from 'express';
import type { Request } from 'express';
import { AuthError } from '../../../gateway/auth/auth-error.js';
import { correlationMiddleware } from '../../../gateway/correlation.js';
import { odataRouter } from '../../../gateway/odata/router.js';
import { listen, type RunningServer } from '../../../lib/http-server.js';
import { createLogger } from '../../../lib/logger.js';
import { isRole } from '../../../lib/identity.js';
import { fakeGraph, identity, SUPERGRAPH_SDL, type FakeGraph } from './fake-graph.js';

const authenticator = {
  async authenticate(req: Request) {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    if (!match) throw new AuthError('missing');
    const [role, customers] = match[1]!.split(':');
    if (!isRole(role)) throw new AuthError('malformed');
    return identity(role, customers?.split(',') ?? []);
  },
};

export interface Bridge {
  readonly server: RunningServer;
  readonly graph: FakeGraph;
  /** Service root, ending in `/`. */
  readonly root: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startBridge(options: { publicUrl?: string; maxPageSize?: number } = {}): Promise<Bridge> {
  const graph = fakeGraph();
  const app = express();
  app.use(correlationMiddleware());
  app.use(
    '/odata/v4',
    odataRouter({
      execute: graph.execute,
      authenticator,
      supergraphSdl: SUPERGRAPH_SDL,
      logger: createLogger('test', 'silent'),
      ...options,
    }),
  );
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  const root = `${server.url}/odata/v4/`;
  return {
    server,
    graph,
    root,
    get: (path, headers = {}) =>
      fetch(path.startsWith('http') ? path : `${root}${path}`, {
        headers: { authorization: 'Bearer sales', ...headers },
      }),
    close: () => server.close(),
  };
}
