// The `persistedQuery` extension's shape, checked before Apollo Server sees the request. Apollo
// Server answers a version other than 1 (or a persistedQuery that is not an object) with a code-less
// error the gateway would mask as an internal one, and looks a hash of any type up in its cache
// (so `sha256Hash: 5` comes back PERSISTED_QUERY_NOT_FOUND and an APQ client would retry forever).
// Both are the client's mistake: 400 BAD_REQUEST naming what is wrong. Applies to POST bodies and
// to GET's `extensions` query parameter (JSON text, which Apollo Server parses itself; unreadable
// JSON is left to it, and it answers 400).
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { RequestHandler } from 'express';
import { normalizeHash } from './manifest.js';

const EXPECTED =
  'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<the operation\'s SHA-256, 64 hexadecimal digits>" }';

export function persistedQueryExtensionCheck(): RequestHandler {
  return (req, res, next) => {
    const problem = problemOf(
      extensionsOf(
        req.method === 'GET' ? req.query.extensions : (req.body as { extensions?: unknown } | undefined)?.extensions,
      ),
    );
    if (problem === null) return next();
    res
      .status(400)
      .set('Cache-Control', 'no-store')
      .json({
        errors: [{ message: `${EXPECTED}: ${problem}.`, extensions: { code: ApolloServerErrorCode.BAD_REQUEST } }],
      });
  };
}

function extensionsOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** What is wrong with the extension, or null when it is absent or well formed. */
function problemOf(extensions: unknown): string | null {
  if (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions)) return null;
  // Apollo Server ignores a null or missing persistedQuery, as it ignores a false one.
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (persisted === undefined || persisted === null || persisted === false) return null;
  if (typeof persisted !== 'object' || Array.isArray(persisted)) return `got ${describe(persisted)}`;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return `version is ${describe(version)}`;
  if (typeof sha256Hash !== 'string' || normalizeHash(sha256Hash) === null)
    return `sha256Hash is ${describe(sha256Hash)}`;
  return null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
