// Names each request for the traffic counters ("ERP requests per entity kind"): 'token',
// 'GET customers', 'GET salesOrders/salesOrderLines', 'POST salesOrders', 'GET $metadata',
// 'POST subscriptions', 'POST salesOrders/Microsoft.NAV.shipAndInvoice'. Computed before the
// traffic middleware runs, so requests failed by injected faults are counted under their route
// too. Key lookups and $count count under their entity set.
import { ANALYTICS_PREFIX } from './analytics.js';
import { parseResourcePath } from './resource-path.js';

const TOKEN_PATH = /^\/[^/]+\/oauth2\/v2\.0\/token\/?$/;
const API_PREFIX = '/api/v2.0';

export function routeKeyFor(method: string, path: string): string | undefined {
  if (TOKEN_PATH.test(path)) return 'token';
  // The Analytics API: 'GET salesLines' (its $count too).
  const analytics = path.startsWith(`${ANALYTICS_PREFIX}/`)
    ? /^\/companies\([^)]*\)\/([A-Za-z]+)/.exec(path.slice(ANALYTICS_PREFIX.length))
    : null;
  if (analytics) return `${method} ${analytics[1]}`;
  if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return undefined;
  const rest = path.slice(API_PREFIX.length);
  if (/^\/subscriptions(\(|\/?$)/.test(rest)) return `${method} subscriptions`;
  const action = /^(.*)\/(Microsoft\.NAV\.[A-Za-z]+)$/.exec(rest);
  try {
    if (action) {
      const target = parseResourcePath(action[1]!);
      return target.kind === 'entitySet' ? `${method} ${target.set.name}/${action[2]}` : undefined;
    }
    const resource = parseResourcePath(rest);
    switch (resource.kind) {
      case 'serviceDocument':
        return `${method} serviceDocument`;
      case 'metadata':
        return `${method} $metadata`;
      case 'companies':
        return `${method} companies`;
      case 'entitySet':
        return resource.navigation
          ? `${method} ${resource.set.name}/${resource.navigation.name}`
          : `${method} ${resource.set.name}`;
    }
  } catch {
    return undefined;
  }
}
