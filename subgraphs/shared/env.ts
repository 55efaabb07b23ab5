// Shared pieces of the subgraphs' config modules: each subgraph's config.ts passes its own env object
// in (only config.ts touches process.env, house rules) and gets a clear error naming the variable.
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Unset and empty (`VAR=` in an env file) both mean "use the default". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

export const portSchema = z.coerce.number().int().min(0).max(65535);
export const timeoutMsSchema = z.coerce.number().int().positive();
export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Parses `env` with `schema`, or throws a ConfigError listing every bad variable by name. */
export function parseEnv<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}
