// Issue 5, item 1 (embedded default): the development issuer's key created on first use in
// DATA_DIR (atomically, whichever process comes first), mintDevToken, and `npm run token`, whose
// output the gateway's authenticator accepts.
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../gateway/auth/authenticator.js';
import {
  DEV_AUDIENCE,
  DEV_ISSUER,
  devIssuerKeyFile,
  DevTokenError,
  mintDevToken,
} from '../../gateway/auth/dev-issuer.js';
import { DEV_PARTNERS } from '../../gateway/auth/dev-partners.js';
import { createTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const REPOSITORY = new URL('../../', import.meta.url).pathname;
const dirs = [createTempDir('dev-token-a'), createTempDir('dev-token-b'), createTempDir('dev-token-c')];
afterAll(() => dirs.forEach((dir) => dir.remove()));
const [minted, scripted, raced] = dirs.map((dir) => dir.path) as [string, string, string];

const devAuthenticator = (dataDir: string) =>
  createAuthenticator({ issuers: [], devIssuer: true, clockSkewS: 30 }, { dataDir });

/** `npm run --silent token -- <args>` with DATA_DIR set (the gateway's config module reads it). */
async function npmToken(dataDir: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'token', '--', ...args], {
      cwd: REPOSITORY,
      env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development', AUTH_ISSUERS: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('mintDevToken', () => {
  it('creates the key on first use (0600) and signs ES256 tokens the gateway accepts', async () => {
    const token = await mintDevToken({ dataDir: minted, role: 'sales', subject: 'alice' });
    expect(statSync(devIssuerKeyFile(minted)).mode & 0o777).toBe(0o600);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    expect(decodeJwt(token)).toMatchObject({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, sub: 'alice', role: 'sales' });
    const identity = await (await devAuthenticator(minted)).verifyToken(token);
    expect(identity).toEqual({ subject: 'alice', issuer: DEV_ISSUER, role: 'sales', scopes: ['sales'], partner: null });
  });

  it('gives a demo partner its customers, and takes explicit ones', async () => {
    const authenticator = await devAuthenticator(minted);
    const northwind = await authenticator.verifyToken(
      await mintDevToken({ dataDir: minted, role: 'partner', partnerId: 'P-NORTHWIND' }),
    );
    expect(northwind.partner).toEqual({ id: 'P-NORTHWIND', customers: new Set(DEV_PARTNERS['P-NORTHWIND']) });
    expect([...northwind.partner!.customers]).toEqual([
      'C00001',
      'C00002',
      'C00003',
      'C00004',
      'C00005',
      'C00006',
      'C00007',
      'C00008',
      'C00009',
      'C00010',
    ]);
    expect(DEV_PARTNERS['P-CONTOSO']).toEqual(Array.from({ length: 10 }, (_, i) => `C000${11 + i}`));
    const custom = await authenticator.verifyToken(
      await mintDevToken({ dataDir: minted, role: 'partner', partnerId: 'P-X', customers: ['C00042'] }),
    );
    expect(custom.partner).toEqual({ id: 'P-X', customers: new Set(['C00042']) });
  });

  it('refuses what the gateway would refuse', async () => {
    await expect(mintDevToken({ dataDir: minted, role: 'admin' })).rejects.toBeInstanceOf(DevTokenError);
    await expect(mintDevToken({ dataDir: minted, role: 'partner' })).rejects.toThrow(/partner_id/);
    await expect(mintDevToken({ dataDir: minted, role: 'partner', partnerId: 'P-UNKNOWN' })).rejects.toThrow(
      /not a demo partner/,
    );
    await expect(mintDevToken({ dataDir: minted, role: 'sales', partnerId: 'P-NORTHWIND' })).rejects.toBeInstanceOf(
      DevTokenError,
    );
    await expect(mintDevToken({ dataDir: minted, role: 'sales', expiresIn: '31d' })).rejects.toThrow(/30 days/);
    await expect(mintDevToken({ dataDir: minted, role: 'sales', expiresIn: 'soon' })).rejects.toThrow(/duration/);
  });

  it('honours the expiry', async () => {
    const claims = decodeJwt(await mintDevToken({ dataDir: minted, role: 'finance', expiresIn: '15m' }));
    expect(claims.exp! - claims.iat!).toBe(900);
  });
});

describe('npm run token', () => {
  it('prints only the token on stdout, and the gateway accepts it', { timeout: 120_000 }, async () => {
    const result = await npmToken(scripted, ['--role', 'sales', '--subject', 'alice', '--expires', '2h']);
    expect(result.code, result.stderr).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(result.stderr).toMatch(/Authorization: Bearer/);
    const identity = await (await devAuthenticator(scripted)).verifyToken(token);
    expect(identity).toMatchObject({ subject: 'alice', role: 'sales', issuer: DEV_ISSUER });
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(7200);
  });

  it('mints partner tokens from the demo partners or --customers', { timeout: 120_000 }, async () => {
    const authenticator = await devAuthenticator(scripted);
    const [demo, listed] = await Promise.all([
      npmToken(scripted, ['--role', 'partner', '--partner', 'P-CONTOSO']),
      npmToken(scripted, ['--role', 'partner', '--partner', 'P-ACME', '--customers', 'C00001, C00002']),
    ]);
    expect((await authenticator.verifyToken(demo.stdout.trim())).partner?.customers).toEqual(
      new Set(DEV_PARTNERS['P-CONTOSO']),
    );
    expect((await authenticator.verifyToken(listed.stdout.trim())).partner).toEqual({
      id: 'P-ACME',
      customers: new Set(['C00001', 'C00002']),
    });
  });

  it('exits 2 with the usage on bad options', { timeout: 120_000 }, async () => {
    const cases = [
      [],
      ['--role', 'admin'],
      ['--role', 'sales', '--bogus'],
      ['--role', 'sales', '--expires', 'forever'],
    ];
    const results = await Promise.all(cases.map((args) => npmToken(scripted, args)));
    results.forEach((result, index) => {
      expect(result.code, cases[index]!.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/usage: npm run token -- --role <role>/);
    });
  });

  it('refuses when the gateway trusts configured issuers instead', { timeout: 120_000 }, async () => {
    const result = await npmToken(scripted, ['--role', 'sales'], {
      AUTH_ISSUERS: JSON.stringify([
        { issuer: 'https://idp.example.com/', audience: 'x', jwksUrl: 'https://idp.example.com/jwks' },
      ]),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AUTH_ISSUERS/);
  });

  it(
    'creates one key when several processes start at once, and they all sign with it',
    { timeout: 120_000 },
    async () => {
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) => npmToken(raced, ['--role', 'service', '--subject', `p${i}`])),
      );
      const authenticator = await devAuthenticator(raced);
      for (const result of results) {
        expect(result.code, result.stderr).toBe(0);
        expect((await authenticator.verifyToken(result.stdout.trim())).role).toBe('service');
      }
      expect(JSON.parse(readFileSync(devIssuerKeyFile(raced), 'utf8'))).toMatchObject({
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
      });
    },
  );
});
