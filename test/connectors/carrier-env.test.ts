// The CARRIER_* variables → carrier connector options: the emulator by default, trusted through the
// CA it keeps under DATA_DIR; a real carrier by URL, with Node's roots or a named CA file.
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { carrierEnvSchema, carrierOptionsFromEnv } from '../../connectors/carrier/env.js';
import { createTempDir } from '../support/temp-dir.js';

const dir = createTempDir('carrier-env');
afterAll(() => dir.remove());

const options = (env: Record<string, string>) => carrierOptionsFromEnv(carrierEnvSchema.parse(env));
const problems = (env: Record<string, string>) => {
  const parsed = carrierEnvSchema.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('carrierOptionsFromEnv', () => {
  it('defaults to the emulator over HTTPS, trusting the CA the emulator keeps under DATA_DIR', () => {
    expect(options({})).toEqual({
      adapter: 'fedex-track',
      baseUrl: 'https://127.0.0.1:4030',
      clientId: 'customer360-carrier-dev',
      clientSecret: 'customer360-carrier-dev-secret',
      caFile: resolve('./data/carrier-emulator/tls/ca.pem'),
      timeoutMs: 10_000,
    });
    expect(options({ DATA_DIR: dir.path, CARRIER_BASE_URL: '', CARRIER_CA_FILE: '' }).caFile).toBe(
      join(dir.path, 'carrier-emulator', 'tls', 'ca.pem'),
    );
  });

  it("for a real carrier URL, trusts Node's default roots unless CARRIER_CA_FILE names a CA", () => {
    expect(options({ CARRIER_BASE_URL: 'https://apis-sandbox.fedex.com/' })).toMatchObject({
      baseUrl: 'https://apis-sandbox.fedex.com',
    });
    expect(options({ CARRIER_BASE_URL: 'https://apis-sandbox.fedex.com' }).caFile).toBeUndefined();
    const caFile = join(dir.path, 'corporate-ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(
      options({
        CARRIER_BASE_URL: 'https://carrier.example',
        CARRIER_CA_FILE: caFile,
        CARRIER_CLIENT_ID: 'key',
        CARRIER_CLIENT_SECRET: 'secret',
        CARRIER_TIMEOUT_MS: '2500',
      }),
    ).toEqual({
      adapter: 'fedex-track',
      baseUrl: 'https://carrier.example',
      clientId: 'key',
      clientSecret: 'secret',
      caFile,
      timeoutMs: 2_500,
    });
  });

  it('names each bad variable: an http URL, an unreadable or non-PEM CA file, a bad timeout', () => {
    const notPem = join(dir.path, 'not-pem.txt');
    writeFileSync(notPem, 'hello');
    expect(problems({ CARRIER_BASE_URL: 'http://127.0.0.1:4030' })).toEqual([
      'CARRIER_BASE_URL: must be an https URL: carrier APIs are served over TLS',
    ]);
    expect(problems({ CARRIER_BASE_URL: 'not a url' })[0]).toMatch(/^CARRIER_BASE_URL:/);
    expect(problems({ CARRIER_CA_FILE: join(dir.path, 'missing.pem') })[0]).toMatch(
      /^CARRIER_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/,
    );
    expect(problems({ CARRIER_CA_FILE: notPem })).toEqual([`CARRIER_CA_FILE: ${notPem} holds no PEM certificate`]);
    expect(problems({ CARRIER_TIMEOUT_MS: '0' })[0]).toMatch(/^CARRIER_TIMEOUT_MS:/);
  });
});
