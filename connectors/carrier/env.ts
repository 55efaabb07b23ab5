// The CARRIER_* variables as the config module of the service that tracks shipments reads them: a
// schema to merge into its own (so a bad value is an error naming the variable) and the mapping to
// CarrierConnectorOptions. Nothing here reads process.env; the config module passes its env in.
//
// Defaults are the embedded stack's: the carrier emulator on loopback, over HTTPS, trusted through
// the CA it keeps under DATA_DIR. A CA file named explicitly is checked at start; the emulator's is
// read when the first call needs it, because the emulator may create it after this process starts.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { fetchableUrl } from '../../lib/fetch-ports.js';
import type { CarrierConnectorOptions } from './options.js';

/** The carrier emulator's address under `npm start` (its default port). */
export const CARRIER_EMULATOR_URL = 'https://127.0.0.1:4030';

/** Where the carrier emulator keeps the CA it issues its certificate from (emulators/carrier/main.ts). */
export function carrierEmulatorCaFile(dataDir: string): string {
  return join(resolve(dataDir), 'carrier-emulator', 'tls', 'ca.pem');
}

/** Unset and empty (`VAR=` in an env file) both mean "use the default". */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

// Refused on a port Node's fetch will not connect to (lib/fetch-ports.ts).
const httpsUrl = fetchableUrl(z.url({ error: 'must be an absolute URL' }))
  .refine((value) => !URL.canParse(value) || new URL(value).protocol === 'https:', {
    message: 'must be an https URL: carrier APIs are served over TLS',
  })
  .transform((value) => value.replace(/\/+$/, ''));

const pemCertificateFile = z.string().superRefine((path, ctx) => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    });
    return;
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----'))
    ctx.addIssue({ code: 'custom', message: `${path} holds no PEM certificate` });
});

export const carrierEnvSchema = z.object({
  CARRIER_BASE_URL: unsetIfEmpty(httpsUrl.optional()),
  CARRIER_CLIENT_ID: unsetIfEmpty(z.string().min(1).default('customer360-carrier-dev')),
  CARRIER_CLIENT_SECRET: unsetIfEmpty(z.string().min(1).default('customer360-carrier-dev-secret')),
  CARRIER_CA_FILE: unsetIfEmpty(pemCertificateFile.optional()),
  CARRIER_TIMEOUT_MS: unsetIfEmpty(z.coerce.number().int().min(1).max(600_000).default(10_000)),
  DATA_DIR: unsetIfEmpty(z.string().min(1).default('./data')),
});

export type CarrierEnv = z.output<typeof carrierEnvSchema>;

/**
 * The parsed variables as connector options. CA: CARRIER_CA_FILE when set; else, for the default
 * URL (the emulator), the emulator's CA under DATA_DIR; else (a real carrier) Node's default roots.
 */
export function carrierOptionsFromEnv(env: CarrierEnv): CarrierConnectorOptions {
  const caFile =
    env.CARRIER_CA_FILE ?? (env.CARRIER_BASE_URL === undefined ? carrierEmulatorCaFile(env.DATA_DIR) : undefined);
  return {
    adapter: 'fedex-track',
    baseUrl: env.CARRIER_BASE_URL ?? CARRIER_EMULATOR_URL,
    clientId: env.CARRIER_CLIENT_ID,
    clientSecret: env.CARRIER_CLIENT_SECRET,
    ...(caFile !== undefined ? { caFile: resolve(caFile) } : {}),
    timeoutMs: env.CARRIER_TIMEOUT_MS,
  };
}
