// Shared pieces of the subgraphs' config modules: each subgraph's config.ts passes its own env object
// in (only config.ts touches process.env, house rules) and gets a clear error naming the variable.
import { z } from 'zod';
import { fetchablePort, fetchableUrl } from '../../lib/fetch-ports.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Unset and empty (`VAR=` in an env file) both mean "use the default". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

/** A listen port; the Fetch standard's bad ports are refused (the gateway's fetch could never reach them). */
export const portSchema = fetchablePort(z.coerce.number().int().min(0).max(65535));
/** A URL this subgraph fetches; refused on a bad port, which Node's fetch will not connect to. */
export const fetchUrlSchema = fetchableUrl(z.url());
export const timeoutMsSchema = z.coerce.number().int().positive();
export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Parses `env` with `schema`, or throws a ConfigError listing every bad variable by name. */
export function parseEnv<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}
