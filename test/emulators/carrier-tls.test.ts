// The carrier emulator's TLS material: a development CA and a server certificate it signs, created
// once under DATA_DIR and reused, re-issued when the names it must cover change; a client trusting
// the CA verifies the emulator, a client trusting only Node's default roots refuses it.
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../emulators/common/listen.js';
import { certificateHostnames, ensureTlsMaterial } from '../../emulators/carrier/tls.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

let dir: TempDir;
afterEach(() => dir.remove());

/** Opens a TLS connection and reports whether the peer was verified (and why not). */
function handshake(port: number, options: tls.ConnectionOptions): Promise<{ ok: true } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...options }, () => {
      socket.end();
      resolve({ ok: true });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
  });
}

describe('ensureTlsMaterial', () => {
  it('creates a CA and a server certificate it signs, covering loopback names, with private keys kept private', () => {
    dir = createTempDir('carrier-tls');
    const tlsDir = join(dir.path, 'carrier-emulator', 'tls');
    const material = ensureTlsMaterial(tlsDir, certificateHostnames('127.0.0.1'));
    expect(material.created).toBe('all');
    expect(material.caFile).toBe(join(tlsDir, 'ca.pem'));
    const ca = new X509Certificate(readFileSync(material.caFile));
    expect(ca.ca).toBe(true);
    const server = new X509Certificate(material.certPem);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBeDefined();
    expect(Date.parse(server.validTo) - Date.now()).toBeGreaterThan(300 * 86_400_000);
    for (const file of ['ca-key.pem', 'server.pem']) expect(statSync(join(tlsDir, file)).mode & 0o077).toBe(0);
  });

  it('reuses what it made on the next start, and re-issues only the server certificate for a new name', () => {
    dir = createTempDir('carrier-tls');
    const tlsDir = join(dir.path, 'tls');
    const first = ensureTlsMaterial(tlsDir, certificateHostnames('127.0.0.1'));
    const again = ensureTlsMaterial(tlsDir, certificateHostnames('127.0.0.1'));
    expect(again.created).toBe('none');
    expect(again.caPem).toBe(first.caPem);
    expect(again.certPem).toBe(first.certPem);
    const renamed = ensureTlsMaterial(tlsDir, certificateHostnames('carrier.internal.example'));
    expect(renamed.created).toBe('server');
    expect(renamed.caPem).toBe(first.caPem);
    expect(new X509Certificate(renamed.certPem).checkHost('carrier.internal.example')).toBe('carrier.internal.example');
    // Wildcard bind addresses are not names a client connects to.
    expect(certificateHostnames('0.0.0.0')).toEqual(['localhost', '127.0.0.1', '::1']);
  });

  it('is verified by a client trusting the CA and refused by one trusting only the default roots', async () => {
    dir = createTempDir('carrier-tls');
    const material = ensureTlsMaterial(join(dir.path, 'tls'), certificateHostnames('127.0.0.1'));
    const server = await listen((_req, res) => res.end('ok'), {
      host: '127.0.0.1',
      port: 0,
      tls: { cert: material.certPem, key: material.keyPem },
    });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await handshake(server.port, { ca: material.caPem, servername: 'localhost' })).toEqual({ ok: true });
      expect(await handshake(server.port, { ca: material.caPem })).toEqual({ ok: true });
      const untrusted = await handshake(server.port, {});
      expect(untrusted).toMatchObject({ ok: false });
      expect((untrusted as { code: string }).code).toMatch(
        /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
      );
      // Another development CA does not vouch for this server either.
      const other = ensureTlsMaterial(join(dir.path, 'other'), certificateHostnames('127.0.0.1'));
      expect(await handshake(server.port, { ca: other.caPem })).toMatchObject({ ok: false });
    } finally {
      await server.close();
    }
  });

  it('says which file to remove when the folder is damaged', () => {
    dir = createTempDir('carrier-tls');
    const tlsDir = join(dir.path, 'tls');
    ensureTlsMaterial(tlsDir, ['localhost']);
    rmSync(join(tlsDir, 'ca-key.pem'));
    expect(() => ensureTlsMaterial(tlsDir, ['localhost'])).toThrow(
      /cannot read .*ca-key\.pem \(ENOENT\); remove .*tls to have it created again/,
    );
  });
});
