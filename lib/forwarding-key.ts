// The key the gateway signs forwarded identities with and the subgraphs verify them with
// (lib/identity-forwarding.ts, HS256). Either IDENTITY_FORWARDING_SECRET, the same value given to
// every service (what a deployment across hosts does), or, by default, a random key in
// `${DATA_DIR}/auth/forwarding.key` created on first use: the embedded stack's services share one
// DATA_DIR, so they share the key without anyone configuring it.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { readOrCreateSecretFile } from './secret-file.js';

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output, 256 bits.
export const MIN_FORWARDING_SECRET_LENGTH = 32;

/** IDENTITY_FORWARDING_SECRET as every service's config module validates it. */
export const forwardingSecretSchema = z
  .string()
  .min(
    MIN_FORWARDING_SECRET_LENGTH,
    `must be at least ${MIN_FORWARDING_SECRET_LENGTH} characters (HS256 needs a 256-bit key)`,
  );

export type ForwardingKeySource =
  { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'file'; readonly file: string };

export function forwardingKeyFile(dataDir: string): string {
  return join(resolve(dataDir), 'auth', 'forwarding.key');
}

/** The configured secret when there is one, else the data folder's key file. */
export function forwardingKeySource(secret: string | undefined, dataDir: string): ForwardingKeySource {
  return secret !== undefined ? { kind: 'secret', secret } : { kind: 'file', file: forwardingKeyFile(dataDir) };
}

/** The key's bytes; creates the key file when the source is a file that does not exist yet. */
export async function loadForwardingKey(source: ForwardingKeySource): Promise<Uint8Array> {
  if (source.kind === 'secret') return new TextEncoder().encode(source.secret);
  return readOrCreateSecretFile(
    source.file,
    async () => `${randomBytes(32).toString('base64url')}\n`,
    (content) => {
      const secret = content.trim();
      if (secret.length < MIN_FORWARDING_SECRET_LENGTH)
        throw new Error(`the key is shorter than ${MIN_FORWARDING_SECRET_LENGTH} characters`);
      return new TextEncoder().encode(secret);
    },
  );
}
