// One write to a backend, recorded in the audit log around the call (connectors/store audit.ts:
// pending before, succeeded/failed after) with the caller, correlation id and idempotency key. If the
// pending entry cannot be written the call is not made: there is no unaudited write.
import type { AuditLog, AuditSystem } from '../../connectors/store/index.js';
import { isBackendError } from '../../lib/backend-error.js';
import type { CallContext } from '../../lib/call-context.js';
import type { Logger } from '../../lib/logger.js';

export interface AuditedWriteDeps {
  readonly audit: AuditLog;
  readonly clock: () => Date;
  readonly logger: Logger;
  /**
   * Errors that stand for the process dying mid-call (a test's simulated crash): the entry is left
   * `pending`, as a real crash leaves it, for recovery to settle.
   */
  readonly abandons?: (error: unknown) => boolean;
}

export interface AuditedWrite {
  readonly system: AuditSystem;
  /** The connector operation, e.g. createSalesOrder. */
  readonly operation: string;
  /** What is written: an external document number, a Salesforce id. */
  readonly target: string;
  readonly request: unknown;
  readonly caller: string;
  readonly correlationId: string;
  readonly idempotencyKey: string | null;
}

/** What the audit keeps of a failure: enough to investigate, no stack. */
function describeError(error: unknown): Record<string, unknown> {
  if (isBackendError(error))
    return { backend: error.backend, failure: error.failure, message: error.message, ...error.details };
  return { message: error instanceof Error ? error.message : String(error) };
}

export async function auditedWrite<T>(
  deps: AuditedWriteDeps,
  write: AuditedWrite,
  call: (ctx: CallContext) => Promise<T>,
): Promise<T> {
  const { audit, clock, logger } = deps;
  const id = await audit.begin({ ...write, startedAt: clock() });
  const finish = (outcome: { status: 'succeeded' | 'failed'; response?: unknown; error?: unknown }) =>
    // The write happened (or failed) either way: an entry left 'pending' is the worst case here.
    audit.finish(id, { ...outcome, finishedAt: clock() }).catch((error: unknown) => {
      logger.error(
        { err: error, auditId: id, operation: write.operation },
        'audit: could not finish the entry of a write',
      );
    });
  let result: T;
  try {
    // No client abort signal: once started, a write is not abandoned because the caller went away.
    result = await call({ correlationId: write.correlationId });
  } catch (error) {
    if (deps.abandons?.(error)) throw error;
    await finish({ status: 'failed', error: describeError(error) });
    throw error;
  }
  await finish({ status: 'succeeded', response: result ?? null });
  return result;
}
