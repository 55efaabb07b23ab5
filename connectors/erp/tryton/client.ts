// JSON-RPC to a Tryton 6.0 server: `POST {url}/{database}/` with {id, method, params}, the context as
// the last parameter of every model call. Sign-in is `common.db.login` (user, {password}) → [user id,
// session key]; every other call carries `Authorization: Session base64(login:user id:session)`.
// Tryton ends a session [session] max_age after sign-in (30 days by default), when it is logged out,
// or when the server no longer knows it (a restored database), and answers 401: the client signs in
// again once and repeats the call (a 401 means the server did not run it, so a write is safe to
// repeat). One sign-in is shared by every call that needs it (single flight).
// Nothing else is retried here: the shield's resilience tier wraps the port.
import type { CallContext } from '../../../lib/call-context.js';
import type { Logger } from '../../../lib/logger.js';
import { startDeadline, untilDeadline, type Deadline } from '../deadline.js';
import { httpError, invalidResponse, rpcError, transportError } from './errors.js';
import { reviveTrytonValue } from './values.js';

export interface TrytonClientOptions {
  /** The server's root, e.g. http://127.0.0.1:4040 */
  readonly url: string;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  /** Deadline of one port call (all its requests, sign-in included). */
  readonly timeoutMs: number;
}

/** One port call: its deadline, the caller's correlation id, and the name it is logged under. */
export interface TrytonCall {
  readonly deadline: Deadline;
  readonly ctx: CallContext;
  readonly operation: string;
}

/** Tryton's context: the company, the locations stock is counted in, active_test, ... */
export type TrytonContext = Readonly<Record<string, unknown>>;

export interface SearchRead {
  readonly domain: readonly unknown[];
  readonly fields: readonly string[];
  readonly offset?: number;
  readonly limit?: number | null;
  /** e.g. [['sale_date', 'DESC'], ['number', 'DESC']] */
  readonly order?: ReadonlyArray<readonly [string, string]> | null;
  readonly context: TrytonContext;
}

interface Session {
  readonly userId: number;
  readonly header: string;
}

export class TrytonClient {
  readonly #endpoint: string;
  readonly #options: TrytonClientOptions;
  readonly #logger: Logger;
  #session: Session | null = null;
  #signingIn: Promise<Session> | null = null;
  #nextId = 1;

  constructor(options: TrytonClientOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
    this.#endpoint = `${options.url.replace(/\/+$/, '')}/${encodeURIComponent(options.database)}/`;
  }

  /** Starts one port call: everything it sends shares one deadline. */
  begin(ctx: CallContext, operation: string): TrytonCall {
    return { deadline: startDeadline(this.#options.timeoutMs, ctx.signal), ctx, operation };
  }

  /** The signed-in user's id (signing in if needed). */
  async userId(call: TrytonCall): Promise<number> {
    return (await this.#currentSession(call)).userId;
  }

  /** `model.<model>.search_read`: rows as dictionaries (dotted fields nested as "name."). */
  async searchRead(call: TrytonCall, model: string, query: SearchRead): Promise<Array<Record<string, unknown>>> {
    const result = await this.execute(
      call,
      model,
      'search_read',
      [query.domain, query.offset ?? 0, query.limit ?? null, query.order ?? null, query.fields],
      query.context,
    );
    if (!Array.isArray(result)) throw invalidResponse(call.operation, `${model}.search_read did not answer a list`);
    return result as Array<Record<string, unknown>>;
  }

  async searchCount(
    call: TrytonCall,
    model: string,
    domain: readonly unknown[],
    context: TrytonContext,
  ): Promise<number> {
    const result = await this.execute(call, model, 'search_count', [domain], context);
    if (typeof result !== 'number' || !Number.isSafeInteger(result) || result < 0) {
      throw invalidResponse(call.operation, `${model}.search_count did not answer a count`);
    }
    return result;
  }

  /** `model.<model>.<method>(...args, context)`: any RPC method of a model (create, buttons, on_change). */
  execute(
    call: TrytonCall,
    model: string,
    method: string,
    args: readonly unknown[],
    context: TrytonContext,
  ): Promise<unknown> {
    return this.#authenticated(call, `model.${model}.${method}`, [...args, context]);
  }

  /** Cheapest authenticated call: the user's preferences (which also name its current company). */
  async preferences(call: TrytonCall): Promise<Record<string, unknown>> {
    const result = await this.#authenticated(call, 'model.res.user.get_preferences', [true, {}]);
    if (typeof result !== 'object' || result === null)
      throw invalidResponse(call.operation, 'preferences are not an object');
    return result as Record<string, unknown>;
  }

  async #authenticated(call: TrytonCall, method: string, params: readonly unknown[]): Promise<unknown> {
    let session = await this.#currentSession(call);
    let answer = await this.#post(call, method, params, session.header);
    if (answer.status === 401) {
      // The session ended (see the header): sign in once more.
      this.#forget(session);
      session = await this.#currentSession(call);
      answer = await this.#post(call, method, params, session.header);
    }
    return this.#result(call, method, answer);
  }

  async #currentSession(call: TrytonCall): Promise<Session> {
    if (this.#session) return this.#session;
    this.#signingIn ??= this.#signIn(call.ctx.correlationId).finally(() => {
      this.#signingIn = null;
    });
    try {
      return await untilDeadline(this.#signingIn, call.deadline.signal);
    } catch (error) {
      throw transportError(error, call.deadline, call.operation);
    }
  }

  /** One sign-in on its own deadline: shared by every waiting call, so no single caller's abort cancels it. */
  async #signIn(correlationId: string): Promise<Session> {
    const call: TrytonCall = {
      deadline: startDeadline(this.#options.timeoutMs),
      ctx: { correlationId },
      operation: 'sign-in',
    };
    const method = 'common.db.login';
    const { username, password } = this.#options;
    const result = await this.#result(
      call,
      method,
      await this.#post(call, method, [username, { password }, 'en'], undefined),
    );
    if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') {
      throw invalidResponse(call.operation, 'the login answer is not [user id, session]');
    }
    const [userId, key] = result as [number, string];
    const session: Session = {
      userId,
      header: `Session ${Buffer.from(`${username}:${userId}:${key}`).toString('base64')}`,
    };
    this.#session = session;
    this.#logger.info({ database: this.#options.database, userId }, 'Tryton session opened');
    return session;
  }

  #forget(session: Session): void {
    if (this.#session === session) this.#session = null;
  }

  #result(call: TrytonCall, method: string, answer: { status: number; text: string }): unknown {
    if (answer.status < 200 || answer.status >= 300) {
      const error = httpError(answer.status, call.operation, method);
      this.#logFailure(call, method, error.failure, answer.status);
      throw error;
    }
    let body: { result?: unknown; error?: unknown } | null;
    try {
      body = JSON.parse(answer.text, reviveTrytonValue) as typeof body;
    } catch (error) {
      throw invalidResponse(call.operation, `${method} answered something that is not JSON`, error);
    }
    if (typeof body !== 'object' || body === null)
      throw invalidResponse(call.operation, `${method} answered no JSON-RPC object`);
    if (body.error !== undefined && body.error !== null) {
      const error = rpcError(body.error, call.operation, method);
      this.#logFailure(call, method, error.failure, answer.status, error.details.backendCode);
      throw error;
    }
    if (!('result' in body)) throw invalidResponse(call.operation, `${method} answered neither result nor error`);
    return body.result;
  }

  async #post(
    call: TrytonCall,
    method: string,
    params: readonly unknown[],
    authorization: string | undefined,
  ): Promise<{ status: number; text: string }> {
    const started = performance.now();
    const id = this.#nextId++;
    try {
      const response = await fetch(this.#endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-Correlation-Id': call.ctx.correlationId,
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: JSON.stringify({ id, method, params }),
        signal: call.deadline.signal,
      });
      const text = await response.text();
      this.#logger.debug(
        {
          operation: call.operation,
          method,
          status: response.status,
          ms: Math.round(performance.now() - started),
          correlationId: call.ctx.correlationId,
        },
        'ERP request',
      );
      return { status: response.status, text };
    } catch (error) {
      const mapped = transportError(error, call.deadline, call.operation);
      this.#logFailure(call, method, mapped.failure);
      throw mapped;
    }
  }

  #logFailure(call: TrytonCall, method: string, failure: string, status?: number, backendCode?: string): void {
    this.#logger.warn(
      { operation: call.operation, method, status, backendCode, failure, correlationId: call.ctx.correlationId },
      'ERP request failed',
    );
  }
}
