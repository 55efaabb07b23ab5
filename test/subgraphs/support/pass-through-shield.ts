// The subgraph tests are about resolvers and per-request batching over a fake backend; the shield has
// tests of its own (test/shield). So they run the subgraph's shield with no cache, no retries and a
// breaker that does not open: every request reaches the fake, exactly once per batch.
import { parseShieldOptions, type ShieldOptions } from '../../../shield/index.js';

export function passThroughShield(): ShieldOptions {
  const resilience = { maxRetries: 0, breakerThreshold: 1_000 };
  return parseShieldOptions({ cacheEnabled: false, erp: resilience, salesforce: resilience });
}
