// One deadline per connector call: options.timeoutMs from the start of the call, cut short by the
// caller's signal. Every wait inside the call (token, each page, the retry after re-authorization)
// races it, so a BackendError 'timeout' comes back on time even when the backend hangs.
import { BackendError } from '../../lib/backend-error.js';

export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly expiresAt: number;
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort = () => this.controller.abort(this.error('the caller abandoned the request'));

  constructor(
    private readonly timeoutMs: number,
    private readonly operation: string,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.expiresAt = Date.now() + timeoutMs;
    this.timer = setTimeout(() => this.controller.abort(this.error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    this.timer.unref();
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  /** Throws the timeout error when the deadline has passed. */
  check(): void {
    if (this.signal.aborted) throw this.signal.reason as BackendError;
  }

  /**
   * Settles with `promise`, or rejects with the timeout error as soon as the deadline passes. The
   * abandoned promise's eventual rejection is swallowed (it would otherwise be unhandled).
   */
  race<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    if (this.signal.aborted) return Promise.reject(this.signal.reason as BackendError);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.signal.reason as BackendError);
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private error(why: string): BackendError {
    return new BackendError('salesforce', 'timeout', `Salesforce ${this.operation}: ${why}`, {
      operation: this.operation,
    });
  }
}
