// IDENTITY_FORWARDING_SECRET as the subgraphs' config modules read it (each merges this schema into
// its own; only config.ts touches process.env). Unset, the key is `${DATA_DIR}/auth/forwarding.key`,
// shared with the gateway through the common DATA_DIR (lib/forwarding-key.ts).
import { z } from 'zod';
import { forwardingKeySource, forwardingSecretSchema, type ForwardingKeySource } from '../../lib/forwarding-key.js';
import { optional } from './env.js';

export const forwardingEnvSchema = z.object({
  IDENTITY_FORWARDING_SECRET: optional(forwardingSecretSchema.optional()),
});

export function forwardingKeyFromEnv(
  parsed: z.output<typeof forwardingEnvSchema> & { DATA_DIR: string },
): ForwardingKeySource {
  return forwardingKeySource(parsed.IDENTITY_FORWARDING_SECRET, parsed.DATA_DIR);
}
