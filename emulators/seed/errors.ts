// Bad input to the seed helpers (a malformed id, impossible options) is a caller's mistake the
// emulators must turn into a clean API error, so it carries a machine-readable code instead of
// surfacing as a bare Error.

export type SeedErrorCode = 'MALFORMED_ID' | 'ID_PREFIX_MISMATCH' | 'ID_SPACE_EXHAUSTED' | 'INVALID_SEED_OPTIONS';

export class SeedError extends Error {
  override readonly name = 'SeedError';

  constructor(
    readonly code: SeedErrorCode,
    message: string,
  ) {
    super(message);
  }
}
