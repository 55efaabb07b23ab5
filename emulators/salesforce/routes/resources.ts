// The version root (GET /services/data/vXX.X: the resources available, and `identity`, which
// jsforce's identity() reads when it has no id URL) and GET /limits (DailyApiRequests from the
// emulator's own counter).
import type { Route } from '../api.js';

export function resourceRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^$/,
      key: () => 'resources',
      handle: (_p, req, ctx) => {
        const base = `/services/data/v${req.version}`;
        const names = ['sobjects', 'query', 'queryAll', 'composite', 'limits'];
        return {
          status: 200,
          body: {
            ...Object.fromEntries(names.map((n) => [n, `${base}/${n}`])),
            identity: `${ctx.instanceUrl}/id/${ctx.session.organizationId}/${ctx.session.userId}`,
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/limits$/,
      key: () => 'limits',
      handle: (_p, _req, ctx) => {
        const usage = ctx.apiUsage.snapshot();
        return {
          status: 200,
          body: {
            DailyApiRequests: { Max: usage.limit, Remaining: usage.remaining },
            DataStorageMB: { Max: 1024, Remaining: 1024 },
            FileStorageMB: { Max: 1024, Remaining: 1024 },
          },
        };
      },
    },
  ];
}
