// The carrier emulator's TLS: a development certificate authority and a server certificate it
// signs, created on first start under DATA_DIR and reused afterwards, so a client configured once
// with the CA file (CARRIER_CA_FILE) keeps trusting the emulator across restarts and verifies it
// like any HTTPS API, never with verification turned off.
//
// Node can verify X.509 certificates (crypto.X509Certificate) but not issue them, so the
// certificates are built with node-forge; the keys come from node:crypto. Files, in `dir`:
//   ca.pem       the CA certificate: what a client trusts
//   ca-key.pem   the CA's private key (0600): re-issues the server certificate when needed
//   server.pem   the server certificate and its private key (0600), one file so that a re-issue
//                replaces both at once
// Several processes may start on one DATA_DIR at the same moment: the first set is written to a
// temporary folder and renamed into place (atomic; a loser reads the winner's), a re-issued server
// certificate to a temporary file renamed over the old one.
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  /** Absolute path of the CA certificate a client must trust. */
  readonly caFile: string;
  readonly caPem: string;
  /** The server certificate followed by the CA certificate (the chain served). */
  readonly certPem: string;
  readonly keyPem: string;
  /** What happened on this start: nothing new, a server certificate re-issued, or everything created. */
  readonly created: 'none' | 'server' | 'all';
}

const DAY_MS = 86_400_000;
const CA_LIFETIME_DAYS = 3650;
/** The longest lifetime browsers accept for a server certificate (CA/Browser Forum: 398 days). */
const SERVER_LIFETIME_DAYS = 397;
/** Re-issue the server certificate when it expires within this many days. */
const RENEW_BEFORE_DAYS = 30;
const CA_SUBJECT = [
  { name: 'commonName', value: 'customer360 carrier emulator development CA' },
  { name: 'organizationName', value: 'customer360-graph (development only)' },
];

/** The names the server certificate must cover: loopback always, plus the host it binds. */
export function certificateHostnames(host: string): string[] {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  // A wildcard bind address is not a name a client connects to.
  if (host !== '0.0.0.0' && host !== '::' && host !== '') names.add(host);
  return [...names];
}

/** Loads the CA and server certificate from `dir`, creating or re-issuing what is missing or due. */
export function ensureTlsMaterial(dir: string, hostnames: readonly string[], now: Date = new Date()): TlsMaterial {
  let created: TlsMaterial['created'] = 'none';
  if (!existsSync(join(dir, 'ca.pem'))) {
    createAll(dir, hostnames, now);
    created = 'all';
  }
  const caPem = read(dir, 'ca.pem');
  const caKeyPem = read(dir, 'ca-key.pem');
  let server = read(dir, 'server.pem');
  if (!serverCertificateFits(server, caPem, hostnames, now)) {
    writeAtomically(join(dir, 'server.pem'), issueServer(caPem, caKeyPem, hostnames, now));
    server = read(dir, 'server.pem');
    if (created === 'none') created = 'server';
  }
  const certPem = `${pemBlocks(server, 'CERTIFICATE')[0]}${caPem}`;
  return { caFile: join(dir, 'ca.pem'), caPem, certPem, keyPem: pemBlocks(server, 'PRIVATE KEY')[0]!, created };
}

function createAll(dir: string, hostnames: readonly string[], now: Date): void {
  mkdirSync(dirname(dir), { recursive: true });
  const staging = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  try {
    const ca = issueCa(now);
    writeFileSync(join(staging, 'ca.pem'), ca.certPem);
    writeFileSync(join(staging, 'ca-key.pem'), ca.keyPem, { mode: 0o600 });
    writeFileSync(join(staging, 'server.pem'), issueServer(ca.certPem, ca.keyPem, hostnames, now), { mode: 0o600 });
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process created the folder first (or it exists without ca.pem, which is reported
      // when it is read): keep theirs.
      if (!existsSync(dir)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function read(dir: string, file: string): string {
  const path = join(dir, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `carrier emulator TLS: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
        `remove ${dir} to have it created again`,
      { cause: error },
    );
  }
}

function pemBlocks(text: string, label: 'CERTIFICATE' | 'PRIVATE KEY'): string[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\r?\\n?`, 'g');
  return (text.match(pattern) ?? []).map((block) => (block.endsWith('\n') ? block : `${block}\n`));
}

/** The server certificate is signed by this CA, matches its key, covers every name and is not due. */
function serverCertificateFits(serverPem: string, caPem: string, hostnames: readonly string[], now: Date): boolean {
  try {
    const [certText] = pemBlocks(serverPem, 'CERTIFICATE');
    const [keyText] = pemBlocks(serverPem, 'PRIVATE KEY');
    if (!certText || !keyText) return false;
    const cert = new X509Certificate(certText);
    const ca = new X509Certificate(caPem);
    if (!cert.verify(ca.publicKey) || !cert.checkPrivateKey(createPrivateKey(keyText))) return false;
    if (Date.parse(cert.validTo) - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return false;
    return hostnames.every((name) =>
      isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name) !== undefined,
    );
  } catch {
    return false;
  }
}

function rsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** A positive serial of 16 random bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
function serialNumber(): string {
  return `01${randomBytes(15).toString('hex')}`;
}

function issueCa(now: Date): { certPem: string; keyPem: string } {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS);
  cert.setSubject(CA_SUBJECT);
  cert.setIssuer(CA_SUBJECT);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** A server certificate for `hostnames`, signed by the CA: its PEM followed by its key's PEM. */
function issueServer(caPem: string, caKeyPem: string, hostnames: readonly string[], now: Date): string {
  const ca = forge.pki.certificateFromPem(caPem);
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + SERVER_LIFETIME_DAYS * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // RFC 6125: clients match the name they connect to against subjectAltName only.
    {
      name: 'subjectAltName',
      altNames: hostnames.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(caKeyPem), forge.md.sha256.create());
  return `${forge.pki.certificateToPem(cert)}${keys.privateKeyPem}`;
}

function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, path);
}
